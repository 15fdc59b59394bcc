//! Certificate revocation lists (RFC 5280 §5) and CRL distribution points (§4.2.1.13) for the
//! `cert.revocation` check.
//!
//! SHAKEN uses one central CRL published by the STI-PA and named in each certificate's CRL
//! Distribution Points, with a cRLIssuer DirName (an indirect CRL). The shell fetches the URLs
//! [`crl_urls`] lists (or is given CRL bytes: PEM `X509 CRL`, DER, or base64 of the DER),
//! optionally with the CRL signer's certificate in the same PEM bundle. Whether a CRL counts is
//! decided in `verify::revocation`: its signer must chain to a trust anchor and hold cRLSign.

use super::chain::pem_blocks;
use super::dist_point::{dir_name, uri};
use super::parse::{CertError, ParsedCert, first_element, signature_alg};
use crate::crypto::Alg;
use crate::fetch_rules::MAX_CRL_BYTES;
use crate::limits::{MAX_CHAIN_CERTS, MAX_CRL_URLS, MAX_CRLS};
use base64::Engine;
use der::{Decode, Encode};
use std::fmt;
use x509_cert::crl::CertificateList;
use x509_cert::ext::pkix::crl::IssuingDistributionPoint;
use x509_cert::ext::pkix::name::{DistributionPointName, GeneralNames};

const OID_CRL_NUMBER: &str = "2.5.29.20";
const OID_DELTA_CRL: &str = "2.5.29.27";
const OID_IDP: &str = "2.5.29.28";
const OID_AKI: &str = "2.5.29.35";
const OID_REASON: &str = "2.5.29.21";
const OID_INVALIDITY: &str = "2.5.29.24";
const OID_CERT_ISSUER: &str = "2.5.29.29";

/// Why CRL bytes could not be read as a CRL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CrlError {
    TooLarge(usize),
    NoCrl,
    TooMany(usize),
    BadPem(String),
    BadDer(String),
    BadSigner(CertError),
}

impl fmt::Display for CrlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CrlError::TooLarge(n) => {
                write!(f, "it is {n} bytes, over the {MAX_CRL_BYTES}-byte limit")
            }
            CrlError::NoCrl => write!(f, "it holds no X509 CRL (PEM, DER or base64 DER)"),
            CrlError::TooMany(n) => write!(f, "it holds {n} CRLs, over the limit of {MAX_CRLS}"),
            CrlError::BadPem(e) => write!(f, "it is not valid PEM ({e})"),
            CrlError::BadDer(e) => write!(f, "it is not a valid X.509 CRL ({e})"),
            CrlError::BadSigner(e) => write!(f, "its signer certificate is {e}"),
        }
    }
}

impl std::error::Error for CrlError {}

/// One revoked certificate.
#[derive(Debug, Clone)]
pub struct Entry {
    pub serial: Vec<u8>,
    pub revoked_at: i64,
    /// DER of the entry's certificate issuer when the CRL names one (certificateIssuer, carried
    /// over to the following entries as RFC 5280 §5.3.3 says); `None` before any such entry.
    pub issuer: Option<Vec<u8>>,
}

/// The Issuing Distribution Point extension: which certificates the CRL covers.
#[derive(Debug, Clone, Default)]
pub struct Scope {
    pub urls: Vec<String>,
    pub only_user_certs: bool,
    pub only_ca_certs: bool,
    pub only_some_reasons: bool,
    pub only_attribute_certs: bool,
    pub indirect: bool,
}

/// A parsed CRL: who issued it, when, and which serials it revokes.
#[derive(Debug, Clone)]
pub struct ParsedCrl {
    pub issuer: String,
    pub issuer_der: Vec<u8>,
    pub this_update: i64,
    pub next_update: Option<i64>,
    pub entries: Vec<Entry>,
    pub scope: Option<Scope>,
    /// Why this CRL may not be used at all (RFC 5280 §5.2, §5.3: a delta CRL, or a critical
    /// extension this verifier does not process).
    pub unusable: Option<String>,
    pub tbs_raw: Vec<u8>,
    pub sig_alg: Result<Alg, String>,
    pub signature: Vec<u8>,
    /// The CRL's DER, as read.
    pub der: Vec<u8>,
}

impl ParsedCrl {
    pub fn from_der(der: &[u8]) -> Result<ParsedCrl, CrlError> {
        let crl = CertificateList::<x509_cert::certificate::Rfc5280>::from_der(der)
            .map_err(|e| CrlError::BadDer(e.to_string()))?;
        let tbs = &crl.tbs_cert_list;
        // The same algorithms (and names for the refused ones) as a certificate's signature.
        let sig_alg = signature_alg(crl.signature_algorithm.oid);
        let mut unusable = None;
        let mut scope = None;
        for ext in tbs.crl_extensions.iter().flatten() {
            match ext.extn_id.to_string().as_str() {
                OID_IDP => match IssuingDistributionPoint::from_der(ext.extn_value.as_bytes()) {
                    Ok(idp) => scope = Some(scope_of(&idp)),
                    Err(e) => {
                        unusable = Some(format!(
                            "its Issuing Distribution Point does not decode ({e})"
                        ))
                    }
                },
                OID_DELTA_CRL => {
                    unusable = Some("it is a delta CRL; a complete CRL is needed".into())
                }
                OID_CRL_NUMBER | OID_AKI => {}
                other if ext.critical => {
                    unusable = Some(format!(
                        "it has a critical extension {other} that is not understood"
                    ))
                }
                _ => {}
            }
        }
        let mut entries = Vec::new();
        let mut current_issuer: Option<Vec<u8>> = None;
        for r in tbs.revoked_certificates.iter().flatten() {
            for ext in r.crl_entry_extensions.iter().flatten() {
                match ext.extn_id.to_string().as_str() {
                    OID_CERT_ISSUER => match GeneralNames::from_der(ext.extn_value.as_bytes()) {
                        Ok(names) => current_issuer = names.iter().find_map(dir_name),
                        Err(e) => {
                            unusable = Some(format!(
                                "an entry's certificateIssuer does not decode ({e})"
                            ))
                        }
                    },
                    OID_REASON | OID_INVALIDITY => {}
                    other if ext.critical => {
                        unusable = Some(format!(
                            "an entry has a critical extension {other} that is not understood"
                        ))
                    }
                    _ => {}
                }
            }
            entries.push(Entry {
                serial: r.serial_number.as_bytes().to_vec(),
                revoked_at: r.revocation_date.to_unix_duration().as_secs() as i64,
                issuer: current_issuer.clone(),
            });
        }
        Ok(ParsedCrl {
            issuer: super::dn::dn_string(&tbs.issuer),
            issuer_der: tbs.issuer.to_der().unwrap_or_default(),
            this_update: tbs.this_update.to_unix_duration().as_secs() as i64,
            next_update: tbs
                .next_update
                .map(|t| t.to_unix_duration().as_secs() as i64),
            entries,
            scope,
            unusable,
            tbs_raw: first_element(der)
                .ok_or_else(|| CrlError::BadDer("truncated CRL".into()))?
                .to_vec(),
            sig_alg,
            signature: crl.signature.raw_bytes().to_vec(),
            der: der.to_vec(),
        })
    }

    /// When `cert` appears on this list, the time it was revoked. An entry naming its issuer
    /// (certificateIssuer) must name `cert`'s issuer; an entry without one belongs to the CRL
    /// issuer, or — in an indirect CRL that never names issuers (legacy STI-PA style) — matches
    /// on the serial alone, so a revoked certificate is never missed.
    pub fn revoked_at(&self, cert: &ParsedCert, indirect: bool) -> Option<i64> {
        let want = strip_zeros(&cert.serial);
        self.entries
            .iter()
            .filter(|e| strip_zeros(&e.serial) == want)
            .find(|e| match &e.issuer {
                Some(i) => *i == cert.issuer_der,
                None => indirect || self.issuer_der == cert.issuer_der,
            })
            .map(|e| e.revoked_at)
    }

    /// Whether this CRL's scope (Issuing Distribution Point) takes in `cert` reached through one
    /// of `dp_urls` (the certificate's distribution point names), and if not, why.
    pub fn scope_excludes(&self, cert: &ParsedCert, dp_urls: &[String]) -> Option<String> {
        let s = self.scope.as_ref()?;
        if s.only_user_certs && cert.is_ca() {
            return Some("it covers only end-entity certificates".into());
        }
        if s.only_ca_certs && !cert.is_ca() {
            return Some("it covers only CA certificates".into());
        }
        if s.only_attribute_certs {
            return Some("it covers only attribute certificates".into());
        }
        if s.only_some_reasons {
            return Some("it covers only some revocation reasons".into());
        }
        if !s.urls.is_empty() && !dp_urls.is_empty() && !s.urls.iter().any(|u| dp_urls.contains(u))
        {
            return Some(format!(
                "its Issuing Distribution Point ({}) is not the certificate's distribution point",
                s.urls.join(", ")
            ));
        }
        None
    }

    pub fn describe(&self) -> String {
        format!(
            "CRL of \"{}\" ({} entries)",
            self.issuer,
            self.entries.len()
        )
    }
}

fn scope_of(idp: &IssuingDistributionPoint) -> Scope {
    Scope {
        urls: match &idp.distribution_point {
            Some(DistributionPointName::FullName(names)) => names.iter().filter_map(uri).collect(),
            _ => Vec::new(),
        },
        only_user_certs: idp.only_contains_user_certs,
        only_ca_certs: idp.only_contains_ca_certs,
        only_some_reasons: idp.only_some_reasons.is_some(),
        only_attribute_certs: idp.only_contains_attribute_certs,
        indirect: idp.indirect_crl,
    }
}

fn strip_zeros(b: &[u8]) -> &[u8] {
    let i = b.iter().position(|x| *x != 0).unwrap_or(b.len());
    &b[i..]
}

/// A certificate's CRL Distribution Points, decoded once by [`ParsedCert::dist_points`].
pub use super::dist_point::DistPoint;

/// The certificate's CRL Distribution Points (empty when it has none or they do not decode).
pub fn distribution_points(cert: &ParsedCert) -> Vec<DistPoint> {
    cert.dist_points().to_vec()
}

pub use super::dist_point::check_url;

/// The CRL distribution point URLs a shell should fetch for these certificates (leaf first, as
/// an x5u serves them): every allowed URL of every non-self-issued certificate, once, in order,
/// at most [`MAX_CRL_URLS`]. Refused URLs are left out; the check reports them.
pub fn crl_urls(chain: &[&ParsedCert]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for cert in chain.iter().filter(|c| !c.is_self_issued()) {
        for dp in cert.dist_points() {
            for (u, rule) in dp.urls.iter().zip(&dp.url_rules) {
                if out.len() < MAX_CRL_URLS && rule.is_ok() && !out.contains(u) {
                    out.push(u.clone());
                }
            }
        }
    }
    out
}

/// [`crl_urls`] for x5u content as served (PEM or DER); nothing when it is not a chain.
pub fn crl_urls_for_chain(bytes: &[u8]) -> Vec<String> {
    match super::chain::parse_chain(bytes) {
        Ok(super::chain::Credential::Chain(certs)) => crl_urls(&certs.iter().collect::<Vec<_>>()),
        _ => Vec::new(),
    }
}

/// What CRL bytes held: the CRLs and any signer certificates that came with them.
#[derive(Debug, Clone, Default)]
pub struct Bundle {
    pub crls: Vec<ParsedCrl>,
    pub signers: Vec<ParsedCert>,
}

/// CRLs and signer certificates in supplied or fetched bytes: one DER CRL, base64 of one, or a
/// PEM bundle of `X509 CRL` and `CERTIFICATE` blocks (certificates alone: signers for other
/// CRLs). Any unreadable part makes it an error: a CRL that cannot be read is reported, never
/// skipped.
pub fn parse_bundle(bytes: &[u8]) -> Result<Bundle, CrlError> {
    if bytes.len() > MAX_CRL_BYTES {
        return Err(CrlError::TooLarge(bytes.len()));
    }
    let mut out = Bundle::default();
    if bytes.first() == Some(&0x30) {
        out.crls.push(ParsedCrl::from_der(bytes)?);
        return Ok(out);
    }
    let text = String::from_utf8_lossy(bytes);
    let blocks = pem_blocks(&text);
    if blocks.is_empty() {
        let b64: String = text.split_ascii_whitespace().collect();
        if let Ok(der) = base64::engine::general_purpose::STANDARD.decode(b64.as_bytes())
            && der.first() == Some(&0x30)
        {
            out.crls.push(ParsedCrl::from_der(&der)?);
            return Ok(out);
        }
        return Err(CrlError::NoCrl);
    }
    for block in blocks {
        match der::pem::decode_vec(block.as_bytes()) {
            Ok(("X509 CRL", der)) => {
                if out.crls.len() >= MAX_CRLS {
                    return Err(CrlError::TooMany(out.crls.len() + 1));
                }
                out.crls.push(ParsedCrl::from_der(&der)?)
            }
            Ok(("CERTIFICATE", der)) if out.signers.len() < MAX_CHAIN_CERTS => out
                .signers
                .push(ParsedCert::from_der(&der).map_err(CrlError::BadSigner)?),
            Ok(_) => {}
            Err(e) => return Err(CrlError::BadPem(e.to_string())),
        }
    }
    // Certificates alone are allowed: a CRL signer's certificate supplied for CRLs fetched from
    // distribution points (the STI-PA CRL is served as bare DER).
    if out.crls.is_empty() && out.signers.is_empty() {
        return Err(CrlError::NoCrl);
    }
    Ok(out)
}

/// What a fetched CRL body holds, for a shell that caches it ([`inspect`]).
#[derive(Debug, Clone)]
pub struct CrlInfo {
    /// The CRLs (and signer certificates) re-encoded as PEM: what the shell caches and passes
    /// back as `crlsByUrl` (one text form whatever the server sent: DER, base64 or PEM).
    pub pem: String,
    /// CRLs in the body.
    pub count: usize,
    /// The earliest thisUpdate.
    pub this_update: Option<i64>,
    /// The earliest nextUpdate: past it the CRL is stale and a newer one is expected (the
    /// cache lifetime stops there).
    pub next_update: Option<i64>,
}

/// Reads fetched CRL bytes with the verifier's own parser ([`parse_bundle`]); a body holding
/// no CRL at all (only certificates) is refused: a distribution point must serve a CRL.
pub fn inspect(bytes: &[u8]) -> Result<CrlInfo, CrlError> {
    let bundle = parse_bundle(bytes)?;
    if bundle.crls.is_empty() {
        return Err(CrlError::NoCrl);
    }
    let mut pem = String::new();
    let mut add = |label: &str, der: &[u8]| -> Result<(), CrlError> {
        let block = der::pem::encode_string(label, der::pem::LineEnding::LF, der)
            .map_err(|e| CrlError::BadPem(e.to_string()))?;
        pem.push_str(&block);
        Ok(())
    };
    for c in &bundle.crls {
        add("X509 CRL", &c.der)?;
    }
    for s in &bundle.signers {
        add("CERTIFICATE", &s.der)?;
    }
    Ok(CrlInfo {
        pem,
        count: bundle.crls.len(),
        this_update: bundle.crls.iter().map(|c| c.this_update).min(),
        next_update: bundle.crls.iter().filter_map(|c| c.next_update).min(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inspect_refuses_what_is_not_a_crl() {
        assert_eq!(inspect(b"hello").unwrap_err(), CrlError::NoCrl);
        assert!(matches!(
            inspect(&vec![0x30; MAX_CRL_BYTES + 1]),
            Err(CrlError::TooLarge(_))
        ));
        assert!(matches!(
            inspect(&[0x30, 0x03, 1, 2, 3]),
            Err(CrlError::BadDer(_))
        ));
    }
}
