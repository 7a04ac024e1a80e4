use std::ops::Deref;
use std::sync::Arc;

use crate::cache::TtlCache;
use crate::config::Config;
use crate::db::Db;
use crate::http::metrics::Metrics;

/// What every request handler may use; cheap to clone.
#[derive(Clone)]
pub struct AppState(Arc<Inner>);

pub struct Inner {
    pub db: Db,
    pub config: Config,
    pub metrics: Metrics,
    /// The Content-Security-Policy of pages and API answers, built once from the configuration.
    pub csp: String,
    /// Derive receipt secrets (the same on every node, from its key file or environment).
    pub receipt_keys: crate::kernel::receipts::ReceiptKeys,
    /// Published decisions as the public sees them, written as JSON, with their agency (whose
    /// staff see more and are never served these).
    pub public_decisions: TtlCache<(uuid::Uuid, bytes::Bytes)>,
    /// Differences between two versions, by the versions' ids: versions never change, so a
    /// difference is computed once per node (at most a few hundred kept).
    pub diffs:
        std::sync::Mutex<std::collections::HashMap<(uuid::Uuid, uuid::Uuid), crate::decisions::views::VersionDiff>>,
    /// Differences are computed off the async runtime, at most two at a time per node.
    pub diff_slots: tokio::sync::Semaphore,
    /// Catalogue imports read their spreadsheet off the runtime, one at a time per node.
    pub import_slots: tokio::sync::Semaphore,
    /// Exports stream page by page; at most two run at a time per node.
    pub export_slots: std::sync::Arc<tokio::sync::Semaphore>,
    /// Published decisions with their consultation, for comment reads.
    pub consultations: TtlCache<(crate::entities::decisions::Model, crate::entities::consultations::Model)>,
    /// Sections of a version by (decision, version number): versions never change.
    pub section_labels: TtlCache<std::sync::Arc<std::collections::HashMap<uuid::Uuid, String>>, (uuid::Uuid, i32)>,
    /// A consultation's comment figures, for the public cache's time.
    pub comment_stats: TtlCache<crate::comments::views::CommentStats>,
    /// This node's comment writer (group commit).
    pub intake: crate::comments::intake::Intake,
    /// The facts behind the statistics, by filter, for `WENJI_STATISTICS_CACHE_MS`.
    pub statistics: TtlCache<std::sync::Arc<crate::statistics::queries::Facts>, String>,
}

impl Inner {
    /// Forgets what this node keeps of a decision; called after every change to it.
    pub fn forget_decision(&self, id: uuid::Uuid) {
        self.public_decisions.forget(&id);
        self.consultations.forget(&id);
    }
}

impl AppState {
    pub fn new(db: Db, config: Config, receipt_keys: crate::kernel::receipts::ReceiptKeys) -> Self {
        let csp = crate::http::context::content_security_policy(&config.embed_hosts);
        let ttl = config.public_cache_ttl;
        let statistics_ttl = config.statistics_cache_ttl;
        AppState(Arc::new(Inner {
            db,
            config,
            metrics: Metrics::default(),
            csp,
            receipt_keys,
            public_decisions: TtlCache::new(ttl),
            diffs: Default::default(),
            export_slots: std::sync::Arc::new(tokio::sync::Semaphore::new(2)),
            diff_slots: tokio::sync::Semaphore::new(2),
            import_slots: tokio::sync::Semaphore::new(1),
            consultations: TtlCache::new(ttl),
            statistics: TtlCache::new(statistics_ttl),
            section_labels: TtlCache::new(std::time::Duration::from_secs(600)),
            comment_stats: TtlCache::new(ttl),
            intake: Default::default(),
        }))
    }
}

impl Deref for AppState {
    type Target = Inner;
    fn deref(&self) -> &Inner {
        &self.0
    }
}
