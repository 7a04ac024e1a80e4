//! Schema migrations for Wenji. Append-only: a migration that has shipped is never edited;
//! changes come as new files. Migrations describe tables with sea-query only and never
//! import the service's entity code, so that old migrations keep compiling as entities move on.

pub use sea_orm_migration::prelude::*;

mod m20261124_000001_foundation;
mod m20261124_000002_decisions;
mod m20261124_000003_comments;
mod m20261124_000004_attachments;
mod m20261130_000005_rate_limits;
mod m20261130_000006_session_client;
mod m20261130_000007_account_life_cycle;
mod m20261130_000008_receipt_key_ids;
mod m20261130_000009_feedback;
mod m20261130_000010_outbox;
mod m20261130_000011_meetings;
mod m20261130_000012_comment_pages;
mod m20261130_000013_disclosure;
mod m20261130_000014_attachment_contents;
mod m20261201_000015_follows;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261124_000001_foundation::Migration),
            Box::new(m20261124_000002_decisions::Migration),
            Box::new(m20261124_000003_comments::Migration),
            Box::new(m20261124_000004_attachments::Migration),
            Box::new(m20261130_000005_rate_limits::Migration),
            Box::new(m20261130_000006_session_client::Migration),
            Box::new(m20261130_000007_account_life_cycle::Migration),
            Box::new(m20261130_000008_receipt_key_ids::Migration),
            Box::new(m20261130_000009_feedback::Migration),
            Box::new(m20261130_000010_outbox::Migration),
            Box::new(m20261130_000011_meetings::Migration),
            Box::new(m20261130_000012_comment_pages::Migration),
            Box::new(m20261130_000013_disclosure::Migration),
            Box::new(m20261130_000014_attachment_contents::Migration),
            Box::new(m20261201_000015_follows::Migration),
        ]
    }
}
