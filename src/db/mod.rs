//! Connecting to SQLite or PostgreSQL, and the one way to start a write transaction.

use std::time::Duration;

use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DatabaseTransaction, DbBackend, DbErr,
    SqliteTransactionMode, TransactionOptions, TransactionTrait,
};

pub mod backup;
mod sqlite;
mod time;
pub use time::{Timestamp, new_id};

/// The connection pools; cheap to clone.
#[derive(Clone, Debug)]
pub struct Db {
    conn: DatabaseConnection,
    /// SQLite only: a pool of one connection that every write transaction goes through.
    /// SQLite has one writer at a time anyway; queueing writers here (an async, first-come
    /// queue) instead of letting them collide in SQLite avoids its busy-timeout sleeps, which
    /// back off up to 100 ms and leave the database idle while writers wait.
    writer: Option<DatabaseConnection>,
}

impl Db {
    /// Opens the pool. SQLite gets WAL (readers never wait for the writer), a busy timeout
    /// (writers queue instead of failing), foreign keys, and `synchronous=NORMAL`, which is
    /// durable across application crashes in WAL mode.
    pub async fn connect(url: &str, max_connections: u32) -> Result<Self, DbErr> {
        let options = |connections: u32| {
            let mut opts = ConnectOptions::new(url.to_string());
            opts.max_connections(connections.max(1))
                .min_connections(1)
                .acquire_timeout(Duration::from_secs(30))
                .sqlx_logging(false);
            if url.starts_with("sqlite:") {
                opts.map_sqlx_sqlite_pool_opts(|p| {
                    p.after_connect(|conn, _| Box::pin(async move { sqlite::stable_plans(conn).await }))
                });
                opts.map_sqlx_sqlite_opts(|o| {
                    o.journal_mode(sea_orm::sqlx::sqlite::SqliteJournalMode::Wal)
                        .busy_timeout(Duration::from_secs(10))
                        .foreign_keys(true)
                        .synchronous(sea_orm::sqlx::sqlite::SqliteSynchronous::Normal)
                        .create_if_missing(true)
                });
            }
            opts
        };
        let conn = Database::connect(options(max_connections)).await?;
        let writer = if url.starts_with("sqlite:") { Some(Database::connect(options(1)).await?) } else { None };
        Ok(Db { conn, writer })
    }

    pub fn conn(&self) -> &DatabaseConnection {
        &self.conn
    }

    pub fn backend(&self) -> DbBackend {
        self.conn.get_database_backend()
    }

    /// Starts a transaction that will write. On SQLite it is `BEGIN IMMEDIATE`, so the write
    /// lock is taken up front: a deferred transaction that reads and then writes can fail with
    /// SQLITE_BUSY when two of them race, whatever the busy timeout.
    pub async fn write(&self) -> Result<DatabaseTransaction, DbErr> {
        self.writer
            .as_ref()
            .unwrap_or(&self.conn)
            .begin_with_options(TransactionOptions {
                sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
                ..Default::default()
            })
            .await
    }

    pub async fn ping(&self) -> Result<(), DbErr> {
        self.conn.execute_unprepared("SELECT 1").await.map(|_| ())
    }

    /// Pool state for `/metrics`.
    pub fn pool_state(&self) -> PoolState {
        let (size, idle) = match self.backend() {
            DbBackend::Sqlite => {
                let p = self.conn.get_sqlite_connection_pool();
                (p.size(), p.num_idle())
            }
            DbBackend::Postgres => {
                let p = self.conn.get_postgres_connection_pool();
                (p.size(), p.num_idle())
            }
            _ => (0, 0),
        };
        PoolState { size, idle: idle as u32 }
    }
}

#[derive(Clone, Copy, Debug)]
pub struct PoolState {
    pub size: u32,
    pub idle: u32,
}

/// Splits `n` rows into chunks of powers of two, largest first, at most `max` each: a batch of
/// any size is written with statements of a few fixed shapes, which the databases and sqlx
/// prepare once per connection, instead of parsing a new multi-row INSERT for every size
/// (parsing was a tenth of the CPU of submitting comments before).
pub fn chunk_sizes(mut n: usize, max: usize) -> impl Iterator<Item = usize> {
    std::iter::from_fn(move || {
        if n == 0 {
            return None;
        }
        let size = if n >= max { max } else { 1 << (usize::BITS - 1 - n.leading_zeros()) };
        n -= size;
        Some(size)
    })
}

/// Is this error a unique-constraint violation? (Both backends.)
pub fn is_unique_violation(err: &DbErr) -> bool {
    matches!(err.sql_err(), Some(sea_orm::SqlErr::UniqueConstraintViolation(_)))
}

/// A statement written with `$1, $2, …` placeholders, each used once and in order, for
/// either database.
pub fn statement(backend: sea_orm::DbBackend, sql: &str, values: Vec<sea_orm::Value>) -> sea_orm::Statement {
    let sql = match backend {
        sea_orm::DbBackend::Postgres => sql.to_string(),
        _ => {
            let mut out = String::with_capacity(sql.len());
            let mut chars = sql.chars().peekable();
            while let Some(c) = chars.next() {
                if c == '$' && chars.peek().is_some_and(char::is_ascii_digit) {
                    while chars.peek().is_some_and(char::is_ascii_digit) {
                        chars.next();
                    }
                    out.push('?');
                } else {
                    out.push(c);
                }
            }
            out
        }
    };
    sea_orm::Statement::from_sql_and_values(backend, sql, values)
}

#[cfg(test)]
mod tests {
    #[test]
    fn chunks_are_powers_of_two_up_to_the_maximum() {
        let sizes = |n, max| super::chunk_sizes(n, max).collect::<Vec<_>>();
        assert_eq!(sizes(0, 256), Vec::<usize>::new());
        assert_eq!(sizes(1, 256), vec![1]);
        assert_eq!(sizes(23, 256), vec![16, 4, 2, 1]);
        assert_eq!(sizes(600, 256), vec![256, 256, 64, 16, 8]);
        for n in 0..1000 {
            let s = sizes(n, 64);
            assert_eq!(s.iter().sum::<usize>(), n);
            assert!(s.iter().all(|c| c.is_power_of_two() && *c <= 64));
        }
    }
}
