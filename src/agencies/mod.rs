//! The agency tree (机关单位) and each agency's staff.

pub mod api;
pub mod dto;
pub mod model;
pub mod service;
pub mod store;
