//! Agencies, policy areas, accounts, sessions and sign-in throttling.
//!
//! Storage conventions shared by every table (decided once, see README "Storage"):
//! ids are UUIDv7 (native `uuid` on PostgreSQL, 16-byte BLOB on SQLite; both sort by
//! creation time); timestamps are UTC (`timestamptz` on PostgreSQL, RFC 3339 text with a
//! `+00:00` suffix on SQLite, which sorts lexicographically in time order).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Agencies {
    Table,
    Id,
    ParentId,
    Name,
    Kind,
    SortOrder,
    CreatedAt,
}

#[derive(DeriveIden)]
enum PolicyAreas {
    Table,
    Id,
    Code,
    Name,
    NameEn,
    SortOrder,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Accounts {
    Table,
    Id,
    Email,
    DisplayName,
    PasswordHash,
    Role,
    AgencyId,
    CreatedAt,
    DisabledAt,
}

#[derive(DeriveIden)]
enum Sessions {
    Table,
    Id,
    AccountId,
    TokenHash,
    CreatedAt,
    LastSeenAt,
    ExpiresAt,
    RevokedAt,
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
                    .table(Agencies::Table)
                    .col(uuid(Agencies::Id).primary_key())
                    .col(uuid_null(Agencies::ParentId))
                    .col(string_len_uniq(Agencies::Name, 200))
                    .col(string_len(Agencies::Kind, 32))
                    .col(integer(Agencies::SortOrder).default(0))
                    .col(timestamp_with_time_zone(Agencies::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_agencies_parent")
                            .from(Agencies::Table, Agencies::ParentId)
                            .to(Agencies::Table, Agencies::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create().name("idx_agencies_parent").table(Agencies::Table).col(Agencies::ParentId).to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(PolicyAreas::Table)
                    .col(uuid(PolicyAreas::Id).primary_key())
                    .col(string_len_uniq(PolicyAreas::Code, 64))
                    .col(string_len_uniq(PolicyAreas::Name, 100))
                    .col(string_len(PolicyAreas::NameEn, 200))
                    .col(integer(PolicyAreas::SortOrder).default(0))
                    .col(timestamp_with_time_zone(PolicyAreas::CreatedAt))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Accounts::Table)
                    .col(uuid(Accounts::Id).primary_key())
                    .col(string_len_uniq(Accounts::Email, 254))
                    .col(string_len(Accounts::DisplayName, 100))
                    .col(string_len(Accounts::PasswordHash, 200))
                    .col(string_len(Accounts::Role, 32))
                    .col(uuid_null(Accounts::AgencyId))
                    .col(timestamp_with_time_zone(Accounts::CreatedAt))
                    .col(timestamp_with_time_zone_null(Accounts::DisabledAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_accounts_agency")
                            .from(Accounts::Table, Accounts::AgencyId)
                            .to(Agencies::Table, Agencies::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create().name("idx_accounts_agency").table(Accounts::Table).col(Accounts::AgencyId).to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Sessions::Table)
                    .col(uuid(Sessions::Id).primary_key())
                    .col(uuid(Sessions::AccountId))
                    .col(string_len_uniq(Sessions::TokenHash, 64))
                    .col(timestamp_with_time_zone(Sessions::CreatedAt))
                    .col(timestamp_with_time_zone(Sessions::LastSeenAt))
                    .col(timestamp_with_time_zone(Sessions::ExpiresAt))
                    .col(timestamp_with_time_zone_null(Sessions::RevokedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_sessions_account")
                            .from(Sessions::Table, Sessions::AccountId)
                            .to(Accounts::Table, Accounts::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create().name("idx_sessions_account").table(Sessions::Table).col(Sessions::AccountId).to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(SignInThrottle::Table)
                    .col(string_len(SignInThrottle::Key, 300).primary_key())
                    .col(timestamp_with_time_zone(SignInThrottle::WindowStartedAt))
                    .col(integer(SignInThrottle::Failures))
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            SignInThrottle::Table.into_iden(),
            Sessions::Table.into_iden(),
            Accounts::Table.into_iden(),
            PolicyAreas::Table.into_iden(),
            Agencies::Table.into_iden(),
        ] {
            manager.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}
