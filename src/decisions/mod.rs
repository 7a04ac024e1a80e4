//! Draft-decision pre-disclosure (决策预公开): decisions, versioned drafts split into
//! sections, consultation windows, the yearly catalogue and the feed.

pub mod api;
pub mod attachments;
pub mod attachments_api;
pub mod diff;
pub mod dto;
pub mod model;
pub mod service;
pub mod splitter;
pub mod store;
pub mod views;
