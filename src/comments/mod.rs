//! Comment collection (意见征集): submissions on a draft or one of its articles, receipts,
//! moderation, near-duplicate groups, offline channels and the figures kept as they change.
//!
//! Handlers: `api.rs`. Use-cases: `service.rs` (changes) and `queries.rs` (reads). Read
//! models: `views.rs`. Queries: `store.rs`. Rules, without entities, DTOs or HTTP: `model.rs`.

pub mod api;
pub mod dto;
pub mod grouping;
pub mod intake;
pub mod model;
pub mod queries;
pub mod service;
pub mod store;
pub mod views;
