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
    /// The rich call data cannot be signed as asked.
    Rcd(String),
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
            SignError::Rcd(e) => write!(f, "cannot sign the rich call data: {e}"),
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

/// Rich call data to sign (RFC 9795): the `rcd` claim members, the call reason, and the content
/// behind `icn`/`jcl` so their `rcdi` digests can be computed (`crate::rcd` rules: the bytes for
/// a URL, RFC 8785 JCS for a value).
#[derive(Debug, Clone, Default)]
pub struct RcdClaims {
    /// Display name (`rcd.nam`).
    pub nam: Option<String>,
    /// Logo URL (`rcd.icn`); its bytes must be in `resources`.
    pub icn: Option<String>,
    /// jCard URL (`rcd.jcl`); its bytes must be in `resources`.
    pub jcl: Option<String>,
    /// Call reason (`crn`, a claim beside `rcd`).
    pub crn: Option<String>,
    /// The content at `icn` and `jcl`, by URL.
    pub resources: std::collections::HashMap<String, Vec<u8>>,
    /// Sign a deliberately wrong digest, for tests and the demo's tampered example.
    pub tamper: Option<Tamper>,
}

/// Which `rcdi` digest to sign wrongly.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tamper {
    /// The `/nam` digest covers another name.
    Nam,
    /// The `/icn` digest covers other bytes than the logo's.
    Icn,
}

impl Tamper {
    /// `nam` or `icn`.
    pub fn from_name(s: &str) -> Option<Tamper> {
        match s {
            "nam" => Some(Tamper::Nam),
            "icn" => Some(Tamper::Icn),
            _ => None,
        }
    }
}

/// The `rcd`, `rcdi` and `crn` claims for `r`.
fn rcd_claims(r: &RcdClaims) -> Result<Vec<(&'static str, serde_json::Value)>, SignError> {
    use crate::rcd::{canon, digest};
    let alg = digest::Alg::Sha256;
    let mut rcd = serde_json::Map::new();
    let mut rcdi = serde_json::Map::new();
    if let Some(n) = &r.nam {
        let signed = match r.tamper {
            Some(Tamper::Nam) => format!("{n} (tampered)"),
            _ => n.clone(),
        };
        rcd.insert("nam".into(), json!(n));
        rcdi.insert(
            "/nam".into(),
            json!(digest::format(alg, &canon::jcs(&json!(signed)))),
        );
    }
    for (name, url) in [("icn", &r.icn), ("jcl", &r.jcl)] {
        let Some(url) = url else { continue };
        crate::fetch_rules::check(crate::fetch_rules::FetchKind::RcdContent, url).map_err(|e| {
            SignError::Rcd(format!("the {name} URL is refused by the fetch rules: {e}"))
        })?;
        let bytes = r.resources.get(url).ok_or_else(|| {
            SignError::Rcd(format!(
                "the content of the {name} URL <{url}> is needed to sign its rcdi digest"
            ))
        })?;
        let mut signed = bytes.clone();
        if name == "icn" && r.tamper == Some(Tamper::Icn) {
            signed.push(b'!');
        }
        rcd.insert(name.into(), json!(url));
        rcdi.insert(format!("/{name}"), json!(digest::format(alg, &signed)));
    }
    let mut out = Vec::new();
    if !rcd.is_empty() {
        out.push(("rcd", serde_json::Value::Object(rcd)));
        out.push(("rcdi", serde_json::Value::Object(rcdi)));
    }
    if let Some(c) = &r.crn {
        out.push(("crn", json!(c)));
    }
    Ok(out)
}

/// The signed PASSporT (JWS compact form).
pub fn passport(key: &SigningKey, c: &Claims) -> Result<String, SignError> {
    build(key, c, "shaken", None)
}

/// A SHAKEN PASSporT that also carries rich call data with its `rcdi` digests.
pub fn passport_with_rcd(key: &SigningKey, c: &Claims, r: &RcdClaims) -> Result<String, SignError> {
    build(key, c, "shaken", Some(r))
}

/// A separate `ppt=rcd` PASSporT (RFC 9795 §4): orig, dest, iat and the rich call data (no
/// attest or origid); its Identity header line.
pub fn rcd_identity_header(
    key: &SigningKey,
    c: &Claims,
    r: &RcdClaims,
) -> Result<String, SignError> {
    let token = build(key, c, "rcd", Some(r))?;
    Ok(format!(
        "Identity: {token};info=<{}>;alg=ES256;ppt=rcd",
        c.x5u
    ))
}

/// The Identity header line of [`passport_with_rcd`].
pub fn identity_header_with_rcd(
    key: &SigningKey,
    c: &Claims,
    r: &RcdClaims,
) -> Result<String, SignError> {
    let token = passport_with_rcd(key, c, r)?;
    Ok(format!(
        "Identity: {token};info=<{}>;alg=ES256;ppt=shaken",
        c.x5u
    ))
}

fn build(
    key: &SigningKey,
    c: &Claims,
    ppt: &str,
    rcd: Option<&RcdClaims>,
) -> Result<String, SignError> {
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
    let header = json!({ "alg": "ES256", "ppt": ppt, "typ": "passport", "x5u": c.x5u });
    let mut claims = json!({ "attest": c.attest, "dest": { "tn": dest }, "iat": c.iat, "orig": { "tn": orig }, "origid": origid });
    if ppt == "rcd" {
        // An rcd PASSporT carries no SHAKEN attestation.
        if let Some(m) = claims.as_object_mut() {
            m.remove("attest");
            m.remove("origid");
        }
    }
    if let (Some(r), Some(m)) = (rcd, claims.as_object_mut()) {
        for (k, v) in rcd_claims(r)? {
            m.insert(k.into(), v);
        }
    }
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
