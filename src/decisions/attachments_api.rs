//! `/decisions/{id}/attachments`: staff upload files; everyone who may see the decision
//! downloads them.

use chrono::{DateTime, Utc};
use poem::web::Data;
use poem_openapi::param::Path;
use poem_openapi::payload::{Binary, Json};
use poem_openapi::types::multipart::Upload;
use poem_openapi::{ApiResponse, Multipart, Object, OpenApi};
use serde_json::json;
use uuid::Uuid;

use super::attachments::{self, check};
use super::model::Status;
use super::{service, store};
use crate::authz::Action;
use crate::db::{Timestamp, new_id};
use crate::entities::attachments as rows;
use crate::error::AppError;
use crate::http::ApiTags;
use crate::http::auth::{MaybeSession, SessionAuth};
use crate::http::problem::ApiError;
use crate::state::AppState;
use crate::t;

pub struct AttachmentsApi;

#[derive(Multipart)]
pub struct UploadForm {
    /// PDF, OFD, DOC/DOCX, XLS/XLSX, PNG, JPEG, GIF or WebP; at most 20 MB by default.
    pub file: Upload,
}

/// A file attached to a decision.
#[derive(Object, Clone)]
pub struct AttachmentInfo {
    pub id: Uuid,
    pub file_name: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub sha256: String,
    pub created_at: DateTime<Utc>,
}

impl From<rows::Model> for AttachmentInfo {
    fn from(a: rows::Model) -> Self {
        AttachmentInfo {
            id: a.id,
            file_name: a.file_name,
            content_type: a.content_type,
            size_bytes: a.size_bytes,
            sha256: a.sha256,
            created_at: a.created_at,
        }
    }
}

#[derive(Object)]
pub struct AttachmentList {
    pub items: Vec<AttachmentInfo>,
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
    Ok(Binary<Vec<u8>>, #[oai(header = "Content-Type")] String, #[oai(header = "Content-Disposition")] String),
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
        let d = service::load_visible(&state.db, &actor, decision_id.0).await?;
        actor.authorize(Action::ActFor(d.agency_id))?;
        let status = service::status_now(&d, Timestamp::now());
        if matches!(status, Status::Decided | Status::Withdrawn) {
            return Err(AppError::Conflict {
                code: "invalid_transition",
                message: t!(
                    "已决策或已撤回的事项不能再添加附件。",
                    "Attachments cannot be added once a decision is decided or withdrawn."
                ),
            }
            .into());
        }
        let name = form.file.file_name().unwrap_or_default().to_string();
        let content = form.file.into_vec().await.map_err(|e| AppError::Internal(e.into()))?;
        let (name, kind) =
            check(&name, &content, state.config.attachment_limit).map_err(|i| AppError::Invalid(vec![i]))?;
        let sha = crate::digest::sha256_hex(&content);
        attachments::store(&state.config.data_dir, &sha, &content).await.map_err(|e| AppError::Internal(e.into()))?;
        let principal = actor.principal()?;
        let row = rows::Model {
            id: new_id(),
            decision_id: d.id,
            file_name: name,
            content_type: kind.content_type.to_string(),
            size_bytes: content.len() as i64,
            sha256: sha,
            created_by: principal.account_id,
            created_at: Timestamp::now(),
        };
        let tx = state.db.write().await.map_err(AppError::from)?;
        store::insert_attachment(&tx, row.clone()).await?;
        crate::audit::record(
            &tx,
            crate::audit::Entry {
                actor_id: Some(principal.account_id),
                agency_id: Some(d.agency_id),
                entity_type: "decision",
                entity_id: d.id,
                action: "attachment_added",
                details: json!({ "file_name": row.file_name, "sha256": row.sha256, "size_bytes": row.size_bytes }),
            },
        )
        .await?;
        tx.commit().await.map_err(AppError::from)?;
        state.forget_decision(d.id);
        Ok(Uploaded::Created(Json(row.into())))
    }

    /// List a decision's attachments
    #[oai(path = "/decisions/:decision_id/attachments", method = "get", operation_id = "list_attachments")]
    async fn list(
        &self,
        state: Data<&AppState>,
        auth: MaybeSession,
        decision_id: Path<Uuid>,
    ) -> Result<Json<AttachmentList>, ApiError> {
        let actor = auth.actor()?;
        let d = service::load_visible(&state.db, &actor, decision_id.0).await?;
        let items = store::attachments(state.db.conn(), d.id).await?.into_iter().map(Into::into).collect();
        Ok(Json(AttachmentList { items }))
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
        let actor = auth.actor()?;
        let d = service::load_visible(&state.db, &actor, decision_id.0).await?;
        let a = store::attachments(state.db.conn(), d.id)
            .await?
            .into_iter()
            .find(|a| a.id == attachment_id.0)
            .ok_or_else(|| AppError::NotFound(t!("找不到该附件。", "No such attachment.")))?;
        let bytes = tokio::fs::read(attachments::path_for(&state.config.data_dir, &a.sha256))
            .await
            .map_err(|e| AppError::Internal(anyhow::anyhow!("attachment file {} unreadable: {e}", a.sha256)))?;
        Ok(FileDownload::Ok(Binary(bytes), a.content_type, attachments::content_disposition(&a.file_name)))
    }
}
