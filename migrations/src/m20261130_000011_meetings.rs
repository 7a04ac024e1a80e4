//! Open meetings, livestreams and open government days (会议开放、网络直播、政务开放日):
//! meetings with their agenda and stream, attendance requests (列席申请), open days with
//! their registrations, and the venues both are held in.
//!
//! Capacity is kept in the database: `open_days.confirmed_count` never exceeds `capacity`
//! (a CHECK), moves only in the transaction that confirms or frees a place, and that
//! transaction begins by updating the open day's row, so on PostgreSQL every node's
//! registrations for one day queue on that row lock.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// One row per place events are held in (by a folded name). A transaction that schedules an
/// event first updates its venue's row, so two schedulings at one venue never both pass the
/// clash check.
#[derive(DeriveIden)]
enum Venues {
    Table,
    Key,
    Name,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Meetings {
    Table,
    Id,
    AgencyId,
    Title,
    Kind,
    Description,
    StartsAt,
    EndsAt,
    Venue,
    VenueKey,
    Status,
    CancelReason,
    Summary,
    AttendanceCapacity,
    AttendanceApproved,
    AttendanceClosesAt,
    StreamState,
    WatchUrl,
    EmbedUrl,
    HlsUrl,
    ReplayUrl,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum AgendaItems {
    Table,
    Id,
    MeetingId,
    Position,
    Title,
    DecisionId,
    Openness,
    ReplayOffsetSeconds,
}

#[derive(DeriveIden)]
enum AttendanceRequests {
    Table,
    Id,
    MeetingId,
    Name,
    Category,
    Organisation,
    Reason,
    Phone,
    Email,
    Status,
    DeclineReason,
    CodeHash,
    AccountId,
    CreatedAt,
    DecidedAt,
    DecidedBy,
}

#[derive(DeriveIden)]
enum OpenDays {
    Table,
    Id,
    AgencyId,
    Title,
    Description,
    Venue,
    VenueKey,
    StartsAt,
    EndsAt,
    Capacity,
    RegistrationOpensAt,
    RegistrationClosesAt,
    Eligibility,
    RequiredFields,
    Status,
    CancelReason,
    ConfirmedCount,
    WaitingCount,
    WaitlistSeq,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum OpenDayRegistrations {
    Table,
    Id,
    OpenDayId,
    Status,
    Name,
    Phone,
    Email,
    IdNumber,
    Organisation,
    PersonKey,
    CodeHash,
    WaitlistSeq,
    AccountId,
    CreatedAt,
    ConfirmedAt,
    CancelledAt,
    CheckedInAt,
    CheckedInBy,
}

#[derive(DeriveIden)]
enum Agencies {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Decisions {
    Table,
    Id,
}

fn index<const N: usize>(name: &str, table: impl IntoIden, cols: [DynIden; N]) -> IndexCreateStatement {
    let mut i = Index::create();
    i.name(name).table(table);
    for c in cols {
        i.col(c);
    }
    i.to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Venues::Table)
                    .col(string_len(Venues::Key, 200).primary_key())
                    .col(string_len(Venues::Name, 200))
                    .col(timestamp_with_time_zone(Venues::UpdatedAt))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Meetings::Table)
                    .col(uuid(Meetings::Id).primary_key())
                    .col(uuid(Meetings::AgencyId))
                    .col(string_len(Meetings::Title, 200))
                    .col(string_len(Meetings::Kind, 24))
                    .col(text(Meetings::Description))
                    .col(timestamp_with_time_zone(Meetings::StartsAt))
                    .col(timestamp_with_time_zone(Meetings::EndsAt))
                    .col(string_len(Meetings::Venue, 200))
                    .col(string_len(Meetings::VenueKey, 200))
                    .col(string_len(Meetings::Status, 16))
                    .col(text_null(Meetings::CancelReason))
                    .col(text_null(Meetings::Summary))
                    .col(integer(Meetings::AttendanceCapacity))
                    .col(integer(Meetings::AttendanceApproved))
                    .col(timestamp_with_time_zone_null(Meetings::AttendanceClosesAt))
                    .col(string_len(Meetings::StreamState, 16))
                    .col(text_null(Meetings::WatchUrl))
                    .col(text_null(Meetings::EmbedUrl))
                    .col(text_null(Meetings::HlsUrl))
                    .col(text_null(Meetings::ReplayUrl))
                    .col(uuid(Meetings::CreatedBy))
                    .col(timestamp_with_time_zone(Meetings::CreatedAt))
                    .col(timestamp_with_time_zone(Meetings::UpdatedAt))
                    .check(Expr::col(Meetings::AttendanceApproved).lte(Expr::col(Meetings::AttendanceCapacity)))
                    .check(Expr::col(Meetings::EndsAt).gt(Expr::col(Meetings::StartsAt)))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_meetings_agency")
                            .from(Meetings::Table, Meetings::AgencyId)
                            .to(Agencies::Table, Agencies::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("idx_meetings_starts", Meetings::Table, [Meetings::StartsAt.into_iden()])).await?;
        manager
            .create_index(index(
                "idx_meetings_venue",
                Meetings::Table,
                [Meetings::VenueKey.into_iden(), Meetings::StartsAt.into_iden()],
            ))
            .await?;
        manager
            .create_index(index(
                "idx_meetings_agency",
                Meetings::Table,
                [Meetings::AgencyId.into_iden(), Meetings::StartsAt.into_iden()],
            ))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(AgendaItems::Table)
                    .col(uuid(AgendaItems::Id).primary_key())
                    .col(uuid(AgendaItems::MeetingId))
                    .col(integer(AgendaItems::Position))
                    .col(string_len(AgendaItems::Title, 300))
                    .col(uuid_null(AgendaItems::DecisionId))
                    .col(string_len(AgendaItems::Openness, 16))
                    .col(integer_null(AgendaItems::ReplayOffsetSeconds))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_agenda_items_meeting")
                            .from(AgendaItems::Table, AgendaItems::MeetingId)
                            .to(Meetings::Table, Meetings::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_agenda_items_decision")
                            .from(AgendaItems::Table, AgendaItems::DecisionId)
                            .to(Decisions::Table, Decisions::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "idx_agenda_items_meeting",
                AgendaItems::Table,
                [AgendaItems::MeetingId.into_iden(), AgendaItems::Position.into_iden()],
            ))
            .await?;
        manager
            .create_index(index("idx_agenda_items_decision", AgendaItems::Table, [AgendaItems::DecisionId.into_iden()]))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(AttendanceRequests::Table)
                    .col(uuid(AttendanceRequests::Id).primary_key())
                    .col(uuid(AttendanceRequests::MeetingId))
                    .col(string_len(AttendanceRequests::Name, 100))
                    .col(string_len(AttendanceRequests::Category, 24))
                    .col(string_len_null(AttendanceRequests::Organisation, 200))
                    .col(text(AttendanceRequests::Reason))
                    .col(string_len_null(AttendanceRequests::Phone, 40))
                    .col(string_len_null(AttendanceRequests::Email, 254))
                    .col(string_len(AttendanceRequests::Status, 16))
                    .col(text_null(AttendanceRequests::DeclineReason))
                    .col(string_len(AttendanceRequests::CodeHash, 64).unique_key())
                    .col(uuid_null(AttendanceRequests::AccountId))
                    .col(timestamp_with_time_zone(AttendanceRequests::CreatedAt))
                    .col(timestamp_with_time_zone_null(AttendanceRequests::DecidedAt))
                    .col(uuid_null(AttendanceRequests::DecidedBy))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_attendance_requests_meeting")
                            .from(AttendanceRequests::Table, AttendanceRequests::MeetingId)
                            .to(Meetings::Table, Meetings::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "idx_attendance_requests_meeting",
                AttendanceRequests::Table,
                [AttendanceRequests::MeetingId.into_iden(), AttendanceRequests::CreatedAt.into_iden()],
            ))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(OpenDays::Table)
                    .col(uuid(OpenDays::Id).primary_key())
                    .col(uuid(OpenDays::AgencyId))
                    .col(string_len(OpenDays::Title, 200))
                    .col(text(OpenDays::Description))
                    .col(string_len(OpenDays::Venue, 200))
                    .col(string_len(OpenDays::VenueKey, 200))
                    .col(timestamp_with_time_zone(OpenDays::StartsAt))
                    .col(timestamp_with_time_zone(OpenDays::EndsAt))
                    .col(integer(OpenDays::Capacity))
                    .col(timestamp_with_time_zone(OpenDays::RegistrationOpensAt))
                    .col(timestamp_with_time_zone(OpenDays::RegistrationClosesAt))
                    .col(text(OpenDays::Eligibility))
                    .col(string_len(OpenDays::RequiredFields, 100))
                    .col(string_len(OpenDays::Status, 16))
                    .col(text_null(OpenDays::CancelReason))
                    .col(integer(OpenDays::ConfirmedCount))
                    .col(integer(OpenDays::WaitingCount))
                    .col(big_integer(OpenDays::WaitlistSeq))
                    .col(uuid(OpenDays::CreatedBy))
                    .col(timestamp_with_time_zone(OpenDays::CreatedAt))
                    .col(timestamp_with_time_zone(OpenDays::UpdatedAt))
                    .check(Expr::col(OpenDays::ConfirmedCount).lte(Expr::col(OpenDays::Capacity)))
                    .check(Expr::col(OpenDays::ConfirmedCount).gte(0))
                    .check(Expr::col(OpenDays::WaitingCount).gte(0))
                    .check(Expr::col(OpenDays::EndsAt).gt(Expr::col(OpenDays::StartsAt)))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_open_days_agency")
                            .from(OpenDays::Table, OpenDays::AgencyId)
                            .to(Agencies::Table, Agencies::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("idx_open_days_starts", OpenDays::Table, [OpenDays::StartsAt.into_iden()])).await?;
        manager
            .create_index(index(
                "idx_open_days_venue",
                OpenDays::Table,
                [OpenDays::VenueKey.into_iden(), OpenDays::StartsAt.into_iden()],
            ))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(OpenDayRegistrations::Table)
                    .col(uuid(OpenDayRegistrations::Id).primary_key())
                    .col(uuid(OpenDayRegistrations::OpenDayId))
                    .col(string_len(OpenDayRegistrations::Status, 16))
                    .col(string_len(OpenDayRegistrations::Name, 100))
                    .col(string_len_null(OpenDayRegistrations::Phone, 40))
                    .col(string_len_null(OpenDayRegistrations::Email, 254))
                    .col(string_len_null(OpenDayRegistrations::IdNumber, 40))
                    .col(string_len_null(OpenDayRegistrations::Organisation, 200))
                    .col(string_len(OpenDayRegistrations::PersonKey, 64))
                    .col(string_len(OpenDayRegistrations::CodeHash, 64).unique_key())
                    .col(big_integer_null(OpenDayRegistrations::WaitlistSeq))
                    .col(uuid_null(OpenDayRegistrations::AccountId))
                    .col(timestamp_with_time_zone(OpenDayRegistrations::CreatedAt))
                    .col(timestamp_with_time_zone_null(OpenDayRegistrations::ConfirmedAt))
                    .col(timestamp_with_time_zone_null(OpenDayRegistrations::CancelledAt))
                    .col(timestamp_with_time_zone_null(OpenDayRegistrations::CheckedInAt))
                    .col(uuid_null(OpenDayRegistrations::CheckedInBy))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_open_day_registrations_day")
                            .from(OpenDayRegistrations::Table, OpenDayRegistrations::OpenDayId)
                            .to(OpenDays::Table, OpenDays::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "idx_open_day_registrations_queue",
                OpenDayRegistrations::Table,
                [
                    OpenDayRegistrations::OpenDayId.into_iden(),
                    OpenDayRegistrations::Status.into_iden(),
                    OpenDayRegistrations::WaitlistSeq.into_iden(),
                ],
            ))
            .await?;
        // One live registration per person and day, whatever the concurrency: a partial
        // unique index (both databases have them), so a cancelled registration does not
        // stop the person from registering again.
        manager
            .get_connection()
            .execute_unprepared(
                "CREATE UNIQUE INDEX uq_open_day_registrations_person ON open_day_registrations \
                 (open_day_id, person_key) WHERE status <> 'cancelled'",
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(OpenDayRegistrations::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(OpenDays::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(AttendanceRequests::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(AgendaItems::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(Meetings::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(Venues::Table).to_owned()).await
    }
}
