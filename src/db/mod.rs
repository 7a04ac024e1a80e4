//! Connecting to SQLite or PostgreSQL, and the one way to start a write transaction.

use std::time::Duration;

use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DatabaseTransaction, DbBackend, DbErr,
    SqliteTransactionMode, TransactionOptions, TransactionTrait,
};

mod time;
pub use time::{Timestamp, new_id};

/// The connection pool; cheap to clone.
#[derive(Clone, Debug)]
pub struct Db {
    conn: DatabaseConnection,
}

impl Db {
    /// Opens the pool. SQLite gets WAL (readers never wait for the writer), a busy timeout
    /// (writers queue instead of failing), foreign keys, and `synchronous=NORMAL`, which is
    /// durable across application crashes in WAL mode.
    pub async fn connect(url: &str, max_connections: u32) -> Result<Self, DbErr> {
        let mut opts = ConnectOptions::new(url.to_string());
        opts.max_connections(max_connections.max(1))
            .min_connections(1)
            .acquire_timeout(Duration::from_secs(10))
            .sqlx_logging(false);
        if url.starts_with("sqlite:") {
            opts.map_sqlx_sqlite_opts(|o| {
                o.journal_mode(sea_orm::sqlx::sqlite::SqliteJournalMode::Wal)
                    .busy_timeout(Duration::from_secs(10))
                    .foreign_keys(true)
                    .synchronous(sea_orm::sqlx::sqlite::SqliteSynchronous::Normal)
                    .create_if_missing(true)
            });
        }
        Self::connect_with(opts).await
    }

    pub async fn connect_with(opts: ConnectOptions) -> Result<Self, DbErr> {
        Ok(Db { conn: Database::connect(opts).await? })
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
        self.conn
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

/// Is this error a unique-constraint violation? (Both backends.)
pub fn is_unique_violation(err: &DbErr) -> bool {
    matches!(err.sql_err(), Some(sea_orm::SqlErr::UniqueConstraintViolation(_)))
}
