//! `rcdi` digest strings: `<alg>-<base64 of the hash>` (RFC 9795 §6, the W3C Subresource
//! Integrity form), with `sha256`, `sha384` or `sha512`.
//!
//! Signers here emit standard base64 with padding (as SRI does); a verifier accepts standard or
//! URL-safe base64, padded or not, since both spellings are seen for the same digest. The hash
//! length must match the algorithm exactly.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use sha2::Digest as _;
use std::fmt;

/// Longest digest string read (a sha512 digest in base64 is 88 characters plus `sha512-`).
pub const MAX_DIGEST_CHARS: usize = 128;

const LENIENT: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// A hash algorithm an `rcdi` digest may name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Alg {
    /// SHA-256.
    Sha256,
    /// SHA-384.
    Sha384,
    /// SHA-512.
    Sha512,
}

impl Alg {
    /// The name in a digest string.
    pub fn name(self) -> &'static str {
        match self {
            Alg::Sha256 => "sha256",
            Alg::Sha384 => "sha384",
            Alg::Sha512 => "sha512",
        }
    }

    fn from_name(s: &str) -> Option<Alg> {
        match s {
            "sha256" => Some(Alg::Sha256),
            "sha384" => Some(Alg::Sha384),
            "sha512" => Some(Alg::Sha512),
            _ => None,
        }
    }

    fn len(self) -> usize {
        match self {
            Alg::Sha256 => 32,
            Alg::Sha384 => 48,
            Alg::Sha512 => 64,
        }
    }

    /// The hash of `bytes`.
    pub fn hash(self, bytes: &[u8]) -> Vec<u8> {
        match self {
            Alg::Sha256 => sha2::Sha256::digest(bytes).to_vec(),
            Alg::Sha384 => sha2::Sha384::digest(bytes).to_vec(),
            Alg::Sha512 => sha2::Sha512::digest(bytes).to_vec(),
        }
    }
}

/// A parsed digest string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Digest {
    /// Its algorithm.
    pub alg: Alg,
    /// The hash value.
    pub value: Vec<u8>,
}

impl Digest {
    /// Whether `bytes` hash to this digest.
    pub fn matches(&self, bytes: &[u8]) -> bool {
        self.alg.hash(bytes) == self.value
    }
}

/// Why a digest string cannot be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DigestError {
    /// The value is not a JSON string.
    NotString,
    /// Longer than [`MAX_DIGEST_CHARS`].
    TooLong(usize),
    /// No `-` between the algorithm and the hash.
    NoAlg,
    /// An algorithm other than sha256, sha384, sha512.
    UnknownAlg(String),
    /// The hash is not base64.
    Base64,
    /// The hash has the wrong length for its algorithm.
    Length {
        /// The algorithm named.
        alg: Alg,
        /// Bytes decoded.
        got: usize,
    },
}

impl fmt::Display for DigestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DigestError::NotString => write!(f, "the digest is not a string"),
            DigestError::TooLong(n) => write!(
                f,
                "the digest is {n} characters long (at most {MAX_DIGEST_CHARS})"
            ),
            DigestError::NoAlg => write!(
                f,
                "the digest is not of the form sha256-<base64> (no algorithm before a \"-\")"
            ),
            DigestError::UnknownAlg(a) => write!(
                f,
                "the digest algorithm {a:?} is not sha256, sha384 or sha512"
            ),
            DigestError::Base64 => write!(f, "the digest's hash is not base64"),
            DigestError::Length { alg, got } => write!(
                f,
                "a {} hash is {} bytes, this one is {got}",
                alg.name(),
                alg.len()
            ),
        }
    }
}

impl std::error::Error for DigestError {}

/// Read a digest string such as `sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=`.
pub fn parse(s: &str) -> Result<Digest, DigestError> {
    if s.len() > MAX_DIGEST_CHARS {
        return Err(DigestError::TooLong(s.chars().count()));
    }
    let (name, b64) = s.split_once('-').ok_or(DigestError::NoAlg)?;
    let alg = Alg::from_name(name).ok_or_else(|| DigestError::UnknownAlg(name.to_string()))?;
    let normal: String = b64
        .chars()
        .map(|c| match c {
            '-' => '+',
            '_' => '/',
            c => c,
        })
        .collect();
    let value = LENIENT
        .decode(normal.as_bytes())
        .map_err(|_| DigestError::Base64)?;
    if value.len() != alg.len() {
        return Err(DigestError::Length {
            alg,
            got: value.len(),
        });
    }
    Ok(Digest { alg, value })
}

/// The digest string a signer writes for `bytes`.
pub fn format(alg: Alg, bytes: &[u8]) -> String {
    format!("{}-{}", alg.name(), STANDARD.encode(alg.hash(bytes)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_spellings() {
        // SHA-256 of the empty string, the SRI spelling and the base64url spelling.
        let d = parse("sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=").unwrap();
        assert!(d.matches(b""));
        assert_eq!(
            parse("sha256-47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU").unwrap(),
            d
        );
        assert_eq!(
            format(Alg::Sha256, b""),
            "sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="
        );
        for alg in [Alg::Sha256, Alg::Sha384, Alg::Sha512] {
            let s = format(alg, b"logo");
            assert!(parse(&s).unwrap().matches(b"logo"), "{s}");
            assert!(!parse(&s).unwrap().matches(b"logo!"), "{s}");
        }
    }

    #[test]
    fn bad_strings_say_why() {
        assert_eq!(parse("abc"), Err(DigestError::NoAlg));
        assert_eq!(
            parse("md5-1B2M2Y8AsgTpgAmY7PhCfg=="),
            Err(DigestError::UnknownAlg("md5".into()))
        );
        assert_eq!(parse("sha256-***"), Err(DigestError::Base64));
        assert!(matches!(
            parse("sha256-AAAA"),
            Err(DigestError::Length { got: 3, .. })
        ));
        assert!(matches!(
            parse(&format!("sha256-{}", "A".repeat(500))),
            Err(DigestError::TooLong(_))
        ));
    }
}
