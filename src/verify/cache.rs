//! Validated chains kept between verifications (issue: repeat verifications should cost one
//! ES256 check). Entries are keyed by the trust store's fingerprint, the x5u and the exact chain
//! bytes, so a changed chain or trust store never reuses an old validation; validity periods are
//! re-checked on every use (`cert.validity` fails on a cache hit as it does without the cache).
//! An entry whose leaf has expired is kept while there is room, and is the first to go when an
//! insert needs room (before the least recently used valid entry).
//! When to refetch an x5u is the shell's decision (HTTP caching rules), not the core's.

use crate::cert::path::ValidPath;
use crate::cert::profile::Profile;
use crate::lru::Lru;
use crate::verdict::{Check, CrlReport, Signer};
use std::hash::{Hash, Hasher};
use std::sync::Arc;
use std::sync::OnceLock;

/// The exact trust store, x5u and chain bytes a validation was made for. Equality compares all of
/// them (no digest, so no collision can ever reuse a validation); the hash reads only the store's
/// fingerprint, the URL, the length and the chain's last bytes (the end of the last certificate's
/// signature), which keeps a repeat lookup to a short hash and one memcmp instead of a SHA-256
/// over the whole chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Key {
    trust: [u8; 32],
    x5u: Box<str>,
    chain: Box<[u8]>,
}

impl Key {
    /// The key for this trust store fingerprint, x5u and chain bytes.
    pub fn new(trust_fingerprint: &[u8; 32], x5u: &str, chain: &[u8]) -> Key {
        Key {
            trust: *trust_fingerprint,
            x5u: x5u.into(),
            chain: chain.into(),
        }
    }
}

impl Hash for Key {
    fn hash<H: Hasher>(&self, h: &mut H) {
        self.trust.hash(h);
        self.x5u.hash(h);
        self.chain.len().hash(h);
        h.write(&self.chain[self.chain.len().saturating_sub(64)..]);
    }
}

/// One validated chain.
#[derive(Debug)]
pub struct Entry {
    /// The validated path.
    pub path: ValidPath,
    /// The leaf's profile findings.
    pub profile: Profile,
    /// Certificates served.
    pub chain_len: usize,
    /// The signer shown for this chain and x5u (a function of both, so built once).
    pub signer: Arc<Signer>,
    /// `cert.fetch`, `cert.profile` and `cert.chain` for a hit: functions of the entry alone,
    /// so worded once (issue 14: per-cached-chain results kept ready).
    pub ready: OnceLock<[Check; 3]>,
    /// `cert.revocation` and its CRL reports when no CRL at all was supplied or fetched for
    /// the call: then a function of the path alone, so worded once.
    pub no_crl_revocation: OnceLock<(Check, Vec<CrlReport>)>,
}

impl Entry {
    fn expired(&self, now: i64) -> bool {
        self.path.certs.first().is_none_or(|l| l.not_after < now)
    }
}

/// A bounded, least-recently-used map of validated chains, safe to share across threads.
pub struct ChainCache(Lru<Key, Arc<Entry>>);

impl ChainCache {
    /// An empty cache holding at most `capacity` chains (at least one).
    pub fn new(capacity: usize) -> ChainCache {
        ChainCache(Lru::new(capacity.max(1)))
    }

    /// The validation stored for `key`.
    pub fn get(&self, key: &Key) -> Option<Arc<Entry>> {
        self.0.get(key)
    }

    /// Store a validation; when full, entries whose leaf has expired by `now` go first, then
    /// the least recently used one.
    pub fn insert(&self, key: Key, entry: Entry, now: i64) {
        self.0.insert(key, Arc::new(entry), |e| e.expired(now));
    }

    /// Drop entries whose leaf certificate has expired by `now`.
    pub fn purge_expired(&self, now: i64) {
        self.0.retain(|e| !e.expired(now));
    }

    /// Chains held.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// No chain held.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Drop every chain.
    pub fn clear(&self) {
        self.0.clear()
    }

    /// (hits, misses) since creation.
    pub fn stats(&self) -> (u64, u64) {
        self.0.stats()
    }
}
