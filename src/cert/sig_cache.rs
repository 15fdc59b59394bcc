//! CA-signature results kept between verifications (issue 14): a new leaf under a known
//! intermediate then costs only the leaf's CA signature and the PASSporT's, not the whole path
//! again. Used by [`crate::Verifier`] for every certificate-purpose job (CA signatures on
//! certificates and CRLs), natively and in wasm alike.
//!
//! A signature check is a pure function of (algorithm, key, signed bytes, signature), so its
//! result does not depend on the call it was made for. The key holds the algorithm, the issuer's
//! whole SubjectPublicKeyInfo, the signature and — up to [`MAX_KEPT_MESSAGE`] bytes, which
//! covers a certificate's to-be-signed part — the signed bytes exactly; a longer message (a CRL
//! listing many revocations) is held as its SHA-256 (collision resistance is what the signature
//! itself already rests on). Equality compares all of it, so a different signature over the same
//! bytes, or the same signature over changed bytes, is a different key; the map's hash reads the
//! algorithm, key, signature and message length only, which keeps a lookup free of any digest
//! of the message (issue 14: that SHA-256 was ~8 % of a new chain's cost).
//! Only signatures that verified are stored, so nothing a failure says is ever reused.

use crate::crypto::{Alg, CryptoJob};
use crate::lru::Lru;
use sha2::{Digest, Sha256};
use std::hash::{Hash, Hasher};
use std::ops::Deref;

/// Default number of signatures kept by a verifier (a few hundred STI-CAs and their CRLs fit).
pub const DEFAULT_CAPACITY: usize = 4096;

/// Signed messages up to this length are kept whole in a key; longer ones as their SHA-256.
pub const MAX_KEPT_MESSAGE: usize = 2048;

/// What one CA-signature check was made over.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SigKey {
    alg: Alg,
    spki: Box<[u8]>,
    message: Signed,
    signature: Box<[u8]>,
}

/// The signed bytes as a key holds them (which form is decided by the length alone, so equal
/// messages always take the same form).
#[derive(Debug, Clone, PartialEq, Eq)]
enum Signed {
    Whole(Box<[u8]>),
    Sha256 { len: usize, digest: [u8; 32] },
}

impl SigKey {
    /// The key for this job's algorithm, issuer key, signed bytes and signature.
    pub fn of(job: &CryptoJob) -> SigKey {
        let message = if job.message.len() <= MAX_KEPT_MESSAGE {
            Signed::Whole(job.message.as_slice().into())
        } else {
            Signed::Sha256 {
                len: job.message.len(),
                digest: Sha256::digest(&job.message).into(),
            }
        };
        SigKey {
            alg: job.alg,
            spki: job.spki.as_slice().into(),
            message,
            signature: job.signature.as_slice().into(),
        }
    }
}

impl Hash for SigKey {
    fn hash<H: Hasher>(&self, h: &mut H) {
        self.alg.hash(h);
        self.spki.hash(h);
        self.signature.hash(h);
        match &self.message {
            Signed::Whole(m) => m.len().hash(h),
            Signed::Sha256 { len, digest } => {
                len.hash(h);
                digest.hash(h);
            }
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
}

/// Size, bound, `clear` and hit counts: the shared [`Lru`]'s.
impl Deref for SigCache {
    type Target = Lru<SigKey, ()>;
    fn deref(&self) -> &Self::Target {
        &self.0
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
    fn long_messages_are_keyed_by_digest_and_still_told_apart() {
        let long = |last: u8| {
            let mut j = job(1, 7);
            j.message = vec![7; MAX_KEPT_MESSAGE + 100];
            *j.message.last_mut().unwrap() = last;
            j
        };
        let c = SigCache::new(8);
        c.remember(SigKey::of(&long(1)));
        assert!(c.verified(&SigKey::of(&long(1))));
        assert!(!c.verified(&SigKey::of(&long(2))), "one byte changed");
        let mut short = job(1, 7);
        short.message = vec![7; MAX_KEPT_MESSAGE];
        assert!(!c.verified(&SigKey::of(&short)));
        let mut other_key = long(1);
        other_key.spki = vec![1, 2, 4];
        assert!(!c.verified(&SigKey::of(&other_key)));
    }

    #[test]
    fn same_length_messages_differing_anywhere_are_different_keys() {
        let c = SigCache::new(8);
        let mut a = job(1, 0);
        a.message = (0..1000).map(|i| i as u8).collect();
        c.remember(SigKey::of(&a));
        for i in [0, 500, 999] {
            let mut b = a.clone();
            b.message[i] ^= 1;
            assert!(!c.verified(&SigKey::of(&b)), "byte {i}");
        }
        assert!(c.verified(&SigKey::of(&a.clone())));
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
