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
    /// Viewpoints, dispositions and feedback reports (采纳情况反馈).
    Feedback,
    /// Statistics across agencies, policy areas and periods (采纳情况统计).
    Statistics,
}
