//! Open government days (政务开放日): agencies invite companies and residents, who register
//! for a place or the waiting list, keep a code with a QR code, cancel with it, and are
//! checked in at the door.

pub mod api;
pub mod dto;
pub mod model;
pub mod registration;
pub mod service;
pub mod store;
