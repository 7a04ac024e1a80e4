//! Near-duplicate grouping as comments arrive. Where a new comment goes is decided from a
//! read made before its write (outside the write transaction, so a campaign's lookups never
//! hold the writer); the write then joins the group, or starts one with the earlier comment.
//! Two near-duplicates in the same batch cannot see each other and may start two groups;
//! staff see both, and the figures stay exact.

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

/// Finds the group of the most alike earlier comment, if any is alike enough.
pub async fn find(db: &impl ConnectionTrait, decision: Uuid, body: &str) -> AppResult<Grouping> {
    let mine = shingles(body);
    let my_buckets = buckets(&mine);
    let candidates = store::candidates(db, decision, &my_buckets, CANDIDATES).await?;
    let best = candidates
        .iter()
        .map(|o| (jaccard(&mine, &shingles(&o.body)), o))
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
