//! The account life cycle: an admin-initiated password reset leaves a one-time code (stored
//! as its SHA-256, with an expiry) that the staff member uses to choose a new password.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Accounts {
    Table,
    ResetCodeHash,
    ResetExpiresAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Accounts::Table)
                    .add_column(string_len_null(Accounts::ResetCodeHash, 64))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Accounts::Table)
                    .add_column(timestamp_with_time_zone_null(Accounts::ResetExpiresAt))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(Table::alter().table(Accounts::Table).drop_column(Accounts::ResetExpiresAt).to_owned())
            .await?;
        manager.alter_table(Table::alter().table(Accounts::Table).drop_column(Accounts::ResetCodeHash).to_owned()).await
    }
}
