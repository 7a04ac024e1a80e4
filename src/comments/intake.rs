//! Group commit for comment submissions. One writer per node takes the submissions waiting
//! at that moment and writes them in one transaction: the window checked once per
//! consultation, one rate-limit upsert per key, multi-row INSERTs for the comments and
//! their bucket entries, one upsert of the summed count deltas, then the commit, and only
//! then each request gets its answer — a 201 still means the comment is durable.
//!
//! A batch whose statements fail (a key that raced in, a row the database refuses) is
//! rolled back and its submissions written one by one, so each gets its own answer and
//! none is lost for another's fault. The per-statement cost that used to be paid by every
//! request (SQLite has one writer; PostgreSQL serialises submissions to one consultation on
//! its count rows) is now shared by the batch.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::{Arc, OnceLock};

use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use tokio::sync::{Mutex, mpsc, oneshot};
use uuid::Uuid;

use super::grouping::{Grouping, Place};
use super::model::{CommentStatus, Facts, count_deltas, merge_deltas};
use super::store;
use crate::db::{Db, Timestamp};
use crate::entities::{comments, decisions};
use crate::error::{AppError, AppResult};
use crate::kernel::rate_limit::{self, Key, Rule};

/// At most this many submissions per transaction: bounds the transaction's length (and so
/// the wait of the next batch) and its memory.
const MAX_BATCH: usize = 256;
/// Submissions waiting for a writer, per node; beyond this, requests wait to queue.
const QUEUE: usize = 4096;

/// A comment ready to be written: its row (tracking number, receipt hash, status), where it
/// goes among near-duplicates (read beforehand), and the limits it counts against.
#[derive(Clone, Debug)]
pub struct Prepared {
    pub comment: comments::Model,
    pub grouping: Grouping,
    pub limits: Vec<(Key, Rule)>,
    /// Refuse it if its consultation is not open at `comment.created_at` (public
    /// submissions); offline entries and the demo's history are checked by their callers.
    pub check_window: bool,
}

struct Pending {
    item: Prepared,
    answer: oneshot::Sender<AppResult<comments::Model>>,
}

/// This node's writers and their queue, started with the first submission.
#[derive(Default)]
pub struct Intake {
    queue: OnceLock<mpsc::Sender<Pending>>,
    /// The rate-limit counters the writers last wrote.
    known: Arc<rate_limit::Known>,
}

impl Intake {
    /// Queues `item` and waits until it is committed (or refused).
    pub async fn submit(&self, db: &Db, item: Prepared) -> AppResult<comments::Model> {
        let queue = self.queue.get_or_init(|| start(db.clone(), self.known.clone()));
        let (answer, answered) = oneshot::channel();
        queue
            .send(Pending { item, answer })
            .await
            .map_err(|_| AppError::Internal(anyhow::anyhow!("the comment writer has stopped")))?;
        answered.await.map_err(|_| AppError::Internal(anyhow::anyhow!("the comment writer dropped a submission")))?
    }

    /// How long to wait if one of `limits` is known on this node to be reached.
    pub fn refused(&self, limits: &[(Key, Rule)], now: DateTime<Utc>) -> Option<chrono::TimeDelta> {
        self.known.wait(limits, now)
    }
}

/// SQLite has one writer, so one task; on PostgreSQL a second batch can be prepared and
/// sent while the first waits for its commit (they meet only on the count rows, which
/// every batch locks in the same order).
fn start(db: Db, known: Arc<rate_limit::Known>) -> mpsc::Sender<Pending> {
    let (tx, rx) = mpsc::channel(QUEUE);
    let writers = if db.backend() == sea_orm::DbBackend::Sqlite { 1 } else { 3 };
    let rx = Arc::new(Mutex::new(rx));
    for _ in 0..writers {
        tokio::spawn(run(db.clone(), rx.clone(), known.clone()));
    }
    tx
}

async fn run(db: Db, rx: Arc<Mutex<mpsc::Receiver<Pending>>>, known: Arc<rate_limit::Known>) {
    loop {
        let mut batch = Vec::new();
        {
            let mut rx = rx.lock().await;
            match rx.recv().await {
                Some(first) => batch.push(first),
                None => return,
            }
            while batch.len() < MAX_BATCH {
                match rx.try_recv() {
                    Ok(p) => batch.push(p),
                    Err(_) => break,
                }
            }
        }
        write_and_answer(&db, batch, &known).await;
    }
}

async fn write_and_answer(db: &Db, batch: Vec<Pending>, known: &rate_limit::Known) {
    let items: Vec<Prepared> = batch.iter().map(|p| p.item.clone()).collect();
    for (p, outcome) in batch.into_iter().zip(write_batch(db, &items, known).await) {
        let _ = p.answer.send(outcome);
    }
}

/// Writes a batch and answers each of its submissions: all in one transaction, or, when that
/// fails, each in its own, so that one bad submission costs the others nothing.
pub async fn write_batch(db: &Db, items: &[Prepared], known: &rate_limit::Known) -> Vec<AppResult<comments::Model>> {
    match commit(db, items, known).await {
        Ok(outcomes) => outcomes,
        Err(e) if items.len() == 1 => vec![Err(e)],
        Err(e) => {
            tracing::warn!(size = items.len(), error = %e, "comment batch failed; writing its submissions one by one");
            let mut outcomes = Vec::with_capacity(items.len());
            for item in items {
                outcomes.push(match commit(db, std::slice::from_ref(item), known).await {
                    Ok(mut one) => one.pop().unwrap_or_else(|| Err(AppError::Internal(anyhow::anyhow!("no outcome")))),
                    Err(e) => Err(e),
                });
            }
            outcomes
        }
    }
}

/// Writes `items` in one transaction and commits it: an error means nothing was written.
async fn commit(db: &Db, items: &[Prepared], known: &rate_limit::Known) -> AppResult<Vec<AppResult<comments::Model>>> {
    let started = std::time::Instant::now();
    let tx = db.write().await?;
    let (outcomes, counters) = write(&tx, items, Timestamp::now()).await?;
    tx.commit().await?;
    tracing::debug!(size = items.len(), micros = started.elapsed().as_micros() as u64, "comment batch committed");
    for (key, rule, counter) in counters {
        known.remember(&key, rule, counter);
    }
    Ok(outcomes)
}

/// The outcome of each submission, and the rate-limit counters as the batch left them.
pub type Written = (Vec<AppResult<comments::Model>>, Vec<(Key, Rule, rate_limit::Counter)>);

/// Writes `items` within `tx`. The outer error fails the whole batch; the inner ones refuse
/// single submissions (window closed, limit reached) and write nothing for them.
pub async fn write(tx: &impl ConnectionTrait, items: &[Prepared], now: DateTime<Utc>) -> AppResult<Written> {
    let mut outcomes: Vec<AppResult<()>> = check_windows(tx, items).await?;
    let counters = count_limits(tx, items, &mut outcomes, now).await?;
    let accepted: Vec<&Prepared> = items.iter().zip(&outcomes).filter(|(_, o)| o.is_ok()).map(|(i, _)| i).collect();
    let groups = resolve_groups(tx, &accepted).await?;
    let mut rows = Vec::with_capacity(accepted.len());
    let mut growth: BTreeMap<Uuid, i32> = BTreeMap::new();
    let mut buckets: BTreeMap<Uuid, Vec<(Uuid, i64)>> = BTreeMap::new();
    let mut deltas: BTreeMap<Uuid, Vec<super::model::Delta>> = BTreeMap::new();
    for item in &accepted {
        let mut c = item.comment.clone();
        c.duplicate_group_id = groups.get(&c.id).copied();
        // A comment stored as withdrawn (the demo's history) belongs to its group without
        // counting in its size, as a withdrawal would leave it.
        if let Some(g) = c.duplicate_group_id
            && c.status != CommentStatus::Withdrawn
        {
            *growth.entry(g).or_default() += 1;
        }
        if !item.grouping.skip_buckets {
            let mut own: Vec<i64> = item.grouping.buckets.clone();
            own.sort_unstable();
            own.dedup();
            buckets.entry(c.decision_id).or_default().extend(own.into_iter().map(|b| (c.id, b)));
        }
        deltas.entry(c.decision_id).or_default().extend(count_deltas(None, Some(&facts(&c))));
        rows.push(c);
    }
    for (group, by) in growth {
        store::grow_group(tx, group, by).await?;
    }
    store::insert_many(tx, rows.clone()).await?;
    for (decision, entries) in buckets {
        store::insert_bucket_rows(tx, decision, entries).await?;
    }
    for (decision, d) in deltas {
        let mut merged = merge_deltas(d);
        // Every batch locks count rows in the same order: no deadlock between writers.
        merged.sort_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
        store::apply_deltas(tx, decision, &merged).await?;
    }
    let mut written = rows.into_iter();
    let outcomes =
        outcomes.into_iter().map(|o| o.map(|()| written.next().expect("one row per accepted item"))).collect();
    Ok((outcomes, counters))
}

pub fn facts(c: &comments::Model) -> Facts {
    Facts {
        status: c.status,
        section: c.section_id.map(|s| s.to_string()),
        category: c.category,
        channel: c.channel,
        day: c.received_on.clone(),
        hidden_reason: c.hidden_reason,
    }
}

/// The window, read once per consultation in the batch from the database itself (the
/// request checked it against this node's cache, which may be a second old).
async fn check_windows(tx: &impl ConnectionTrait, items: &[Prepared]) -> AppResult<Vec<AppResult<()>>> {
    let ids: BTreeSet<Uuid> = items.iter().filter(|i| i.check_window).map(|i| i.comment.decision_id).collect();
    let found: HashMap<Uuid, decisions::Model> = if ids.is_empty() {
        HashMap::new()
    } else {
        decisions::Entity::find()
            .filter(decisions::Column::Id.is_in(ids))
            .all(tx)
            .await?
            .into_iter()
            .map(|d| (d.id, d))
            .collect()
    };
    Ok(items
        .iter()
        .map(|i| {
            if !i.check_window {
                return Ok(());
            }
            match found.get(&i.comment.decision_id) {
                Some(d) => super::service::check_open(d, i.comment.created_at),
                None => Err(super::queries::comment_not_found()),
            }
        })
        .collect())
}

/// One upsert per key for all the batch's submissions, then each submission in order is
/// let through while every one of its keys has room; the refused ones are taken back.
/// Answers each key's counter as left.
async fn count_limits(
    tx: &impl ConnectionTrait,
    items: &[Prepared],
    outcomes: &mut [AppResult<()>],
    now: DateTime<Utc>,
) -> AppResult<Vec<(Key, Rule, rate_limit::Counter)>> {
    let mut asked: BTreeMap<&str, (&Key, Rule, u32)> = BTreeMap::new();
    for (item, _) in items.iter().zip(outcomes.iter()).filter(|(_, o)| o.is_ok()) {
        for (key, rule) in &item.limits {
            asked.entry(key.as_str()).or_insert((key, *rule, 0)).2 += 1;
        }
    }
    // Per key: what was counted before this batch, and how many of it are let through.
    let mut room: HashMap<&str, (rate_limit::Counter, Rule, u32, u32)> = HashMap::new();
    for (name, (key, rule, n)) in &asked {
        let after = rate_limit::count_many(tx, key, *rule, *n, now).await?;
        let before = after.count.saturating_sub(*n);
        room.insert(name, (after, *rule, before, 0));
    }
    for (item, outcome) in items.iter().zip(outcomes.iter_mut()).filter(|(_, o)| o.is_ok()) {
        let full = item.limits.iter().find_map(|(key, _)| {
            let (counter, rule, before, used) = room[key.as_str()];
            (before + used >= rule.max).then(|| rule.wait(&counter, now).unwrap_or_default())
        });
        match full {
            Some(wait) => *outcome = Err(super::service::too_many(wait)),
            None => {
                for (key, _) in &item.limits {
                    if let Some(r) = room.get_mut(key.as_str()) {
                        r.3 += 1;
                    }
                }
            }
        }
    }
    let mut left = Vec::with_capacity(asked.len());
    for (name, (key, rule, n)) in &asked {
        let (after, _, before, used) = room[name];
        if used < *n {
            rate_limit::refund_many(tx, key, n - used).await?;
        }
        let counter = rate_limit::Counter { count: before + used, window_started_at: after.window_started_at };
        left.push(((*key).clone(), *rule, counter));
    }
    Ok(left)
}

/// The group of each accepted comment that goes into one: existing groups as read, new
/// ones started (once per earlier comment, however many of the batch are like it).
async fn resolve_groups(tx: &impl ConnectionTrait, items: &[&Prepared]) -> AppResult<HashMap<Uuid, Uuid>> {
    // Each earlier comment to start a group with, with its consultation, in a fixed order.
    let firsts: BTreeMap<Uuid, Uuid> = items
        .iter()
        .filter_map(|i| match i.grouping.place {
            Place::StartWith(first) => Some((first, i.comment.decision_id)),
            _ => None,
        })
        .collect();
    let mut started = HashMap::with_capacity(firsts.len());
    for (first, decision) in firsts {
        if let Some(group) = store::start_group(tx, decision, first).await? {
            started.insert(first, group);
        }
    }
    Ok(items
        .iter()
        .filter_map(|i| {
            let group = match i.grouping.place {
                Place::Alone => None,
                Place::Join(g) => Some(g),
                Place::StartWith(first) => started.get(&first).copied(),
            };
            group.map(|g| (i.comment.id, g))
        })
        .collect())
}
