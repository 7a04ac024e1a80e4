//! The agency tree (district government → departments, sub-districts, townships) and staff.

pub mod api;
pub mod model;
pub mod store;
