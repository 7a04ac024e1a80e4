//! The integration tests: one binary, each test against a real server on a random port with
//! a fresh database — SQLite by default, PostgreSQL when `WENJI_TEST_POSTGRES_URL` is set.

mod helpers;

mod accounts;
mod agencies;
mod attachments;
mod authz_matrix;
mod backup;
mod cli;
mod comments;
mod concurrency;
mod cookie_session;
mod crash;
mod database;
mod decisions;
mod demo;
mod disclosure;
mod errors;
mod feedback;
mod flood;
mod follows;
mod group_commit;
mod head;
mod hostile;
mod leaks;
mod lifecycle;
mod meetings;
mod nodes;
mod open_days;
mod ops;
mod outbox;
mod policy_areas;
mod proxy;
mod receipt_keys;
mod statistics;
mod throttling;
