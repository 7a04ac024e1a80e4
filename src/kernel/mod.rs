//! The shared kernel: pieces every domain needs, each in its own module and owned by none
//! of them. A new domain (adoption feedback, meetings, the disclosure catalogue) takes its
//! client addresses, rate limits, codes, receipts, times, text folding and pages from here.
//!
//! Nothing here imports a domain, a DTO or the HTTP layer.

pub mod client_address;
pub mod codes;
pub mod csv;
pub mod digest;
pub mod fields;
pub mod pagination;
pub mod rate_limit;
pub mod receipts;
pub mod signups;
pub mod text;
pub mod time;
pub mod vocabulary;
