//! The demo district's meetings and open days, scheduled relative to the day the demo is
//! loaded through the same use-cases staff use: an executive meeting in two days with an
//! open, a streamed and a closed item; an enterprise forum streaming live now; a hearing
//! taking attendance requests; two open days with places left, one with registrations.
//!
//! Stream links need their host on `WENJI_EMBED_HOSTS`; the start script allows the public
//! HLS test stream used here. Without it the meetings are scheduled without links.

use chrono::{DateTime, Duration, NaiveTime, TimeZone, Utc};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

use crate::authz::{Actor, Principal, Role};
use crate::entities::{decisions, meetings};
use crate::error::AppResult;
use crate::kernel::time::china;
use crate::meetings::model::{AttendeeCategory, MeetingDraft, MeetingForm, MeetingKind, Openness, StreamState};
use crate::open_days::model::{OpenDayDraft, OpenDayForm, PersonalField, RegistrationForm};
use crate::state::AppState;

/// A public HLS test stream (Mux), for the demo's livestream.
pub const DEMO_STREAM: &str = "https://test-streams.mux.dev/x36xhzz/x36xhzz.m3u8";
const EXECUTIVE: &str = "示范区人民政府第12次常务会议";

/// At `hh:mm` Beijing time, `days` from today.
fn at(days: i64, hh: u32, mm: u32) -> DateTime<Utc> {
    let day = (Utc::now().with_timezone(&china()) + Duration::days(days)).date_naive();
    let local = day.and_time(NaiveTime::from_hms_opt(hh, mm, 0).unwrap_or_default());
    china().from_local_datetime(&local).single().map(|t| t.with_timezone(&Utc)).unwrap_or_else(Utc::now)
}

async fn staff_of(state: &AppState, email: &str) -> AppResult<Actor> {
    let a = crate::accounts::store::find_by_email(state.db.conn(), email)
        .await?
        .ok_or_else(|| crate::error::AppError::Internal(anyhow::anyhow!("demo account {email} is missing")))?;
    Ok(Actor::SignedIn(Principal {
        account_id: a.id,
        session_id: Uuid::nil(),
        role: Role::AgencyStaff,
        agency_id: a.agency_id,
    }))
}

async fn decision_titled(state: &AppState, prefix: &str) -> AppResult<Option<Uuid>> {
    let found = decisions::Entity::find()
        .filter(decisions::Column::Title.starts_with(prefix))
        .filter(decisions::Column::PublishedAt.is_not_null())
        .one(state.db.conn())
        .await?;
    Ok(found.map(|d| d.id))
}

struct Plan<'a> {
    title: &'a str,
    kind: MeetingKind,
    description: &'a str,
    starts: DateTime<Utc>,
    ends: DateTime<Utc>,
    venue: &'a str,
    places: i32,
    agenda: Vec<(&'a str, Option<Uuid>, Openness)>,
}

async fn meeting(state: &AppState, actor: &Actor, p: Plan<'_>) -> AppResult<Uuid> {
    let draft = MeetingDraft::parse(MeetingForm {
        title: p.title,
        kind: p.kind,
        description: Some(p.description),
        starts_at: p.starts,
        ends_at: p.ends,
        venue: p.venue,
        attendance_capacity: Some(p.places),
        attendance_closes_at: None,
        agenda: p.agenda.iter().map(|(t, d, o)| (None, *t, *d, *o)).collect(),
    })?;
    Ok(crate::meetings::service::create(state, actor, None, draft).await?.id)
}

/// Schedules the demo's meetings and open days once; how many events were created.
pub async fn schedule_demo_events(state: &AppState) -> AppResult<usize> {
    let exists = meetings::Entity::find().filter(meetings::Column::Title.eq(EXECUTIVE)).one(state.db.conn()).await?;
    if exists.is_some() {
        return Ok(0);
    }
    let fgw = staff_of(state, "fgw.staff@wenji.demo").await?;
    let zjj = staff_of(state, "zjj.staff@wenji.demo").await?;
    let private_economy = decision_titled(state, "示范区促进民营经济").await?;
    let public_resources = decision_titled(state, "示范区公共资源交易").await?;
    let streams = state.config.embed_hosts.iter().any(|h| DEMO_STREAM.starts_with(&format!("{h}/")));

    let executive = meeting(
        state,
        &fgw,
        Plan {
            title: EXECUTIVE,
            kind: MeetingKind::Executive,
            description: "研究促进民营经济发展和公共资源交易管理有关事项。会议议题 1、2 网络直播并接受公众列席申请。",
            starts: at(2, 9, 30),
            ends: at(2, 11, 30),
            venue: "区政府主楼三层常务会议室",
            places: 20,
            agenda: vec![
                ("审议《示范区促进民营经济发展若干措施》", private_economy, Openness::Both),
                ("听取《公共资源交易管理办法》意见采纳情况汇报", public_resources, Openness::Livestream),
                ("人事任免事项", None, Openness::Closed),
            ],
        },
    )
    .await?;
    let forum = meeting(
        state,
        &fgw,
        Plan {
            title: "民营企业座谈会：优化营商环境",
            kind: MeetingKind::Forum,
            description: "邀请民营企业代表座谈，听取对营商环境的意见建议，全程网络直播。",
            starts: Utc::now() - Duration::minutes(30),
            ends: Utc::now() + Duration::minutes(90),
            venue: "区发展改革委二号会议室",
            places: 0,
            agenda: vec![
                ("企业代表发言", private_economy, Openness::Livestream),
                ("部门回应与交流", None, Openness::Livestream),
            ],
        },
    )
    .await?;
    meeting(
        state,
        &zjj,
        Plan {
            title: "老旧小区改造实施方案听证会",
            kind: MeetingKind::Hearing,
            description: "就 2027 年老旧小区改造实施方案听取居民和相关单位意见。欢迎居民申请列席。",
            starts: at(9, 14, 30),
            ends: at(9, 17, 0),
            venue: "区住房和城乡建设局听证室",
            places: 30,
            agenda: vec![
                ("方案说明", None, Openness::Both),
                ("听证参加人发言", None, Openness::Both),
                ("内部评议", None, Openness::Closed),
            ],
        },
    )
    .await?;
    if streams {
        for id in [executive, forum] {
            crate::meetings::service::set_stream(state, &fgw, id, None, None, Some(DEMO_STREAM)).await?;
        }
        crate::meetings::service::move_stream(state, &fgw, forum, StreamState::Live).await?;
    }
    let request = crate::meetings::attendance::RequestForm::parse(
        "赵敏",
        AttendeeCategory::Company,
        Some("示范区中小企业协会"),
        "协会会员企业关注民营经济措施，希望列席旁听。",
        Some("13700000011"),
        None,
    )?;
    crate::meetings::attendance::apply(state, &Actor::Anonymous, executive, request, None).await?;

    let service_centre = open_day(
        state,
        &fgw,
        OpenDayForm {
            title: "政务开放日：走进区政务服务中心",
            description: Some("参观政务服务中心，体验“一网通办”“高效办成一件事”，与窗口工作人员面对面交流。"),
            venue: "区政务服务中心一楼大厅",
            starts_at: at(6, 9, 0),
            ends_at: at(6, 11, 30),
            capacity: 40,
            registration_opens_at: Utc::now() - Duration::days(1),
            registration_closes_at: at(5, 17, 0),
            eligibility: Some("本区居民、企业代表均可报名，每人限报一次。"),
            required_fields: vec![PersonalField::Phone],
        },
    )
    .await?;
    for (name, phone) in [("王丽", "13800000021"), ("陈强", "13800000022"), ("周晓", "13800000023")] {
        let form = RegistrationForm::parse(name, Some(phone), None, None, None)?;
        crate::open_days::registration::register(state, &Actor::Anonymous, service_centre, form, None).await?;
    }
    open_day(
        state,
        &zjj,
        OpenDayForm {
            title: "政务开放日：走进城市更新项目现场",
            description: Some("实地了解滨江片区城市更新项目的规划、施工与安全管理。"),
            venue: "滨江片区城市更新项目现场",
            starts_at: at(13, 14, 0),
            ends_at: at(13, 16, 30),
            capacity: 25,
            registration_opens_at: Utc::now() - Duration::hours(1),
            registration_closes_at: at(11, 17, 0),
            eligibility: Some("年满 18 周岁；施工现场需核验身份，请如实填写身份证号。"),
            required_fields: vec![PersonalField::Phone, PersonalField::IdNumber],
        },
    )
    .await?;
    Ok(5)
}

async fn open_day(state: &AppState, actor: &Actor, form: OpenDayForm<'_>) -> AppResult<Uuid> {
    let draft = OpenDayDraft::parse(form)?;
    Ok(crate::open_days::service::create(state, actor, None, draft).await?.id)
}
