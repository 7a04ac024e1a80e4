use poem_openapi::Tags;

/// The groups operations are listed under in the spec and the docs page.
#[derive(Tags)]
pub enum ApiTags {
    /// Registration, sign-in and the current account (账号与登录).
    Accounts,
    /// The agency tree and agency staff (机关单位).
    Agencies,
    /// Policy areas (领域).
    PolicyAreas,
    /// Draft decisions, their versions and consultations (决策预公开).
    Decisions,
    /// Comments, receipts and moderation (意见征集).
    Comments,
    /// Following decisions: residents hear of each next step by e-mail (关注).
    Follows,
    /// Viewpoints, dispositions and feedback reports (采纳情况反馈).
    Feedback,
    /// Statistics across agencies, policy areas and periods (采纳情况统计).
    Statistics,
    /// Open meetings, agendas, livestreams and attendance requests (会议开放、网络直播).
    Meetings,
    /// Open government days and registrations (政务开放日).
    OpenDays,
    /// One calendar of meetings and open days, also as iCalendar.
    Calendar,
    /// The disclosure standard catalogue: items, history, import and export, public reports,
    /// coverage (政务公开事项标准目录).
    Disclosure,
}
