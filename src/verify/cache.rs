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
use std::borrow::Borrow;
use std::hash::{Hash, Hasher};
use std::ops::Deref;
use std::sync::Arc;
use std::sync::OnceLock;

/// The exact trust store, x5u and chain bytes a validation was made for. Equality compares all of
/// them (no digest, so no collision can ever reuse a validation); the hash reads only the store's
/// fingerprint, the URL, the length and the chain's last bytes (the end of the last certificate's
/// signature), which keeps a repeat lookup to a short hash and one memcmp instead of a SHA-256
/// over the whole chain. A lookup borrows the three parts ([`KeyRef`]); only a chain stored
/// after validating is copied into a `Key`.
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

/// A key's parts borrowed from the call (what a lookup needs; nothing copied).
#[derive(Debug, Clone, Copy)]
pub struct KeyRef<'a> {
    /// The trust store's fingerprint.
    pub trust: &'a [u8; 32],
    /// The x5u URL.
    pub x5u: &'a str,
    /// The chain bytes as served.
    pub chain: &'a [u8],
}

impl KeyRef<'_> {
    /// The owned key, to store a validation under.
    pub fn to_key(self) -> Key {
        Key::new(self.trust, self.x5u, self.chain)
    }
}

/// What a key compares and hashes, owned ([`Key`]) or borrowed ([`KeyRef`]): the map looks a
/// `KeyRef` up among `Key`s through `dyn KeyParts`, with one hash and one equality for both.
pub trait KeyParts {
    /// (trust store fingerprint, x5u, chain bytes).
    fn parts(&self) -> (&[u8; 32], &str, &[u8]);
}

impl KeyParts for Key {
    fn parts(&self) -> (&[u8; 32], &str, &[u8]) {
        (&self.trust, &self.x5u, &self.chain)
    }
}

impl KeyParts for KeyRef<'_> {
    fn parts(&self) -> (&[u8; 32], &str, &[u8]) {
        (self.trust, self.x5u, self.chain)
    }
}

impl Hash for dyn KeyParts + '_ {
    fn hash<H: Hasher>(&self, h: &mut H) {
        let (trust, x5u, chain) = self.parts();
        trust.hash(h);
        x5u.hash(h);
        chain.len().hash(h);
        h.write(&chain[chain.len().saturating_sub(64)..]);
    }
}

impl PartialEq for dyn KeyParts + '_ {
    fn eq(&self, other: &Self) -> bool {
        self.parts() == other.parts()
    }
}

impl Eq for dyn KeyParts + '_ {}

impl Hash for Key {
    fn hash<H: Hasher>(&self, h: &mut H) {
        (self as &dyn KeyParts).hash(h)
    }
}

impl<'a> Borrow<dyn KeyParts + 'a> for Key {
    fn borrow(&self) -> &(dyn KeyParts + 'a) {
        self
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

    /// The validation stored for `key` (a [`Key`] or a borrowed [`KeyRef`]).
    pub fn get(&self, key: &impl KeyParts) -> Option<Arc<Entry>> {
        self.0.get(key as &dyn KeyParts)
    }

    /// Store a validation; when full, entries whose leaf has expired by `now` go first, then
    /// the least recently used one.
    pub fn insert(&self, key: Key, entry: Entry, now: i64) {
        self.0.insert(key, Arc::new(entry), |e| e.expired(now));
    }
}

/// Size, bound, `clear` and hit counts: the shared [`Lru`]'s.
impl Deref for ChainCache {
    type Target = Lru<Key, Arc<Entry>>;
    fn deref(&self) -> &Self::Target {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::hash_map::DefaultHasher;

    fn hash_of(k: &dyn KeyParts) -> u64 {
        let mut h = DefaultHasher::new();
        k.hash(&mut h);
        h.finish()
    }

    #[test]
    fn a_borrowed_key_hashes_and_compares_like_the_owned_one() {
        let chain: Vec<u8> = (0..300u32).map(|i| i as u8).collect();
        let r = KeyRef {
            trust: &[7; 32],
            x5u: "https://cr.example/a.pem",
            chain: &chain,
        };
        let k = r.to_key();
        assert_eq!(hash_of(&k), hash_of(&r));
        assert!((&k as &dyn KeyParts) == (&r as &dyn KeyParts));
        let mut other = chain.clone();
        other[10] ^= 1; // same length and tail: same hash, still a different key
        let r2 = KeyRef { chain: &other, ..r };
        assert_eq!(hash_of(&k), hash_of(&r2));
        assert!((&k as &dyn KeyParts) != (&r2 as &dyn KeyParts));
        let r3 = KeyRef {
            x5u: "https://cr.example/b.pem",
            ..r
        };
        assert!((&k as &dyn KeyParts) != (&r3 as &dyn KeyParts));
        let r4 = KeyRef {
            trust: &[8; 32],
            ..r
        };
        assert!((&k as &dyn KeyParts) != (&r4 as &dyn KeyParts));
    }
}
