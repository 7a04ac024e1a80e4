//! Adoption feedback (采纳情况反馈): staff group comments into viewpoints (主要观点), decide
//! for each whether it is adopted and why, and publish a feedback report whose versions are
//! chained by hash; submitters see the answer to their own comment and rate it.

pub mod api;
pub mod dto;
pub mod model;
pub mod queries;
pub mod report;
pub mod service;
pub mod store;
pub mod views;
