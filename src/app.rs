//! Building and running the service; used by `main` and by the integration tests.

use poem::listener::{Acceptor, Listener, TcpListener};
use poem::{Server, web::LocalAddr};

use crate::config::Config;
use crate::db::Db;
use crate::http::slow_clients::HeaderDeadline;
use crate::state::AppState;
use migrations::{Migrator, MigratorTrait};

/// Connects to the configured database, creating the SQLite data directory if needed.
pub async fn connect(config: &Config) -> anyhow::Result<Db> {
    if config.is_sqlite() {
        std::fs::create_dir_all(&config.data_dir)
            .map_err(|e| anyhow::anyhow!("cannot create data directory {}: {e}", config.data_dir.display()))?;
    }
    Db::connect(&config.database_url, config.max_db_connections)
        .await
        .map_err(|e| anyhow::anyhow!("cannot connect to the database: {e}"))
}

pub async fn migrate(db: &Db) -> anyhow::Result<()> {
    Migrator::up(db.conn(), None).await.map_err(|e| anyhow::anyhow!("migration failed: {e}"))
}

/// A bound, migrated service, not yet serving.
pub struct Application {
    state: AppState,
    /// SQLite: the data directory's shared lock, which keeps `wenji restore` out while serving.
    _serving: Option<std::fs::File>,
    acceptor: poem::listener::TcpAcceptor,
    port: u16,
}

impl Application {
    /// Connects, migrates, and binds `config.listen` (port 0 picks a free port).
    pub async fn build(config: Config) -> anyhow::Result<Self> {
        let db = connect(&config).await?;
        migrate(&db).await?;
        Self::build_with_db(config, db).await
    }

    pub async fn build_with_db(config: Config, db: Db) -> anyhow::Result<Self> {
        let serving = if config.is_sqlite() { Some(crate::db::backup::serving_lock(&config.data_dir)?) } else { None };
        if config.data_dir.join("attachments").is_dir() {
            let adopted = crate::decisions::service::adopt_attachment_files(db.conn(), &config.data_dir).await?;
            if adopted > 0 {
                tracing::info!(
                    adopted,
                    "attachment files moved into the database; the attachments folder may be deleted"
                );
            }
        }
        crate::accounts::password::return_large_blocks_to_the_system();
        crate::accounts::password::set_max_wait(config.password_hash_wait);
        crate::accounts::password::warm_up();
        let acceptor = TcpListener::bind(config.listen)
            .into_acceptor()
            .await
            .map_err(|e| anyhow::anyhow!("cannot listen on {}: {e}", config.listen))?;
        let port = acceptor
            .local_addr()
            .first()
            .and_then(|a: &LocalAddr| a.as_socket_addr().map(|s| s.port()))
            .unwrap_or(config.listen.port());
        let receipt_keys =
            crate::kernel::receipts::load_keys(db.conn(), config.receipt_keys.as_deref(), &config.data_dir).await?;
        Ok(Application { state: AppState::new(db, config, receipt_keys), _serving: serving, acceptor, port })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// Serves until Ctrl-C or SIGTERM, then finishes requests in flight.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let _serving = self._serving;
        let sweeper = tokio::spawn(sweep_windows(self.state.clone()));
        let mailer = tokio::spawn(deliver_mail(self.state.clone()));
        let idle_timeout = self.state.config.idle_timeout;
        let acceptor = HeaderDeadline::new(self.acceptor, self.state.config.header_read_timeout);
        let endpoint = crate::routes::build(self.state);
        let _stop_sweeping = AbortOnDrop(sweeper);
        let _stop_mailing = AbortOnDrop(mailer);
        Server::new_with_acceptor(acceptor)
            .idle_timeout(idle_timeout)
            .run_with_graceful_shutdown(endpoint, shutdown_signal(), Some(std::time::Duration::from_secs(10)))
            .await
    }
}

/// Keeps stored decision statuses in step with the clock. Every node may run it: each
/// transition is written once (see `decisions::store::move_status`).
async fn sweep_windows(state: AppState) {
    let mut tick = tokio::time::interval(state.config.window_sweep_interval);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        match crate::decisions::service::sweep_windows(&state).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(decisions = n, "consultation windows opened or closed"),
            Err(e) => tracing::warn!(error = %e, "window sweep failed"),
        }
        match crate::follows::notify::remind_closing(&state).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(decisions = n, "followers reminded of windows closing soon"),
            Err(e) => tracing::warn!(error = %e, "reminding followers failed"),
        }
        if let Err(e) = purge_old_rows(&state).await {
            tracing::warn!(error = %e, "purging old counters and sessions failed");
        }
    }
}

/// Sends the e-mails due in the outbox. Every node may run it: each message is claimed by
/// one node before it is sent (see `outbox::deliver_due`). A full batch is followed at once
/// by the next, so a backlog drains faster than one batch a tick.
async fn deliver_mail(state: AppState) {
    let mut tick = tokio::time::interval(state.config.outbox_interval);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        loop {
            match crate::outbox::deliver_due(&state).await {
                Ok(n) if n as u64 >= crate::outbox::model::BATCH => continue,
                Ok(_) => break,
                Err(e) => {
                    tracing::warn!(error = %e, "e-mail delivery failed");
                    break;
                }
            }
        }
    }
}

/// Rate-limit counters whose window passed a day ago limit nothing; sessions that ended
/// three months ago are kept no longer (until then they tell sign-in throttling which
/// clients an account has used).
async fn purge_old_rows(state: &AppState) -> crate::error::AppResult<()> {
    let now = crate::db::Timestamp::now();
    crate::kernel::rate_limit::purge(state.db.conn(), now - chrono::TimeDelta::days(1)).await?;
    crate::accounts::store::purge_sessions(state.db.conn(), now - chrono::TimeDelta::days(90)).await?;
    Ok(())
}

struct AbortOnDrop(tokio::task::JoinHandle<()>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
    tracing::info!("shutting down");
}
