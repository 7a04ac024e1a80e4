//! Wenji (问计): a public-participation and consultation platform for local governments.

pub mod accounts;
pub mod agencies;
pub mod app;
pub mod audit;
pub mod authz;
pub mod cache;
pub mod calendar;
pub mod cli;
pub mod comments;
pub mod config;
pub mod db;
pub mod decisions;
pub mod demo;
pub mod disclosure;
pub mod entities;
pub mod error;
pub mod feedback;
pub mod follows;
pub mod http;
pub mod i18n;
pub mod kernel;
pub mod meetings;
pub mod open_days;
pub mod outbox;
pub mod policy_areas;
pub mod routes;
pub mod state;
pub mod statistics;
pub mod venues;

pub use app::Application;
pub use config::Config;
