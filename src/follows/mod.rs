//! Following decisions (关注): a signed-in resident follows a published decision and is told
//! by e-mail of its next steps — a reminder three days before the window closes (to those
//! who have not commented), the consultation extended or closed, the feedback report
//! published or corrected, the decision taken, or withdrawn — and sees what they follow, with
//! where each stands, on one page. DESIGN.md's role table promised it; it serves 能监督
//! (holding an agency to its report deadline without checking back every day).
//!
//! The e-mails go through the outbox, written in the transaction of the change they tell
//! about (`service::tell_followers`, called by the decision and feedback services), so a
//! follower is told exactly when the change happened. Who follows what is never public: not
//! to the agency, not as a list; the public sees no count either (a count invites gaming and
//! would make the cached public decision change with every follow).
//!
//! Rules and message texts: `model.rs`. Queries: `store.rs`. Use-cases: `service.rs`.
//! Wire shapes: `dto.rs`; operations: `api.rs`.

pub mod api;
pub mod dto;
pub mod model;
pub mod notify;
pub mod service;
pub mod store;
