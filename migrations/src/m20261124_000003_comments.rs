//! Comments (意见), their maintained counts, near-duplicate groups and candidate buckets,
//! and server-held keys.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Comments {
    Table,
    Id,
    DecisionId,
    VersionNumber,
    SectionId,
    Body,
    Category,
    DisplayName,
    ContactPhone,
    ContactEmail,
    AccountId,
    Channel,
    ReceivedOn,
    Status,
    HiddenReason,
    ModerationNote,
    TrackingNumber,
    SecretHash,
    IdempotencyKey,
    DuplicateGroupId,
    EnteredBy,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum CommentCounts {
    Table,
    DecisionId,
    Dimension,
    Key,
    Count,
}

#[derive(DeriveIden)]
enum DuplicateGroups {
    Table,
    Id,
    DecisionId,
    FirstCommentId,
    Size,
    CreatedAt,
}

#[derive(DeriveIden)]
enum CommentBuckets {
    Table,
    DecisionId,
    Bucket,
    CommentId,
}

#[derive(DeriveIden)]
enum ServerKeys {
    Table,
    Name,
    Value,
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
                    .table(Comments::Table)
                    .col(uuid(Comments::Id).primary_key())
                    .col(uuid(Comments::DecisionId))
                    .col(integer(Comments::VersionNumber))
                    .col(uuid_null(Comments::SectionId))
                    .col(text(Comments::Body))
                    .col(string_len(Comments::Category, 16))
                    .col(string_len_null(Comments::DisplayName, 100))
                    .col(string_len_null(Comments::ContactPhone, 40))
                    .col(string_len_null(Comments::ContactEmail, 254))
                    .col(uuid_null(Comments::AccountId))
                    .col(string_len(Comments::Channel, 16))
                    .col(string_len(Comments::ReceivedOn, 10))
                    .col(string_len(Comments::Status, 16))
                    .col(string_len_null(Comments::HiddenReason, 16))
                    .col(text_null(Comments::ModerationNote))
                    .col(string_len_uniq(Comments::TrackingNumber, 24))
                    .col(string_len(Comments::SecretHash, 64))
                    .col(string_len_null(Comments::IdempotencyKey, 64))
                    .col(uuid_null(Comments::DuplicateGroupId))
                    .col(uuid_null(Comments::EnteredBy))
                    .col(timestamp_with_time_zone(Comments::CreatedAt))
                    .col(timestamp_with_time_zone(Comments::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_comments_decision")
                            .from(Comments::Table, Comments::DecisionId)
                            .to(Decisions::Table, Decisions::Id),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, cols, unique) in [
            ("idx_comments_decision_status", vec![Comments::DecisionId, Comments::Status, Comments::Id], false),
            ("idx_comments_decision_section", vec![Comments::DecisionId, Comments::SectionId, Comments::Id], false),
            ("idx_comments_account", vec![Comments::AccountId, Comments::Id], false),
            ("idx_comments_group", vec![Comments::DuplicateGroupId], false),
            ("uq_comments_idempotency", vec![Comments::DecisionId, Comments::IdempotencyKey], true),
        ] {
            let mut index = Index::create();
            index.name(name).table(Comments::Table);
            for c in cols {
                index.col(c);
            }
            if unique {
                index.unique();
            }
            manager.create_index(index.to_owned()).await?;
        }

        manager
            .create_table(
                Table::create()
                    .table(CommentCounts::Table)
                    .col(uuid(CommentCounts::DecisionId))
                    .col(string_len(CommentCounts::Dimension, 16))
                    .col(string_len(CommentCounts::Key, 64))
                    .col(big_integer(CommentCounts::Count))
                    .primary_key(
                        Index::create()
                            .col(CommentCounts::DecisionId)
                            .col(CommentCounts::Dimension)
                            .col(CommentCounts::Key),
                    )
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(DuplicateGroups::Table)
                    .col(uuid(DuplicateGroups::Id).primary_key())
                    .col(uuid(DuplicateGroups::DecisionId))
                    .col(uuid(DuplicateGroups::FirstCommentId))
                    .col(integer(DuplicateGroups::Size))
                    .col(timestamp_with_time_zone(DuplicateGroups::CreatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_duplicate_groups_decision")
                    .table(DuplicateGroups::Table)
                    .col(DuplicateGroups::DecisionId)
                    .col(DuplicateGroups::Size)
                    .to_owned(),
            )
            .await?;

        // MinHash band buckets: comments sharing a bucket are candidates for one group.
        manager
            .create_table(
                Table::create()
                    .table(CommentBuckets::Table)
                    .col(uuid(CommentBuckets::DecisionId))
                    .col(big_integer(CommentBuckets::Bucket))
                    .col(uuid(CommentBuckets::CommentId))
                    .primary_key(
                        Index::create()
                            .col(CommentBuckets::DecisionId)
                            .col(CommentBuckets::Bucket)
                            .col(CommentBuckets::CommentId),
                    )
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(ServerKeys::Table)
                    .col(string_len(ServerKeys::Name, 64).primary_key())
                    .col(string_len(ServerKeys::Value, 128))
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            ServerKeys::Table.into_iden(),
            CommentBuckets::Table.into_iden(),
            DuplicateGroups::Table.into_iden(),
            CommentCounts::Table.into_iden(),
            Comments::Table.into_iden(),
        ] {
            manager.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}
