//! Residents follow decisions (关注): one row per account and decision. The decision's
//! followers are told by e-mail, through the outbox, when its consultation is extended or
//! closes, when its feedback report is published or corrected, when it is decided and when it
//! is withdrawn. The index by decision serves that fan-out; the key serves "my follows".
//!
//! `follow_reminders` records that followers were reminded, a few days ahead, that a window
//! closes: one row per decision and closing time, so each reminder goes once however many
//! nodes sweep, and an extended window (a new closing time) is reminded of again.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Follows {
    Table,
    AccountId,
    DecisionId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum FollowReminders {
    Table,
    DecisionId,
    ClosesAt,
    SentAt,
}

#[derive(DeriveIden)]
enum Accounts {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Decisions {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Follows::Table)
                    .col(uuid(Follows::AccountId))
                    .col(uuid(Follows::DecisionId))
                    .col(timestamp_with_time_zone(Follows::CreatedAt))
                    .primary_key(Index::create().col(Follows::AccountId).col(Follows::DecisionId))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_follows_account")
                            .from(Follows::Table, Follows::AccountId)
                            .to(Accounts::Table, Accounts::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_follows_decision")
                            .from(Follows::Table, Follows::DecisionId)
                            .to(Decisions::Table, Decisions::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_follows_decision")
                    .table(Follows::Table)
                    .col(Follows::DecisionId)
                    .col(Follows::AccountId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(FollowReminders::Table)
                    .col(uuid(FollowReminders::DecisionId))
                    .col(timestamp_with_time_zone(FollowReminders::ClosesAt))
                    .col(timestamp_with_time_zone(FollowReminders::SentAt))
                    .primary_key(Index::create().col(FollowReminders::DecisionId).col(FollowReminders::ClosesAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_follow_reminders_decision")
                            .from(FollowReminders::Table, FollowReminders::DecisionId)
                            .to(Decisions::Table, Decisions::Id),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(FollowReminders::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(Follows::Table).to_owned()).await
    }
}
