//! HTTP handlers of the disclosure catalogue. Each parses into domain types, calls one
//! service function and maps the result.

use poem::Request;
use poem::web::Data;
use poem_openapi::param::{Path, Query};
use poem_openapi::payload::{Binary, Json};
use poem_openapi::types::multipart::Upload;
use poem_openapi::{ApiResponse, Multipart, Object, OpenApi};
use uuid::Uuid;

use super::dto::*;
use super::importer::{self, ImportRequest};
use super::model::Filter;
use super::model::{Attribute, ItemFields, ItemForm, Level, ReportDraft, ReportStatus};
use super::{reports, service, sheet};
use crate::accounts::auth::{MaybeSession, SessionAuth};
use crate::error::AppError;
use crate::http::ApiTags;
use crate::http::client::client_address;
use crate::http::pagination::items_and_meta;
use crate::http::problem::ApiError;
use crate::kernel::pagination::PageRequest;
use crate::state::AppState;

pub struct DisclosureApi;

#[derive(ApiResponse)]
pub enum ItemCreated {
    #[oai(status = 201)]
    Created(Json<DisclosureItem>),
}

#[derive(ApiResponse)]
pub enum ReportReceived {
    /// Received; the agency answers, and the answer is public.
    #[oai(status = 201)]
    Created(Json<DisclosureReportReceipt>),
}

#[derive(ApiResponse)]
pub enum CatalogueCsv {
    /// UTF-8 with a byte-order mark, in the import layout.
    #[oai(status = 200, content_type = "text/csv; charset=utf-8")]
    Ok(Binary<Vec<u8>>, #[oai(header = "Content-Disposition")] String),
}

#[derive(ApiResponse)]
pub enum CatalogueXlsx {
    /// An Excel workbook in the import layout.
    #[oai(status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")]
    Ok(Binary<Vec<u8>>, #[oai(header = "Content-Disposition")] String),
}

#[derive(Multipart)]
pub struct ImportForm {
    /// XLSX, or CSV in UTF-8 or GB18030, with a header row.
    pub file: Upload,
}

/// The version a removal or restoration was decided on.
#[derive(Object, Clone, Debug)]
pub struct ItemVersionInput {
    pub expected_version: Option<i32>,
}

fn fields(body: &DisclosureItemInput, channels: &[String], agency_name: &str) -> Result<ItemFields, AppError> {
    ItemFields::parse(
        ItemForm {
            policy_area_id: body.policy_area_id,
            item: body.item.as_deref(),
            sub_item: body.sub_item.as_deref(),
            basis: body.basis.as_deref(),
            content: body.content.as_deref(),
            responsible_body: body.responsible_body.as_deref(),
            time_limit: body.time_limit.as_deref(),
            channels: body.channels.clone(),
            attribute: body.attribute,
            audience: body.audience,
            level: body.level,
        },
        channels,
        agency_name,
    )
    .map_err(AppError::Invalid)
}

fn catalogue_filter(agency_id: Option<Uuid>, policy_area_id: Option<Uuid>) -> Filter {
    Filter { agencies: agency_id.map(|a| vec![a]), policy_area: policy_area_id, ..Filter::default() }
}

#[OpenApi(tag = "ApiTags::Disclosure")]
impl DisclosureApi {
    /// Catalogue items
    ///
    /// The public catalogue, in catalogue order; `q` finds items by any two characters of
    /// their names or content. Staff may add `include_removed` for their own agency.
    #[oai(path = "/disclosure-items", method = "get", operation_id = "list_disclosure_items")]
    #[allow(clippy::too_many_arguments)]
    async fn list(
        &self,
        state: Data<&AppState>,
        auth: MaybeSession,
        agency_id: Query<Option<Uuid>>,
        policy_area_id: Query<Option<Uuid>>,
        attribute: Query<Option<Attribute>>,
        level: Query<Option<Level>>,
        #[oai(validator(max_length = 100))] q: Query<Option<String>>,
        include_removed: Query<Option<bool>>,
        #[oai(validator(minimum(value = "1"), maximum(value = "100000")))] page: Query<Option<u64>>,
        #[oai(validator(minimum(value = "1"), maximum(value = "100")))] per_page: Query<Option<u64>>,
    ) -> Result<Json<DisclosureItemPage>, ApiError> {
        let filter = Filter {
            attribute: attribute.0,
            level: level.0,
            text: q.0.filter(|s| !s.trim().is_empty()),
            include_removed: include_removed.0.unwrap_or(false),
            ..catalogue_filter(agency_id.0, policy_area_id.0)
        };
        let page = service::list(&state, &auth.actor()?, filter, PageRequest::new(page.0, per_page.0)).await?;
        let (items, meta) = items_and_meta(page, |i| i);
        Ok(Json(DisclosureItemPage { items, meta }))
    }

    /// Add a catalogue item
    ///
    /// Staff of the agency. Same area, item and sub-item twice answers 409 `item_exists`.
    #[oai(path = "/disclosure-items", method = "post", operation_id = "create_disclosure_item")]
    async fn create(
        &self,
        state: Data<&AppState>,
        auth: SessionAuth,
        body: Json<DisclosureItemInput>,
    ) -> Result<ItemCreated, ApiError> {
        let parse = Box::new(|channels: &[String], name: &str| fields(&body, channels, name));
        Ok(ItemCreated::Created(Json(service::create(&state, &auth.actor()?, body.agency_id, parse).await?)))
    }

    /// A catalogue item
    #[oai(path = "/disclosure-items/:item_id", method = "get", operation_id = "get_disclosure_item")]
    async fn get(
        &self,
        state: Data<&AppState>,
        auth: MaybeSession,
        item_id: Path<Uuid>,
    ) -> Result<Json<DisclosureItem>, ApiError> {
        Ok(Json(service::get(&state, &auth.actor()?, item_id.0).await?))
    }

    /// Change a catalogue item
    ///
    /// Staff of its agency; kept as a new version with what changed, field by field. Send
    /// `expected_version`: a change made meanwhile answers 409 `item_changed`.
    #[oai(path = "/disclosure-items/:item_id", method = "put", operation_id = "update_disclosure_item")]
    async fn update(
        &self,
        state: Data<&AppState>,
        auth: SessionAuth,
        item_id: Path<Uuid>,
        body: Json<DisclosureItemInput>,
    ) -> Result<Json<DisclosureItem>, ApiError> {
        let parse = Box::new(|channels: &[String], name: &str| fields(&body, channels, name));
        Ok(Json(service::update(&state, &auth.actor()?, item_id.0, parse, body.expected_version).await?))
    }

    /// Remove a catalogue item
    ///
    /// Out of the public catalogue; its history stays, and it can be restored.
    #[oai(path = "/disclosure-items/:item_id/remove", method = "post", operation_id = "remove_disclosure_item")]
    async fn remove(
        &self,
        state: Data<&AppState>,
        auth: SessionAuth,
        item_id: Path<Uuid>,
        body: Json<ItemVersionInput>,
    ) -> Result<Json<DisclosureItem>, ApiError> {
        Ok(Json(service::set_removed(&state, &auth.actor()?, item_id.0, true, body.expected_version).await?))
    }

    /// Restore a removed catalogue item
    #[oai(path = "/disclosure-items/:item_id/restore", method = "post", operation_id = "restore_disclosure_item")]
    async fn restore(
        &self,
        state: Data<&AppState>,
        auth: SessionAuth,
        item_id: Path<Uuid>,
        body: Json<ItemVersionInput>,
    ) -> Result<Json<DisclosureItem>, ApiError> {
        Ok(Json(service::set_removed(&state, &auth.actor()?, item_id.0, false, body.expected_version).await?))
    }

    /// An item's history
    ///
    /// Every version, newest first, with what changed field by field.
    #[oai(path = "/disclosure-items/:item_id/history", method = "get", operation_id = "get_disclosure_item_history")]
    async fn history(
        &self,
        state: Data<&AppState>,
        auth: MaybeSession,
        item_id: Path<Uuid>,
    ) -> Result<Json<ItemHistory>, ApiError> {
        Ok(Json(service::history(&state, &auth.actor()?, item_id.0).await?))
    }

    /// Reports on an item
    ///
    /// How many are open and answered, and the answered ones with their answers.
    #[oai(path = "/disclosure-items/:item_id/reports", method = "get", operation_id = "list_disclosure_item_reports")]
    async fn item_reports(
        &self,
        state: Data<&AppState>,
        item_id: Path<Uuid>,
    ) -> Result<Json<PublicDisclosureReportList>, ApiError> {
        Ok(Json(reports::public(&state, item_id.0).await?))
    }

    /// Report an item
    ///
    /// As missing, outdated or not honoured; anyone, limited per client address. The
    /// contact is seen by the agency only.
    #[oai(path = "/disclosure-items/:item_id/reports", method = "post", operation_id = "report_disclosure_item")]
    async fn report(
        &self,
        state: Data<&AppState>,
        req: &Request,
        auth: MaybeSession,
        item_id: Path<Uuid>,
        body: Json<DisclosureReportInput>,
    ) -> Result<ReportReceived, ApiError> {
        let actor = auth.actor()?;
        let draft =
            ReportDraft::parse(body.kind, body.body.as_deref(), body.contact.as_deref()).map_err(AppError::Invalid)?;
        let address = client_address(req, &state);
        Ok(ReportReceived::Created(Json(reports::submit(&state, &actor, item_id.0, draft, address).await?)))
    }

    /// Reports to answer
    ///
    /// Staff: the reports on their agency's items, newest first.
    #[oai(path = "/disclosure-reports", method = "get", operation_id = "list_disclosure_reports")]
    async fn staff_reports(
        &self,
        state: Data<&AppState>,
        auth: SessionAuth,
        agency_id: Query<Option<Uuid>>,
        status: Query<Option<ReportStatus>>,
        #[oai(validator(minimum(value = "1"), maximum(value = "100000")))] page: Query<Option<u64>>,
        #[oai(validator(minimum(value = "1"), maximum(value = "100")))] per_page: Query<Option<u64>>,
    ) -> Result<Json<DisclosureReportPage>, ApiError> {
        let page = PageRequest::new(page.0, per_page.0);
        let found = reports::for_staff(&state, &auth.actor()?, agency_id.0, status.0, page).await?;
        let (items, meta) = items_and_meta(found, |r| r);
        Ok(Json(DisclosureReportPage { items, meta }))
    }

    /// Answer a report
    ///
    /// Staff of the item's agency; the answer is public. Answering twice answers 409
    /// `already_answered`.
    #[oai(path = "/disclosure-reports/:report_id/answer", method = "post", operation_id = "answer_disclosure_report")]
    async fn answer(
        &self,
        state: Data<&AppState>,
        auth: SessionAuth,
        report_id: Path<Uuid>,
        body: Json<DisclosureAnswerInput>,
    ) -> Result<Json<DisclosureReportReceipt>, ApiError> {
        Ok(Json(reports::answer(&state, &auth.actor()?, report_id.0, body.answer.as_deref()).await?))
    }

    /// Import a catalogue
    ///
    /// Staff upload their agency's catalogue (XLSX, or CSV in UTF-8 or GB18030) with a header
    /// row; each row is checked and the answer reports every row. `all_or_nothing` (the
    /// default) writes nothing unless every row is accepted (422 with the report otherwise);
    /// `valid_rows` writes the accepted ones. `dry_run` writes nothing. Items of the
    /// catalogue that the file does not name are kept. The answer is the per-row report;
    /// `applied` says whether anything was written (false for a preview, and for an
    /// all-or-nothing file with refused rows). A file that cannot be read at all, or lacks
    /// required columns, answers 422.
    #[oai(path = "/disclosure-imports", method = "post", operation_id = "import_disclosure_catalogue")]
    async fn import(
        &self,
        state: Data<&AppState>,
        auth: SessionAuth,
        agency_id: Query<Option<Uuid>>,
        mode: Query<Option<ImportMode>>,
        dry_run: Query<Option<bool>>,
        form: ImportForm,
    ) -> Result<Json<ImportReport>, ApiError> {
        let actor = auth.actor()?;
        let bytes = form.file.into_vec().await.map_err(|e| AppError::Internal(e.into()))?;
        let req = ImportRequest {
            agency: agency_id.0,
            mode: mode.0.unwrap_or(ImportMode::AllOrNothing),
            dry_run: dry_run.0.unwrap_or(false),
        };
        Ok(Json(importer::import(&state, &actor, req, bytes).await?))
    }

    /// Export the catalogue (CSV)
    ///
    /// The live items, in the import layout: importing the file back changes nothing.
    #[oai(path = "/disclosure-catalogue.csv", method = "get", operation_id = "export_disclosure_catalogue_csv")]
    async fn export_csv(
        &self,
        state: Data<&AppState>,
        agency_id: Query<Option<Uuid>>,
        policy_area_id: Query<Option<Uuid>>,
    ) -> Result<CatalogueCsv, ApiError> {
        let rows = service::export_rows(&state, &catalogue_filter(agency_id.0, policy_area_id.0)).await?;
        let name = "disclosure-catalogue.csv";
        Ok(CatalogueCsv::Ok(Binary(sheet::write_csv(rows.into_iter())), format!("attachment; filename=\"{name}\"")))
    }

    /// Export the catalogue (XLSX)
    #[oai(path = "/disclosure-catalogue.xlsx", method = "get", operation_id = "export_disclosure_catalogue_xlsx")]
    async fn export_xlsx(
        &self,
        state: Data<&AppState>,
        agency_id: Query<Option<Uuid>>,
        policy_area_id: Query<Option<Uuid>>,
    ) -> Result<CatalogueXlsx, ApiError> {
        let rows = service::export_rows(&state, &catalogue_filter(agency_id.0, policy_area_id.0)).await?;
        let bytes =
            sheet::write_xlsx(rows.into_iter()).map_err(|e| AppError::Internal(anyhow::anyhow!("xlsx: {e}")))?;
        let name = "disclosure-catalogue.xlsx";
        Ok(CatalogueXlsx::Ok(Binary(bytes), format!("attachment; filename=\"{name}\"")))
    }

    /// Disclosure channels
    ///
    /// The channels items may name, as the platform admin keeps them.
    #[oai(path = "/disclosure-channels", method = "get", operation_id = "list_disclosure_channels")]
    async fn channels(&self, state: Data<&AppState>) -> Result<Json<DisclosureChannelList>, ApiError> {
        let items = service::channels(&state).await?.into_iter().map(|name| DisclosureChannel { name }).collect();
        Ok(Json(DisclosureChannelList { items }))
    }

    /// Add a disclosure channel
    ///
    /// The platform admin.
    #[oai(path = "/disclosure-channels", method = "post", operation_id = "add_disclosure_channel")]
    async fn add_channel(
        &self,
        state: Data<&AppState>,
        auth: SessionAuth,
        body: Json<DisclosureChannelInput>,
    ) -> Result<Json<DisclosureChannelList>, ApiError> {
        let items = service::add_channel(&state, &auth.actor()?, &body.name)
            .await?
            .into_iter()
            .map(|name| DisclosureChannel { name })
            .collect();
        Ok(Json(DisclosureChannelList { items }))
    }

    /// Catalogue coverage
    ///
    /// The platform admin: per agency and policy area, the items and the last change;
    /// agencies without a catalogue first.
    #[oai(path = "/disclosure-coverage", method = "get", operation_id = "get_disclosure_coverage")]
    async fn coverage(&self, state: Data<&AppState>, auth: SessionAuth) -> Result<Json<Coverage>, ApiError> {
        Ok(Json(service::coverage(&state, &auth.actor()?).await?))
    }
}
