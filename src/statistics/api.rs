//! HTTP handlers of the statistics. Public: every figure is an aggregate of published facts
//! (consultations, maintained counts, published reports), with no personal data.

use poem::web::Data;
use poem_openapi::param::Query;
use poem_openapi::payload::{Binary, Json};
use poem_openapi::{ApiResponse, OpenApi};
use uuid::Uuid;

use super::dto::*;
use super::export::{self, Table};
use super::model::Months;
use super::queries::{self, Filter};
use crate::error::AppError;
use crate::http::ApiTags;
use crate::http::problem::ApiError;
use crate::state::AppState;
use crate::t;

pub struct StatisticsApi;

#[derive(ApiResponse)]
pub enum Csv {
    /// UTF-8 with a byte-order mark (opens in Excel).
    #[oai(status = 200, content_type = "text/csv; charset=utf-8")]
    Ok(Binary<Vec<u8>>, #[oai(header = "Content-Disposition")] String),
}

#[derive(ApiResponse)]
pub enum Xlsx {
    /// An Excel workbook: counts as numbers, rates as percentages.
    #[oai(status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")]
    Ok(Binary<Vec<u8>>, #[oai(header = "Content-Disposition")] String),
}

fn filter(
    agency_id: Option<Uuid>,
    policy_area_id: Option<Uuid>,
    year: Option<i32>,
    from: Option<String>,
    to: Option<String>,
) -> Result<Filter, AppError> {
    let (from, to) = match (year, from, to) {
        (Some(y), None, None) => (Some(format!("{y:04}-01")), Some(format!("{y:04}-12"))),
        (Some(_), _, _) => {
            return Err(AppError::invalid(
                "year",
                "one_of",
                t!("请选择年份，或起止月份，二选一。", "Give a year, or a range of months, not both."),
            ));
        }
        (None, from, to) => (from, to),
    };
    let months = Months::parse(from.as_deref(), to.as_deref()).map_err(|field| {
        AppError::invalid(
            field,
            "invalid_month",
            t!(
                "月份格式为 YYYY-MM，结束月份不早于开始月份。",
                "Months are YYYY-MM, and the last is not before the first."
            ),
        )
    })?;
    Ok(Filter { agency_id, policy_area_id, months })
}

fn csv(name: &str, table: &Table<'_>) -> Csv {
    Csv::Ok(Binary(export::csv(table)), format!("attachment; filename=\"{name}.csv\""))
}

fn xlsx(name: &str, table: &Table<'_>) -> Result<Xlsx, AppError> {
    let bytes = export::xlsx(table, "统计").map_err(|e| anyhow::anyhow!("xlsx: {e}"))?;
    Ok(Xlsx::Ok(Binary(bytes), format!("attachment; filename=\"{name}.xlsx\"")))
}

#[OpenApi(prefix_path = "/statistics", tag = "ApiTags::Statistics")]
impl StatisticsApi {
    /// Figures of consultations and their feedback
    ///
    /// For an agency with its sub-agencies, a policy area, a year or a range of months (the
    /// month a window opened, China time); all published consultations when no filter.
    #[oai(path = "/overview", method = "get", operation_id = "statistics_overview")]
    async fn overview(
        &self,
        state: Data<&AppState>,
        agency_id: Query<Option<Uuid>>,
        policy_area_id: Query<Option<Uuid>>,
        #[oai(validator(minimum(value = "2000"), maximum(value = "2100")))] year: Query<Option<i32>>,
        #[oai(validator(max_length = 7))] from: Query<Option<String>>,
        #[oai(validator(max_length = 7))] to: Query<Option<String>>,
    ) -> Result<Json<StatisticsFigures>, ApiError> {
        let f = filter(agency_id.0, policy_area_id.0, year.0, from.0, to.0)?;
        Ok(Json((&queries::overview(&state, &f).await?).into()))
    }

    /// Agency ranking
    ///
    /// Each agency's own consultations in the filter (sub-agencies have their own rows).
    #[oai(path = "/agencies", method = "get", operation_id = "statistics_by_agency")]
    async fn agencies(
        &self,
        state: Data<&AppState>,
        agency_id: Query<Option<Uuid>>,
        policy_area_id: Query<Option<Uuid>>,
        #[oai(validator(minimum(value = "2000"), maximum(value = "2100")))] year: Query<Option<i32>>,
        #[oai(validator(max_length = 7))] from: Query<Option<String>>,
        #[oai(validator(max_length = 7))] to: Query<Option<String>>,
    ) -> Result<Json<AgencyRanking>, ApiError> {
        let f = filter(agency_id.0, policy_area_id.0, year.0, from.0, to.0)?;
        let rows = queries::ranking(&state, &f).await?;
        let items = rows
            .iter()
            .map(|r| AgencyFigures {
                agency_id: r.agency_id,
                agency_name: r.agency_name.clone(),
                figures: (&r.figures).into(),
            })
            .collect();
        Ok(Json(AgencyRanking { items }))
    }

    /// Monthly series
    #[oai(path = "/monthly", method = "get", operation_id = "statistics_monthly")]
    async fn monthly(
        &self,
        state: Data<&AppState>,
        agency_id: Query<Option<Uuid>>,
        policy_area_id: Query<Option<Uuid>>,
        #[oai(validator(minimum(value = "2000"), maximum(value = "2100")))] year: Query<Option<i32>>,
        #[oai(validator(max_length = 7))] from: Query<Option<String>>,
        #[oai(validator(max_length = 7))] to: Query<Option<String>>,
    ) -> Result<Json<MonthlySeries>, ApiError> {
        let f = filter(agency_id.0, policy_area_id.0, year.0, from.0, to.0)?;
        let rows = queries::monthly(&state, &f).await?;
        let items = rows.iter().map(|(m, fig)| MonthFigures { month: m.clone(), figures: fig.into() }).collect();
        Ok(Json(MonthlySeries { items }))
    }

    /// The agency ranking as CSV
    #[oai(path = "/agencies.csv", method = "get", operation_id = "export_statistics_by_agency_csv")]
    async fn agencies_csv(
        &self,
        state: Data<&AppState>,
        agency_id: Query<Option<Uuid>>,
        policy_area_id: Query<Option<Uuid>>,
        #[oai(validator(minimum(value = "2000"), maximum(value = "2100")))] year: Query<Option<i32>>,
        #[oai(validator(max_length = 7))] from: Query<Option<String>>,
        #[oai(validator(max_length = 7))] to: Query<Option<String>>,
    ) -> Result<Csv, ApiError> {
        let f = filter(agency_id.0, policy_area_id.0, year.0, from.0, to.0)?;
        let rows = queries::ranking(&state, &f).await?;
        let table =
            Table { first: "机关单位", rows: rows.iter().map(|r| (r.agency_name.clone(), &r.figures)).collect() };
        Ok(csv("statistics-agencies", &table))
    }

    /// The agency ranking as an XLSX workbook
    #[oai(path = "/agencies.xlsx", method = "get", operation_id = "export_statistics_by_agency_xlsx")]
    async fn agencies_xlsx(
        &self,
        state: Data<&AppState>,
        agency_id: Query<Option<Uuid>>,
        policy_area_id: Query<Option<Uuid>>,
        #[oai(validator(minimum(value = "2000"), maximum(value = "2100")))] year: Query<Option<i32>>,
        #[oai(validator(max_length = 7))] from: Query<Option<String>>,
        #[oai(validator(max_length = 7))] to: Query<Option<String>>,
    ) -> Result<Xlsx, ApiError> {
        let f = filter(agency_id.0, policy_area_id.0, year.0, from.0, to.0)?;
        let rows = queries::ranking(&state, &f).await?;
        let table =
            Table { first: "机关单位", rows: rows.iter().map(|r| (r.agency_name.clone(), &r.figures)).collect() };
        Ok(xlsx("statistics-agencies", &table)?)
    }

    /// The monthly series as CSV
    #[oai(path = "/monthly.csv", method = "get", operation_id = "export_statistics_monthly_csv")]
    async fn monthly_csv(
        &self,
        state: Data<&AppState>,
        agency_id: Query<Option<Uuid>>,
        policy_area_id: Query<Option<Uuid>>,
        #[oai(validator(minimum(value = "2000"), maximum(value = "2100")))] year: Query<Option<i32>>,
        #[oai(validator(max_length = 7))] from: Query<Option<String>>,
        #[oai(validator(max_length = 7))] to: Query<Option<String>>,
    ) -> Result<Csv, ApiError> {
        let f = filter(agency_id.0, policy_area_id.0, year.0, from.0, to.0)?;
        let rows = queries::monthly(&state, &f).await?;
        let table = Table { first: "月份", rows: rows.iter().map(|(m, fig)| (m.clone(), fig)).collect() };
        Ok(csv("statistics-monthly", &table))
    }

    /// The monthly series as an XLSX workbook
    #[oai(path = "/monthly.xlsx", method = "get", operation_id = "export_statistics_monthly_xlsx")]
    async fn monthly_xlsx(
        &self,
        state: Data<&AppState>,
        agency_id: Query<Option<Uuid>>,
        policy_area_id: Query<Option<Uuid>>,
        #[oai(validator(minimum(value = "2000"), maximum(value = "2100")))] year: Query<Option<i32>>,
        #[oai(validator(max_length = 7))] from: Query<Option<String>>,
        #[oai(validator(max_length = 7))] to: Query<Option<String>>,
    ) -> Result<Xlsx, ApiError> {
        let f = filter(agency_id.0, policy_area_id.0, year.0, from.0, to.0)?;
        let rows = queries::monthly(&state, &f).await?;
        let table = Table { first: "月份", rows: rows.iter().map(|(m, fig)| (m.clone(), fig)).collect() };
        Ok(xlsx("statistics-monthly", &table)?)
    }
}
