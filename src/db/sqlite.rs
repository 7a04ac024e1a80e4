//! One SQLite setting that sqlx does not expose.
//!
//! SQLite re-plans a prepared statement whenever a bound value the planner looked at
//! changes, and it looks at every bound `LIMIT`/`OFFSET` (sea-query binds them, so nearly
//! every query has one). With sqlx's statement cache that turned each execution into a new
//! prepare — an eighth of the CPU of submitting a comment, more on reads. The query planner
//! stability guarantee (`SQLITE_DBCONFIG_ENABLE_QPSG`) keeps the plan chosen at prepare time,
//! which is what a cache of prepared statements is for; we keep no statistics (`ANALYZE`)
//! whose values could have chosen better plans anyway.

use std::ffi::c_int;

use sea_orm::sqlx::{self, SqliteConnection};

/// Turns the planner stability guarantee on for a new connection.
pub async fn stable_plans(conn: &mut SqliteConnection) -> Result<(), sqlx::Error> {
    let mut handle = conn.lock_handle().await?;
    let raw = handle.as_raw_handle();
    // SAFETY: `raw` is the live handle of this connection, locked for the call; the option
    // takes an int and an optional out-pointer, which may be null.
    let rc = unsafe {
        libsqlite3_sys::sqlite3_db_config(
            raw.as_ptr(),
            libsqlite3_sys::SQLITE_DBCONFIG_ENABLE_QPSG,
            1 as c_int,
            std::ptr::null_mut::<c_int>(),
        )
    };
    if rc != libsqlite3_sys::SQLITE_OK {
        return Err(sqlx::Error::Configuration(format!("sqlite3_db_config(ENABLE_QPSG) failed: {rc}").into()));
    }
    Ok(())
}
