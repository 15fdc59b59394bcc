//! Reading what an x5u URL serves — the one place that decides what a chain body may be, for
//! the verifier and for the shells (wasm `inspectChain`) alike:
//! - PEM `CERTIFICATE` blocks, leaf first (ATIS-1000080 §6.3.x), at most [`MAX_CHAIN_CERTS`];
//!   text between blocks and blocks of other types are ignored;
//! - or the DER of a single certificate (some repositories serve `.crt` files that way);
//! - or, with no certificate at all, one `PUBLIC KEY` block: signatures can be checked but the
//!   signer is not identified (`cert.fetch` warns);
//! - never more than [`MAX_CHAIN_BYTES`].

use super::cert_cache::CertCache;
use super::parse::{CertError, ParsedCert};
use crate::limits::{MAX_CHAIN_BYTES, MAX_CHAIN_CERTS};
use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;

/// Why a served chain is unusable (→ `cert.fetch` fails, 436).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChainError {
    Empty,
    TooLarge(usize),
    TooMany(usize),
    NoCertificates,
    BadPem(String),
    BadCert { index: usize, error: CertError },
}

impl fmt::Display for ChainError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ChainError::Empty => write!(f, "the certificate chain is empty"),
            ChainError::TooLarge(n) => {
                write!(
                    f,
                    "the certificate chain is {n} bytes, over the {MAX_CHAIN_BYTES}-byte limit"
                )
            }
            ChainError::TooMany(n) => write!(
                f,
                "the chain has {n} certificates, over the limit of {MAX_CHAIN_CERTS}"
            ),
            ChainError::NoCertificates => write!(f, "the x5u content holds no PEM certificate"),
            ChainError::BadPem(e) => write!(f, "the x5u content is not valid PEM ({e})"),
            ChainError::BadCert { index, error } => {
                write!(f, "certificate #{} in the chain is {error}", index + 1)
            }
        }
    }
}

/// What the x5u content held.
#[derive(Debug, Clone)]
pub enum Credential<C = ParsedCert> {
    /// Certificates, leaf first.
    Chain(Vec<C>),
    /// A bare public key (SPKI DER): signatures can be checked, but nobody is identified.
    KeyOnly(Vec<u8>),
}

/// Read x5u content, parsing every certificate.
pub fn parse_chain(bytes: &[u8]) -> Result<Credential, ChainError> {
    read_chain(bytes, |_| None, |der, _| ParsedCert::from_der(der))
}

/// Read x5u content like [`parse_chain`], taking certificates read before from `cache` (a
/// certificate served before as the same PEM block is not even base64-decoded again).
pub fn parse_chain_cached(
    bytes: &[u8],
    cache: &CertCache,
) -> Result<Credential<Arc<ParsedCert>>, ChainError> {
    read_chain(
        bytes,
        |served| cache.get(served),
        |der, served| cache.parse(der, served),
    )
}

/// The one reading of x5u content. `known` gives the certificate a DER body or PEM block
/// (as [`pem_blocks`] gives it) encoded when it was read before; `cert` turns a certificate's
/// DER, served as the given body or block, into a `C`.
fn read_chain<C>(
    bytes: &[u8],
    mut known: impl FnMut(&[u8]) -> Option<C>,
    mut cert: impl FnMut(&[u8], &[u8]) -> Result<C, CertError>,
) -> Result<Credential<C>, ChainError> {
    if bytes.len() > MAX_CHAIN_BYTES {
        return Err(ChainError::TooLarge(bytes.len()));
    }
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(ChainError::Empty);
    }
    if bytes.first() == Some(&0x30) {
        let c = match known(bytes) {
            Some(c) => c,
            None => cert(bytes, bytes).map_err(|error| ChainError::BadCert { index: 0, error })?,
        };
        return Ok(Credential::Chain(vec![c]));
    }
    let text = std::str::from_utf8(bytes).map_err(|_| ChainError::NoCertificates)?;
    let mut certs = Vec::new();
    let mut key = None;
    for block in pem_block_slices(text) {
        // Only blocks that decoded to a certificate are known, so a known block is one.
        let (label, der) = match known(block.as_bytes()) {
            Some(c) => (CERTIFICATE, Err(c)),
            None => der::pem::decode_vec(block.as_bytes())
                .map(|(label, der)| (label, Ok(der)))
                .map_err(|e| ChainError::BadPem(e.to_string()))?,
        };
        match label {
            CERTIFICATE | "X509 CERTIFICATE" | "TRUSTED CERTIFICATE" => {
                if certs.len() == MAX_CHAIN_CERTS {
                    return Err(ChainError::TooMany(certs.len() + 1));
                }
                let index = certs.len();
                certs.push(match der {
                    Err(c) => c,
                    Ok(der) => cert(&der, block.as_bytes())
                        .map_err(|error| ChainError::BadCert { index, error })?,
                });
            }
            "PUBLIC KEY" if key.is_none() => key = der.ok(),
            _ => {}
        }
    }
    match (certs.is_empty(), key) {
        (false, _) => Ok(Credential::Chain(certs)),
        (true, Some(k)) => Ok(Credential::KeyOnly(k)),
        (true, None) => Err(ChainError::NoCertificates),
    }
}

const CERTIFICATE: &str = "CERTIFICATE";

/// Slices of `text` from each `-----BEGIN` to its matching `-----END ...-----` line, with
/// leading whitespace on lines removed (pasted chains are often indented): each block is its
/// lines trimmed, each ended by `\n` ([`pem_block_slices`], copied).
pub fn pem_blocks(text: &str) -> Vec<String> {
    pem_block_slices(text)
        .into_iter()
        .map(Cow::into_owned)
        .collect()
}

/// The blocks [`pem_blocks`] gives, a block already in that form (what repositories serve)
/// borrowed from `text`; only one that needed cleaning is copied.
pub fn pem_block_slices(text: &str) -> Vec<Cow<'_, str>> {
    let mut out = Vec::new();
    // The block being read: where it starts in `text`, and its cleaned copy once a line of it
    // needed cleaning.
    let mut cur: Option<(usize, Option<String>)> = None;
    let mut at = 0;
    for piece in text.split_inclusive('\n') {
        let start = at;
        at += piece.len();
        let line = piece.trim();
        if line.starts_with("-----BEGIN ") {
            cur = Some((start, None));
        }
        let Some((begin, copy)) = cur.as_mut() else {
            continue;
        };
        // `line` is a sub-slice of `piece`, so this holds only for `line` + "\n" exactly.
        let clean = line.len() + 1 == piece.len() && piece.ends_with('\n');
        match copy {
            Some(buf) => {
                buf.push_str(line);
                buf.push('\n');
            }
            None if clean => {}
            None => {
                let mut buf = text[*begin..start].to_string();
                buf.push_str(line);
                buf.push('\n');
                *copy = Some(buf);
            }
        }
        if line.starts_with("-----END ") {
            let begin = *begin;
            out.push(match cur.take().and_then(|(_, copy)| copy) {
                Some(buf) => Cow::Owned(buf),
                None => Cow::Borrowed(&text[begin..at]),
            });
        }
    }
    out
}

/// What a shell needs to know about a served chain before caching it (wasm `inspectChain`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainSummary {
    /// `true` for a bare public key instead of certificates.
    pub key_only: bool,
    /// Certificates in the chain (0 for a bare key).
    pub count: usize,
    /// The usable content re-encoded as PEM (only the blocks the verifier uses), leaf first:
    /// what a shell caches and serves.
    pub pem: String,
    /// The leaf's notAfter (unix seconds); `None` for a bare key.
    pub leaf_not_after: Option<i64>,
    /// The earliest notAfter in the chain: past it the chain cannot verify, so no cache keeps it.
    pub not_after: Option<i64>,
}

/// Parses a served chain like the verifier does and summarises it for caching.
pub fn inspect(bytes: &[u8]) -> Result<ChainSummary, ChainError> {
    let pem = |label: &str, der: &[u8]| {
        der::pem::encode_string(label, der::pem::LineEnding::LF, der)
            .map_err(|e| ChainError::BadPem(e.to_string()))
    };
    match parse_chain(bytes)? {
        Credential::KeyOnly(k) => Ok(ChainSummary {
            key_only: true,
            count: 0,
            pem: pem("PUBLIC KEY", &k)?,
            leaf_not_after: None,
            not_after: None,
        }),
        Credential::Chain(certs) => Ok(ChainSummary {
            key_only: false,
            count: certs.len(),
            pem: certs
                .iter()
                .map(|c| pem("CERTIFICATE", &c.der))
                .collect::<Result<String, _>>()?,
            leaf_not_after: certs.first().map(|c| c.not_after),
            not_after: certs.iter().map(|c| c.not_after).min(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The reading `pem_blocks` had before it borrowed: every block copied line by line.
    fn pem_blocks_copied(text: &str) -> Vec<String> {
        let mut out = Vec::new();
        let mut cur: Option<String> = None;
        for line in text.lines() {
            let line = line.trim();
            if line.starts_with("-----BEGIN ") {
                cur = Some(String::new());
            }
            if let Some(buf) = cur.as_mut() {
                buf.push_str(line);
                buf.push('\n');
                if line.starts_with("-----END ") {
                    out.extend(cur.take());
                }
            }
        }
        out
    }

    #[test]
    fn clean_blocks_are_borrowed_and_indented_ones_cleaned() {
        let clean = "junk\n-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\ntail\n";
        let b = pem_block_slices(clean);
        assert_eq!(b.len(), 1);
        assert!(matches!(b[0], Cow::Borrowed(_)));
        assert_eq!(
            b[0],
            "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"
        );
        let messy = "  -----BEGIN CERTIFICATE-----\r\n  AAAA \r\n-----END CERTIFICATE-----";
        let b = pem_block_slices(messy);
        assert!(matches!(b[0], Cow::Owned(_)));
        assert_eq!(
            b[0],
            "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"
        );
        let late = "-----BEGIN X-----\nAA\n  BB\n-----END X-----\n";
        assert_eq!(
            pem_blocks(late)[0],
            "-----BEGIN X-----\nAA\nBB\n-----END X-----\n"
        );
    }

    proptest! {
        /// Same blocks, byte for byte, as the copying reading, for texts built from PEM-ish
        /// lines with random indentation, line endings and restarts.
        #[test]
        fn same_blocks_as_the_copying_reading(
            lines in proptest::collection::vec(
                (0usize..6, "[ \t]{0,2}", "[ \t]{0,2}", 0usize..3, "[A-Za-z0-9+/=]{0,8}"),
                0..24,
            )
        ) {
            let mut text = String::new();
            for (kind, pre, post, end, body) in &lines {
                let line = match kind {
                    0 => "-----BEGIN CERTIFICATE-----".to_string(),
                    1 => "-----END CERTIFICATE-----".to_string(),
                    2 => "-----BEGIN PUBLIC KEY-----".to_string(),
                    _ => body.clone(),
                };
                text.push_str(pre);
                text.push_str(&line);
                text.push_str(post);
                text.push_str(["\n", "\r\n", ""][*end]);
            }
            prop_assert_eq!(pem_blocks(&text), pem_blocks_copied(&text));
        }
    }
}
