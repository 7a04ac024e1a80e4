//! Rate limits: fixed windows counted in the database (so every API node counts the same
//! events), keyed by purpose and subject — failed sign-ins per account, comments per client
//! address, and whatever the next domain needs — in a table of their own.

use chrono::{DateTime, TimeDelta, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict};
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use crate::entities::rate_limits;
use crate::error::AppResult;

crate::vocabulary! {
    /// What a counter limits.
    pub enum Purpose {
        /// Failed sign-ins for one e-mail address.
        SignInAccount = "sign_in_account",
        /// Failed sign-ins from one client address.
        SignInAddress = "sign_in_address",
        /// Comments from one client address.
        CommentAddress = "comment_address",
        /// Comments from one account.
        CommentAccount = "comment_account",
        /// Registrations from one client address.
        RegisterAddress = "register_address",
        /// Password-reset codes tried from one client address.
        PasswordResetAddress = "password_reset_address",
        /// Sign-ups for events (attendance requests, open-day registrations) from one client
        /// address.
        SignupAddress = "signup_address",
        /// Reports on disclosure catalogue items from one client address.
        DisclosureReportAddress = "disclosure_report_address",
    }
}

/// One counter: a purpose and whose events it counts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Key(String);

impl Key {
    pub fn new(purpose: Purpose, subject: impl std::fmt::Display) -> Self {
        Key(format!("{}:{subject}", purpose.as_str()))
    }

    pub fn purpose(&self) -> Option<Purpose> {
        self.0.split_once(':').and_then(|(p, _)| Purpose::parse(p))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// At most `max` events per `window`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rule {
    pub max: u32,
    pub window: TimeDelta,
}

/// A counter as stored.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Counter {
    pub count: u32,
    pub window_started_at: DateTime<Utc>,
}

impl Rule {
    /// How long until the window of `c` ends (at least a second), if it has not.
    pub fn wait(&self, c: &Counter, now: DateTime<Utc>) -> Option<TimeDelta> {
        let ends = c.window_started_at + self.window;
        (ends > now).then(|| (ends - now).max(TimeDelta::seconds(1)))
    }

    /// How long to wait when `c`, which includes the event just counted, is over the limit.
    pub fn exceeded(&self, c: &Counter, now: DateTime<Utc>) -> Option<TimeDelta> {
        if c.count > self.max { self.wait(c, now) } else { None }
    }

    /// How long to wait when one more event would be over the limit.
    pub fn reached(&self, c: &Counter, now: DateTime<Utc>) -> Option<TimeDelta> {
        if c.count >= self.max { self.wait(c, now) } else { None }
    }
}

/// Counts one event against `key`, starting a new window when the old one has passed. A
/// single upsert, so concurrent events on several API nodes are all counted.
pub async fn count(db: &impl ConnectionTrait, key: &Key, rule: Rule, now: DateTime<Utc>) -> AppResult<Counter> {
    count_many(db, key, rule, 1, now).await
}

/// Counts `n` events against `key` in one upsert (a batch of submissions); answers the
/// counter with them.
pub async fn count_many(
    db: &impl ConnectionTrait,
    key: &Key,
    rule: Rule,
    n: u32,
    now: DateTime<Utc>,
) -> AppResult<Counter> {
    use rate_limits::Column as C;
    let n = n as i32;
    let expired = Expr::col((rate_limits::Entity, C::WindowStartedAt)).lt(now - rule.window);
    let row = rate_limits::ActiveModel { key: Set(key.0.clone()), window_started_at: Set(now), count: Set(n) };
    let stored = rate_limits::Entity::insert(row)
        .on_conflict(
            OnConflict::column(C::Key)
                .value(
                    C::Count,
                    Expr::case(expired.clone(), n).finally(Expr::col((rate_limits::Entity, C::Count)).add(n)),
                )
                .value(
                    C::WindowStartedAt,
                    Expr::case(expired, now).finally(Expr::col((rate_limits::Entity, C::WindowStartedAt))),
                )
                .to_owned(),
        )
        .exec_with_returning(db)
        .await?;
    Ok(counter(&stored))
}

/// The current counters of `keys` (absent ones have counted nothing).
pub async fn current(db: &impl ConnectionTrait, keys: &[Key]) -> AppResult<Vec<(Key, Counter)>> {
    let rows = rate_limits::Entity::find()
        .filter(rate_limits::Column::Key.is_in(keys.iter().map(|k| k.0.clone())))
        .all(db)
        .await?;
    Ok(rows.iter().map(|r| (Key(r.key.clone()), counter(r))).collect())
}

/// Takes one event back (an attempt counted before it was known to be a success).
pub async fn refund(db: &impl ConnectionTrait, key: &Key) -> AppResult<()> {
    refund_many(db, key, 1).await
}

/// Takes `n` events back (the part of a batch that was refused).
pub async fn refund_many(db: &impl ConnectionTrait, key: &Key, n: u32) -> AppResult<()> {
    use rate_limits::Column as C;
    let n = n as i32;
    rate_limits::Entity::update_many()
        .col_expr(C::Count, Expr::col(C::Count).sub(n))
        .filter(C::Key.eq(key.0.clone()))
        .filter(C::Count.gte(n))
        .exec(db)
        .await?;
    Ok(())
}

/// Forgets counters whose window started before `before` (they limit nothing any more).
pub async fn purge(db: &impl ConnectionTrait, before: DateTime<Utc>) -> AppResult<u64> {
    let done =
        rate_limits::Entity::delete_many().filter(rate_limits::Column::WindowStartedAt.lt(before)).exec(db).await?;
    Ok(done.rows_affected)
}

/// Forgets a counter (a successful sign-in clears its account's failures).
pub async fn clear(db: &impl ConnectionTrait, key: &Key) -> AppResult<()> {
    rate_limits::Entity::delete_many().filter(rate_limits::Column::Key.eq(key.0.clone())).exec(db).await?;
    Ok(())
}

/// The counters this node last wrote, so that a client whose limit is reached is answered
/// at the door, without a query or a place in the writer's queue. The database stays the
/// authority (every node counts the same events there and refuses in its transaction);
/// this only saves the refused their trip. Bounded: when full, ended windows are dropped,
/// then everything.
#[derive(Default)]
pub struct Known(std::sync::Mutex<std::collections::HashMap<String, (Counter, TimeDelta)>>);

impl Known {
    const MAX: usize = 10_000;

    /// How long to wait if one of `limits` is known to be reached at `now`.
    pub fn wait(&self, limits: &[(Key, Rule)], now: DateTime<Utc>) -> Option<TimeDelta> {
        let known = self.0.lock().ok()?;
        limits
            .iter()
            .filter_map(|(key, rule)| known.get(&key.0).and_then(|(counter, _)| rule.reached(counter, now)))
            .max()
    }

    pub fn remember(&self, key: &Key, rule: Rule, counter: Counter) {
        let Ok(mut known) = self.0.lock() else { return };
        if known.len() >= Self::MAX {
            let now = Utc::now();
            known.retain(|_, (c, window)| c.window_started_at + *window > now);
            if known.len() >= Self::MAX {
                known.clear();
            }
        }
        known.insert(key.0.clone(), (counter, rule.window));
    }
}

fn counter(r: &rate_limits::Model) -> Counter {
    Counter { count: Ord::max(r.count, 0) as u32, window_started_at: r.window_started_at }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_carry_their_purpose() {
        let k = Key::new(Purpose::CommentAddress, "2001:db8::/64");
        assert_eq!(k.as_str(), "comment_address:2001:db8::/64");
        assert_eq!(k.purpose(), Some(Purpose::CommentAddress));
        assert_ne!(Key::new(Purpose::SignInAccount, "a@b.cn"), Key::new(Purpose::CommentAccount, "a@b.cn"));
    }

    #[test]
    fn exceeded_and_reached() {
        let now = DateTime::from_timestamp(1_800_000_000, 0).unwrap();
        let rule = Rule { max: 3, window: TimeDelta::minutes(10) };
        let at = |count, ago| Counter { count, window_started_at: now - TimeDelta::minutes(ago) };
        assert_eq!(rule.exceeded(&at(3, 1), now), None);
        assert_eq!(rule.exceeded(&at(4, 1), now), Some(TimeDelta::minutes(9)));
        assert_eq!(rule.reached(&at(3, 1), now), Some(TimeDelta::minutes(9)));
        assert_eq!(rule.reached(&at(2, 1), now), None);
        // A window that has passed limits nothing.
        assert_eq!(rule.reached(&at(9, 11), now), None);
    }
}
