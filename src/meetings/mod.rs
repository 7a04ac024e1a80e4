//! Open meetings and livestreams (会议开放、网络直播): meetings with their agenda, each item
//! closed, open to attendance, streamed or both; the livestream and its replay cut by item;
//! attendance requests (列席申请).

pub mod api;
pub mod attendance;
pub mod dto;
pub mod model;
pub mod service;
pub mod store;
pub mod views;
