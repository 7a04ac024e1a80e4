use std::ops::Deref;
use std::sync::Arc;

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
    /// Derives receipt secrets (shared by all nodes through the database).
    pub receipt_key: Vec<u8>,
}

impl AppState {
    pub fn new(db: Db, config: Config, receipt_key: Vec<u8>) -> Self {
        let csp = crate::http::context::content_security_policy(&config.embed_hosts);
        AppState(Arc::new(Inner { db, config, metrics: Metrics::default(), csp, receipt_key }))
    }
}

impl Deref for AppState {
    type Target = Inner;
    fn deref(&self) -> &Inner {
        &self.0
    }
}
