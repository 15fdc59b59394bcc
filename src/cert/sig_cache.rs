//! CA-signature results kept between verifications (issue 14): a new leaf under a known
//! intermediate then costs only the leaf's CA signature and the PASSporT's, not the whole path
//! again. Used by [`crate::Verifier`] for every certificate-purpose job (CA signatures on
//! certificates and CRLs), natively and in wasm alike.
//!
//! A signature check is a pure function of (algorithm, key, signed bytes, signature), so its
//! result does not depend on the call it was made for. The key holds the algorithm, the issuer's
//! whole SubjectPublicKeyInfo and the signature bytes exactly, and the signed bytes as their
//! SHA-256 (collision resistance is what the signature itself already rests on): a different
//! signature over the same bytes, or the same signature over changed bytes, is a different key.
//! Only signatures that verified are stored, so nothing a failure says is ever reused.

use crate::crypto::{Alg, CryptoJob};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::sync::RwLock;
use std::sync::atomic::{AtomicU64, Ordering};

/// Default number of signatures kept by a verifier (a few hundred STI-CAs and their CRLs fit).
pub const DEFAULT_CAPACITY: usize = 4096;

/// What one CA-signature check was made over.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SigKey {
    alg: Alg,
    spki: Box<[u8]>,
    message_sha256: [u8; 32],
    signature: Box<[u8]>,
}

impl SigKey {
    /// The key for this job's algorithm, issuer key, signed bytes and signature.
    pub fn of(job: &CryptoJob) -> SigKey {
        SigKey {
            alg: job.alg,
            spki: job.spki.as_slice().into(),
            message_sha256: Sha256::digest(&job.message).into(),
            signature: job.signature.as_slice().into(),
        }
    }
}

/// A bounded set of CA signatures known to verify, safe to share across threads; when full, the
/// least recently used one goes.
pub struct SigCache {
    map: RwLock<HashMap<SigKey, AtomicU64>>,
    capacity: usize,
    clock: AtomicU64,
    hits: AtomicU64,
    misses: AtomicU64,
}

impl Default for SigCache {
    fn default() -> Self {
        SigCache::new(DEFAULT_CAPACITY)
    }
}

impl SigCache {
    /// An empty cache holding at most `capacity` signatures (0 keeps none: the cache is off).
    pub fn new(capacity: usize) -> SigCache {
        SigCache {
            map: RwLock::new(HashMap::new()),
            capacity,
            clock: AtomicU64::new(0),
            hits: AtomicU64::new(0),
            misses: AtomicU64::new(0),
        }
    }

    /// This signature verified before.
    pub fn verified(&self, key: &SigKey) -> bool {
        let Ok(map) = self.map.read() else {
            return false;
        };
        match map.get(key) {
            Some(used) => {
                used.store(
                    self.clock.fetch_add(1, Ordering::Relaxed),
                    Ordering::Relaxed,
                );
                self.hits.fetch_add(1, Ordering::Relaxed);
                true
            }
            None => {
                self.misses.fetch_add(1, Ordering::Relaxed);
                false
            }
        }
    }

    /// Record a signature that verified.
    pub fn remember(&self, key: SigKey) {
        if self.capacity == 0 {
            return;
        }
        let Ok(mut map) = self.map.write() else {
            return;
        };
        if map.len() >= self.capacity
            && !map.contains_key(&key)
            && let Some(oldest) = map
                .iter()
                .min_by_key(|(_, used)| used.load(Ordering::Relaxed))
                .map(|(k, _)| k.clone())
        {
            map.remove(&oldest);
        }
        let t = self.clock.fetch_add(1, Ordering::Relaxed);
        map.insert(key, AtomicU64::new(t));
    }

    /// Signatures held.
    pub fn len(&self) -> usize {
        self.map.read().map(|m| m.len()).unwrap_or(0)
    }

    /// No signature held.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The most signatures it holds.
    pub fn capacity(&self) -> usize {
        self.capacity
    }

    /// Forget every signature.
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::{KeyKind, Purpose};

    fn job(sig: u8, msg: u8) -> CryptoJob {
        CryptoJob {
            alg: Alg::ES256,
            key: KeyKind::P256,
            spki: vec![1, 2, 3],
            public_key: vec![4],
            message: vec![msg; 10],
            signature: vec![sig; 64],
            purpose: Purpose::Certificate,
        }
    }

    #[test]
    fn keys_differ_by_signature_and_message() {
        let c = SigCache::new(8);
        c.remember(SigKey::of(&job(1, 1)));
        assert!(c.verified(&SigKey::of(&job(1, 1))));
        assert!(!c.verified(&SigKey::of(&job(2, 1))));
        assert!(!c.verified(&SigKey::of(&job(1, 2))));
    }

    #[test]
    fn bounded_least_recently_used_goes() {
        let c = SigCache::new(2);
        c.remember(SigKey::of(&job(1, 0)));
        c.remember(SigKey::of(&job(2, 0)));
        assert!(c.verified(&SigKey::of(&job(1, 0))));
        c.remember(SigKey::of(&job(3, 0)));
        assert_eq!(c.len(), 2);
        assert!(c.verified(&SigKey::of(&job(1, 0))));
        assert!(!c.verified(&SigKey::of(&job(2, 0))));
        let off = SigCache::new(0);
        off.remember(SigKey::of(&job(1, 0)));
        assert!(off.is_empty());
    }
}
