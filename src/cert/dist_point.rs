//! CRL Distribution Points (RFC 5280 §4.2.1.13) of one certificate: where its CRL is published
//! and, for an indirect CRL, who issues it. A leaf module (it reads only the decoded extension),
//! so `parse` keeps the list with each certificate without importing the CRL code.

use crate::fetch_rules;
use der::Encode;
use x509_cert::ext::pkix::CrlDistributionPoints;
use x509_cert::ext::pkix::name::{DistributionPointName, GeneralName};

/// One entry of a certificate's CRL Distribution Points.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DistPoint {
    /// The URIs of its fullName (any scheme; `crl::crl_urls` filters what may be fetched).
    pub urls: Vec<String>,
    /// What the fetch rules say of each of `urls`, in the same order ([`check_url`]): asked
    /// once per certificate, not on every `cert.revocation`.
    pub url_rules: Vec<Result<(), String>>,
    /// DER of the cRLIssuer DirName: the CRL is indirect, issued by this name (STI-PA).
    pub crl_issuer: Option<Vec<u8>>,
    /// The cRLIssuer name as text.
    pub crl_issuer_name: Option<String>,
}

/// The distribution points of a decoded CRL Distribution Points extension.
pub fn from_extension(dps: &CrlDistributionPoints) -> Vec<DistPoint> {
    dps.0
        .iter()
        .map(|dp| {
            let issuer = dp
                .crl_issuer
                .iter()
                .flatten()
                .find(|n| matches!(n, GeneralName::DirectoryName(_)));
            let urls: Vec<String> = match &dp.distribution_point {
                Some(DistributionPointName::FullName(names)) => {
                    names.iter().filter_map(uri).collect()
                }
                _ => Vec::new(),
            };
            DistPoint {
                url_rules: urls.iter().map(|u| check_url(u)).collect(),
                urls,
                crl_issuer: issuer.and_then(dir_name),
                crl_issuer_name: issuer.and_then(|n| match n {
                    GeneralName::DirectoryName(d) => Some(super::dn::dn_string(d)),
                    _ => None,
                }),
            }
        })
        .collect()
}

/// The fetch rule for a CRL distribution point URL ([`crate::fetch_rules`], kind `Crl`).
pub fn check_url(url: &str) -> Result<(), String> {
    fetch_rules::allowed(url).map_err(|e| e.to_string())
}

pub(super) fn uri(n: &GeneralName) -> Option<String> {
    match n {
        GeneralName::UniformResourceIdentifier(u) => Some(u.as_str().to_string()),
        _ => None,
    }
}

pub(super) fn dir_name(n: &GeneralName) -> Option<Vec<u8>> {
    match n {
        GeneralName::DirectoryName(d) => d.to_der().ok(),
        _ => None,
    }
}
