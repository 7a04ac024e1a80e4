//! `wenji backup` and `wenji restore` for SQLite, the embedded database. (PostgreSQL is
//! backed up with its own tools, pg_dump and point-in-time recovery: see the README.)
//!
//! A backup is `VACUUM INTO`: one read transaction, so the copy is the database as of one
//! moment even while the server keeps writing (WAL: the writer never waits for it), and
//! attachments are in it because their bytes live in the database. It is written under a
//! temporary name and renamed, so a backup file that exists is whole. The receipt key file
//! is deliberately not in it: it is a secret kept beside the database, not inside it, so that
//! a leaked backup cannot forge receipts; it is backed up once, separately.
//!
//! A restore puts a checked backup in place of the database while no server uses the data
//! directory (serving nodes hold a shared lock on `wenji.lock`, a restore needs it alone);
//! the database it replaces is kept beside it.

use std::path::{Path, PathBuf};
use std::str::FromStr;

use sea_orm::sqlx::sqlite::{SqliteConnectOptions, SqliteConnection};
use sea_orm::sqlx::{self, Connection, Row};

/// What a backup or a restore found in the copy it wrote or read.
#[derive(Debug)]
pub struct Copy {
    pub path: PathBuf,
    pub bytes: u64,
    /// The newest migration in the copy.
    pub schema: String,
    pub comments: i64,
    pub attachments: i64,
}

impl std::fmt::Display for Copy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} ({} bytes, schema {}, {} comments, {} attachments, integrity ok)",
            self.path.display(),
            self.bytes,
            self.schema,
            self.comments,
            self.attachments
        )
    }
}

/// The database file a `sqlite:` URL names; an error for any other database.
pub fn sqlite_file(database_url: &str) -> anyhow::Result<PathBuf> {
    if !database_url.starts_with("sqlite:") {
        anyhow::bail!(
            "backup and restore are for SQLite; back up PostgreSQL with pg_dump or point-in-time \
             recovery (see the README, \"Backups\")"
        );
    }
    let options = SqliteConnectOptions::from_str(database_url)?;
    Ok(options.get_filename().to_path_buf())
}

/// The lock a serving node holds (shared) and a restore needs alone.
pub fn data_dir_lock(data_dir: &Path) -> anyhow::Result<std::fs::File> {
    std::fs::create_dir_all(data_dir)?;
    let path = data_dir.join("wenji.lock");
    std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(|e| anyhow::anyhow!("cannot open {}: {e}", path.display()))
}

/// Holds the data directory's lock, shared with other nodes, for as long as it lives.
pub fn serving_lock(data_dir: &Path) -> anyhow::Result<std::fs::File> {
    let file = data_dir_lock(data_dir)?;
    file.try_lock_shared().map_err(|_| {
        anyhow::anyhow!("{} is being restored; start the server when the restore has finished", data_dir.display())
    })?;
    Ok(file)
}

/// Copies the database at `database_url` into `target`, which must not exist yet.
pub async fn backup(database_url: &str, target: &Path) -> anyhow::Result<Copy> {
    let source = sqlite_file(database_url)?;
    if !source.exists() {
        anyhow::bail!("there is no database at {}", source.display());
    }
    if target.exists() {
        anyhow::bail!("{} exists already; a backup never overwrites a file", target.display());
    }
    let draft = beside(target, "partial")?;
    let mut conn =
        SqliteConnection::connect_with(&SqliteConnectOptions::new().filename(&source).read_only(true)).await?;
    let written = sqlx::query("VACUUM INTO ?").bind(draft.to_string_lossy().into_owned()).execute(&mut conn).await;
    conn.close().await?;
    if let Err(e) = written {
        let _ = std::fs::remove_file(&draft);
        return Err(anyhow::anyhow!("cannot write {}: {e}", draft.display()));
    }
    let checked = check(&draft).await;
    if checked.is_err() {
        let _ = std::fs::remove_file(&draft);
    }
    let mut copy = checked?;
    sync(&draft)?;
    std::fs::hard_link(&draft, target).map_err(|e| anyhow::anyhow!("cannot create {}: {e}", target.display()))?;
    std::fs::remove_file(&draft)?;
    sync_dir(target)?;
    copy.path = target.to_path_buf();
    Ok(copy)
}

/// Puts the backup `from` in place of the database at `database_url`, keeping the database it
/// replaces (if any) beside it. Refused while a server uses `data_dir`.
pub async fn restore(database_url: &str, data_dir: &Path, from: &Path) -> anyhow::Result<(Copy, Option<PathBuf>)> {
    let target = sqlite_file(database_url)?;
    let lock = data_dir_lock(data_dir)?;
    lock.try_lock()
        .map_err(|_| anyhow::anyhow!("a server is using {}; stop every node before restoring", data_dir.display()))?;
    let mut copy = check(from).await?;
    let draft = beside(&target, "restoring")?;
    std::fs::copy(from, &draft).map_err(|e| anyhow::anyhow!("cannot copy {}: {e}", from.display()))?;
    sync(&draft)?;
    let kept = if target.exists() {
        // Everything committed goes into the main file first, so the kept copy is whole
        // without its write-ahead log.
        let mut conn = SqliteConnection::connect_with(&SqliteConnectOptions::new().filename(&target)).await?;
        sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)").execute(&mut conn).await?;
        conn.close().await?;
        let kept = beside(&target, &format!("before-restore-{}", chrono::Utc::now().format("%Y%m%dT%H%M%SZ")))?;
        std::fs::rename(&target, &kept)?;
        Some(kept)
    } else {
        None
    };
    for suffix in ["-wal", "-shm"] {
        let mut side = target.clone().into_os_string();
        side.push(suffix);
        match std::fs::remove_file(PathBuf::from(side)) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(e.into()),
        }
    }
    std::fs::rename(&draft, &target)?;
    sync_dir(&target)?;
    drop(lock);
    copy.path = target;
    Ok((copy, kept))
}

/// Opens a copy read-only: SQLite's integrity check must pass, and its migrations must be ones
/// this build knows (a backup from a newer version is refused, not half-understood).
async fn check(path: &Path) -> anyhow::Result<Copy> {
    let what = path.display();
    let bytes = std::fs::metadata(path).map_err(|e| anyhow::anyhow!("cannot read {what}: {e}"))?.len();
    let options = SqliteConnectOptions::new().filename(path).read_only(true).immutable(true);
    let mut conn = SqliteConnection::connect_with(&options)
        .await
        .map_err(|e| anyhow::anyhow!("{what} is not a readable SQLite database: {e}"))?;
    let integrity: String = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_one(&mut conn)
        .await
        .map_err(|e| anyhow::anyhow!("{what} is not a readable SQLite database: {e}"))?;
    if integrity != "ok" {
        anyhow::bail!("{what} fails SQLite's integrity check: {integrity}");
    }
    let applied: Vec<String> = sqlx::query("SELECT version FROM seaql_migrations ORDER BY version")
        .fetch_all(&mut conn)
        .await
        .map_err(|_| anyhow::anyhow!("{what} is not a Wenji database (it has no migrations table)"))?
        .iter()
        .map(|r| r.get::<String, _>(0))
        .collect();
    let known: Vec<String> = {
        use migrations::MigratorTrait;
        migrations::Migrator::migrations().iter().map(|m| m.name().to_string()).collect()
    };
    if let Some(unknown) = applied.iter().find(|m| !known.contains(m)) {
        anyhow::bail!(
            "{what} was written by a newer version of Wenji (migration {unknown}); restore it with that version"
        );
    }
    let comments = sqlx::query_scalar("SELECT COUNT(*) FROM comments").fetch_one(&mut conn).await?;
    let attachments = sqlx::query_scalar("SELECT COUNT(*) FROM attachments").fetch_one(&mut conn).await?;
    conn.close().await?;
    Ok(Copy {
        path: path.to_path_buf(),
        bytes,
        schema: applied.last().cloned().unwrap_or_default(),
        comments,
        attachments,
    })
}

/// A new name in `path`'s directory: `<name>.<what>-<random>`.
fn beside(path: &Path, what: &str) -> anyhow::Result<PathBuf> {
    let name = path.file_name().ok_or_else(|| anyhow::anyhow!("{} names no file", path.display()))?;
    let mut name = name.to_os_string();
    name.push(format!(".{what}-{}", uuid::Uuid::new_v4().simple()));
    Ok(path.with_file_name(name))
}

fn sync(path: &Path) -> anyhow::Result<()> {
    std::fs::File::open(path)?.sync_all()?;
    Ok(())
}

fn sync_dir(path: &Path) -> anyhow::Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    std::fs::File::open(dir)?.sync_all()?;
    Ok(())
}
