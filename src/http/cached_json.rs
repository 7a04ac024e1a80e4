//! A JSON answer whose bytes were written before: for what the public reads most, kept per
//! node for the public cache's second, so a crowd of readers costs one serialization per
//! second instead of one per request (poem-openapi's `Json` builds a `serde_json::Value`
//! tree and then writes it, every time). On the wire and in the spec it is `Json<T>`.

use std::marker::PhantomData;

use poem::{IntoResponse, Response};
use poem_openapi::ApiResponse;
use poem_openapi::payload::{Json, Payload};
use poem_openapi::registry::{MetaMediaType, MetaResponse, MetaResponses, MetaSchemaRef, Registry};
use poem_openapi::types::ToJSON;

pub struct CachedJson<T> {
    bytes: bytes::Bytes,
    _shape: PhantomData<fn() -> T>,
}

impl<T: ToJSON> CachedJson<T> {
    /// Writes `value` once.
    pub fn write(value: &T) -> Self {
        Self::from_bytes(bytes::Bytes::from(value.to_json_string()))
    }

    /// Bytes written earlier by [`CachedJson::write`] for the same type.
    pub fn from_bytes(bytes: bytes::Bytes) -> Self {
        CachedJson { bytes, _shape: PhantomData }
    }

    pub fn bytes(&self) -> bytes::Bytes {
        self.bytes.clone()
    }
}

impl<T: ToJSON> Payload for CachedJson<T> {
    const CONTENT_TYPE: &'static str = <Json<T> as Payload>::CONTENT_TYPE;

    fn schema_ref() -> MetaSchemaRef {
        T::schema_ref()
    }

    fn register(registry: &mut Registry) {
        T::register(registry);
    }
}

impl<T: ToJSON> IntoResponse for CachedJson<T> {
    fn into_response(self) -> Response {
        Response::builder().content_type(Self::CONTENT_TYPE).body(self.bytes)
    }
}

impl<T: ToJSON> ApiResponse for CachedJson<T> {
    fn meta() -> MetaResponses {
        MetaResponses {
            responses: vec![MetaResponse {
                description: "",
                status: Some(200),
                status_range: None,
                content: vec![MetaMediaType { content_type: Self::CONTENT_TYPE, schema: Self::schema_ref() }],
                headers: vec![],
            }],
        }
    }

    fn register(registry: &mut Registry) {
        T::register(registry);
    }
}
