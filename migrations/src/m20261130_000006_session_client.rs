//! Sessions remember the client they were opened from (an address, or an IPv6 /64), so that
//! sign-in throttling can let the owner's known client through when a guesser elsewhere has
//! used up the account's failures.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Sessions {
    Table,
    AccountId,
    ClientKey,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter().table(Sessions::Table).add_column(string_len_null(Sessions::ClientKey, 64)).to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_sessions_account_client")
                    .table(Sessions::Table)
                    .col(Sessions::AccountId)
                    .col(Sessions::ClientKey)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_index(Index::drop().name("idx_sessions_account_client").table(Sessions::Table).to_owned()).await?;
        manager.alter_table(Table::alter().table(Sessions::Table).drop_column(Sessions::ClientKey).to_owned()).await
    }
}
