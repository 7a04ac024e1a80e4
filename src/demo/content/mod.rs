//! The demo district's words: decisions with their drafts, and what people said about them.
//! Realistic, but invented: any likeness to a real place's documents is of form only.

mod closed;
mod drafts;
mod open;

use super::plan::DemoDecision;
use crate::comments::model::Category;

/// Every demo decision, in the order they were published (the oldest first), so that the
/// newest sorts first in every list, as it would have.
pub fn decisions() -> Vec<&'static DemoDecision> {
    vec![
        &closed::DECIDED_RENTAL_HOUSING,
        &closed::CLOSED_RIVERSIDE_PLAN,
        &closed::CLOSED_PUBLIC_RESOURCES,
        &drafts::WITHDRAWN_WATER_PRICE,
        &open::CLOSING_OLD_COMPOUNDS,
        &open::EXTENDED_GAS_SAFETY,
        &open::OPEN_ELDERLY_CARE_PLAN,
        &open::PREMODERATED_PRIVATE_ECONOMY,
        &open::SHORT_WINTER_RELIEF,
        &open::SIGN_IN_SCHOOL_ADMISSION,
        &open::SCHEDULED_CULTURE,
        &drafts::DRAFT_DIGITAL_PARK,
        &drafts::DRAFT_LIFTS,
        &drafts::PLANNED_INVESTMENT,
    ]
}

/// How ordinary comments begin: who is speaking (category, opening words, public name).
pub const OPENERS: &[(Category, &str, &str)] = &[
    (Category::Individual, "我是城关街道的居民，", "城关街道居民"),
    (Category::Individual, "作为一名退休教师，", "退休教师周老师"),
    (Category::Individual, "", "王先生"),
    (Category::Individual, "看了征求意见稿，", "李女士"),
    (Category::Individual, "我家住滨江街道，", "滨江街道居民"),
    (Category::Individual, "本人在社区工作多年，", "社区工作者"),
    (Category::Individual, "", ""),
    (Category::Individual, "我在示范区工作但户籍在外地，", "新市民小赵"),
    (Category::Individual, "家里有老人需要照顾，", "陈女士"),
    (Category::Individual, "", "青山镇村民"),
    (Category::Company, "我公司在示范区经营多年，", "示范区恒通物流有限公司"),
    (Category::Company, "作为辖区内的中小企业，", "某科技有限公司"),
    (Category::Organisation, "经协会会员讨论，", "城关街道老年协会"),
    (Category::Organisation, "我们业主委员会讨论后认为，", "滨江花园业主委员会"),
    (Category::Expert, "从规划和法律实务的角度看，", "某高校公共管理学院教师"),
    (Category::Other, "", "热心市民"),
];

/// Public names under a campaign's comments.
pub const CAMPAIGN_NAMES: &[&str] = &[
    "滨江花园业主",
    "江畔小区居民",
    "滨江街道居民",
    "晨练的市民",
    "带孩子散步的家长",
    "滨江公园附近居民",
    "老居民",
    "滨江花园三期业主",
];
