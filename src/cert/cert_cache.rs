//! Parsed certificates kept between verifications (issue 14): a chain that is not in the chain
//! cache is read again on every call, but its certificates mostly are not new — an intermediate
//! serves thousands of leaves — so an intermediate seen before is not decoded again and a new
//! leaf under it costs one certificate's decoding.
//!
//! A [`ParsedCert`] is a pure function of its DER, so it does not depend on the call it was made
//! for. Entries are keyed by the certificate exactly as it was served: its DER, or the PEM block
//! it came in (as [`super::chain::pem_blocks`] gives it — a known block is then not even
//! base64-decoded again); a block decodes to one DER, so both keys name one certificate, and
//! they never meet (a PEM block starts with `-----BEGIN `, a certificate's DER with 0x30).
//! Equality compares all the bytes: two different certificates never share an entry, whatever
//! their digests; the map hashes them with the standard library's keyed SipHash. Only
//! certificates that parse are kept. Bounded (least recently used goes) and shared across
//! threads like the verifier's other caches.

use super::parse::{CertError, ParsedCert};
use crate::lru::Lru;
use std::ops::Deref;
use std::sync::Arc;

/// Default number of certificates kept by a verifier (a few hundred STI-CAs and their recent
/// leaves fit; each entry holds a certificate of 1–2 KB and what was read from it, ~4 KB).
pub const DEFAULT_CAPACITY: usize = 1024;

/// A bounded map from certificate DER to the certificate parsed, safe to share across threads.
pub struct CertCache(Lru<Box<[u8]>, Arc<ParsedCert>>);

impl Default for CertCache {
    fn default() -> Self {
        CertCache::new(DEFAULT_CAPACITY)
    }
}

impl CertCache {
    /// An empty cache holding at most `capacity` certificates (0 keeps none: the cache is off).
    pub fn new(capacity: usize) -> CertCache {
        CertCache(Lru::new(capacity))
    }

    /// The certificate read before from `served` (its DER, or the PEM block it came in).
    pub fn get(&self, served: &[u8]) -> Option<Arc<ParsedCert>> {
        self.0.get(served)
    }

    /// The certificate `der` encodes: read before, or parsed now (and kept when it parses).
    pub fn parse_der(&self, der: &[u8]) -> Result<Arc<ParsedCert>, CertError> {
        match self.get(der) {
            Some(c) => Ok(c),
            None => self.parse(der, der),
        }
    }

    /// Parse the certificate `der`, served as `served` (the same DER, or the PEM block it was
    /// decoded from), and keep it under `served` when it parses.
    pub(crate) fn parse(&self, der: &[u8], served: &[u8]) -> Result<Arc<ParsedCert>, CertError> {
        let c = Arc::new(ParsedCert::from_der(der)?);
        self.0.insert(served.into(), c.clone(), |_| false);
        Ok(c)
    }
}

/// Size, bound, `clear` and hit counts: the shared [`Lru`]'s.
impl Deref for CertCache {
    type Target = Lru<Box<[u8]>, Arc<ParsedCert>>;
    fn deref(&self) -> &Self::Target {
        &self.0
    }
}
