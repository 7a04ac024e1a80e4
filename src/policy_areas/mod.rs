//! Policy areas (领域): the subjects decisions are filed under and statistics are cut by.

pub mod api;
pub mod dto;
pub mod model;
pub mod service;
pub mod store;
