//! The public list of one article's comments reads its page from an index in id order:
//! `(decision, section, status, id)`, entered at the published ones of that article. And the
//! idempotency-key index holds only the comments sent with a key: the others (most) no
//! longer pay an index entry each.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Comments {
    Table,
    DecisionId,
    SectionId,
    Status,
    Id,
    IdempotencyKey,
}

const NAME: &str = "idx_comments_published_section";
const IDEMPOTENCY: &str = "uq_comments_idempotency";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_index(
                Index::create()
                    .name(NAME)
                    .table(Comments::Table)
                    .col(Comments::DecisionId)
                    .col(Comments::SectionId)
                    .col(Comments::Status)
                    .col(Comments::Id)
                    .to_owned(),
            )
            .await?;
        // Partial: sea-query's index builder has no WHERE for SQLite, so written out; the
        // same text works on both databases.
        let db = manager.get_connection();
        db.execute_unprepared(
            "CREATE UNIQUE INDEX uq_comments_idempotency_key ON comments (decision_id, idempotency_key) \
                 WHERE idempotency_key IS NOT NULL",
        )
        .await?;
        db.execute_unprepared("DROP INDEX uq_comments_idempotency").await?;
        // PostgreSQL: comments and their bucket entries arrive in bursts; vacuum and analyze
        // them after a few thousand new rows rather than after a fifth of the table, so the
        // planner's estimates never walk a long tail of rows not yet visible to all.
        if manager.get_database_backend() == sea_orm::DbBackend::Postgres {
            for table in ["comments", "comment_buckets"] {
                db.execute_unprepared(&format!(
                    "ALTER TABLE {table} SET (autovacuum_vacuum_insert_threshold = 2000, \
                     autovacuum_vacuum_insert_scale_factor = 0.02, autovacuum_analyze_threshold = 2000, \
                     autovacuum_analyze_scale_factor = 0.02)"
                ))
                .await?;
            }
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.get_connection().execute_unprepared("DROP INDEX uq_comments_idempotency_key").await?;
        manager
            .create_index(
                Index::create()
                    .name(IDEMPOTENCY)
                    .table(Comments::Table)
                    .col(Comments::DecisionId)
                    .col(Comments::IdempotencyKey)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager.drop_index(Index::drop().name(NAME).table(Comments::Table).to_owned()).await
    }
}
