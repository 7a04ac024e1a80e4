//! The HTTP toolbox every domain's `api.rs` uses: problem+json errors, the request
//! middleware, client addresses, page shapes, tags. It imports no domain (bearer
//! authentication lives with the sessions, in `accounts::auth`); the routes are assembled
//! in `crate::routes`.

pub mod body_limit;
pub mod cached_json;
pub mod client;
pub mod context;
pub mod metrics;
pub mod ops;
pub mod pagination;
pub mod problem;
pub mod slow_clients;
pub mod tags;

pub use tags::ApiTags;
