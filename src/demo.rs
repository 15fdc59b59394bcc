//! A throw-away DEMO PKI for the page's "sign a known-good header" tool: a self-signed demo root
//! and one SHAKEN end-entity certificate with its P-256 key, generated from 32 caller-supplied
//! random bytes (sans-IO: the page passes `crypto.getRandomValues`, tests pass a fixed seed).
//!
//! Everything is labelled DEMO (root CN/O, leaf O) and only a trust store built from this root
//! trusts it; the built-in STI-PA store never does. The same seed and options always give the
//! same PEM text (keys and serials are derived from the seed, certificates are signed with
//! deterministic ECDSA, RFC 6979).
//!
//! With [`DemoOptions::delegate`] set, the root instead issues a demo STI-SCA (a CA whose
//! TNAuthList holds the SPC, as a number holder's provider runs one under ATIS-1000092) and that
//! STI-SCA issues a delegate certificate (RFC 9060) for the client's numbers and ranges,
//! optionally with RFC 9118 claim constraints: what a call center presenting its clients' numbers
//! would sign with on the standards route. The x5u chain is then leaf + STI-SCA.
//!
//! The leaf follows the SHAKEN profile that `cert::profile` checks (ATIS-1000080 §6.4.1), so a
//! PASSporT signed with it verifies with `cert.profile` passing, not merely "valid with lints".
//! x509-cert's builder assembles and signs the TBSCertificate; names, extensions, the PKCS#8 key
//! and PEM are written as DER by hand (see "DER by hand" below for why).

use base64::Engine;
use der::asn1::{ObjectIdentifier, OctetString};
use der::{Decode, Encode};
use p256::ecdsa::{DerSignature, SigningKey};
use sha2::{Digest, Sha256};
use std::fmt;
use std::time::Duration;
use x509_cert::builder::profile::BuilderProfile;
use x509_cert::builder::{Builder, CertificateBuilder};
use x509_cert::certificate::TbsCertificate;
use x509_cert::ext::Extension;
use x509_cert::name::Name;
use x509_cert::serial_number::SerialNumber;
use x509_cert::spki::SubjectPublicKeyInfoOwned;
use x509_cert::time::{Time, Validity};

/// SPC used when the caller gives none.
pub const DEFAULT_SPC: &str = "DEMO";
/// Organization used when the caller gives none (the leaf's O is `"<org> (DEMO)"`).
pub const DEFAULT_ORG: &str = "Example Telecom";
/// Leaf and root lifetime used when the caller gives none.
pub const DEFAULT_DAYS: u32 = 30;
/// Longest allowed lifetime (the CA/B-style 825-day ceiling; demo certificates should be short).
pub const MAX_DAYS: u32 = 825;
/// Longest `org` accepted: X.520 ub-organization-name is 64, and " (DEMO)" takes 7.
pub const MAX_ORG_CHARS: usize = 57;
/// Certificates start this long before `now`, so a clock slightly behind still accepts them.
pub const BACKDATE_SECS: i64 = 3600;

/// The demo root's subject common name.
pub const ROOT_CN: &str = "stircheck DEMO root — not a real STI-CA";
/// The demo root's subject organization.
pub const ROOT_O: &str = "stircheck DEMO";
/// The CRL Distribution Point URL written into the leaf (the SHAKEN profile expects one; nothing
/// is served there: `example.com` is reserved).
pub const CRL_URL: &str = "https://certs.example.com/stircheck-demo/demo.crl";

const OID_TN_AUTH_LIST: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.1.26");
/// SHAKEN Certificate Policy 1.3.
const OID_SHAKEN_CP: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.16.840.1.114569.1.1.3");
const OID_C: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.4.6");
const OID_O: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.4.10");
const OID_CN: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.4.3");
const OID_SKI: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.14");
const OID_KEY_USAGE: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.15");
const OID_BASIC_CONSTRAINTS: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.19");
const OID_CRL_DP: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.31");
const OID_CERT_POLICIES: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.32");
const OID_AKI: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.35");

/// A DEMO logo (a 48×48 PNG, "A" on teal) for branded demo calls (RFC 9795 `icn`): the demo
/// signer signs its `rcdi` digest, and shells hand these bytes in as the content of
/// [`DEMO_LOGO_URL`] (nothing is served there), so a verified branded call can be shown offline.
pub const DEMO_LOGO_PNG: &[u8] = include_bytes!("demo_logo.png");
/// The `icn` URL of the demo logo (`example.com` is reserved: nothing is fetched from it).
pub const DEMO_LOGO_URL: &str = "https://brand.example.com/stircheck-demo/logo.png";

/// Latest `now` accepted: the leaf must end before year 10000 (GeneralizedTime's limit).
const MAX_NOW: i64 = 253_402_300_799 - MAX_DAYS as i64 * 86_400;

/// Most TN and range entries a demo delegate certificate takes.
pub const MAX_DELEGATE_ENTRIES: usize = 32;

/// A delegate certificate for a client's numbers instead of an SP leaf.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DemoDelegate {
    /// Single numbers, digits with country code (`+`, spaces and dashes are dropped).
    pub tns: Vec<String>,
    /// Ranges: first number and how many (2 or more) consecutive numbers.
    pub ranges: Vec<(String, u64)>,
    /// Who holds the delegate certificate (the call center / BPO); the leaf's O becomes
    /// `"<client> (DEMO)"`. Empty = "Example BPO".
    pub client: String,
    /// Claim constraints written into the delegate certificate (RFC 9118 unless `kind` is Jwt).
    pub constraints: Option<crate::cert::constraints::ClaimConstraints>,
}

/// What to generate. Build with [`DemoOptions::new`] and change fields as needed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoOptions {
    /// Service Provider Code for the TNAuthList and the leaf CN `SHAKEN <spc>`: exactly four
    /// ASCII digits or uppercase letters.
    pub spc: String,
    /// Company name; the leaf's O becomes `"<org> (DEMO)"`. 1..=57 characters, no control
    /// characters; surrounding whitespace is trimmed.
    pub org: String,
    /// Unix seconds; both certificates are valid from `now - 3600`.
    pub now: i64,
    /// Lifetime after `now`, 1..=825 days (notAfter = now + days·86400).
    pub days: u32,
    /// Make an STI-SCA and a delegate leaf for these numbers instead of an SP leaf.
    pub delegate: Option<DemoDelegate>,
}

impl DemoOptions {
    /// The defaults ([`DEFAULT_SPC`], [`DEFAULT_ORG`], [`DEFAULT_DAYS`]) at time `now`.
    pub fn new(now: i64) -> DemoOptions {
        DemoOptions {
            spc: DEFAULT_SPC.into(),
            org: DEFAULT_ORG.into(),
            now,
            days: DEFAULT_DAYS,
            delegate: None,
        }
    }
}

/// A generated demo PKI, all PEM with `\n` line endings.
#[derive(Clone, PartialEq, Eq)]
pub struct DemoPki {
    /// The self-signed demo root: the only certificate a demo trust store holds.
    pub root_pem: String,
    /// What the x5u URL serves: the leaf certificate only, or the delegate leaf and the STI-SCA
    /// (an x5u chain carries the leaf and any intermediates, never the root).
    pub chain_pem: String,
    /// The leaf's P-256 private key, PKCS#8 (`-----BEGIN PRIVATE KEY-----`).
    pub key_pem: String,
    /// The SPC in the leaf (as validated, e.g. the default `DEMO`).
    pub spc: String,
}

impl fmt::Debug for DemoPki {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DemoPki")
            .field("root_pem", &self.root_pem)
            .field("chain_pem", &self.chain_pem)
            .field("key_pem", &"<redacted>")
            .field("spc", &self.spc)
            .finish()
    }
}

/// Why no demo PKI was generated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DemoError {
    /// The SPC is not four ASCII digits/uppercase letters.
    Spc(String),
    /// The organization is empty, too long or has control characters.
    Org {
        /// The organization as given.
        value: String,
        /// What is wrong with it.
        why: &'static str,
    },
    /// `days` is outside 1..=825.
    Days(i64),
    /// `now` is outside the range a certificate can express.
    Now(i64),
    /// A delegate number or range is not usable.
    Delegate(String),
    /// Encoding or signing failed (a bug, not bad input).
    Build(String),
}

impl fmt::Display for DemoError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DemoError::Spc(s) => write!(
                f,
                "the SPC must be exactly 4 characters, digits or uppercase letters (like \"DEMO\" or \"123J\"), not {s:?}"
            ),
            DemoError::Org { value, why } => {
                write!(f, "the organization name {value:?} is not usable: {why}")
            }
            DemoError::Days(d) => write!(f, "the validity must be 1 to {MAX_DAYS} days, not {d}"),
            DemoError::Now(t) => write!(
                f,
                "the start time {t} is not usable (unix seconds between {BACKDATE_SECS} and {MAX_NOW})"
            ),
            DemoError::Delegate(why) => {
                write!(f, "the demo delegate certificate cannot be made: {why}")
            }
            DemoError::Build(e) => write!(f, "cannot build the demo certificates: {e}"),
        }
    }
}

impl std::error::Error for DemoError {}

fn build_err(e: impl fmt::Display) -> DemoError {
    DemoError::Build(e.to_string())
}

/// Check `opts`, returning the SPC and the trimmed organization.
fn validate(opts: &DemoOptions) -> Result<(String, String), DemoError> {
    let spc = &opts.spc;
    if spc.len() != 4
        || !spc
            .bytes()
            .all(|b| b.is_ascii_digit() || b.is_ascii_uppercase())
    {
        return Err(DemoError::Spc(spc.clone()));
    }
    let org = opts.org.trim();
    let bad = |why| DemoError::Org {
        value: opts.org.clone(),
        why,
    };
    if org.is_empty() {
        return Err(bad("it is empty"));
    }
    if org.chars().count() > MAX_ORG_CHARS {
        return Err(bad("it is longer than 57 characters"));
    }
    if crate::text::has_control(org) {
        return Err(bad("it contains control characters"));
    }
    if !(1..=MAX_DAYS).contains(&opts.days) {
        return Err(DemoError::Days(opts.days.into()));
    }
    if !(BACKDATE_SECS..=MAX_NOW).contains(&opts.now) {
        return Err(DemoError::Now(opts.now));
    }
    Ok((spc.clone(), org.to_string()))
}

/// The JS/JSON form of [`DemoDelegate`] (the page's `demoPki` option `delegate`):
/// `{ tns?: string[], ranges?: [{ start, count }], client?: string,
///    constraints?: { mustInclude?: string[], permittedValues?: [{ claim, values }], mustExclude?: string[] } }`.
#[derive(serde::Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct DelegateJson {
    #[serde(default)]
    tns: Vec<String>,
    #[serde(default)]
    ranges: Vec<RangeJson>,
    #[serde(default)]
    client: String,
    constraints: Option<ConstraintsJson>,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct RangeJson {
    start: String,
    count: u64,
}

#[derive(serde::Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct ConstraintsJson {
    #[serde(default)]
    must_include: Vec<String>,
    #[serde(default)]
    permitted_values: Vec<PermittedJson>,
    #[serde(default)]
    must_exclude: Vec<String>,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct PermittedJson {
    claim: String,
    values: Vec<String>,
}

impl DemoDelegate {
    /// Read the `delegate` option from its JSON value (unknown fields are errors, so a typo is
    /// not silently ignored).
    pub fn from_json(v: serde_json::Value) -> Result<DemoDelegate, DemoError> {
        use crate::cert::constraints::{ClaimConstraints, ConstraintsKind, Permitted};
        let d: DelegateJson = serde_json::from_value(v)
            .map_err(|e| DemoError::Delegate(format!("bad option: {e}")))?;
        Ok(DemoDelegate {
            tns: d.tns,
            ranges: d.ranges.into_iter().map(|r| (r.start, r.count)).collect(),
            client: d.client,
            constraints: d.constraints.map(|c| ClaimConstraints {
                kind: ConstraintsKind::Enhanced,
                must_include: c.must_include,
                permitted_values: c
                    .permitted_values
                    .into_iter()
                    .map(|p| Permitted {
                        claim: p.claim,
                        values: p.values,
                    })
                    .collect(),
                must_exclude: c.must_exclude,
            }),
        })
    }
}

/// The delegate's entries, canonical, and its client name.
struct DelegateSpec {
    tns: Vec<String>,
    ranges: Vec<(String, u64)>,
    client: String,
    /// Extension OID and value.
    constraints: Option<(ObjectIdentifier, Vec<u8>)>,
}

fn validate_delegate(d: &DemoDelegate) -> Result<DelegateSpec, DemoError> {
    let bad = |why: String| DemoError::Delegate(why);
    let number = |raw: &str| -> Result<String, DemoError> {
        let n = crate::tn::canonical(raw)
            .filter(|n| (1..=15).contains(&n.len()) && n.bytes().all(|b| b.is_ascii_digit()))
            .ok_or_else(|| {
                bad(format!(
                    "{raw:?} is not a telephone number (digits with country code)"
                ))
            })?;
        Ok(n)
    };
    if d.tns.is_empty() && d.ranges.is_empty() {
        return Err(bad("give at least one number or range".into()));
    }
    if d.tns.len() + d.ranges.len() > MAX_DELEGATE_ENTRIES {
        return Err(bad(format!(
            "at most {MAX_DELEGATE_ENTRIES} numbers and ranges"
        )));
    }
    let tns = d
        .tns
        .iter()
        .map(|t| number(t))
        .collect::<Result<Vec<_>, _>>()?;
    let mut ranges = Vec::new();
    for (start, count) in &d.ranges {
        let s = number(start)?;
        if *count < 2 {
            return Err(bad(format!(
                "the range from {s} needs a count of at least 2 (a single number is a TN entry, not a range)"
            )));
        }
        let room = 10u128.pow(s.len() as u32) - s.parse::<u128>().unwrap_or(0);
        if u128::from(*count) > room {
            return Err(bad(format!(
                "the range from {s} with {count} numbers runs past the last {}-digit number (at most {room})",
                s.len()
            )));
        }
        ranges.push((s, *count));
    }
    let client = if d.client.trim().is_empty() {
        "Example BPO"
    } else {
        d.client.trim()
    };
    if client.chars().count() > MAX_ORG_CHARS || crate::text::has_control(client) {
        return Err(bad(format!(
            "the client name {client:?} must be at most {MAX_ORG_CHARS} characters without control characters"
        )));
    }
    let constraints = match &d.constraints {
        None => None,
        Some(c) => {
            use crate::cert::constraints::ConstraintsKind;
            let der = c
                .to_der()
                .map_err(|e| bad(format!("the claim constraints: {e}")))?;
            let oid = match c.kind {
                ConstraintsKind::Jwt => crate::cert::parse::OID_JWT_CLAIM_CONSTRAINTS,
                ConstraintsKind::Enhanced => crate::cert::parse::OID_EJWT_CLAIM_CONSTRAINTS,
            };
            Some((oid, der))
        }
    };
    Ok(DelegateSpec {
        tns,
        ranges,
        client: client.to_string(),
        constraints,
    })
}

/// `SHA-256("stircheck demo pki v1" 0 label 0 seed counter)`: domain-separated, so the two keys
/// and the serials are independent functions of the seed.
fn derive(seed: &[u8; 32], label: &str, counter: u8) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(b"stircheck demo pki v1\0");
    h.update(label.as_bytes());
    h.update([0]);
    h.update(seed);
    h.update([counter]);
    h.finalize().into()
}

/// A P-256 key from the seed; retries the (probability ~2^-32) case of a value ≥ n or zero.
fn derive_key(seed: &[u8; 32], label: &str) -> Result<p256::SecretKey, DemoError> {
    (0..=u8::MAX)
        .find_map(|i| p256::SecretKey::from_slice(&derive(seed, label, i)).ok())
        .ok_or_else(|| build_err("no valid P-256 scalar derived"))
}

/// A positive 127-bit serial (the top bit of the 16 bytes cleared, the next one set).
fn derive_serial(seed: &[u8; 32], label: &str) -> Result<SerialNumber, DemoError> {
    let mut b: [u8; 16] = derive(seed, label, 0)[..16]
        .try_into()
        .expect("16 of 32 bytes");
    b[0] = (b[0] & 0x7f) | 0x40;
    SerialNumber::new(&b).map_err(build_err)
}

// --- DER by hand -------------------------------------------------------------------------------
// The names and extensions are a few fixed shapes, so they are written as DER directly rather
// than through x509-cert's typed encoders: each typed encoder is its own monomorphised code in
// the wasm module, and together they cost more than all of this. tests/demo.rs checks the result
// with the verifier's own parser and profile checks (and the shapes were cross-checked against
// the typed encoders and `openssl x509 -text`).

/// One DER TLV (definite length; contents up to 64 KiB, far above anything built here).
fn tlv(tag: u8, parts: &[&[u8]]) -> Vec<u8> {
    let len: usize = parts.iter().map(|p| p.len()).sum();
    debug_assert!(len <= 0xffff, "tlv: {len} bytes");
    let mut out = vec![tag];
    match len {
        0..=0x7f => out.push(len as u8),
        0x80..=0xff => out.extend([0x81, len as u8]),
        _ => out.extend([0x82, (len >> 8) as u8, len as u8]),
    }
    for p in parts {
        out.extend_from_slice(p);
    }
    out
}

fn oid(o: &ObjectIdentifier) -> Vec<u8> {
    tlv(0x06, &[o.as_bytes()])
}

/// `C=US, O=<o>, CN=<cn>`: one attribute per RDN, C as PrintableString, O and CN as UTF8String.
fn name(o: &str, cn: &str) -> Result<Name, DemoError> {
    let rdn = |attr: &ObjectIdentifier, tag: u8, value: &str| {
        tlv(
            0x31,
            &[&tlv(0x30, &[&oid(attr), &tlv(tag, &[value.as_bytes()])])],
        )
    };
    let seq = tlv(
        0x30,
        &[
            &rdn(&OID_C, 0x13, "US"),
            &rdn(&OID_O, 0x0c, o),
            &rdn(&OID_CN, 0x0c, cn),
        ],
    );
    Name::from_der(&seq).map_err(build_err)
}

fn ext(id: ObjectIdentifier, critical: bool, value: Vec<u8>) -> Result<Extension, DemoError> {
    Ok(Extension {
        extn_id: id,
        critical,
        extn_value: OctetString::new(value).map_err(build_err)?,
    })
}

/// Key identifier: the leftmost 160 bits of SHA-256 of the subjectPublicKey (RFC 7093 §2 method 1).
fn key_id(spki: &SubjectPublicKeyInfoOwned) -> Vec<u8> {
    Sha256::digest(spki.subject_public_key.raw_bytes())[..20].to_vec()
}

/// The root's extensions: BasicConstraints CA:TRUE pathLen 0 (it issues leaves only) and
/// KeyUsage keyCertSign + cRLSign, both critical; SKI.
fn root_extensions(ski: &[u8], path_len: u8) -> Result<Vec<Extension>, DemoError> {
    Ok(vec![
        // SEQUENCE { BOOLEAN TRUE, INTEGER pathLen }
        ext(
            OID_BASIC_CONSTRAINTS,
            true,
            tlv(0x30, &[&[0x01, 0x01, 0xff], &[0x02, 0x01, path_len]]),
        )?,
        // BIT STRING, 1 unused bit: keyCertSign (5) and cRLSign (6)
        ext(OID_KEY_USAGE, true, vec![0x03, 0x02, 0x01, 0x06])?,
        ext(OID_SKI, false, tlv(0x04, &[ski]))?,
    ])
}

/// TNAuthList ::= SEQUENCE OF TNEntry; spc [0], range [1] SEQUENCE { start, count }, one [2]
/// (EXPLICIT tags, RFC 8226 §9).
fn tn_auth_numbers(tns: &[String], ranges: &[(String, u64)]) -> Vec<u8> {
    let mut entries: Vec<Vec<u8>> = Vec::new();
    for t in tns {
        entries.push(tlv(0xa2, &[&tlv(0x16, &[t.as_bytes()])]));
    }
    for (start, count) in ranges {
        // INTEGER: minimal big-endian bytes, a leading 0 when the top bit is set.
        let mut c: Vec<u8> = count
            .to_be_bytes()
            .iter()
            .copied()
            .skip_while(|b| *b == 0)
            .collect();
        if c.first().is_none_or(|b| b & 0x80 != 0) {
            c.insert(0, 0);
        }
        let range = tlv(0x30, &[&tlv(0x16, &[start.as_bytes()]), &tlv(0x02, &[&c])]);
        entries.push(tlv(0xa1, &[&range]));
    }
    let refs: Vec<&[u8]> = entries.iter().map(Vec::as_slice).collect();
    tlv(0x30, &refs)
}

/// A demo STI-SCA's extensions: a CA (pathLen 0: it issues delegate leaves only) with the
/// SHAKEN CP, the CRL DP, and a TNAuthList holding the SPC whose numbers it delegates.
fn sca_extensions(spc: &str, ski: &[u8], aki: &[u8]) -> Result<Vec<Extension>, DemoError> {
    let mut v = leaf_extensions(spc, ski, aki)?;
    v[0] = ext(
        OID_BASIC_CONSTRAINTS,
        true,
        tlv(0x30, &[&[0x01, 0x01, 0xff], &[0x02, 0x01, 0x00]]),
    )?;
    // keyCertSign (5) and cRLSign (6)
    v[1] = ext(OID_KEY_USAGE, true, vec![0x03, 0x02, 0x01, 0x06])?;
    Ok(v)
}

/// A delegate leaf's extensions: the end-entity profile with the numbers in the TNAuthList and,
/// when asked, RFC 9118 claim constraints.
fn delegate_extensions(
    d: &DelegateSpec,
    ski: &[u8],
    aki: &[u8],
) -> Result<Vec<Extension>, DemoError> {
    let mut v = leaf_extensions("", ski, aki)?;
    let last = v.len() - 1;
    v[last] = ext(OID_TN_AUTH_LIST, false, tn_auth_numbers(&d.tns, &d.ranges))?;
    if let Some((oid, der)) = &d.constraints {
        v.push(ext(*oid, false, der.clone())?);
    }
    Ok(v)
}

/// The leaf's extensions, the SHAKEN end-entity profile (ATIS-1000080 §6.4.1, RFC 8226 §9).
fn leaf_extensions(spc: &str, ski: &[u8], aki: &[u8]) -> Result<Vec<Extension>, DemoError> {
    // DistributionPoint { distributionPoint [0] { fullName [0] { uniformResourceIdentifier [6] } } }
    let uri = tlv(0x86, &[CRL_URL.as_bytes()]);
    let crl_dp = tlv(0x30, &[&tlv(0x30, &[&tlv(0xa0, &[&tlv(0xa0, &[&uri])])])]);
    Ok(vec![
        // SEQUENCE {} (cA defaults to FALSE)
        ext(OID_BASIC_CONSTRAINTS, true, vec![0x30, 0x00])?,
        // BIT STRING, 7 unused bits: digitalSignature (0)
        ext(OID_KEY_USAGE, true, vec![0x03, 0x02, 0x07, 0x80])?,
        ext(OID_SKI, false, tlv(0x04, &[ski]))?,
        // SEQUENCE { keyIdentifier [0] IMPLICIT }
        ext(OID_AKI, false, tlv(0x30, &[&tlv(0x80, &[aki])]))?,
        // SEQUENCE { PolicyInformation { policyIdentifier } }
        ext(
            OID_CERT_POLICIES,
            false,
            tlv(0x30, &[&tlv(0x30, &[&oid(&OID_SHAKEN_CP)])]),
        )?,
        ext(OID_CRL_DP, false, crl_dp)?,
        // TNAuthList ::= SEQUENCE OF TNEntry; TNEntry spc [0] EXPLICIT ServiceProviderCode (IA5String)
        ext(
            OID_TN_AUTH_LIST,
            false,
            tlv(0x30, &[&tlv(0xa0, &[&tlv(0x16, &[spc.as_bytes()])])]),
        )?,
    ])
}

/// PKCS#8 PrivateKeyInfo for a P-256 key, with the SEC1 ECPrivateKey carrying its public key
/// (what `openssl genpkey` and the p256 crate write).
fn pkcs8_der(secret: &p256::SecretKey) -> Vec<u8> {
    use p256::elliptic_curve::sec1::ToSec1Point;
    let scalar = secret.to_bytes();
    let point = secret.public_key().to_sec1_point(false);
    let ec_key = tlv(
        0x30,
        &[
            &[0x02, 0x01, 0x01], // version 1
            &tlv(0x04, &[&scalar]),
            &tlv(0xa1, &[&tlv(0x03, &[&[0x00], point.as_bytes()])]),
        ],
    );
    const ID_EC_PUBLIC_KEY: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.2.1");
    const PRIME256V1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.3.1.7");
    tlv(
        0x30,
        &[
            &[0x02, 0x01, 0x00], // version 0
            &tlv(0x30, &[&oid(&ID_EC_PUBLIC_KEY), &oid(&PRIME256V1)]),
            &tlv(0x04, &[&ec_key]),
        ],
    )
}

/// RFC 7468 PEM: base64 in 64-character lines, `\n` line endings.
fn pem(label: &str, der: &[u8]) -> String {
    let b64 = base64::engine::general_purpose::STANDARD.encode(der);
    let mut out = format!("-----BEGIN {label}-----\n");
    for line in b64.as_bytes().chunks(64) {
        out.push_str(std::str::from_utf8(line).expect("base64 is ASCII"));
        out.push('\n');
    }
    out.push_str(&format!("-----END {label}-----\n"));
    out
}

fn time(unix: i64) -> Result<Time, DemoError> {
    let d =
        der::DateTime::from_unix_duration(Duration::from_secs(unix as u64)).map_err(build_err)?;
    Ok(Time::from(d))
}

/// The builder profile: subject, issuer and a fixed extension list.
struct Profile {
    subject: Name,
    issuer: Name,
    extensions: Vec<Extension>,
}

impl BuilderProfile for Profile {
    fn get_issuer(&self, _subject: &Name) -> Name {
        self.issuer.clone()
    }
    fn get_subject(&self) -> Name {
        self.subject.clone()
    }
    fn build_extensions(
        &self,
        _spk: spki::SubjectPublicKeyInfoRef<'_>,
        _issuer_spk: spki::SubjectPublicKeyInfoRef<'_>,
        _tbs: &TbsCertificate,
    ) -> x509_cert::builder::Result<Vec<Extension>> {
        Ok(self.extensions.clone())
    }
}

/// Build and sign one certificate (ecdsa-with-SHA256, deterministic RFC 6979 nonces); PEM.
fn certificate(
    profile: Profile,
    serial: SerialNumber,
    validity: Validity,
    spki: SubjectPublicKeyInfoOwned,
    issuer_key: &SigningKey,
) -> Result<String, DemoError> {
    let cert = CertificateBuilder::new(profile, serial, validity, spki)
        .map_err(build_err)?
        .build::<_, DerSignature>(issuer_key)
        .map_err(build_err)?;
    Ok(pem("CERTIFICATE", &cert.to_der().map_err(build_err)?))
}

/// Generate the demo root, leaf and leaf key for `seed` and `opts`.
///
/// Deterministic: the same seed and options give byte-identical output. Pass fresh random bytes
/// (e.g. `crypto.getRandomValues(new Uint8Array(32))`) for a key nobody else has.
pub fn generate(seed: &[u8; 32], opts: &DemoOptions) -> Result<DemoPki, DemoError> {
    let (spc, org) = validate(opts)?;
    let delegate = opts.delegate.as_ref().map(validate_delegate).transpose()?;
    let root_key = SigningKey::from(derive_key(seed, "root key")?);
    let leaf_secret = derive_key(seed, "leaf key")?;
    let leaf_key = SigningKey::from(&leaf_secret);
    let spki_of =
        |k: &SigningKey| SubjectPublicKeyInfoOwned::from_key(k.verifying_key()).map_err(build_err);
    let (root_spki, leaf_spki) = (spki_of(&root_key)?, spki_of(&leaf_key)?);
    let (root_ski, leaf_ski) = (key_id(&root_spki), key_id(&leaf_spki));

    let not_before = time(opts.now - BACKDATE_SECS)?;
    let not_after = time(opts.now + i64::from(opts.days) * 86_400)?;
    let root_name = name(ROOT_O, ROOT_CN)?;

    let root_pem = certificate(
        Profile {
            subject: root_name.clone(),
            issuer: root_name.clone(),
            extensions: root_extensions(&root_ski, u8::from(delegate.is_some()))?,
        },
        derive_serial(seed, "root serial")?,
        Validity::new(not_before, not_after),
        root_spki,
        &root_key,
    )?;
    if let Some(d) = delegate {
        // root → STI-SCA (the provider's SPC) → delegate leaf (the client's numbers).
        let sca_key = SigningKey::from(derive_key(seed, "sca key")?);
        let sca_spki = spki_of(&sca_key)?;
        let sca_ski = key_id(&sca_spki);
        let sca_name = name(
            &format!("{org} (DEMO)"),
            &format!("SHAKEN {spc} STI-SCA (DEMO)"),
        )?;
        let sca_pem = certificate(
            Profile {
                subject: sca_name.clone(),
                issuer: root_name,
                extensions: sca_extensions(&spc, &sca_ski, &root_ski)?,
            },
            derive_serial(seed, "sca serial")?,
            Validity::new(not_before, not_after),
            sca_spki,
            &root_key,
        )?;
        let leaf_pem = certificate(
            Profile {
                subject: name(
                    &format!("{} (DEMO)", d.client),
                    "stircheck DEMO delegate certificate",
                )?,
                issuer: sca_name,
                extensions: delegate_extensions(&d, &leaf_ski, &sca_ski)?,
            },
            derive_serial(seed, "delegate serial")?,
            Validity::new(not_before, not_after),
            leaf_spki,
            &sca_key,
        )?;
        return Ok(DemoPki {
            root_pem,
            chain_pem: format!("{leaf_pem}{sca_pem}"),
            key_pem: pem("PRIVATE KEY", &pkcs8_der(&leaf_secret)),
            spc,
        });
    }
    let chain_pem = certificate(
        Profile {
            subject: name(&format!("{org} (DEMO)"), &format!("SHAKEN {spc}"))?,
            issuer: root_name,
            extensions: leaf_extensions(&spc, &leaf_ski, &root_ski)?,
        },
        derive_serial(seed, "leaf serial")?,
        Validity::new(not_before, not_after),
        leaf_spki,
        &root_key,
    )?;
    Ok(DemoPki {
        root_pem,
        chain_pem,
        key_pem: pem("PRIVATE KEY", &pkcs8_der(&leaf_secret)),
        spc,
    })
}
