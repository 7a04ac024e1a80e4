//! The outbox: e-mails to residents and staff are written to the `outbox` table inside the
//! transaction of the change they tell about (`enqueue`), so a change is never made without
//! its e-mail nor an e-mail sent for a change that was rolled back. Every node delivers
//! what is due (`deliver_due`, from the loop in `app.rs`): it claims a message with one
//! conditioned update, so two nodes never send the same message, and a failed delivery is
//! kept and tried again later, with exponential backoff, up to `model::MAX_ATTEMPTS` times.
//!
//! Rules, without entities: `model.rs`. Queries: `store.rs`. SMTP or the log: `transport.rs`.
//! Use-cases: `service.rs`.

pub mod model;
pub mod service;
pub mod store;
pub mod transport;

pub use model::Message;
pub use service::{deliver_due, enqueue};
