//! Near-duplicate grouping as comments arrive. Where a new comment goes is decided from a
//! read made before its write (outside the write transaction, so a campaign's lookups never
//! hold the writer); the write then joins the group, or starts one with the earlier comment.
//! Two near-duplicates in the same batch cannot see each other and may start two groups;
//! staff see both, and the figures stay exact.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, LazyLock, Mutex};

use sea_orm::ConnectionTrait;
use uuid::Uuid;

use super::model::{SAME_TEXT, buckets, jaccard, shingles};
use super::store;
use crate::error::AppResult;

/// Where a comment goes among near-duplicates.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Place {
    /// Like no earlier comment.
    Alone,
    /// Into this existing group.
    Join(Uuid),
    /// Into a new group with this earlier comment, which had none when it was read (the
    /// write checks again: another writer may have started one meanwhile).
    StartWith(Uuid),
}

#[derive(Clone, Debug)]
pub struct Grouping {
    pub place: Place,
    pub buckets: Vec<i64>,
    /// Nearly the same text as a grouped comment already there: its buckets add nothing.
    pub skip_buckets: bool,
}

/// At most this many bucket entries are read per comment: a campaign of thousands of
/// identical comments costs the same lookup as two.
const CANDIDATES: u64 = 40;

/// The character pairs of earlier comments, by id. A comment's text never changes, and in a
/// campaign the same few comments are everyone's candidates: folding their texts again for
/// every newcomer was an eighth of the CPU of submitting. Bounded: forgotten when full.
static SHINGLES: LazyLock<Mutex<HashMap<Uuid, Arc<HashSet<u64>>>>> = LazyLock::new(Default::default);
const KEPT_SHINGLES: usize = 20_000;

fn shingles_of(c: &store::Candidate) -> Arc<HashSet<u64>> {
    if let Some(found) = SHINGLES.lock().ok().and_then(|m| m.get(&c.id).cloned()) {
        return found;
    }
    let computed = Arc::new(shingles(&c.body));
    if let Ok(mut kept) = SHINGLES.lock() {
        if kept.len() >= KEPT_SHINGLES {
            kept.clear();
        }
        kept.insert(c.id, computed.clone());
    }
    computed
}

/// Finds the group of the most alike earlier comment, if any is alike enough.
pub async fn find(db: &impl ConnectionTrait, decision: Uuid, body: &str) -> AppResult<Grouping> {
    let mine = shingles(body);
    let my_buckets = buckets(&mine);
    let candidates = store::candidates(db, decision, &my_buckets, CANDIDATES).await?;
    let best = candidates
        .iter()
        .map(|o| (jaccard(&mine, &shingles_of(o)), o))
        .filter(|(j, _)| *j >= SAME_TEXT)
        .max_by(|a, b| a.0.total_cmp(&b.0).then_with(|| b.1.id.cmp(&a.1.id)));
    let Some((similarity, other)) = best else {
        return Ok(Grouping { place: Place::Alone, buckets: my_buckets, skip_buckets: false });
    };
    let place = match other.group {
        Some(g) => Place::Join(g),
        None => Place::StartWith(other.id),
    };
    Ok(Grouping { place, buckets: my_buckets, skip_buckets: similarity >= 0.95 })
}
