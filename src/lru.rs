//! A bounded map, safe to share across threads, where the least recently used entry goes when
//! an insert needs room: the one mechanism behind the verifier's chain cache
//! ([`crate::verify::cache`]), its CA-signature cache ([`crate::cert::sig_cache`]) and its
//! parsed-certificate cache ([`crate::cert::cert_cache`]).
//!
//! The caches wrapping it dereference to it, so their size, bound, clearing and hit counts are
//! these methods, written once; what they store and how is each wrapper's own API.
//!
//! Eviction makes room for several inserts at once (the least recently used eighth of a full
//! map): finding the oldest entries walks the whole map, and a stream of new leaves would
//! otherwise pay that walk on every insert.

use std::borrow::Borrow;
use std::collections::HashMap;
use std::hash::Hash;
use std::sync::RwLock;
use std::sync::atomic::{AtomicU64, Ordering};

/// At most `capacity` entries (0 holds none); counts hits and misses.
pub struct Lru<K, V> {
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

    /// The value for `key` (or a borrowed form of it, e.g. `&[u8]` for `Box<[u8]>`), marked as
    /// just used.
    pub(crate) fn get<Q>(&self, key: &Q) -> Option<V>
    where
        K: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
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
    /// recently used eighth of the entries (at least one).
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
        if map.len() >= self.capacity && !map.contains_key(&key) {
            let excess = map.len() + 1 - self.capacity;
            let n = excess.max(self.capacity / 8).min(map.len());
            let mut ages: Vec<u64> = map
                .values()
                .map(|(_, used)| used.load(Ordering::Relaxed))
                .collect();
            // Uses are distinct clock ticks, so exactly `n` entries are at or below the n-th.
            let (_, cut, _) = ages.select_nth_unstable(n - 1);
            let cut = *cut;
            map.retain(|_, (_, used)| used.load(Ordering::Relaxed) > cut);
        }
        let t = self.tick();
        map.insert(key, (value, AtomicU64::new(t)));
    }

    /// Entries held.
    pub fn len(&self) -> usize {
        self.map.read().map(|m| m.len()).unwrap_or(0)
    }

    /// No entry held.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The most entries it holds (0: the cache is off).
    pub fn capacity(&self) -> usize {
        self.capacity
    }

    /// Forget every entry (the hit and miss counts stay).
    pub fn clear(&self) {
        if let Ok(mut m) = self.map.write() {
            m.clear();
        }
    }

    /// (hits, misses) since creation.
    pub fn stats(&self) -> (u64, u64) {
        (
            self.hits.load(Ordering::Relaxed),
            self.misses.load(Ordering::Relaxed),
        )
    }

    fn tick(&self) -> u64 {
        self.clock.fetch_add(1, Ordering::Relaxed)
    }
}

#[cfg(test)]
mod tests {
    use super::Lru;

    #[test]
    fn least_recently_used_goes_first() {
        let l: Lru<u32, u32> = Lru::new(3);
        for k in 0..3 {
            l.insert(k, k, |_| false);
        }
        assert_eq!(l.get(&0), Some(0));
        l.insert(3, 3, |_| false);
        assert_eq!(l.len(), 3);
        assert_eq!(l.get(&1), None, "1 was the least recently used");
        assert_eq!(l.get(&0), Some(0));
        l.insert(0, 10, |_| false);
        assert_eq!(
            (l.len(), l.get(&0)),
            (3, Some(10)),
            "replacing evicts nothing"
        );
    }

    #[test]
    fn a_full_map_makes_room_for_an_eighth_and_stays_bounded() {
        let l: Lru<u32, ()> = Lru::new(64);
        for k in 0..64 {
            l.insert(k, (), |_| false);
        }
        for k in 32..64 {
            l.get(&k);
        }
        l.insert(64, (), |_| false);
        assert_eq!(l.len(), 64 - 8 + 1);
        assert!((0..8).all(|k| l.get(&k).is_none()), "the 8 oldest went");
        assert!((8..65).all(|k| l.get(&k).is_some()));
        for k in 100..1000 {
            l.insert(k, (), |_| false);
            assert!(l.len() <= 64);
        }
    }

    #[test]
    fn stale_entries_go_before_used_ones() {
        let l: Lru<u32, bool> = Lru::new(2);
        l.insert(1, true, |_| false);
        l.insert(2, false, |_| false);
        l.get(&1);
        l.insert(3, false, |stale| *stale);
        assert_eq!((l.get(&1), l.get(&2)), (None, Some(false)));
    }

    #[test]
    fn borrowed_lookup() {
        let l: Lru<Box<[u8]>, u8> = Lru::new(2);
        l.insert(b"abc".as_slice().into(), 1, |_| false);
        assert_eq!(l.get(b"abc".as_slice()), Some(1));
        assert_eq!(l.get(b"abd".as_slice()), None);
    }
}
