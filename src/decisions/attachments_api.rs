//! `/decisions/{id}/attachments`: staff upload files; everyone who may see the decision
//! downloads them.

use poem::web::Data;
use poem_openapi::param::Path;
use poem_openapi::payload::{Binary, Json};
use poem_openapi::types::multipart::Upload;
use poem_openapi::{ApiResponse, Multipart, OpenApi};
use uuid::Uuid;

use super::attachments::content_disposition;
use super::dto::{AttachmentInfo, AttachmentList};
use super::{queries, service};
use crate::accounts::auth::{MaybeSession, SessionAuth};
use crate::error::AppError;
use crate::http::ApiTags;
use crate::http::problem::ApiError;
use crate::state::AppState;

pub struct AttachmentsApi;

#[derive(Multipart)]
pub struct UploadForm {
    /// PDF, OFD, DOC/DOCX, XLS/XLSX, PNG, JPEG, GIF or WebP; at most 20 MB by default.
    pub file: Upload,
}

#[derive(ApiResponse)]
pub enum Uploaded {
    #[oai(status = 201)]
    Created(Json<AttachmentInfo>),
}

#[derive(ApiResponse)]
pub enum FileDownload {
    /// The file. Its media type is the one recognised at upload (the `Content-Type` header:
    /// application/pdf, image/png, …), with a safe `Content-Disposition`.
    #[oai(status = 200)]
    Ok(Binary<poem::Body>, #[oai(header = "Content-Type")] String, #[oai(header = "Content-Disposition")] String),
}

#[OpenApi(tag = "ApiTags::Decisions")]
impl AttachmentsApi {
    /// Upload an attachment
    ///
    /// Staff of the decision's agency, until it is decided or withdrawn. The type is checked
    /// by content as well as by name.
    #[oai(path = "/decisions/:decision_id/attachments", method = "post", operation_id = "upload_attachment")]
    async fn upload(
        &self,
        state: Data<&AppState>,
        auth: SessionAuth,
        decision_id: Path<Uuid>,
        form: UploadForm,
    ) -> Result<Uploaded, ApiError> {
        let actor = auth.actor()?;
        let name = form.file.file_name().unwrap_or_default().to_string();
        let content = async move { form.file.into_vec().await.map_err(|e| AppError::Internal(e.into())) };
        let created = service::attach(&state, &actor, decision_id.0, &name, content).await?;
        Ok(Uploaded::Created(Json(created.into())))
    }

    /// List a decision's attachments
    #[oai(path = "/decisions/:decision_id/attachments", method = "get", operation_id = "list_attachments")]
    async fn list(
        &self,
        state: Data<&AppState>,
        auth: MaybeSession,
        decision_id: Path<Uuid>,
    ) -> Result<Json<AttachmentList>, ApiError> {
        let items = queries::attachments(&state, &auth.actor()?, decision_id.0).await?;
        Ok(Json(AttachmentList { items: items.into_iter().map(Into::into).collect() }))
    }

    /// Download an attachment
    #[oai(
        path = "/decisions/:decision_id/attachments/:attachment_id",
        method = "get",
        operation_id = "download_attachment"
    )]
    async fn download(
        &self,
        state: Data<&AppState>,
        auth: MaybeSession,
        decision_id: Path<Uuid>,
        attachment_id: Path<Uuid>,
    ) -> Result<FileDownload, ApiError> {
        use futures_util::StreamExt;
        let (a, pieces) = queries::attachment_file(&state, &auth.actor()?, decision_id.0, attachment_id.0).await?;
        let body = poem::Body::from_bytes_stream(
            pieces.map(|piece| piece.map(bytes::Bytes::from).map_err(std::io::Error::other)),
        );
        Ok(FileDownload::Ok(Binary(body), a.content_type, content_disposition(&a.file_name)))
    }
}
