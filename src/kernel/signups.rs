//! Rate limits per client address for what the public sends besides comments (sign-ups for
//! events, reports on catalogue items): so many per address and window, counted in the
//! database like every limit, checked with a read before the write transaction and counted
//! inside it.

use std::time::Duration;

use chrono::{DateTime, TimeDelta, Utc};
use sea_orm::ConnectionTrait;

use crate::error::{AppError, AppResult};
use crate::kernel::client_address::ClientAddress;
use crate::kernel::rate_limit::{self, Key, Purpose, Rule};
use crate::kernel::time::span;
use crate::t;

/// At most `max` events of `purpose` per `window` from one client address (or IPv6 /64).
#[derive(Clone, Copy, Debug)]
pub struct AddressLimit {
    pub purpose: Purpose,
    pub max: u32,
    pub window: Duration,
}

impl AddressLimit {
    fn key(&self, address: &ClientAddress) -> Key {
        Key::new(self.purpose, address.limit_key())
    }

    fn rule(&self) -> Rule {
        Rule { max: self.max, window: span(self.window) }
    }

    /// Refuses with 429 when the address has used up its sign-ups (a read only).
    pub async fn check(
        &self,
        db: &impl ConnectionTrait,
        address: Option<&ClientAddress>,
        now: DateTime<Utc>,
    ) -> AppResult<()> {
        let Some(a) = address else { return Ok(()) };
        let key = self.key(a);
        for (_, counter) in rate_limit::current(db, std::slice::from_ref(&key)).await? {
            if let Some(wait) = self.rule().reached(&counter, now) {
                return Err(too_many(wait));
            }
        }
        Ok(())
    }

    /// Counts this sign-up in the caller's transaction; 429 when it is one too many.
    pub async fn count(
        &self,
        tx: &impl ConnectionTrait,
        address: Option<&ClientAddress>,
        now: DateTime<Utc>,
    ) -> AppResult<()> {
        let Some(a) = address else { return Ok(()) };
        let counter = rate_limit::count(tx, &self.key(a), self.rule(), now).await?;
        match self.rule().exceeded(&counter, now) {
            Some(wait) => Err(too_many(wait)),
            None => Ok(()),
        }
    }
}

fn too_many(wait: TimeDelta) -> AppError {
    let secs = wait.num_seconds().max(1) as u64;
    let minutes = secs.div_ceil(60);
    AppError::TooManyRequests {
        retry_after_secs: secs,
        message: t!(
            "提交过于频繁，请 {minutes} 分钟后再试。",
            "Too many requests in a short time; try again in {minutes} minute(s)."
        ),
    }
}
