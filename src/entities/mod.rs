//! sea-orm entities, one file per table. Plain data: rules live in the domain folders.

pub mod accounts;
pub mod agencies;
pub mod attachments;
pub mod audit_log;
pub mod comment_buckets;
pub mod comment_counts;
pub mod comment_feedback;
pub mod comments;
pub mod consultation_extensions;
pub mod consultations;
pub mod decision_search_terms;
pub mod decisions;
pub mod draft_versions;
pub mod duplicate_groups;
pub mod feedback_reports;
pub mod outbox;
pub mod policy_areas;
pub mod rate_limits;
pub mod sections;
pub mod server_keys;
pub mod sessions;
pub mod viewpoints;
