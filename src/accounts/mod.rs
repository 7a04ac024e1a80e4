//! Accounts, sessions and sign-in.

pub mod admin_api;
pub mod api;
pub mod auth;
pub mod dto;
pub mod lifecycle;
pub mod model;
pub mod password;
pub mod service;
pub mod store;
pub mod throttle;
pub mod token;
