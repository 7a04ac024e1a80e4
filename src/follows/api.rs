//! Follow operations. Each handler calls one use-case and maps its answer.

use poem::web::Data;
use poem_openapi::OpenApi;
use poem_openapi::param::{Path, Query};
use poem_openapi::payload::Json;
use uuid::Uuid;

use super::dto::*;
use super::service;
use crate::accounts::auth::SessionAuth;
use crate::http::ApiTags;
use crate::http::pagination::items_and_meta;
use crate::http::problem::ApiError;
use crate::kernel::pagination::PageRequest;
use crate::state::AppState;

pub struct FollowsApi;

#[OpenApi(tag = "ApiTags::Follows")]
impl FollowsApi {
    /// Whether I follow a decision
    #[oai(path = "/decisions/:decision_id/follow", method = "get", operation_id = "get_follow")]
    async fn get(
        &self,
        state: Data<&AppState>,
        auth: SessionAuth,
        decision_id: Path<Uuid>,
    ) -> Result<Json<FollowStatus>, ApiError> {
        Ok(Json(service::state_of(&state, &auth.actor()?, decision_id.0).await?.into()))
    }

    /// Follow a decision
    ///
    /// You will be told by e-mail when its consultation is extended or closes, when its
    /// feedback report is published or corrected, when it is decided and if it is withdrawn.
    /// Published decisions only (409 `not_published`); following again changes nothing; at
    /// most 500 decisions per account (409 `too_many_follows`). Nobody else sees whom you follow.
    #[oai(path = "/decisions/:decision_id/follow", method = "put", operation_id = "follow_decision")]
    async fn follow(
        &self,
        state: Data<&AppState>,
        auth: SessionAuth,
        decision_id: Path<Uuid>,
    ) -> Result<Json<FollowStatus>, ApiError> {
        Ok(Json(service::follow(&state, &auth.actor()?, decision_id.0).await?.into()))
    }

    /// Stop following a decision
    #[oai(path = "/decisions/:decision_id/follow", method = "delete", operation_id = "unfollow_decision")]
    async fn unfollow(
        &self,
        state: Data<&AppState>,
        auth: SessionAuth,
        decision_id: Path<Uuid>,
    ) -> Result<Json<FollowStatus>, ApiError> {
        Ok(Json(service::unfollow(&state, &auth.actor()?, decision_id.0).await?.into()))
    }

    /// Unfollow with the link of a follow e-mail
    ///
    /// No sign-in: every follow e-mail carries its recipient's own link, signed for their
    /// account and that decision. A link that does not verify answers 404 and changes nothing;
    /// using a link again is no error.
    #[oai(path = "/follows/unsubscribe", method = "post", operation_id = "unfollow_by_link")]
    async fn unfollow_by_link(
        &self,
        state: Data<&AppState>,
        body: Json<UnfollowLink>,
    ) -> Result<Json<UnfollowedDecision>, ApiError> {
        let done = service::unfollow_by_link(&state, body.account_id, body.decision_id, &body.token).await?;
        Ok(Json(done.into()))
    }

    /// The decisions I follow
    ///
    /// Most recently followed first, each with its status now and, once its window has closed
    /// without a report, the day the report is due.
    #[oai(path = "/me/follows", method = "get", operation_id = "my_follows")]
    async fn mine(
        &self,
        state: Data<&AppState>,
        auth: SessionAuth,
        #[oai(validator(minimum(value = "1"), maximum(value = "1000000")))] page: Query<Option<u64>>,
        #[oai(validator(minimum(value = "1"), maximum(value = "200")))] per_page: Query<Option<u64>>,
    ) -> Result<Json<FollowedDecisionList>, ApiError> {
        let found = service::mine(&state, &auth.actor()?, PageRequest::new(page.0, per_page.0)).await?;
        let (items, meta) = items_and_meta(found, FollowedDecision::from);
        Ok(Json(FollowedDecisionList { items, meta }))
    }
}
