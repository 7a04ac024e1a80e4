//! Attachment contents move into the database: every node behind the proxy reads what any
//! node stored (a file under one node's data directory is invisible to the others), and a
//! backup of the database is a backup of the attachments too. Content-addressed: identical
//! uploads share one row. Files written before this migration are adopted at start-up
//! (`decisions::attachments::adopt_files`).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum AttachmentContents {
    Table,
    Sha256,
    Content,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(AttachmentContents::Table)
                    .col(ColumnDef::new(AttachmentContents::Sha256).string_len(64).not_null().primary_key())
                    .col(ColumnDef::new(AttachmentContents::Content).blob().not_null())
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(AttachmentContents::Table).to_owned()).await
    }
}
