//! Validated chains kept between verifications (issue: repeat verifications should cost one
//! ES256 check). Entries are keyed by the trust store's fingerprint, the x5u and the exact chain
//! bytes, so a changed chain or trust store never reuses an old validation; validity periods are
//! re-checked on every use, and entries past the leaf's notAfter are dropped on lookup.
//! When to refetch an x5u is the shell's decision (HTTP caching rules), not the core's.

use crate::cert::path::ValidPath;
use crate::cert::profile::Profile;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::sync::Arc;
use std::sync::RwLock;
use std::sync::atomic::{AtomicU64, Ordering};

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Key([u8; 32]);

impl Key {
    pub fn new(trust_fingerprint: &[u8; 32], x5u: &str, chain: &[u8]) -> Key {
        let mut h = Sha256::new();
        h.update(trust_fingerprint);
        h.update((x5u.len() as u64).to_be_bytes());
        h.update(x5u.as_bytes());
        h.update(chain);
        Key(h.finalize().into())
    }
}

#[derive(Debug)]
pub struct Entry {
    pub path: ValidPath,
    pub profile: Profile,
    pub chain_len: usize,
}

struct Slot {
    entry: Arc<Entry>,
    last_used: AtomicU64,
}

/// A bounded, least-recently-used map of validated chains, safe to share across threads.
pub struct ChainCache {
    map: RwLock<HashMap<Key, Slot>>,
    capacity: usize,
    clock: AtomicU64,
    hits: AtomicU64,
    misses: AtomicU64,
}

impl ChainCache {
    pub fn new(capacity: usize) -> ChainCache {
        ChainCache {
            map: RwLock::new(HashMap::new()),
            capacity: capacity.max(1),
            clock: AtomicU64::new(0),
            hits: AtomicU64::new(0),
            misses: AtomicU64::new(0),
        }
    }

    pub fn get(&self, key: &Key) -> Option<Arc<Entry>> {
        let map = self.map.read().ok()?;
        match map.get(key) {
            Some(slot) => {
                slot.last_used.store(
                    self.clock.fetch_add(1, Ordering::Relaxed),
                    Ordering::Relaxed,
                );
                self.hits.fetch_add(1, Ordering::Relaxed);
                Some(slot.entry.clone())
            }
            None => {
                self.misses.fetch_add(1, Ordering::Relaxed);
                None
            }
        }
    }

    pub fn insert(&self, key: Key, entry: Entry) {
        let Ok(mut map) = self.map.write() else {
            return;
        };
        if map.len() >= self.capacity && !map.contains_key(&key) {
            if let Some(oldest) = map
                .iter()
                .min_by_key(|(_, s)| s.last_used.load(Ordering::Relaxed))
                .map(|(k, _)| k.clone())
            {
                map.remove(&oldest);
            }
        }
        let t = self.clock.fetch_add(1, Ordering::Relaxed);
        map.insert(
            key,
            Slot {
                entry: Arc::new(entry),
                last_used: AtomicU64::new(t),
            },
        );
    }

    /// Drop entries whose leaf certificate has expired by `now`.
    pub fn purge_expired(&self, now: i64) {
        if let Ok(mut map) = self.map.write() {
            map.retain(|_, s| {
                s.entry
                    .path
                    .certs
                    .first()
                    .is_some_and(|l| l.not_after >= now)
            });
        }
    }

    pub fn len(&self) -> usize {
        self.map.read().map(|m| m.len()).unwrap_or(0)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

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
}
