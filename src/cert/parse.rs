//! X.509 parsing (x509-cert) into the facts the checks need, computed once per certificate.

pub use super::dn::dn_string;
use super::tnauth::{self, TnAuthList};
use crate::crypto::{Alg, KeyKind};
use const_oid::ObjectIdentifier;
use const_oid::db::rfc5912;
use der::{Decode, Encode};
use sha2::{Digest, Sha256};
use std::fmt;
use x509_cert::Certificate;
use x509_cert::ext::pkix::{
    AuthorityKeyIdentifier, BasicConstraints, CertificatePolicies, KeyUsage, SubjectKeyIdentifier,
};

pub const OID_TN_AUTH_LIST: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.1.26");
pub const OID_JWT_CLAIM_CONSTRAINTS: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.1.27");
pub const OID_EJWT_CLAIM_CONSTRAINTS: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.1.33");
const OID_CRL_DP: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.31");

/// Why a certificate could not be used at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CertError {
    Der(String),
    TooLarge(usize),
}

impl fmt::Display for CertError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CertError::Der(e) => write!(f, "not a valid X.509 certificate ({e})"),
            CertError::TooLarge(n) => write!(
                f,
                "certificate is {n} bytes, larger than any SHAKEN certificate"
            ),
        }
    }
}

/// Why a public key cannot be used for any signature check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyError {
    /// The SubjectPublicKeyInfo does not decode.
    BadSpki(String),
    /// An EC key whose parameters do not name a curve.
    NoNamedCurve,
    /// An EC key on a curve other than P-256/384/521 (its name).
    UnsupportedCurve(String),
    /// Neither EC nor RSA (the algorithm's name).
    UnsupportedAlgorithm(String),
}

impl fmt::Display for KeyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            KeyError::BadSpki(e) => write!(f, "the public key does not decode ({e})"),
            KeyError::NoNamedCurve => write!(f, "EC key without a named curve"),
            KeyError::UnsupportedCurve(c) => write!(f, "EC key on unsupported curve {c}"),
            KeyError::UnsupportedAlgorithm(a) => write!(f, "unsupported key algorithm {a}"),
        }
    }
}

impl std::error::Error for KeyError {}

impl std::error::Error for CertError {}

/// A decoded extension we care about, with its criticality; `Err` keeps the decode error so a
/// profile check can report it.
pub type Ext<T> = Option<(bool, Result<T, String>)>;

/// A parsed certificate and the facts checks and path building read from it.
#[derive(Debug, Clone)]
pub struct ParsedCert {
    pub der: Vec<u8>,
    pub sha256: [u8; 32],
    pub version: u8,
    pub serial_hex: String,
    /// Serial number bytes as encoded (for CRL matching).
    pub serial: Vec<u8>,
    pub serial_bits: usize,
    pub subject: String,
    pub issuer: String,
    pub subject_der: Vec<u8>,
    pub issuer_der: Vec<u8>,
    pub subject_cn: Option<String>,
    pub subject_o: Option<String>,
    pub subject_c: Option<String>,
    pub issuer_o: Option<String>,
    pub not_before: i64,
    pub not_after: i64,
    pub spki: Vec<u8>,
    pub public_key: Vec<u8>,
    /// The key type, or why it is unusable.
    pub key: Result<KeyKind, KeyError>,
    /// TBS bytes exactly as received (what the issuer signed).
    pub tbs_raw: Vec<u8>,
    /// Signature algorithm of the issuer's signature, or the unsupported OID.
    pub sig_alg: Result<Alg, String>,
    /// ECDSA algorithm identifiers that carry a NULL parameter (seen in real certificates).
    pub sig_alg_has_params: bool,
    pub signature: Vec<u8>,
    pub basic_constraints: Ext<BasicConstraints>,
    pub key_usage: Ext<KeyUsage>,
    pub ski: Option<Vec<u8>>,
    pub aki: Option<Vec<u8>>,
    pub policies: Ext<Vec<ObjectIdentifier>>,
    pub tn_auth: Ext<TnAuthList>,
    pub has_crl_dp: bool,
    /// DER of each cRLIssuer DirName in the CRL Distribution Points (indirect CRLs, e.g. STI-PA).
    pub crl_issuers: Vec<Vec<u8>>,
    pub crl_dp_critical: bool,
    /// Every extension OID with its criticality, in order.
    pub extensions: Vec<(ObjectIdentifier, bool)>,
    /// Its CRL Distribution Points, read with the rest (`cert.revocation` reads them on every
    /// call; they used to be decoded from the DER a second time).
    dist_points: Vec<super::dist_point::DistPoint>,
}

impl ParsedCert {
    pub fn from_der(der: &[u8]) -> Result<Self, CertError> {
        if der.len() > 16 * 1024 {
            return Err(CertError::TooLarge(der.len()));
        }
        let cert = Certificate::from_der(der).map_err(|e| CertError::Der(e.to_string()))?;
        let tbs = cert.tbs_certificate();
        let tbs_raw = first_element(der)
            .ok_or_else(|| CertError::Der("truncated".into()))?
            .to_vec();
        let spki_info = tbs.subject_public_key_info();
        let spki = spki_info
            .to_der()
            .map_err(|e| CertError::Der(e.to_string()))?;
        let public_key = spki_info.subject_public_key.raw_bytes().to_vec();
        let key = key_kind(spki_info);

        let sig_alg_id = cert.signature_algorithm();
        let sig_alg = signature_alg(sig_alg_id.oid);
        let sig_alg_has_params = matches!(sig_alg, Ok(Alg::ES256 | Alg::ES384 | Alg::ES512))
            && sig_alg_id.parameters.is_some();

        let extensions: Vec<(ObjectIdentifier, bool)> = tbs
            .extensions()
            .map(|exts| exts.iter().map(|e| (e.extn_id, e.critical)).collect())
            .unwrap_or_default();

        let (crl_dp_critical, has_crl_dp) = extensions
            .iter()
            .find(|(oid, _)| *oid == OID_CRL_DP)
            .map(|(_, c)| (*c, true))
            .unwrap_or((false, false));

        // The CRL Distribution Points, decoded once for both uses: the first occurrence gives
        // the distribution points; the cRLIssuer names only count when it occurs once.
        let (dist_points, crl_issuers) = {
            use x509_cert::ext::pkix::CrlDistributionPoints;
            let mut it = tbs.filter_extensions::<CrlDistributionPoints>();
            match (it.next(), it.next().is_some()) {
                (Some(Ok((_, dps))), repeated) => (
                    super::dist_point::from_extension(&dps),
                    if repeated {
                        Vec::new()
                    } else {
                        crl_issuers(&dps)
                    },
                ),
                _ => (Vec::new(), Vec::new()),
            }
        };

        let serial = tbs.serial_number().as_bytes();
        let trimmed: &[u8] = {
            let i = serial.iter().position(|b| *b != 0).unwrap_or(serial.len());
            &serial[i..]
        };
        let serial_bits = trimmed
            .first()
            .map(|b| trimmed.len() * 8 - b.leading_zeros() as usize)
            .unwrap_or(0);

        Ok(ParsedCert {
            sha256: Sha256::digest(der).into(),
            der: der.to_vec(),
            version: tbs.version() as u8 + 1,
            serial_hex: hex(serial),
            serial: serial.to_vec(),
            serial_bits,
            subject: dn_string(tbs.subject()),
            issuer: dn_string(tbs.issuer()),
            subject_der: tbs.subject().to_der().unwrap_or_default(),
            issuer_der: tbs.issuer().to_der().unwrap_or_default(),
            subject_cn: tbs
                .subject()
                .common_name()
                .ok()
                .flatten()
                .map(|s| s.value().into_owned()),
            subject_o: tbs
                .subject()
                .organization()
                .ok()
                .flatten()
                .map(|s| s.value().into_owned()),
            subject_c: tbs
                .subject()
                .country()
                .ok()
                .flatten()
                .map(|s| s.as_str().to_owned()),
            issuer_o: tbs
                .issuer()
                .organization()
                .ok()
                .flatten()
                .map(|s| s.value().into_owned()),
            not_before: tbs.validity().not_before.to_unix_duration().as_secs() as i64,
            not_after: tbs.validity().not_after.to_unix_duration().as_secs() as i64,
            spki,
            public_key,
            key,
            tbs_raw,
            sig_alg,
            sig_alg_has_params,
            signature: cert.signature().raw_bytes().to_vec(),
            basic_constraints: ext::<BasicConstraints>(tbs),
            key_usage: ext::<KeyUsage>(tbs),
            ski: ext::<SubjectKeyIdentifier>(tbs)
                .and_then(|(_, r)| r.ok())
                .map(|s| s.0.as_bytes().to_vec()),
            aki: ext::<AuthorityKeyIdentifier>(tbs)
                .and_then(|(_, r)| r.ok())
                .and_then(|a| a.key_identifier.map(|k| k.as_bytes().to_vec())),
            policies: ext::<CertificatePolicies>(tbs).map(|(c, r)| {
                (
                    c,
                    r.map(|p| p.0.iter().map(|i| i.policy_identifier).collect()),
                )
            }),
            tn_auth: raw_ext(tbs, OID_TN_AUTH_LIST).map(|(c, bytes)| (c, tnauth::decode(&bytes))),
            has_crl_dp,
            crl_issuers,
            crl_dp_critical,
            extensions,
            dist_points,
        })
    }

    /// Its CRL Distribution Points ([`super::dist_point::from_extension`]; empty when it has
    /// none or they do not decode).
    pub fn dist_points(&self) -> &[super::dist_point::DistPoint] {
        &self.dist_points
    }

    pub fn sha256_hex(&self) -> String {
        hex(&self.sha256)
    }

    pub fn is_self_issued(&self) -> bool {
        self.subject_der == self.issuer_der
    }

    /// BasicConstraints says CA:TRUE.
    pub fn is_ca(&self) -> bool {
        matches!(&self.basic_constraints, Some((_, Ok(bc))) if bc.ca)
    }

    pub fn valid_at(&self, t: i64) -> bool {
        self.not_before <= t && t <= self.not_after
    }
}

fn ext<'a, T>(tbs: &'a x509_cert::TbsCertificate) -> Ext<T>
where
    T: Decode<'a> + const_oid::AssociatedOid,
    <T as Decode<'a>>::Error: fmt::Display,
{
    let mut it = tbs.filter_extensions::<T>();
    let first = it.next()?;
    if it.next().is_some() {
        return Some((false, Err("extension appears more than once".into())));
    }
    Some(match first {
        Ok((critical, v)) => (critical, Ok(v)),
        Err(e) => {
            let critical = tbs
                .extensions()
                .and_then(|x| x.iter().find(|e| e.extn_id == T::OID))
                .map(|e| e.critical)
                .unwrap_or(false);
            (critical, Err(e.to_string()))
        }
    })
}

/// DER of every cRLIssuer DirName of every distribution point.
fn crl_issuers(dps: &x509_cert::ext::pkix::CrlDistributionPoints) -> Vec<Vec<u8>> {
    use x509_cert::ext::pkix::name::GeneralName;
    dps.0
        .iter()
        .flat_map(|dp| dp.crl_issuer.iter().flatten())
        .filter_map(|gn| match gn {
            GeneralName::DirectoryName(n) => n.to_der().ok(),
            _ => None,
        })
        .collect()
}

fn raw_ext(tbs: &x509_cert::TbsCertificate, oid: ObjectIdentifier) -> Option<(bool, Vec<u8>)> {
    tbs.extensions()?
        .iter()
        .find(|e| e.extn_id == oid)
        .map(|e| (e.critical, e.extn_value.as_bytes().to_vec()))
}

fn key_kind(spki: &spki::SubjectPublicKeyInfoOwned) -> Result<KeyKind, KeyError> {
    match spki.algorithm.oid {
        rfc5912::ID_EC_PUBLIC_KEY => {
            let curve = spki
                .algorithm
                .parameters
                .as_ref()
                .and_then(|p| p.decode_as::<ObjectIdentifier>().ok())
                .ok_or(KeyError::NoNamedCurve)?;
            match curve {
                rfc5912::SECP_256_R_1 => Ok(KeyKind::P256),
                rfc5912::SECP_384_R_1 => Ok(KeyKind::P384),
                rfc5912::SECP_521_R_1 => Ok(KeyKind::P521),
                other => Err(KeyError::UnsupportedCurve(oid_name(other))),
            }
        }
        rfc5912::RSA_ENCRYPTION => Ok(KeyKind::Rsa),
        other => Err(KeyError::UnsupportedAlgorithm(oid_name(other))),
    }
}

/// The key type and the subjectPublicKey bits of a DER SubjectPublicKeyInfo (a bare `PUBLIC
/// KEY` served instead of certificates): the same rule certificates' keys go through.
pub fn spki_key(der: &[u8]) -> Result<(KeyKind, Vec<u8>), KeyError> {
    let spki = spki::SubjectPublicKeyInfoOwned::from_der(der)
        .map_err(|e| KeyError::BadSpki(e.to_string()))?;
    let kind = key_kind(&spki)?;
    Ok((kind, spki.subject_public_key.raw_bytes().to_vec()))
}

/// The signature algorithm an OID names (certificates and CRLs), or the OID's readable name.
pub fn signature_alg(oid: ObjectIdentifier) -> Result<Alg, String> {
    match oid {
        rfc5912::ECDSA_WITH_SHA_256 => Ok(Alg::ES256),
        rfc5912::ECDSA_WITH_SHA_384 => Ok(Alg::ES384),
        rfc5912::ECDSA_WITH_SHA_512 => Ok(Alg::ES512),
        rfc5912::SHA_256_WITH_RSA_ENCRYPTION => Ok(Alg::RS256),
        other => Err(oid_name(other)),
    }
}

/// A readable name for the OIDs that show up in SHAKEN certificates (a small table rather than
/// const-oid's full database, which would add hundreds of KB to the wasm build).
pub fn oid_name(oid: ObjectIdentifier) -> String {
    let name = match oid.to_string().as_str() {
        "2.16.840.1.113730.1.13" => Some("netscapeComment"),
        "2.5.29.37" => Some("extKeyUsage"),
        "2.5.29.17" => Some("subjectAltName"),
        "2.5.29.18" => Some("issuerAltName"),
        "2.5.29.30" => Some("nameConstraints"),
        "2.5.29.36" => Some("policyConstraints"),
        "2.5.29.46" => Some("freshestCRL"),
        "1.3.6.1.5.5.7.1.1" => Some("authorityInfoAccess"),
        "1.3.6.1.5.5.7.1.11" => Some("subjectInfoAccess"),
        "1.3.6.1.4.1.11129.2.4.2" => Some("CT precertificate SCTs"),
        "1.2.840.113549.1.1.5" => Some("sha1WithRSAEncryption"),
        "1.2.840.113549.1.1.12" => Some("sha384WithRSAEncryption"),
        "1.2.840.113549.1.1.13" => Some("sha512WithRSAEncryption"),
        "1.2.840.113549.1.1.10" => Some("RSASSA-PSS"),
        "1.3.101.112" => Some("Ed25519"),
        "1.2.840.10045.4.1" => Some("ecdsa-with-SHA1"),
        _ => None,
    };
    match name {
        Some(n) => format!("{n} ({oid})"),
        None => oid.to_string(),
    }
}

/// Raw bytes (tag, length and value) of the first element inside a DER SEQUENCE.
pub(crate) fn first_element(der: &[u8]) -> Option<&[u8]> {
    let (_, inner) = tlv(der)?;
    let (total, _) = tlv(inner)?;
    inner.get(..total)
}

/// Returns (total length of the TLV, its value) for the TLV at the start of `b`.
fn tlv(b: &[u8]) -> Option<(usize, &[u8])> {
    let first_len = *b.get(1)?;
    let (len, hdr) = if first_len < 0x80 {
        (first_len as usize, 2)
    } else {
        let n = (first_len & 0x7f) as usize;
        if n == 0 || n > 4 {
            return None;
        }
        let mut len = 0usize;
        for i in 0..n {
            len = (len << 8) | *b.get(2 + i)? as usize;
        }
        (len, 2 + n)
    };
    let end = hdr.checked_add(len)?;
    Some((end, b.get(hdr..end)?))
}

pub fn hex(b: &[u8]) -> String {
    const H: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(b.len() * 2);
    for x in b {
        s.push(H[(x >> 4) as usize] as char);
        s.push(H[(x & 15) as usize] as char);
    }
    s
}
