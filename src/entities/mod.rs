//! sea-orm entities, one file per table. Plain data: rules live in the domain folders.

pub mod accounts;
pub mod agencies;
pub mod policy_areas;
pub mod sessions;
pub mod sign_in_throttle;
