//! The demo district's published feedback report: the public-resources consultation (closed
//! 18 days ago) grouped into viewpoints by article, each answered, and the report published
//! through the same use-cases staff use — so the demo shows `feedback_published`, a report
//! whose hash verifies, and answers on the receipts of its comments.

use std::collections::HashMap;

use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use crate::authz::{Actor, Principal, Role};
use crate::comments::model::{CommentStatus, InboxFilter};
use crate::comments::service::Target;
use crate::entities::decisions;
use crate::error::{AppError, AppResult};
use crate::feedback::model::{Answer, Disposition, ViewpointText};
use crate::feedback::service;
use crate::state::AppState;

struct DemoViewpoint {
    title: &'static str,
    summary: &'static str,
    /// Comments on these articles are grouped under it.
    sections: &'static [&'static str],
    disposition: Disposition,
    reason: Option<&'static str>,
    reply: Option<&'static str>,
}

const TITLE: &str = "示范区公共资源交易管理办法（征求意见稿）";

const INTRODUCTION: &str = "本次征求意见期间，通过网上征集、企业座谈会和来信共收到意见建议。我委逐条研究，归纳为以下主要观点，并说明采纳情况和理由。修改后的办法将提请区政府常务会议审议。";

const VIEWPOINTS: &[DemoViewpoint] = &[
    DemoViewpoint {
        title: "明确必须进场交易的限额标准",
        summary: "多位企业代表提出，小额工程是否必须进入平台不明确，建议写明限额。",
        sections: &["第二条"],
        disposition: Disposition::PartlyAdopted,
        reason: Some("进场交易限额按省里统一规定执行，本办法增加引用条款，不另设区级标准。"),
        reply: Some("第二条增加“限额以下项目按省有关规定执行”。"),
    },
    DemoViewpoint {
        title: "电子化交易的兼容与应急处置",
        summary: "建议数字证书互认、写明远程开标网络故障的应急办法。",
        sections: &["第三条"],
        disposition: Disposition::Adopted,
        reason: None,
        reply: Some("第三条增加数字证书互认和远程开标应急处置的规定。"),
    },
    DemoViewpoint {
        title: "扩大交易信息公开范围",
        summary: "建议公开评分情况、验收结果和付款情况。",
        sections: &["第四条"],
        disposition: Disposition::Adopted,
        reason: None,
        reply: Some("第四条增加公开评标结果汇总、合同验收和付款情况。"),
    },
    DemoViewpoint {
        title: "禁止变相地方保护",
        summary: "建议明确禁止要求设立本地分支机构等做法，并建立投诉快速处理机制。",
        sections: &["第五条"],
        disposition: Disposition::Adopted,
        reason: None,
        reply: Some("第五条明确不得要求在本区设立分支机构，投诉处理时限写入第八条。"),
    },
    DemoViewpoint {
        title: "减轻企业保证金负担",
        summary: "建议全面推行电子保函，明确保证金退还时限。",
        sections: &["第六条"],
        disposition: Disposition::PartlyAdopted,
        reason: Some("推行电子保函予以采纳；退还时限上位法已有规定，本办法予以引用，不另作规定。"),
        reply: None,
    },
    DemoViewpoint {
        title: "跨区域抽取评标专家",
        summary: "本地专家数量少，建议扩大到跨区域抽取。",
        sections: &["第七条"],
        disposition: Disposition::NotAdopted,
        reason: Some("评标专家库由省级统一管理，跨区域抽取按省有关规定执行，不属于本办法可以规定的事项。"),
        reply: Some("我们已将该建议报送省公共资源交易管理部门。"),
    },
    DemoViewpoint {
        title: "统一投诉受理窗口",
        summary: "多个部门都能监督，企业投诉时不知道找谁。",
        sections: &["第八条"],
        disposition: Disposition::Adopted,
        reason: None,
        reply: Some("第八条明确由区公共资源交易中心统一受理投诉并转办。"),
    },
];

fn content_error(what: impl std::fmt::Display) -> AppError {
    AppError::Internal(anyhow::anyhow!("demo feedback of 《{TITLE}》: {what}"))
}

/// Publishes the demo report unless it is there already; whether it published one.
pub async fn publish_demo_report(state: &AppState) -> AppResult<bool> {
    let db = state.db.conn();
    let Some(d) = decisions::Entity::find().filter(decisions::Column::Title.eq(TITLE)).one(db).await? else {
        return Ok(false);
    };
    if d.feedback_version > 0 {
        return Ok(false);
    }
    let staff = crate::accounts::store::find_by_email(db, "fgw.staff@wenji.demo")
        .await?
        .ok_or_else(|| content_error("the account fgw.staff@wenji.demo is missing"))?;
    let actor = Actor::SignedIn(Principal {
        account_id: staff.id,
        session_id: uuid::Uuid::nil(),
        role: Role::AgencyStaff,
        agency_id: Some(d.agency_id),
    });
    let consultation =
        crate::decisions::store::consultation(db, d.id).await?.ok_or_else(|| content_error("no consultation"))?;
    let labels = crate::decisions::store::section_labels(db, d.id, consultation.version_number).await?;
    let by_label: HashMap<&str, uuid::Uuid> = labels.iter().map(|(id, l)| (l.as_str(), *id)).collect();
    for v in VIEWPOINTS {
        let text = ViewpointText::parse(v.title, Some(v.summary))?;
        let created = service::create_viewpoint(state, &actor, d.id, text).await?;
        for label in v.sections {
            let section = by_label.get(label).copied().ok_or_else(|| content_error(format!("no article {label}")))?;
            let filter = InboxFilter { section_id: Some(section), ..Default::default() };
            for status in [CommentStatus::Published, CommentStatus::Received] {
                let filter = InboxFilter { status: Some(status), ..filter.clone() };
                service::assign(state, &actor, d.id, Target::Filter(filter), Some(created.id)).await?;
            }
        }
        let answer = Answer::parse(v.disposition, v.reason, v.reply)?;
        service::update_viewpoint(state, &actor, created.id, None, Some(Some(answer))).await?;
    }
    service::publish(state, &actor, d.id, INTRODUCTION.to_string(), None).await?;
    Ok(true)
}
