//! Authentication service side: build and sign a SHAKEN PASSporT (RFC 8588) and its Identity
//! header, in the canonical form RFC 8225 §9 asks signers to emit (sorted members, no spaces).
//! Used by the CLI `sign`, the page's demo signer and the tests.

use crate::json::b64url_encode;
use crate::tn;
use p256::ecdsa::{Signature, SigningKey, signature::Signer};
use p256::pkcs8::DecodePrivateKey;
use serde_json::json;
use sha2::{Digest, Sha256};
use std::fmt;

/// Why a PASSporT could not be signed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignError {
    /// The signing key is not a P-256 private key in PEM.
    Key(String),
    /// The attestation level is not A, B or C.
    Attest(String),
    /// A calling or called number is not a telephone number.
    Number {
        /// Which claim it was (`orig` or `dest`).
        which: &'static str,
        /// The value as given.
        value: String,
    },
    /// No destination number was given.
    NoDest,
    /// The x5u URL is not usable.
    X5u(String),
}

impl fmt::Display for SignError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SignError::Key(e) => write!(
                f,
                "the signing key is not a P-256 private key in PKCS#8 or SEC1 PEM ({e})"
            ),
            SignError::Attest(a) => write!(f, "attest must be A, B or C, not {a:?}"),
            SignError::Number { which, value } => {
                write!(f, "{which} {value:?} is not a telephone number")
            }
            SignError::NoDest => write!(f, "at least one destination number is needed"),
            SignError::X5u(e) => write!(f, "the x5u URL is not usable: {e}"),
        }
    }
}

impl std::error::Error for SignError {}

/// What to sign.
#[derive(Debug, Clone)]
pub struct Claims {
    /// Where the verifier fetches the signing certificate (the `x5u` header).
    pub x5u: String,
    /// The attestation level: A, B or C.
    pub attest: String,
    /// The calling number; canonicalized before signing.
    pub orig: String,
    /// The called numbers (at least one); canonicalized before signing.
    pub dest: Vec<String>,
    /// Issued-at time, unix seconds.
    pub iat: i64,
    /// A UUID; when absent one is derived from the other claims (name-based, so signing stays
    /// deterministic and sans-IO).
    pub origid: Option<String>,
}

/// Parse a P-256 private key from PKCS#8 (`PRIVATE KEY`) or SEC1 (`EC PRIVATE KEY`) PEM.
pub fn load_key(pem: &str) -> Result<SigningKey, SignError> {
    let pem = pem.trim();
    if pem.contains("BEGIN EC PRIVATE KEY") {
        let sk = p256::SecretKey::from_sec1_pem(pem).map_err(|e| SignError::Key(e.to_string()))?;
        return Ok(SigningKey::from(sk));
    }
    SigningKey::from_pkcs8_pem(pem).map_err(|e| SignError::Key(e.to_string()))
}

/// The signed PASSporT (JWS compact form).
pub fn passport(key: &SigningKey, c: &Claims) -> Result<String, SignError> {
    if !matches!(c.attest.as_str(), "A" | "B" | "C") {
        return Err(SignError::Attest(c.attest.clone()));
    }
    let orig = tn::canonical(&c.orig).ok_or_else(|| SignError::Number {
        which: "orig",
        value: c.orig.clone(),
    })?;
    let mut dest = Vec::new();
    for d in &c.dest {
        dest.push(tn::canonical(d).ok_or_else(|| SignError::Number {
            which: "dest",
            value: d.clone(),
        })?);
    }
    if dest.is_empty() {
        return Err(SignError::NoDest);
    }
    dest.sort();
    dest.dedup();
    crate::x5u::check(&c.x5u).map_err(|e| SignError::X5u(e.to_string()))?;
    let origid = c.origid.clone().unwrap_or_else(|| derived_uuid(c, &orig));
    // serde_json's map is ordered by key, which gives the RFC 8225 §9 member order.
    let header = json!({ "alg": "ES256", "ppt": "shaken", "typ": "passport", "x5u": c.x5u });
    let claims = json!({ "attest": c.attest, "dest": { "tn": dest }, "iat": c.iat, "orig": { "tn": orig }, "origid": origid });
    let input = format!(
        "{}.{}",
        b64url_encode(header.to_string().as_bytes()),
        b64url_encode(claims.to_string().as_bytes())
    );
    let sig: Signature = key.sign(input.as_bytes());
    Ok(format!("{input}.{}", b64url_encode(&sig.to_bytes())))
}

/// The full-form Identity header line.
pub fn identity_header(key: &SigningKey, c: &Claims) -> Result<String, SignError> {
    let token = passport(key, c)?;
    Ok(format!(
        "Identity: {token};info=<{}>;alg=ES256;ppt=shaken",
        c.x5u
    ))
}

fn derived_uuid(c: &Claims, orig: &str) -> String {
    let mut h = Sha256::new();
    for part in [
        c.x5u.as_str(),
        c.attest.as_str(),
        orig,
        &c.dest.join(","),
        &c.iat.to_string(),
    ] {
        h.update(part.as_bytes());
        h.update([0]);
    }
    let mut b: [u8; 16] = h.finalize()[..16].try_into().expect("16 bytes");
    b[6] = (b[6] & 0x0f) | 0x80; // version 8 (custom)
    b[8] = (b[8] & 0x3f) | 0x80; // RFC 4122 variant
    let x = crate::cert::parse::hex(&b);
    format!(
        "{}-{}-{}-{}-{}",
        &x[0..8],
        &x[8..12],
        &x[12..16],
        &x[16..20],
        &x[20..32]
    )
}
