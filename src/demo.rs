//! A throw-away DEMO PKI for the page's "sign a known-good header" tool: a self-signed demo root
//! and one SHAKEN end-entity certificate with its P-256 key, generated from 32 caller-supplied
//! random bytes (sans-IO: the page passes `crypto.getRandomValues`, tests pass a fixed seed).
//!
//! Everything is labelled DEMO (root CN/O, leaf O) and only a trust store built from this root
//! trusts it; the built-in STI-PA store never does. The same seed and options always give the
//! same PEM text (keys and serials are derived from the seed, certificates are signed with
//! deterministic ECDSA, RFC 6979).
//!
//! The leaf follows the SHAKEN profile that `cert::profile` checks (ATIS-1000080 §6.4.1), so a
//! PASSporT signed with it verifies with `cert.profile` passing, not merely "valid with lints".

use der::asn1::{Any, Ia5String, ObjectIdentifier, OctetString, PrintableString, Utf8StringRef};
use der::referenced::OwnedToRef;
use der::{Decode, Encode, EncodePem, Tag};
use p256::ecdsa::{DerSignature, SigningKey};
use p256::pkcs8::{EncodePrivateKey, LineEnding};
use sha2::{Digest, Sha256};
use spki::SubjectPublicKeyInfoOwned;
use std::fmt;
use std::time::Duration;
use x509_cert::attr::AttributeTypeAndValue;
use x509_cert::builder::profile::BuilderProfile;
use x509_cert::builder::{Builder, CertificateBuilder};
use x509_cert::certificate::TbsCertificate;
use x509_cert::ext::Extension;
use x509_cert::ext::pkix::certpolicy::PolicyInformation;
use x509_cert::ext::pkix::crl::dp::DistributionPoint;
use x509_cert::ext::pkix::name::{DistributionPointName, GeneralName};
use x509_cert::ext::pkix::{
    AuthorityKeyIdentifier, BasicConstraints, CertificatePolicies, CrlDistributionPoints, KeyUsage,
    KeyUsages, SubjectKeyIdentifier,
};
use x509_cert::name::{Name, RdnSequence, RelativeDistinguishedName};
use x509_cert::serial_number::SerialNumber;
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

/// Latest `now` accepted: the leaf must end before year 10000 (GeneralizedTime's limit).
const MAX_NOW: i64 = 253_402_300_799 - MAX_DAYS as i64 * 86_400;

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
}

impl DemoOptions {
    /// The defaults ([`DEFAULT_SPC`], [`DEFAULT_ORG`], [`DEFAULT_DAYS`]) at time `now`.
    pub fn new(now: i64) -> DemoOptions {
        DemoOptions {
            spc: DEFAULT_SPC.into(),
            org: DEFAULT_ORG.into(),
            now,
            days: DEFAULT_DAYS,
        }
    }
}

/// A generated demo PKI, all PEM with `\n` line endings.
#[derive(Clone, PartialEq, Eq)]
pub struct DemoPki {
    /// The self-signed demo root: the only certificate a demo trust store holds.
    pub root_pem: String,
    /// What the x5u URL serves: the leaf certificate only (an x5u chain carries the leaf and any
    /// intermediates, never the root).
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
    Org { value: String, why: &'static str },
    /// `days` is outside 1..=825.
    Days(i64),
    /// `now` is outside the range a certificate can express.
    Now(i64),
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
    if org.chars().any(char::is_control) {
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

/// `C=US, O=<o>, CN=<cn>` (C as PrintableString, O and CN as UTF8String), built as an
/// RDNSequence so no RFC 4514 escaping of user text is involved.
fn name(o: &str, cn: &str) -> Result<Name, DemoError> {
    let mut seq = RdnSequence::default();
    let attrs: [(ObjectIdentifier, Any); 3] = [
        (
            OID_C,
            Any::encode_from(&PrintableString::new("US").map_err(build_err)?).map_err(build_err)?,
        ),
        (
            OID_O,
            Any::encode_from(&Utf8StringRef::new(o).map_err(build_err)?).map_err(build_err)?,
        ),
        (
            OID_CN,
            Any::encode_from(&Utf8StringRef::new(cn).map_err(build_err)?).map_err(build_err)?,
        ),
    ];
    for (oid, value) in attrs {
        let mut rdn = RelativeDistinguishedName::default();
        rdn.insert(AttributeTypeAndValue { oid, value })
            .map_err(build_err)?;
        seq.push(rdn);
    }
    Name::from_der(&seq.to_der().map_err(build_err)?).map_err(build_err)
}

fn time(unix: i64) -> Result<Time, DemoError> {
    let d =
        der::DateTime::from_unix_duration(Duration::from_secs(unix as u64)).map_err(build_err)?;
    Ok(Time::from(d))
}

/// A builder profile that only sets subject and issuer; extensions are added explicitly.
struct Names {
    subject: Name,
    issuer: Name,
}

impl BuilderProfile for Names {
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
        Ok(Vec::new())
    }
}

/// TNAuthList (RFC 8226 §9) with one SPC entry: `SEQUENCE { [0] EXPLICIT IA5String }`.
fn tn_auth_list(spc: &str) -> Result<Extension, DemoError> {
    let ia5 = Ia5String::new(spc)
        .map_err(build_err)?
        .to_der()
        .map_err(build_err)?;
    let entry = Any::new(
        Tag::ContextSpecific {
            constructed: true,
            number: der::TagNumber(0),
        },
        ia5,
    )
    .map_err(build_err)?;
    let list = Any::new(Tag::Sequence, entry.to_der().map_err(build_err)?).map_err(build_err)?;
    Ok(Extension {
        extn_id: OID_TN_AUTH_LIST,
        critical: false,
        extn_value: OctetString::new(list.to_der().map_err(build_err)?).map_err(build_err)?,
    })
}

/// Generate the demo root, leaf and leaf key for `seed` and `opts`.
///
/// Deterministic: the same seed and options give byte-identical output. Pass fresh random bytes
/// (e.g. `crypto.getRandomValues(new Uint8Array(32))`) for a key nobody else has.
pub fn generate(seed: &[u8; 32], opts: &DemoOptions) -> Result<DemoPki, DemoError> {
    let (spc, org) = validate(opts)?;
    let root_key = SigningKey::from(derive_key(seed, "root key")?);
    let leaf_secret = derive_key(seed, "leaf key")?;
    let leaf_key = SigningKey::from(&leaf_secret);

    let not_before = time(opts.now - BACKDATE_SECS)?;
    let not_after = time(opts.now + i64::from(opts.days) * 86_400)?;
    let validity = || Validity::new(not_before, not_after);

    let root_name = name(ROOT_O, ROOT_CN)?;
    let root_spki =
        SubjectPublicKeyInfoOwned::from_key(root_key.verifying_key()).map_err(build_err)?;
    let root_ski = SubjectKeyIdentifier::try_from(root_spki.owned_to_ref()).map_err(build_err)?;

    // Root: CA:TRUE (pathLen 0: it issues leaves only), keyCertSign + cRLSign, SKI.
    let mut root = CertificateBuilder::new(
        Names {
            subject: root_name.clone(),
            issuer: root_name.clone(),
        },
        derive_serial(seed, "root serial")?,
        validity(),
        root_spki,
    )
    .map_err(build_err)?;
    root.add_extension((
        true,
        &BasicConstraints {
            ca: true,
            path_len_constraint: Some(0),
        },
    ))
    .map_err(build_err)?;
    root.add_extension((true, &KeyUsage(KeyUsages::KeyCertSign | KeyUsages::CRLSign)))
        .map_err(build_err)?;
    root.add_extension(&root_ski).map_err(build_err)?;
    let root_cert = root
        .build::<_, DerSignature>(&root_key)
        .map_err(build_err)?;

    // Leaf: the SHAKEN end-entity profile.
    let leaf_spki =
        SubjectPublicKeyInfoOwned::from_key(leaf_key.verifying_key()).map_err(build_err)?;
    let leaf_ski = SubjectKeyIdentifier::try_from(leaf_spki.owned_to_ref()).map_err(build_err)?;
    let mut leaf = CertificateBuilder::new(
        Names {
            subject: name(&format!("{org} (DEMO)"), &format!("SHAKEN {spc}"))?,
            issuer: root_name,
        },
        derive_serial(seed, "leaf serial")?,
        validity(),
        leaf_spki,
    )
    .map_err(build_err)?;
    leaf.add_extension((
        true,
        &BasicConstraints {
            ca: false,
            path_len_constraint: None,
        },
    ))
    .map_err(build_err)?;
    leaf.add_extension((true, &KeyUsage(KeyUsages::DigitalSignature.into())))
        .map_err(build_err)?;
    leaf.add_extension(&leaf_ski).map_err(build_err)?;
    leaf.add_extension(&AuthorityKeyIdentifier {
        key_identifier: Some(root_ski.0.clone()),
        authority_cert_issuer: None,
        authority_cert_serial_number: None,
    })
    .map_err(build_err)?;
    leaf.add_extension((
        false,
        &CertificatePolicies(vec![PolicyInformation {
            policy_identifier: OID_SHAKEN_CP,
            policy_qualifiers: None,
        }]),
    ))
    .map_err(build_err)?;
    leaf.add_extension((
        false,
        &CrlDistributionPoints(vec![DistributionPoint {
            distribution_point: Some(DistributionPointName::FullName(vec![
                GeneralName::UniformResourceIdentifier(Ia5String::new(CRL_URL).map_err(build_err)?),
            ])),
            reasons: None,
            crl_issuer: None,
        }]),
    ))
    .map_err(build_err)?;
    leaf.add_extension(tn_auth_list(&spc)?).map_err(build_err)?;
    let leaf_cert = leaf
        .build::<_, DerSignature>(&root_key)
        .map_err(build_err)?;

    Ok(DemoPki {
        root_pem: root_cert.to_pem(LineEnding::LF).map_err(build_err)?,
        chain_pem: leaf_cert.to_pem(LineEnding::LF).map_err(build_err)?,
        key_pem: leaf_secret
            .to_pkcs8_pem(LineEnding::LF)
            .map_err(build_err)?
            .to_string(),
        spc,
    })
}
