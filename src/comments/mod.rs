//! Comment collection (意见征集): submissions on a draft or one of its articles, receipts,
//! moderation, near-duplicate groups, offline channels and the figures kept as they change.

pub mod api;
pub mod dto;
pub mod model;
pub mod service;
pub mod store;
pub mod views;
