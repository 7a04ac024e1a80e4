//! Adoption feedback (采纳情况反馈): viewpoints that group comments, dispositions on a
//! viewpoint or one comment, the submitter's rating of the answer, and the published
//! feedback report versions, chained by hash.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Viewpoints {
    Table,
    Id,
    DecisionId,
    Title,
    Summary,
    Disposition,
    Reason,
    Reply,
    CreatedAt,
    UpdatedAt,
}

/// The feedback side of one comment, kept apart from `comments` so that submitting a
/// comment (the hot path) writes no more than before.
#[derive(DeriveIden)]
enum CommentFeedback {
    Table,
    CommentId,
    DecisionId,
    ViewpointId,
    Disposition,
    Reason,
    Reply,
    Satisfaction,
    Remark,
    RatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Comments {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum FeedbackReports {
    Table,
    Id,
    DecisionId,
    Version,
    Content,
    Hash,
    PreviousHash,
    Note,
    Comments,
    Participants,
    Adopted,
    PartlyAdopted,
    NotAdopted,
    NotApplicable,
    PublishedBy,
    PublishedAt,
}

#[derive(DeriveIden)]
enum Decisions {
    Table,
    Id,
    FeedbackPublishedAt,
    FeedbackVersion,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Viewpoints::Table)
                    .col(uuid(Viewpoints::Id).primary_key())
                    .col(uuid(Viewpoints::DecisionId))
                    .col(string_len(Viewpoints::Title, 200))
                    .col(text(Viewpoints::Summary))
                    .col(string_len_null(Viewpoints::Disposition, 16))
                    .col(text_null(Viewpoints::Reason))
                    .col(text_null(Viewpoints::Reply))
                    .col(timestamp_with_time_zone(Viewpoints::CreatedAt))
                    .col(timestamp_with_time_zone(Viewpoints::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_viewpoints_decision")
                            .from(Viewpoints::Table, Viewpoints::DecisionId)
                            .to(Decisions::Table, Decisions::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_viewpoints_decision")
                    .table(Viewpoints::Table)
                    .col(Viewpoints::DecisionId)
                    .col(Viewpoints::CreatedAt)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(CommentFeedback::Table)
                    .col(uuid(CommentFeedback::CommentId).primary_key())
                    .col(uuid(CommentFeedback::DecisionId))
                    .col(uuid_null(CommentFeedback::ViewpointId))
                    .col(string_len_null(CommentFeedback::Disposition, 16))
                    .col(text_null(CommentFeedback::Reason))
                    .col(text_null(CommentFeedback::Reply))
                    .col(string_len_null(CommentFeedback::Satisfaction, 24))
                    .col(text_null(CommentFeedback::Remark))
                    .col(timestamp_with_time_zone_null(CommentFeedback::RatedAt))
                    .col(timestamp_with_time_zone(CommentFeedback::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_comment_feedback_comment")
                            .from(CommentFeedback::Table, CommentFeedback::CommentId)
                            .to(Comments::Table, Comments::Id),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, cols) in [
            ("idx_comment_feedback_decision", vec![CommentFeedback::DecisionId, CommentFeedback::ViewpointId]),
            ("idx_comment_feedback_viewpoint", vec![CommentFeedback::ViewpointId]),
        ] {
            let mut index = Index::create();
            index.name(name).table(CommentFeedback::Table);
            for c in cols {
                index.col(c);
            }
            manager.create_index(index.to_owned()).await?;
        }

        manager
            .create_table(
                Table::create()
                    .table(FeedbackReports::Table)
                    .col(uuid(FeedbackReports::Id).primary_key())
                    .col(uuid(FeedbackReports::DecisionId))
                    .col(integer(FeedbackReports::Version))
                    .col(text(FeedbackReports::Content))
                    .col(string_len(FeedbackReports::Hash, 64))
                    .col(string_len_null(FeedbackReports::PreviousHash, 64))
                    .col(text_null(FeedbackReports::Note))
                    .col(big_integer(FeedbackReports::Comments))
                    .col(big_integer(FeedbackReports::Participants))
                    .col(big_integer(FeedbackReports::Adopted))
                    .col(big_integer(FeedbackReports::PartlyAdopted))
                    .col(big_integer(FeedbackReports::NotAdopted))
                    .col(big_integer(FeedbackReports::NotApplicable))
                    .col(uuid(FeedbackReports::PublishedBy))
                    .col(timestamp_with_time_zone(FeedbackReports::PublishedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_feedback_reports_decision")
                            .from(FeedbackReports::Table, FeedbackReports::DecisionId)
                            .to(Decisions::Table, Decisions::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_feedback_reports_version")
                    .table(FeedbackReports::Table)
                    .col(FeedbackReports::DecisionId)
                    .col(FeedbackReports::Version)
                    .unique()
                    .to_owned(),
            )
            .await?;

        for column in [
            timestamp_with_time_zone_null(Decisions::FeedbackPublishedAt),
            integer(Decisions::FeedbackVersion).default(0).to_owned(),
        ] {
            let mut column = column;
            manager.alter_table(Table::alter().table(Decisions::Table).add_column(&mut column).to_owned()).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(FeedbackReports::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(CommentFeedback::Table).to_owned()).await?;
        for column in [Decisions::FeedbackPublishedAt, Decisions::FeedbackVersion] {
            manager.alter_table(Table::alter().table(Decisions::Table).drop_column(column).to_owned()).await?;
        }
        manager.drop_table(Table::drop().table(Viewpoints::Table).to_owned()).await
    }
}
