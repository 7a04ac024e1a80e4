//! Draft-decision pre-disclosure (决策预公开): decisions, versioned drafts split into
//! sections, consultation windows, the yearly catalogue and the feed.
//!
//! Handlers: `api.rs`, `attachments_api.rs`. Use-cases: `service.rs` (changes) and
//! `queries.rs` (reads). Read models: `views.rs`. Queries: `store.rs`. Rules, without
//! entities, DTOs or HTTP: `model.rs`, `sections.rs`, `splitter.rs`, `diff.rs`,
//! `attachments.rs`.

pub mod api;
pub mod attachments;
pub mod attachments_api;
pub mod diff;
pub mod dto;
pub mod model;
pub mod queries;
pub mod sections;
pub mod service;
pub mod splitter;
pub mod store;
pub mod views;
