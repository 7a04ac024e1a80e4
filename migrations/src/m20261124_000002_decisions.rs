//! Decisions (重大行政决策事项), their immutable draft versions and sections, consultation
//! windows and their extensions, the search index, and the audit log.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Decisions {
    Table,
    Id,
    AgencyId,
    PolicyAreaId,
    Title,
    Summary,
    Basis,
    Explanation,
    CatalogueYear,
    PlannedTiming,
    ListedInCatalogue,
    Status,
    PublishedAt,
    WindowOpensAt,
    WindowClosesAt,
    WithdrawnReason,
    WithdrawnAt,
    FinalVersion,
    Interpretation,
    InterpretationLinks,
    DecidedOn,
    LatestVersion,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum DraftVersions {
    Table,
    Id,
    DecisionId,
    Number,
    Note,
    SectionCount,
    Published,
    CreatedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Sections {
    Table,
    Id,
    VersionId,
    DecisionId,
    Position,
    Kind,
    Number,
    Label,
    Heading,
    Body,
    ParentId,
    Key,
}

#[derive(DeriveIden)]
enum Consultations {
    Table,
    Id,
    DecisionId,
    VersionNumber,
    OpensAt,
    ClosesAt,
    OriginalClosesAt,
    ShortWindowReason,
    AnonymousAllowed,
    CommentsPublic,
    Moderation,
    CreatedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum ConsultationExtensions {
    Table,
    Id,
    ConsultationId,
    PreviousClosesAt,
    NewClosesAt,
    Note,
    CreatedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum DecisionSearchTerms {
    Table,
    DecisionId,
    Term,
}

#[derive(DeriveIden)]
enum AuditLog {
    Table,
    Id,
    ActorId,
    AgencyId,
    EntityType,
    EntityId,
    Action,
    Details,
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

#[derive(DeriveIden)]
enum Accounts {
    Table,
    Id,
}

fn index(name: &str, table: impl IntoIden, cols: &[&'static str]) -> IndexCreateStatement {
    let mut i = Index::create();
    i.name(name).table(table);
    for c in cols {
        i.col(Alias::new(*c));
    }
    i.to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Decisions::Table)
                    .col(uuid(Decisions::Id).primary_key())
                    .col(uuid(Decisions::AgencyId))
                    .col(uuid(Decisions::PolicyAreaId))
                    .col(string_len(Decisions::Title, 300))
                    .col(text(Decisions::Summary))
                    .col(text(Decisions::Basis))
                    .col(text(Decisions::Explanation))
                    .col(integer(Decisions::CatalogueYear))
                    .col(string_len_null(Decisions::PlannedTiming, 100))
                    .col(boolean(Decisions::ListedInCatalogue).default(false))
                    .col(string_len(Decisions::Status, 32))
                    .col(timestamp_with_time_zone_null(Decisions::PublishedAt))
                    .col(timestamp_with_time_zone_null(Decisions::WindowOpensAt))
                    .col(timestamp_with_time_zone_null(Decisions::WindowClosesAt))
                    .col(text_null(Decisions::WithdrawnReason))
                    .col(timestamp_with_time_zone_null(Decisions::WithdrawnAt))
                    .col(integer_null(Decisions::FinalVersion))
                    .col(text_null(Decisions::Interpretation))
                    .col(text_null(Decisions::InterpretationLinks))
                    .col(string_len_null(Decisions::DecidedOn, 10))
                    .col(integer(Decisions::LatestVersion).default(0))
                    .col(uuid(Decisions::CreatedBy))
                    .col(timestamp_with_time_zone(Decisions::CreatedAt))
                    .col(timestamp_with_time_zone(Decisions::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_decisions_agency")
                            .from(Decisions::Table, Decisions::AgencyId)
                            .to(Agencies::Table, Agencies::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_decisions_policy_area")
                            .from(Decisions::Table, Decisions::PolicyAreaId)
                            .to(PolicyAreas::Table, PolicyAreas::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_decisions_creator")
                            .from(Decisions::Table, Decisions::CreatedBy)
                            .to(Accounts::Table, Accounts::Id),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, cols) in [
            ("idx_decisions_agency_year", &["agency_id", "catalogue_year"][..]),
            ("idx_decisions_published", &["published_at", "id"][..]),
            ("idx_decisions_window", &["status", "window_closes_at"][..]),
            ("idx_decisions_area", &["policy_area_id"][..]),
        ] {
            manager.create_index(index(name, Decisions::Table, cols)).await?;
        }

        manager
            .create_table(
                Table::create()
                    .table(DraftVersions::Table)
                    .col(uuid(DraftVersions::Id).primary_key())
                    .col(uuid(DraftVersions::DecisionId))
                    .col(integer(DraftVersions::Number))
                    .col(text(DraftVersions::Note))
                    .col(integer(DraftVersions::SectionCount))
                    .col(boolean(DraftVersions::Published).default(false))
                    .col(uuid(DraftVersions::CreatedBy))
                    .col(timestamp_with_time_zone(DraftVersions::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_versions_decision")
                            .from(DraftVersions::Table, DraftVersions::DecisionId)
                            .to(Decisions::Table, Decisions::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                index("uq_versions_decision_number", DraftVersions::Table, &["decision_id", "number"])
                    .unique()
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Sections::Table)
                    .col(uuid(Sections::Id).primary_key())
                    .col(uuid(Sections::VersionId))
                    .col(uuid(Sections::DecisionId))
                    .col(integer(Sections::Position))
                    .col(string_len(Sections::Kind, 16))
                    .col(integer_null(Sections::Number))
                    .col(string_len(Sections::Label, 32))
                    .col(text(Sections::Heading))
                    .col(text(Sections::Body))
                    .col(uuid_null(Sections::ParentId))
                    .col(string_len(Sections::Key, 300))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_sections_version")
                            .from(Sections::Table, Sections::VersionId)
                            .to(DraftVersions::Table, DraftVersions::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                index("uq_sections_version_position", Sections::Table, &["version_id", "position"]).unique().to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Consultations::Table)
                    .col(uuid(Consultations::Id).primary_key())
                    .col(uuid_uniq(Consultations::DecisionId))
                    .col(integer(Consultations::VersionNumber))
                    .col(timestamp_with_time_zone(Consultations::OpensAt))
                    .col(timestamp_with_time_zone(Consultations::ClosesAt))
                    .col(timestamp_with_time_zone(Consultations::OriginalClosesAt))
                    .col(text_null(Consultations::ShortWindowReason))
                    .col(boolean(Consultations::AnonymousAllowed))
                    .col(boolean(Consultations::CommentsPublic))
                    .col(string_len(Consultations::Moderation, 16))
                    .col(uuid(Consultations::CreatedBy))
                    .col(timestamp_with_time_zone(Consultations::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_consultations_decision")
                            .from(Consultations::Table, Consultations::DecisionId)
                            .to(Decisions::Table, Decisions::Id),
                    )
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(ConsultationExtensions::Table)
                    .col(uuid(ConsultationExtensions::Id).primary_key())
                    .col(uuid(ConsultationExtensions::ConsultationId))
                    .col(timestamp_with_time_zone(ConsultationExtensions::PreviousClosesAt))
                    .col(timestamp_with_time_zone(ConsultationExtensions::NewClosesAt))
                    .col(text(ConsultationExtensions::Note))
                    .col(uuid(ConsultationExtensions::CreatedBy))
                    .col(timestamp_with_time_zone(ConsultationExtensions::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_extensions_consultation")
                            .from(ConsultationExtensions::Table, ConsultationExtensions::ConsultationId)
                            .to(Consultations::Table, Consultations::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index("idx_extensions_consultation", ConsultationExtensions::Table, &["consultation_id"]))
            .await?;

        // Character unigrams and bigrams of each decision's title and summary: an indexed
        // search that finds a two-character Chinese word anywhere, on both databases, with
        // no extension and no word segmentation.
        manager
            .create_table(
                Table::create()
                    .table(DecisionSearchTerms::Table)
                    .col(uuid(DecisionSearchTerms::DecisionId))
                    .col(string_len(DecisionSearchTerms::Term, 16))
                    .primary_key(Index::create().col(DecisionSearchTerms::Term).col(DecisionSearchTerms::DecisionId))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("idx_search_terms_decision", DecisionSearchTerms::Table, &["decision_id"])).await?;

        manager
            .create_table(
                Table::create()
                    .table(AuditLog::Table)
                    .col(uuid(AuditLog::Id).primary_key())
                    .col(uuid_null(AuditLog::ActorId))
                    .col(uuid_null(AuditLog::AgencyId))
                    .col(string_len(AuditLog::EntityType, 32))
                    .col(uuid(AuditLog::EntityId))
                    .col(string_len(AuditLog::Action, 64))
                    .col(text(AuditLog::Details))
                    .col(timestamp_with_time_zone(AuditLog::CreatedAt))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("idx_audit_entity", AuditLog::Table, &["entity_id", "id"])).await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            AuditLog::Table.into_iden(),
            DecisionSearchTerms::Table.into_iden(),
            ConsultationExtensions::Table.into_iden(),
            Consultations::Table.into_iden(),
            Sections::Table.into_iden(),
            DraftVersions::Table.into_iden(),
            Decisions::Table.into_iden(),
        ] {
            manager.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}
