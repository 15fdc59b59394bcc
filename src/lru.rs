//! A bounded map, safe to share across threads, where the least recently used entry goes when
//! an insert needs room: the one mechanism behind the verifier's chain cache
//! ([`crate::verify::cache`]) and its CA-signature cache ([`crate::cert::sig_cache`]).

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::RwLock;
use std::sync::atomic::{AtomicU64, Ordering};

/// At most `capacity` entries (0 holds none); counts hits and misses.
pub(crate) struct Lru<K, V> {
    map: RwLock<HashMap<K, (V, AtomicU64)>>,
    capacity: usize,
    clock: AtomicU64,
    hits: AtomicU64,
    misses: AtomicU64,
}

impl<K: Eq + Hash + Clone, V: Clone> Lru<K, V> {
    pub(crate) fn new(capacity: usize) -> Self {
        Lru {
            map: RwLock::new(HashMap::new()),
            capacity,
            clock: AtomicU64::new(0),
            hits: AtomicU64::new(0),
            misses: AtomicU64::new(0),
        }
    }

    /// The value for `key`, marked as just used.
    pub(crate) fn get(&self, key: &K) -> Option<V> {
        let map = self.map.read().ok()?;
        match map.get(key) {
            Some((v, used)) => {
                used.store(self.tick(), Ordering::Relaxed);
                self.hits.fetch_add(1, Ordering::Relaxed);
                Some(v.clone())
            }
            None => {
                self.misses.fetch_add(1, Ordering::Relaxed);
                None
            }
        }
    }

    /// Store `value`; when full, entries `stale` says may go are dropped first, then the least
    /// recently used one.
    pub(crate) fn insert(&self, key: K, value: V, stale: impl Fn(&V) -> bool) {
        if self.capacity == 0 {
            return;
        }
        let Ok(mut map) = self.map.write() else {
            return;
        };
        if map.len() >= self.capacity && !map.contains_key(&key) {
            map.retain(|_, (v, _)| !stale(v));
        }
        if map.len() >= self.capacity
            && !map.contains_key(&key)
            && let Some(oldest) = map
                .iter()
                .min_by_key(|(_, (_, used))| used.load(Ordering::Relaxed))
                .map(|(k, _)| k.clone())
        {
            map.remove(&oldest);
        }
        let t = self.tick();
        map.insert(key, (value, AtomicU64::new(t)));
    }

    /// Keep only the entries `keep` accepts.
    pub(crate) fn retain(&self, keep: impl Fn(&V) -> bool) {
        if let Ok(mut map) = self.map.write() {
            map.retain(|_, (v, _)| keep(v));
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.map.read().map(|m| m.len()).unwrap_or(0)
    }

    pub(crate) fn capacity(&self) -> usize {
        self.capacity
    }

    pub(crate) fn clear(&self) {
        if let Ok(mut m) = self.map.write() {
            m.clear();
        }
    }

    /// (hits, misses) since creation.
    pub(crate) fn stats(&self) -> (u64, u64) {
        (
            self.hits.load(Ordering::Relaxed),
            self.misses.load(Ordering::Relaxed),
        )
    }

    fn tick(&self) -> u64 {
        self.clock.fetch_add(1, Ordering::Relaxed)
    }
}
