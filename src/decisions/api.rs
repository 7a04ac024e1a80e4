//! `/decisions`, the decision catalogue and the consultations feed. Each handler parses the
//! request into domain types, calls one use-case (`service` for changes, `queries` for
//! reads) and turns the answer into its wire shape.

use poem::web::Data;
use poem_openapi::param::{Path, Query};
use poem_openapi::payload::{Json, PlainText};
use poem_openapi::{ApiResponse, OpenApi};
use uuid::Uuid;

use super::dto::*;
use super::model::{ConsultationWindow, DecisionFields, DecisionStatus, Outcome, RawDecisionFields};
use super::queries::{self, ListQuery};
use super::sections::{SectionInput, VersionContent};
use super::service::{self, ConsultationRules};
use crate::accounts::auth::{MaybeSession, SessionAuth};
use crate::db::Timestamp;
use crate::error::AppError;
use crate::http::ApiTags;
use crate::http::cached_json::CachedJson;
use crate::http::pagination::items_and_meta;
use crate::http::problem::ApiError;
use crate::kernel::pagination::PageRequest;
use crate::state::AppState;
use crate::t;

pub struct DecisionsApi;

#[derive(ApiResponse)]
pub enum DecisionCreated {
    #[oai(status = 201)]
    Created(Json<Decision>),
}

#[derive(ApiResponse)]
pub enum VersionCreated {
    #[oai(status = 201)]
    Created(Json<Version>),
}

#[derive(ApiResponse)]
pub enum AtomFeed {
    /// An Atom 1.0 feed.
    #[oai(status = 200, content_type = "application/atom+xml; charset=utf-8")]
    Ok(PlainText<String>),
}

fn fields(body: &DecisionFieldsDto) -> Result<DecisionFields, AppError> {
    DecisionFields::parse(RawDecisionFields {
        title: &body.title,
        summary: &body.summary,
        basis: &body.basis,
        explanation: &body.explanation,
        catalogue_year: body.catalogue_year,
        planned_timing: body.planned_timing.as_deref(),
        listed_in_catalogue: body.listed_in_catalogue,
    })
}

#[OpenApi(tag = "ApiTags::Decisions")]
impl DecisionsApi {
    /// Find decisions
    ///
    /// Published decisions for everyone; staff also see their own agency's drafts. Filters
    /// combine; `q` searches titles and summaries (Chinese works: any two characters).
    #[oai(path = "/decisions", method = "get", operation_id = "list_decisions")]
    #[allow(clippy::too_many_arguments)]
    async fn list(
        &self,
        state: Data<&AppState>,
        auth: MaybeSession,
        status: Query<Option<DecisionStatus>>,
        /// An agency; its sub-agencies are included.
        agency_id: Query<Option<Uuid>>,
        policy_area_id: Query<Option<Uuid>>,
        /// Catalogue year.
        #[oai(validator(minimum(value = "1900"), maximum(value = "2200")))]
        year: Query<Option<i32>>,
        /// Only those open for comment now.
        open_now: Query<Option<bool>>,
        /// Only those open now and closing within this many days.
        #[oai(validator(minimum(value = "1"), maximum(value = "366")))]
        closing_within_days: Query<Option<i64>>,
        /// Text to search for in titles and summaries.
        #[oai(validator(max_length = 100))]
        q: Query<Option<String>>,
        #[oai(validator(minimum(value = "1"), maximum(value = "1000000")))] page: Query<Option<u64>>,
        #[oai(validator(minimum(value = "1"), maximum(value = "200")))] per_page: Query<Option<u64>>,
    ) -> Result<Json<DecisionList>, ApiError> {
        let query = ListQuery {
            status: status.0,
            agency_id: agency_id.0,
            policy_area_id: policy_area_id.0,
            year: year.0,
            open_now: open_now.0.unwrap_or(false),
            closing_within_days: closing_within_days.0,
            text: q.0,
        };
        let found = queries::list(&state, &auth.actor()?, query, PageRequest::new(page.0, per_page.0)).await?;
        let (items, meta) = items_and_meta(found, DecisionSummary::from);
        Ok(Json(DecisionList { items, meta }))
    }

    /// Create a decision
    ///
    /// Agency staff, for their own agency. It starts as a draft that only the agency sees.
    #[oai(path = "/decisions", method = "post", operation_id = "create_decision")]
    async fn create(
        &self,
        state: Data<&AppState>,
        auth: SessionAuth,
        body: Json<DecisionFieldsDto>,
    ) -> Result<DecisionCreated, ApiError> {
        let actor = auth.actor()?;
        let fields = fields(&body)?;
        let d = service::create(&state, &actor, body.agency_id, body.policy_area_id, fields).await?;
        Ok(DecisionCreated::Created(Json(d.into())))
    }

    /// One decision
    #[oai(path = "/decisions/:decision_id", method = "get", operation_id = "get_decision")]
    async fn get(
        &self,
        state: Data<&AppState>,
        auth: MaybeSession,
        decision_id: Path<Uuid>,
    ) -> Result<CachedJson<Decision>, ApiError> {
        let actor = auth.actor()?;
        let id = decision_id.0;
        if let Some((agency, body)) = state.public_decisions.get(&id)
            && !actor.sees_unpublished_of(agency)
        {
            return Ok(CachedJson::from_bytes(body));
        }
        let (view, public_view) = queries::get(&state, &actor, id).await?;
        let agency = view.agency_id;
        let body = CachedJson::write(&Decision::from(view));
        if public_view {
            state.public_decisions.put(id, (agency, body.bytes()));
        }
        Ok(body)
    }

    /// Edit a draft decision
    ///
    /// Only while it is a draft: what has been published stays as published.
    #[oai(path = "/decisions/:decision_id", method = "put", operation_id = "update_decision")]
    async fn update(
        &self,
        state: Data<&AppState>,
        auth: SessionAuth,
        decision_id: Path<Uuid>,
        body: Json<DecisionFieldsDto>,
    ) -> Result<Json<Decision>, ApiError> {
        let actor = auth.actor()?;
        let fields = fields(&body)?;
        let d = service::update(&state, &actor, decision_id.0, body.policy_area_id, fields).await?;
        Ok(Json(d.into()))
    }

    /// Preview how a draft splits into sections
    ///
    /// Agency staff. Nothing is saved. Answers 422 with the line at fault when the text
    /// cannot be split.
    #[oai(path = "/drafts/split", method = "post", operation_id = "preview_split")]
    async fn preview_split(&self, auth: SessionAuth, body: Json<SplitRequest>) -> Result<Json<SplitPreview>, ApiError> {
        let sections = queries::preview_split(&auth.actor()?, &body.text)?;
        Ok(Json(SplitPreview { sections: sections.into_iter().map(Into::into).collect() }))
    }

    /// Add a draft version
    ///
    /// An immutable version of the draft text: plain text split by its own headings, or
    /// structured sections.
    #[oai(path = "/decisions/:decision_id/versions", method = "post", operation_id = "create_version")]
    async fn create_version(
        &self,
        state: Data<&AppState>,
        auth: SessionAuth,
        decision_id: Path<Uuid>,
        body: Json<NewVersionRequest>,
    ) -> Result<VersionCreated, ApiError> {
        let actor = auth.actor()?;
        let body = body.0;
        let content = match (body.text, body.sections) {
            (Some(text), None) => VersionContent::Text(text),
            (None, Some(sections)) => VersionContent::Sections(
                sections
                    .into_iter()
                    .map(|s| SectionInput { kind: s.kind, label: s.label, heading: s.heading, text: s.text })
                    .collect(),
            ),
            _ => {
                return Err(AppError::invalid(
                    "text",
                    "one_of",
                    t!(
                        "请提供草案全文（text）或结构化条款（sections），二选一。",
                        "Send either the text or the sections, not both."
                    ),
                )
                .into());
            }
        };
        let v = service::add_version(&state, &actor, decision_id.0, content, &body.note).await?;
        Ok(VersionCreated::Created(Json(v.into())))
    }

    /// List draft versions
    #[oai(path = "/decisions/:decision_id/versions", method = "get", operation_id = "list_versions")]
    async fn list_versions(
        &self,
        state: Data<&AppState>,
        auth: MaybeSession,
        decision_id: Path<Uuid>,
    ) -> Result<Json<VersionList>, ApiError> {
        let items = queries::versions(&state, &auth.actor()?, decision_id.0).await?;
        Ok(Json(VersionList { items: items.into_iter().map(Into::into).collect() }))
    }

    /// One draft version with its sections
    #[oai(path = "/decisions/:decision_id/versions/:number", method = "get", operation_id = "get_version")]
    async fn get_version(
        &self,
        state: Data<&AppState>,
        auth: MaybeSession,
        decision_id: Path<Uuid>,
        #[oai(validator(minimum(value = "1"), maximum(value = "100000")))] number: Path<i32>,
    ) -> Result<Json<Version>, ApiError> {
        Ok(Json(queries::version(&state, &auth.actor()?, decision_id.0, number.0).await?.into()))
    }

    /// What changed between two versions
    ///
    /// Section by section (matched by their numbers), with a character-level text diff.
    #[oai(path = "/decisions/:decision_id/versions/:from/diff/:to", method = "get", operation_id = "diff_versions")]
    async fn diff(
        &self,
        state: Data<&AppState>,
        auth: MaybeSession,
        decision_id: Path<Uuid>,
        #[oai(validator(minimum(value = "1"), maximum(value = "100000")))] from: Path<i32>,
        #[oai(validator(minimum(value = "1"), maximum(value = "100000")))] to: Path<i32>,
    ) -> Result<Json<VersionDiff>, ApiError> {
        Ok(Json(queries::diff(&state, &auth.actor()?, decision_id.0, from.0, to.0).await?.into()))
    }

    /// Open the consultation
    ///
    /// Publishes the decision and opens a version for comment, now or at `opens_at`. A window
    /// shorter than 30 days needs `short_window_reason`, which is published.
    #[oai(path = "/decisions/:decision_id/consultation", method = "post", operation_id = "open_consultation")]
    async fn open_consultation(
        &self,
        state: Data<&AppState>,
        auth: SessionAuth,
        decision_id: Path<Uuid>,
        body: Json<OpenConsultationRequest>,
    ) -> Result<Json<Decision>, ApiError> {
        let actor = auth.actor()?;
        let window = ConsultationWindow::new(
            body.opens_at,
            body.closes_at,
            body.short_window_reason.as_deref(),
            Timestamp::now(),
        )
        .map_err(AppError::Invalid)?;
        let rules = ConsultationRules {
            anonymous_allowed: body.anonymous_allowed,
            comments_public: body.comments_public,
            pre_moderation: body.pre_moderation,
        };
        let d = service::open_consultation(&state, &actor, decision_id.0, body.version, window, rules).await?;
        Ok(Json(d.into()))
    }

    /// Extend the consultation
    ///
    /// A later closing time with a public note. Windows are never shortened.
    #[oai(
        path = "/decisions/:decision_id/consultation/extensions",
        method = "post",
        operation_id = "extend_consultation"
    )]
    async fn extend(
        &self,
        state: Data<&AppState>,
        auth: SessionAuth,
        decision_id: Path<Uuid>,
        body: Json<ExtendRequest>,
    ) -> Result<Json<Decision>, ApiError> {
        let d = service::extend(&state, &auth.actor()?, decision_id.0, body.closes_at, &body.note).await?;
        Ok(Json(d.into()))
    }

    /// Withdraw a decision
    ///
    /// From any status before `decided`, with a public reason.
    #[oai(path = "/decisions/:decision_id/withdraw", method = "post", operation_id = "withdraw_decision")]
    async fn withdraw(
        &self,
        state: Data<&AppState>,
        auth: SessionAuth,
        decision_id: Path<Uuid>,
        body: Json<WithdrawRequest>,
    ) -> Result<Json<Decision>, ApiError> {
        let d = service::withdraw(&state, &auth.actor()?, decision_id.0, &body.reason).await?;
        Ok(Json(d.into()))
    }

    /// Record the outcome
    ///
    /// After the consultation has closed: the final version, the date adopted and the
    /// interpretation (解读). The decision becomes `decided`.
    #[oai(path = "/decisions/:decision_id/outcome", method = "post", operation_id = "record_outcome")]
    async fn outcome(
        &self,
        state: Data<&AppState>,
        auth: SessionAuth,
        decision_id: Path<Uuid>,
        body: Json<OutcomeRequest>,
    ) -> Result<Json<Decision>, ApiError> {
        let actor = auth.actor()?;
        let body = body.0;
        let d = service::record_outcome(&state, &actor, decision_id.0, |latest| {
            Outcome::parse(
                &body.decided_on,
                body.final_version.unwrap_or(latest),
                latest,
                &body.interpretation,
                body.links.into_iter().map(Into::into).collect(),
            )
        })
        .await?;
        Ok(Json(d.into()))
    }

    /// A decision's audit log
    ///
    /// Platform admin only: every staff action on the decision, who and when.
    #[oai(path = "/decisions/:decision_id/audit-log", method = "get", operation_id = "decision_audit_log")]
    async fn audit_log(
        &self,
        state: Data<&AppState>,
        auth: SessionAuth,
        decision_id: Path<Uuid>,
    ) -> Result<Json<AuditLog>, ApiError> {
        let items = queries::audit_log(&state, &auth.actor()?, decision_id.0).await?;
        Ok(Json(AuditLog { items: items.into_iter().map(Into::into).collect() }))
    }

    /// The yearly decision catalogue (重大决策事项目录)
    ///
    /// An agency's (and its sub-agencies') major decisions of a year, including those planned
    /// but not yet drafted.
    #[oai(path = "/decision-catalogue", method = "get", operation_id = "decision_catalogue")]
    async fn catalogue(
        &self,
        state: Data<&AppState>,
        agency_id: Query<Uuid>,
        #[oai(validator(minimum(value = "1900"), maximum(value = "2200")))] year: Query<i32>,
    ) -> Result<Json<Catalogue>, ApiError> {
        let items = queries::catalogue(&state, agency_id.0, year.0).await?;
        Ok(Json(Catalogue { year: year.0, items: items.into_iter().map(Into::into).collect() }))
    }

    /// Feed of new consultations (Atom)
    #[oai(path = "/feeds/consultations.atom", method = "get", operation_id = "consultations_feed")]
    async fn feed(&self, state: Data<&AppState>) -> Result<AtomFeed, ApiError> {
        Ok(AtomFeed::Ok(PlainText(queries::feed(&state).await?)))
    }
}
