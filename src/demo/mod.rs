//! `wenji demo-data`: a small but realistic district, in Chinese. Idempotent: what exists
//! already (matched by name, code, e-mail or title) is left as it is.
//!
//! Two parts: `load`, the base (agencies, policy areas, accounts) that the integration tests
//! build on, and `load_district`, the living district (decisions in every state of their life
//! cycle, with comments, counts and attachments) that `wenji demo-data` adds after the base.

use std::collections::HashMap;

use uuid::Uuid;

use crate::accounts::service::{NewAccountInput, create_account};
use crate::accounts::store as accounts;
use crate::agencies::model::{AgencyKind, NewAgency};
use crate::agencies::store as agencies;
use crate::authz::Role;
use crate::db::Db;
use crate::error::{AppError, AppResult};
use crate::policy_areas::model::NewPolicyArea;
use crate::policy_areas::store as policy_areas;

mod catalogue;
mod comments;
mod content;
mod district;
mod events;
mod feedback;
mod follows;
mod plan;

pub use catalogue::{load_demo_catalogue, rows as demo_catalogue_rows};
pub use district::{DistrictReport, load_district};
pub use events::{DEMO_STREAM, schedule_demo_events};
pub use feedback::publish_demo_report;
pub use follows::follow_demo_decisions;

/// The password of every demo account (listed in the README; for demos only).
pub const DEMO_PASSWORD: &str = "wenji-demo-2026";

/// (name, kind, parent name)
const AGENCIES: &[(&str, AgencyKind, Option<&str>)] = &[
    ("示范区人民政府", AgencyKind::District, None),
    ("示范区人民政府办公室", AgencyKind::Department, Some("示范区人民政府")),
    ("示范区发展和改革委员会", AgencyKind::Department, Some("示范区人民政府")),
    ("示范区教育局", AgencyKind::Department, Some("示范区人民政府")),
    ("示范区财政局", AgencyKind::Department, Some("示范区人民政府")),
    ("示范区住房和城乡建设局", AgencyKind::Department, Some("示范区人民政府")),
    ("示范区生态环境分局", AgencyKind::Department, Some("示范区人民政府")),
    ("示范区民政局", AgencyKind::Department, Some("示范区人民政府")),
    ("示范区卫生健康委员会", AgencyKind::Department, Some("示范区人民政府")),
    ("城关街道办事处", AgencyKind::SubDistrict, Some("示范区人民政府")),
    ("滨江街道办事处", AgencyKind::SubDistrict, Some("示范区人民政府")),
    ("青山镇人民政府", AgencyKind::Township, Some("示范区人民政府")),
];

/// The pilot areas of the 基层政务公开标准化规范化 work, plus a few common ones.
pub const POLICY_AREAS: &[(&str, &str, &str)] = &[
    ("urban_rural_planning", "城乡规划", "Urban and rural planning"),
    ("major_construction_projects", "重大建设项目", "Major construction projects"),
    ("budgets_and_final_accounts", "财政预决算", "Budgets and final accounts"),
    ("tax_administration", "税收管理", "Tax administration"),
    ("environmental_protection", "环境保护", "Environmental protection"),
    ("food_and_drug_regulation", "食品药品监管", "Food and drug regulation"),
    ("work_safety", "安全生产", "Work safety"),
    ("public_cultural_services", "公共文化服务", "Public cultural services"),
    ("public_legal_services", "公共法律服务", "Public legal services"),
    ("public_resource_trading", "公共资源交易", "Public resource trading"),
    ("land_expropriation_compensation", "征地补偿", "Land expropriation compensation"),
    ("demolition_and_resettlement", "拆迁安置", "Demolition and resettlement"),
    ("affordable_housing", "保障性住房", "Affordable housing"),
    ("rural_dilapidated_housing", "农村危房改造", "Rural dilapidated housing renovation"),
    ("disaster_relief", "救灾", "Disaster relief"),
    ("urban_law_enforcement", "城市综合执法", "Comprehensive urban law enforcement"),
    ("employment_and_entrepreneurship", "就业创业", "Employment and entrepreneurship"),
    ("social_insurance", "社会保险", "Social insurance"),
    ("social_assistance", "社会救助", "Social assistance"),
    ("elderly_care", "养老服务", "Elderly care services"),
    ("household_registration", "户籍管理", "Household registration"),
    ("agricultural_subsidies", "涉农补贴", "Agricultural subsidies"),
    ("compulsory_education", "义务教育", "Compulsory education"),
    ("medical_and_health", "医疗卫生", "Medical and health services"),
    ("municipal_services", "市政服务", "Municipal services"),
];

/// (e-mail, display name, role, agency name)
pub const ACCOUNTS: &[(&str, &str, Role, Option<&str>)] = &[
    ("admin@wenji.demo", "区政务公开办", Role::PlatformAdmin, None),
    ("fgw.admin@wenji.demo", "发改委管理员", Role::AgencyAdmin, Some("示范区发展和改革委员会")),
    ("fgw.staff@wenji.demo", "发改委 李明", Role::AgencyStaff, Some("示范区发展和改革委员会")),
    ("zjj.admin@wenji.demo", "住建局管理员", Role::AgencyAdmin, Some("示范区住房和城乡建设局")),
    ("zjj.staff@wenji.demo", "住建局 王芳", Role::AgencyStaff, Some("示范区住房和城乡建设局")),
    ("zhang.wei@wenji.demo", "张伟", Role::Resident, None),
    ("liu.yang@wenji.demo", "刘洋", Role::Resident, None),
    ("chen.jing@wenji.demo", "陈静", Role::Resident, None),
];

#[derive(Debug, Default, PartialEq, Eq)]
pub struct DemoReport {
    pub agencies_created: usize,
    pub policy_areas_created: usize,
    pub accounts_created: usize,
}

pub async fn load(db: &Db) -> AppResult<DemoReport> {
    let mut report = DemoReport::default();

    let mut by_name: HashMap<String, Uuid> =
        agencies::all(db.conn()).await?.into_iter().map(|a| (a.name, a.id)).collect();
    for (i, (name, kind, parent)) in AGENCIES.iter().enumerate() {
        if by_name.contains_key(*name) {
            continue;
        }
        let parent_id = parent.and_then(|p| by_name.get(p).copied());
        let new = NewAgency::parse(name, *kind, parent_id, Some(i as i32)).map_err(AppError::Invalid)?;
        let created = agencies::insert(db.conn(), new).await?;
        by_name.insert(created.name.clone(), created.id);
        report.agencies_created += 1;
    }

    let existing: Vec<String> = policy_areas::all(db.conn()).await?.into_iter().map(|p| p.code).collect();
    for (i, (code, name, name_en)) in POLICY_AREAS.iter().enumerate() {
        if existing.iter().any(|c| c == code) {
            continue;
        }
        let new = NewPolicyArea::parse(code, name, name_en, Some(i as i32)).map_err(AppError::Invalid)?;
        policy_areas::insert(db.conn(), new).await?;
        report.policy_areas_created += 1;
    }

    for (email, display_name, role, agency) in ACCOUNTS {
        if accounts::find_by_email(db.conn(), email).await?.is_some() {
            continue;
        }
        let agency_id = agency.and_then(|a| by_name.get(a).copied());
        let input = NewAccountInput::parse(email, DEMO_PASSWORD, display_name)?;
        create_account(db, input, *role, agency_id).await?;
        report.accounts_created += 1;
    }
    Ok(report)
}
