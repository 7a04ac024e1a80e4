//! Adoption statistics (采纳情况统计): figures across agencies (with their sub-agencies),
//! policy areas and periods, an agency ranking and a monthly series, for the annual
//! evaluation (绩效考评). Every figure is an aggregate of public facts: decisions, their
//! maintained comment counts and their published feedback reports — never a scan of comments.

pub mod api;
pub mod dto;
pub mod export;
pub mod model;
pub mod queries;
pub mod store;
