//! The disclosure standard catalogue (政务公开事项标准目录): for each agency, the items it
//! must publish — area, item and sub-item, basis, content, responsible body, time limit,
//! channels, attribute, audience, level — with every change kept, spreadsheet import and
//! export, the public's reports and the agencies' answers, and coverage for the platform.

pub mod api;
pub mod dto;
pub mod import;
pub mod importer;
pub mod model;
pub mod reports;
pub mod service;
pub mod sheet;
pub mod store;
