//! A short-lived per-node cache for what the public reads most (a published decision, the
//! context of its comments). Entries live for a configured fraction of a second: enough to
//! serve a burst of readers from memory, short enough that other nodes' changes show up at
//! once to a person. Writes on this node forget the entry straight away.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use uuid::Uuid;

const MAX_ENTRIES: usize = 10_000;

/// Entries by key (a decision's id unless said otherwise).
pub struct TtlCache<V, K = Uuid> {
    ttl: Duration,
    entries: Mutex<HashMap<K, (Instant, V)>>,
}

impl<V: Clone, K: Hash + Eq> TtlCache<V, K> {
    /// A zero `ttl` turns the cache off.
    pub fn new(ttl: Duration) -> Self {
        TtlCache { ttl, entries: Mutex::new(HashMap::new()) }
    }

    pub fn get(&self, key: &K) -> Option<V> {
        if self.ttl.is_zero() {
            return None;
        }
        let entries = self.entries.lock().ok()?;
        entries.get(key).filter(|(at, _)| at.elapsed() < self.ttl).map(|(_, v)| v.clone())
    }

    pub fn put(&self, key: K, value: V) {
        if self.ttl.is_zero() {
            return;
        }
        if let Ok(mut entries) = self.entries.lock() {
            if entries.len() >= MAX_ENTRIES {
                entries.retain(|_, (at, _)| at.elapsed() < self.ttl);
                if entries.len() >= MAX_ENTRIES {
                    entries.clear();
                }
            }
            entries.insert(key, (Instant::now(), value));
        }
    }

    pub fn forget(&self, key: &K) {
        if let Ok(mut entries) = self.entries.lock() {
            entries.remove(key);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_expire_and_can_be_forgotten() {
        let c = TtlCache::new(Duration::from_millis(50));
        let k = Uuid::from_u128(1);
        c.put(k, 7);
        assert_eq!(c.get(&k), Some(7));
        c.forget(&k);
        assert_eq!(c.get(&k), None);
        c.put(k, 8);
        std::thread::sleep(Duration::from_millis(60));
        assert_eq!(c.get(&k), None);
        let off = TtlCache::new(Duration::ZERO);
        off.put(k, 1);
        assert_eq!(off.get(&k), None);
    }
}
