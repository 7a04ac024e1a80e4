//! The public list of one article's comments reads its page from an index in id order:
//! `(decision, section, status, id)`, entered at the published ones of that article.

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
}

const NAME: &str = "idx_comments_published_section";

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
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_index(Index::drop().name(NAME).table(Comments::Table).to_owned()).await
    }
}
