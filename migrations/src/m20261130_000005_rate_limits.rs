//! Rate limits get their own table, keyed by purpose: the sign-in throttle table had come to
//! hold comment limits too. Counters are short-lived, so the old rows are not carried over.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum RateLimits {
    Table,
    Key,
    WindowStartedAt,
    Count,
}

#[derive(DeriveIden)]
enum SignInThrottle {
    Table,
    Key,
    WindowStartedAt,
    Failures,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(RateLimits::Table)
                    .col(string_len(RateLimits::Key, 300).primary_key())
                    .col(timestamp_with_time_zone(RateLimits::WindowStartedAt))
                    .col(integer(RateLimits::Count))
                    .to_owned(),
            )
            .await?;
        manager.drop_table(Table::drop().table(SignInThrottle::Table).to_owned()).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(RateLimits::Table).to_owned()).await?;
        manager
            .create_table(
                Table::create()
                    .table(SignInThrottle::Table)
                    .col(string_len(SignInThrottle::Key, 300).primary_key())
                    .col(timestamp_with_time_zone(SignInThrottle::WindowStartedAt))
                    .col(integer(SignInThrottle::Failures))
                    .to_owned(),
            )
            .await
    }
}
