//! The disclosure standard catalogue (政务公开事项标准目录): each agency's items with their
//! change history, the channels the platform admin keeps, the terms Chinese search finds
//! items by, and the public's reports on items (missing, outdated, not honoured).
//!
//! An item is known by its agency and its key (policy area, item and sub-item, folded), so
//! that importing the same spreadsheet twice finds the same rows. Report counts live on the
//! item's row and move only in the transaction that changes a report.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum DisclosureChannels {
    Table,
    Name,
    Position,
    CreatedAt,
}

#[derive(DeriveIden)]
enum DisclosureItems {
    Table,
    Id,
    AgencyId,
    PolicyAreaId,
    ItemKey,
    Item,
    SubItem,
    Basis,
    Content,
    ResponsibleBody,
    TimeLimit,
    TimeLimitDays,
    TimeLimitWorkingDays,
    Channels,
    Attribute,
    Audience,
    Level,
    OpenReports,
    AnsweredReports,
    Version,
    RemovedAt,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum DisclosureItemChanges {
    Table,
    ItemId,
    Version,
    Kind,
    ChangedBy,
    ChangedAt,
    Changes,
}

#[derive(DeriveIden)]
enum DisclosureSearchTerms {
    Table,
    Term,
    ItemId,
}

#[derive(DeriveIden)]
enum DisclosureReports {
    Table,
    Id,
    ItemId,
    AgencyId,
    Kind,
    Body,
    Contact,
    Status,
    Answer,
    AnsweredBy,
    AnsweredAt,
    AccountId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Agencies {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum PolicyAreas {
    Table,
    Id,
}

/// The channels most catalogues name (the source documents' list), in their usual order.
const CHANNELS: [&str; 10] = [
    "政府网站",
    "政务新媒体",
    "政务服务中心",
    "公开查阅点",
    "便民服务站",
    "公示栏",
    "广播电视",
    "报刊",
    "精准推送",
    "其他",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(DisclosureChannels::Table)
                    .col(string_len(DisclosureChannels::Name, 40).primary_key())
                    .col(integer(DisclosureChannels::Position))
                    .col(timestamp_with_time_zone(DisclosureChannels::CreatedAt))
                    .to_owned(),
            )
            .await?;
        let mut insert = Query::insert();
        insert.into_table(DisclosureChannels::Table).columns([
            DisclosureChannels::Name,
            DisclosureChannels::Position,
            DisclosureChannels::CreatedAt,
        ]);
        for (i, name) in CHANNELS.iter().enumerate() {
            insert.values_panic([(*name).into(), (i as i32).into(), Expr::current_timestamp()]);
        }
        manager.exec_stmt(insert).await?;

        manager
            .create_table(
                Table::create()
                    .table(DisclosureItems::Table)
                    .col(uuid(DisclosureItems::Id).primary_key())
                    .col(uuid(DisclosureItems::AgencyId))
                    .col(uuid(DisclosureItems::PolicyAreaId))
                    .col(string_len(DisclosureItems::ItemKey, 400))
                    .col(string_len(DisclosureItems::Item, 200))
                    .col(string_len(DisclosureItems::SubItem, 200))
                    .col(text(DisclosureItems::Basis))
                    .col(text(DisclosureItems::Content))
                    .col(string_len(DisclosureItems::ResponsibleBody, 200))
                    .col(string_len(DisclosureItems::TimeLimit, 200))
                    .col(integer_null(DisclosureItems::TimeLimitDays))
                    .col(boolean(DisclosureItems::TimeLimitWorkingDays))
                    .col(text(DisclosureItems::Channels))
                    .col(string_len(DisclosureItems::Attribute, 16))
                    .col(string_len(DisclosureItems::Audience, 16))
                    .col(string_len(DisclosureItems::Level, 16))
                    .col(integer(DisclosureItems::OpenReports).default(0))
                    .col(integer(DisclosureItems::AnsweredReports).default(0))
                    .col(integer(DisclosureItems::Version))
                    .col(timestamp_with_time_zone_null(DisclosureItems::RemovedAt))
                    .col(timestamp_with_time_zone(DisclosureItems::CreatedAt))
                    .col(timestamp_with_time_zone(DisclosureItems::UpdatedAt))
                    .check(Expr::col(DisclosureItems::OpenReports).gte(0))
                    .check(Expr::col(DisclosureItems::AnsweredReports).gte(0))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_disclosure_items_agency")
                            .from(DisclosureItems::Table, DisclosureItems::AgencyId)
                            .to(Agencies::Table, Agencies::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_disclosure_items_area")
                            .from(DisclosureItems::Table, DisclosureItems::PolicyAreaId)
                            .to(PolicyAreas::Table, PolicyAreas::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_disclosure_items_key")
                    .table(DisclosureItems::Table)
                    .col(DisclosureItems::AgencyId)
                    .col(DisclosureItems::ItemKey)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_disclosure_items_area")
                    .table(DisclosureItems::Table)
                    .col(DisclosureItems::PolicyAreaId)
                    .col(DisclosureItems::Id)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(DisclosureItemChanges::Table)
                    .col(uuid(DisclosureItemChanges::ItemId))
                    .col(integer(DisclosureItemChanges::Version))
                    .col(string_len(DisclosureItemChanges::Kind, 16))
                    .col(uuid_null(DisclosureItemChanges::ChangedBy))
                    .col(timestamp_with_time_zone(DisclosureItemChanges::ChangedAt))
                    .col(text(DisclosureItemChanges::Changes))
                    .primary_key(Index::create().col(DisclosureItemChanges::ItemId).col(DisclosureItemChanges::Version))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_disclosure_changes_item")
                            .from(DisclosureItemChanges::Table, DisclosureItemChanges::ItemId)
                            .to(DisclosureItems::Table, DisclosureItems::Id),
                    )
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(DisclosureSearchTerms::Table)
                    .col(string_len(DisclosureSearchTerms::Term, 16))
                    .col(uuid(DisclosureSearchTerms::ItemId))
                    .primary_key(Index::create().col(DisclosureSearchTerms::Term).col(DisclosureSearchTerms::ItemId))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_disclosure_terms_item")
                    .table(DisclosureSearchTerms::Table)
                    .col(DisclosureSearchTerms::ItemId)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(DisclosureReports::Table)
                    .col(uuid(DisclosureReports::Id).primary_key())
                    .col(uuid(DisclosureReports::ItemId))
                    .col(uuid(DisclosureReports::AgencyId))
                    .col(string_len(DisclosureReports::Kind, 16))
                    .col(text(DisclosureReports::Body))
                    .col(text_null(DisclosureReports::Contact))
                    .col(string_len(DisclosureReports::Status, 16))
                    .col(text_null(DisclosureReports::Answer))
                    .col(uuid_null(DisclosureReports::AnsweredBy))
                    .col(timestamp_with_time_zone_null(DisclosureReports::AnsweredAt))
                    .col(uuid_null(DisclosureReports::AccountId))
                    .col(timestamp_with_time_zone(DisclosureReports::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_disclosure_reports_item")
                            .from(DisclosureReports::Table, DisclosureReports::ItemId)
                            .to(DisclosureItems::Table, DisclosureItems::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_disclosure_reports_item")
                    .table(DisclosureReports::Table)
                    .col(DisclosureReports::ItemId)
                    .col(DisclosureReports::Id)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_disclosure_reports_agency")
                    .table(DisclosureReports::Table)
                    .col(DisclosureReports::AgencyId)
                    .col(DisclosureReports::Status)
                    .col(DisclosureReports::Id)
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            DisclosureReports::Table.into_iden(),
            DisclosureSearchTerms::Table.into_iden(),
            DisclosureItemChanges::Table.into_iden(),
            DisclosureItems::Table.into_iden(),
            DisclosureChannels::Table.into_iden(),
        ] {
            manager.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}
