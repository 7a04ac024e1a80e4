//! `/decisions`, the decision catalogue and the consultations feed. Handlers parse, call a
//! use-case in `service`, and shape the answer with `views`.

use chrono::TimeDelta;
use poem::web::Data;
use poem_openapi::param::{Path, Query};
use poem_openapi::payload::{Json, PlainText};
use poem_openapi::{ApiResponse, OpenApi};
use uuid::Uuid;

use super::dto::*;
use super::model::{ConsultationWindow, DecisionFields, Link, Outcome, RawDecisionFields};
use super::service::{self, ConsultationRules, SectionInput, VersionContent};
use super::{splitter, store, views};
use crate::agencies::model::subtree;
use crate::authz::{Action, Actor};
use crate::db::Timestamp;
use crate::error::AppError;
use crate::http::ApiTags;
use crate::http::auth::{MaybeSession, SessionAuth};
use crate::http::pagination::PageRequest;
use crate::http::problem::ApiError;
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

async fn answer(
    state: &AppState,
    actor: &Actor,
    d: crate::entities::decisions::Model,
) -> Result<Json<Decision>, ApiError> {
    Ok(Json(views::detail(&state.db, actor, d, Timestamp::now()).await?))
}

async fn agency_subtree(state: &AppState, root: Uuid) -> Result<Vec<Uuid>, AppError> {
    Ok(subtree(&crate::agencies::store::all(state.db.conn()).await?, root))
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
        let actor = auth.actor()?;
        let now = Timestamp::now();
        let visibility = if actor.is_platform_admin() {
            store::Visibility::Everything
        } else if let Some(agency) = actor.agency_id() {
            store::Visibility::PublicAndAgency(agency)
        } else {
            store::Visibility::Public
        };
        let agency_ids = match agency_id.0 {
            Some(root) => Some(agency_subtree(&state, root).await?),
            None => None,
        };
        let filter = store::Filter {
            status: status.0.map(Into::into),
            agency_ids,
            policy_area_id: policy_area_id.0,
            year: year.0,
            open_now: open_now.0.unwrap_or(false),
            closing_before: closing_within_days.0.map(|d| now + TimeDelta::days(d)),
            text: q.0,
        };
        let page = PageRequest::new(page.0, per_page.0);
        let (rows, total) =
            store::list(state.db.conn(), visibility, &filter, now, page.offset(), page.per_page).await?;
        let names = views::agency_names(&state.db).await?;
        let items = rows.into_iter().map(|d| views::summary(d, &names, now)).collect();
        Ok(Json(DecisionList { items, meta: page.meta(total) }))
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
        actor.principal()?;
        let fields = fields(&body)?;
        let d = service::create(&state.db, &actor, body.agency_id, body.policy_area_id, fields).await?;
        Ok(DecisionCreated::Created(answer(&state, &actor, d).await?))
    }

    /// One decision
    #[oai(path = "/decisions/:decision_id", method = "get", operation_id = "get_decision")]
    async fn get(
        &self,
        state: Data<&AppState>,
        auth: MaybeSession,
        decision_id: Path<Uuid>,
    ) -> Result<Json<Decision>, ApiError> {
        let actor = auth.actor()?;
        if let Some(cached) = state.public_decisions.get(decision_id.0)
            && !actor.sees_unpublished_of(cached.agency_id)
        {
            return Ok(Json(cached));
        }
        let d = service::load_visible(&state.db, &actor, decision_id.0).await?;
        let public_view = d.published_at.is_some() && !actor.sees_unpublished_of(d.agency_id);
        let view = answer(&state, &actor, d).await?;
        if public_view {
            state.public_decisions.put(decision_id.0, view.0.clone());
        }
        Ok(view)
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
        let d = service::update(&state.db, &actor, decision_id.0, body.policy_area_id, fields).await?;
        state.forget_decision(decision_id.0);
        answer(&state, &actor, d).await
    }

    /// Preview how a draft splits into sections
    ///
    /// Agency staff. Nothing is saved. Answers 422 with the line at fault when the text
    /// cannot be split.
    #[oai(path = "/drafts/split", method = "post", operation_id = "preview_split")]
    async fn preview_split(&self, auth: SessionAuth, body: Json<SplitRequest>) -> Result<Json<SplitPreview>, ApiError> {
        let actor = auth.actor()?;
        match actor.agency_id() {
            Some(agency) => actor.authorize(Action::ActFor(agency))?,
            None => actor.authorize(Action::ManageAgencies)?,
        }
        let parsed = splitter::split(&body.text)
            .map_err(|e| AppError::invalid("text", e.code, crate::i18n::Text::new(e.zh, e.en)))?;
        Ok(Json(SplitPreview {
            sections: parsed
                .into_iter()
                .map(|s| SplitSection {
                    kind: s.kind.as_str().into(),
                    number: s.number.map(|n| n as i32),
                    label: s.label,
                    heading: s.heading,
                    text: s.text,
                    parent: s.parent.map(|p| p as i32),
                    key: s.key,
                })
                .collect(),
        }))
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
        let v = service::add_version(&state.db, &actor, decision_id.0, content, &body.note).await?;
        state.forget_decision(decision_id.0);
        let sections = store::sections_of(state.db.conn(), v.id).await?;
        Ok(VersionCreated::Created(Json(Version {
            number: v.number,
            note: v.note,
            published: v.published,
            created_at: v.created_at,
            sections: sections.into_iter().map(views::section).collect(),
        })))
    }

    /// List draft versions
    #[oai(path = "/decisions/:decision_id/versions", method = "get", operation_id = "list_versions")]
    async fn list_versions(
        &self,
        state: Data<&AppState>,
        auth: MaybeSession,
        decision_id: Path<Uuid>,
    ) -> Result<Json<VersionList>, ApiError> {
        let actor = auth.actor()?;
        let d = service::load_visible(&state.db, &actor, decision_id.0).await?;
        let versions = views::visible_versions(&actor, &d, store::versions(state.db.conn(), d.id).await?);
        Ok(Json(VersionList { items: versions.iter().map(views::version_summary).collect() }))
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
        let actor = auth.actor()?;
        let v = visible_version(&state, &actor, decision_id.0, number.0).await?;
        let sections = store::sections_of(state.db.conn(), v.id).await?;
        Ok(Json(Version {
            number: v.number,
            note: v.note,
            published: v.published,
            created_at: v.created_at,
            sections: sections.into_iter().map(views::section).collect(),
        }))
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
        let actor = auth.actor()?;
        let a = visible_version(&state, &actor, decision_id.0, from.0).await?;
        let b = visible_version(&state, &actor, decision_id.0, to.0).await?;
        let sa = store::sections_of(state.db.conn(), a.id).await?;
        let sb = store::sections_of(state.db.conn(), b.id).await?;
        Ok(Json(views::diff(from.0, to.0, &sa, &sb)))
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
        let d = service::open_consultation(&state.db, &actor, decision_id.0, body.version, window, rules).await?;
        state.forget_decision(decision_id.0);
        answer(&state, &actor, d).await
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
        let actor = auth.actor()?;
        let d = service::extend(&state.db, &actor, decision_id.0, body.closes_at, &body.note).await?;
        state.forget_decision(decision_id.0);
        answer(&state, &actor, d).await
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
        let actor = auth.actor()?;
        let d = service::withdraw(&state.db, &actor, decision_id.0, &body.reason).await?;
        state.forget_decision(decision_id.0);
        answer(&state, &actor, d).await
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
        let d = service::record_outcome(&state.db, &actor, decision_id.0, |latest| {
            Outcome::parse(
                &body.decided_on,
                body.final_version.unwrap_or(latest),
                latest,
                &body.interpretation,
                body.links.into_iter().map(|l| Link { title: l.title, url: l.url }).collect(),
            )
        })
        .await?;
        state.forget_decision(decision_id.0);
        answer(&state, &actor, d).await
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
        let actor = auth.actor()?;
        actor.authorize(Action::ReadAuditLog)?;
        store::find(state.db.conn(), decision_id.0).await?.ok_or_else(service::not_found)?;
        let items = crate::audit::for_entity(state.db.conn(), decision_id.0)
            .await?
            .into_iter()
            .map(|e| AuditEntry {
                id: e.id,
                actor_id: e.actor_id,
                action: e.action,
                details: serde_json::from_str(&e.details).unwrap_or(serde_json::Value::Null),
                created_at: e.created_at,
            })
            .collect();
        Ok(Json(AuditLog { items }))
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
        crate::agencies::store::find(state.db.conn(), agency_id.0)
            .await?
            .ok_or_else(|| AppError::NotFound(t!("找不到该机关。", "No such agency.")))?;
        let ids = agency_subtree(&state, agency_id.0).await?;
        let names = views::agency_names(&state.db).await?;
        let now = Timestamp::now();
        let items = store::catalogue(state.db.conn(), &ids, year.0)
            .await?
            .into_iter()
            .map(|d| CatalogueEntry {
                status: service::status_now(&d, now).into(),
                published: d.published_at.is_some(),
                agency_name: names.get(&d.agency_id).cloned().unwrap_or_default(),
                id: d.id,
                title: d.title,
                agency_id: d.agency_id,
                policy_area_id: d.policy_area_id,
                planned_timing: d.planned_timing,
            })
            .collect();
        Ok(Json(Catalogue { year: year.0, items }))
    }

    /// Feed of new consultations (Atom)
    #[oai(path = "/feeds/consultations.atom", method = "get", operation_id = "consultations_feed")]
    async fn feed(&self, state: Data<&AppState>) -> Result<AtomFeed, ApiError> {
        let items = store::recently_published(state.db.conn(), 50).await?;
        let names = views::agency_names(&state.db).await?;
        Ok(AtomFeed::Ok(PlainText(views::atom_feed(&state.config.public_url, &items, &names))))
    }
}

async fn visible_version(
    state: &AppState,
    actor: &Actor,
    decision_id: Uuid,
    number: i32,
) -> Result<crate::entities::draft_versions::Model, AppError> {
    let d = service::load_visible(&state.db, actor, decision_id).await?;
    store::version(state.db.conn(), d.id, number)
        .await?
        .filter(|v| v.published || actor.sees_unpublished_of(d.agency_id))
        .ok_or_else(|| AppError::NotFound(t!("没有这个版本。", "No such version.")))
}
