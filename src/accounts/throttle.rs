//! Sign-in throttling. Every attempt is counted before its password is checked, in one
//! transaction, so guesses sent in parallel cannot slip past the limit together; an attempt
//! that cannot be counted is not let through. Successes are taken back afterwards, so only
//! failures use up the limits.
//!
//! The guesser is throttled more than the account: failures from one client address (or
//! IPv6 /64) are limited, and failures at one account are limited too — but a client the
//! account has signed in from before is held only to its own address limit, so nobody can
//! lock the owner (the platform admin, say) out by failing at their account from elsewhere.

use chrono::{DateTime, TimeDelta, Utc};
use sea_orm::ConnectionTrait;

use crate::config::Config;
use crate::db::Db;
use crate::error::{AppError, AppResult};
use crate::kernel::digest::sha256_hex;
use crate::kernel::rate_limit::{self, Counter, Key, Purpose, Rule};
use crate::kernel::time::span;
use crate::t;

pub struct Throttle {
    account: (Key, Rule),
    address: Option<(Key, Rule)>,
    /// The account has signed in from this client before: its failures do not block it.
    known_client: bool,
}

impl Throttle {
    pub fn new(config: &Config, email: &str, client: Option<&str>, known_client: bool) -> Self {
        let window = span(config.sign_in_window);
        // The e-mail is hashed: a key of fixed length whatever was typed, and no addresses
        // in the counters' table.
        let account = (
            Key::new(Purpose::SignInAccount, sha256_hex(email)),
            Rule { max: config.sign_in_max_failures_per_account, window },
        );
        let address = client.map(|c| {
            (Key::new(Purpose::SignInAddress, c), Rule { max: config.sign_in_max_failures_per_address, window })
        });
        Throttle { account, address, known_client }
    }

    /// The counters that hold this attempt back.
    fn enforced(&self) -> impl Iterator<Item = &(Key, Rule)> {
        let account = (!self.known_client).then_some(&self.account);
        account.into_iter().chain(self.address.as_ref())
    }

    fn all(&self) -> impl Iterator<Item = &(Key, Rule)> {
        std::iter::once(&self.account).chain(self.address.as_ref())
    }

    /// Lets the attempt through to the password check, or answers 429. Counts it first.
    pub async fn admit(&self, db: &Db, now: DateTime<Utc>) -> AppResult<()> {
        // Already over: refuse with a read, without queueing for the writer.
        let keys: Vec<Key> = self.enforced().map(|(k, _)| k.clone()).collect();
        let current = rate_limit::current(db.conn(), &keys).await?;
        let wait = current
            .iter()
            .filter_map(|(key, c)| self.enforced().find(|(k, _)| k == key).and_then(|(_, r)| r.reached(c, now)))
            .max();
        if let Some(wait) = wait {
            return Err(too_many(wait));
        }
        let tx = db.write().await?;
        let mut counted: Vec<(&Key, Rule, Counter)> = Vec::new();
        for (key, rule) in self.all() {
            counted.push((key, *rule, rate_limit::count(&tx, key, *rule, now).await?));
        }
        tx.commit().await?;
        let wait = counted
            .iter()
            .filter(|(key, _, _)| self.enforced().any(|(k, _)| k == *key))
            .filter_map(|(_, rule, c)| rule.exceeded(c, now))
            .max();
        match wait {
            Some(wait) => Err(too_many(wait)),
            None => Ok(()),
        }
    }

    /// The attempt succeeded: it is taken back from the counters. From a new client, the
    /// account's earlier failures were this person's own typing and are forgotten; from a
    /// known client they may be a guesser's elsewhere, who stays held back.
    pub async fn succeeded(&self, tx: &impl ConnectionTrait) -> AppResult<()> {
        if self.known_client {
            rate_limit::refund(tx, &self.account.0).await?;
        } else {
            rate_limit::clear(tx, &self.account.0).await?;
        }
        if let Some((key, _)) = &self.address {
            rate_limit::refund(tx, key).await?;
        }
        Ok(())
    }
}

fn too_many(wait: TimeDelta) -> AppError {
    let secs = wait.num_seconds().max(1) as u64;
    let minutes = secs.div_ceil(60);
    AppError::TooManyRequests {
        retry_after_secs: secs,
        message: t!(
            "登录失败次数过多，请 {minutes} 分钟后再试。",
            "Too many failed sign-in attempts; try again in {minutes} minute(s)."
        ),
    }
}
