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
use crate::lru::Lru;
use sha2::{Digest, Sha256};

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
pub struct SigCache(Lru<SigKey, ()>);

impl Default for SigCache {
    fn default() -> Self {
        SigCache::new(DEFAULT_CAPACITY)
    }
}

impl SigCache {
    /// An empty cache holding at most `capacity` signatures (0 keeps none: the cache is off).
    pub fn new(capacity: usize) -> SigCache {
        SigCache(Lru::new(capacity))
    }

    /// This signature verified before.
    pub fn verified(&self, key: &SigKey) -> bool {
        self.0.get(key).is_some()
    }

    /// Record a signature that verified.
    pub fn remember(&self, key: SigKey) {
        self.0.insert(key, (), |_| false);
    }

    /// Signatures held.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// No signature held.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The most signatures it holds.
    pub fn capacity(&self) -> usize {
        self.0.capacity()
    }

    /// Forget every signature.
    pub fn clear(&self) {
        self.0.clear()
    }

    /// (hits, misses) since creation.
    pub fn stats(&self) -> (u64, u64) {
        self.0.stats()
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
