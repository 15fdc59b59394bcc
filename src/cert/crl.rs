//! Certificate revocation lists (RFC 5280 §5) for the `cert.revocation` check.
//!
//! SHAKEN uses one central CRL published by the STI-PA and named in each certificate's CRL
//! Distribution Points, with a cRLIssuer DirName (an indirect CRL). The shell supplies CRL bytes
//! (PEM `X509 CRL` or DER), optionally with the CRL signer's certificate in the same PEM bundle.
//! A CRL only counts once its signature verifies with a key whose subject is the CRL issuer.

use super::chain::pem_blocks;
use super::parse::{CertError, ParsedCert, first_element, signature_alg};
use crate::crypto::Alg;
use der::{Decode, Encode};
use x509_cert::crl::CertificateList;

/// A parsed CRL: who issued it, when, and which serials it revokes.
#[derive(Debug, Clone)]
pub struct ParsedCrl {
    pub issuer: String,
    pub issuer_der: Vec<u8>,
    pub this_update: i64,
    pub next_update: Option<i64>,
    /// (serial bytes, revocation time)
    pub revoked: Vec<(Vec<u8>, i64)>,
    pub tbs_raw: Vec<u8>,
    pub sig_alg: Result<Alg, String>,
    pub signature: Vec<u8>,
}

impl ParsedCrl {
    pub fn from_der(der: &[u8]) -> Result<ParsedCrl, CertError> {
        let crl = CertificateList::<x509_cert::certificate::Rfc5280>::from_der(der)
            .map_err(|e| CertError::Der(format!("CRL: {e}")))?;
        let tbs = &crl.tbs_cert_list;
        let sig_alg = signature_alg(crl.signature_algorithm.oid);
        Ok(ParsedCrl {
            issuer: tbs.issuer.to_string(),
            issuer_der: tbs.issuer.to_der().unwrap_or_default(),
            this_update: tbs.this_update.to_unix_duration().as_secs() as i64,
            next_update: tbs
                .next_update
                .map(|t| t.to_unix_duration().as_secs() as i64),
            revoked: tbs
                .revoked_certificates
                .iter()
                .flatten()
                .map(|r| {
                    (
                        r.serial_number.as_bytes().to_vec(),
                        r.revocation_date.to_unix_duration().as_secs() as i64,
                    )
                })
                .collect(),
            tbs_raw: first_element(der)
                .ok_or_else(|| CertError::Der("truncated CRL".into()))?
                .to_vec(),
            sig_alg,
            signature: crl.signature.raw_bytes().to_vec(),
        })
    }

    /// When `cert` appears on this list, the time it was revoked.
    pub fn revoked_at(&self, cert: &ParsedCert) -> Option<i64> {
        let want = strip_zeros(&cert.serial);
        self.revoked
            .iter()
            .find(|(s, _)| strip_zeros(s) == want)
            .map(|(_, t)| *t)
    }

    pub fn describe(&self) -> String {
        format!(
            "CRL of \"{}\" ({} entries)",
            self.issuer,
            self.revoked.len()
        )
    }
}

fn strip_zeros(b: &[u8]) -> &[u8] {
    let i = b.iter().position(|x| *x != 0).unwrap_or(b.len());
    &b[i..]
}

/// CRLs and signer certificates found in the supplied bytes (PEM bundle or one DER CRL).
pub fn parse_bundle(bytes: &[u8]) -> (Vec<ParsedCrl>, Vec<ParsedCert>, Vec<String>) {
    let (mut crls, mut signers, mut errors) = (Vec::new(), Vec::new(), Vec::new());
    if bytes.first() == Some(&0x30) {
        match ParsedCrl::from_der(bytes) {
            Ok(c) => crls.push(c),
            Err(e) => errors.push(e.to_string()),
        }
        return (crls, signers, errors);
    }
    let text = String::from_utf8_lossy(bytes);
    for block in pem_blocks(&text) {
        match der::pem::decode_vec(block.as_bytes()) {
            Ok(("X509 CRL", der)) => match ParsedCrl::from_der(&der) {
                Ok(c) => crls.push(c),
                Err(e) => errors.push(e.to_string()),
            },
            Ok(("CERTIFICATE", der)) => match ParsedCert::from_der(&der) {
                Ok(c) => signers.push(c),
                Err(e) => errors.push(format!("CRL signer certificate: {e}")),
            },
            Ok(_) => {}
            Err(e) => errors.push(format!("bad PEM in the CRL bundle: {e}")),
        }
    }
    if crls.is_empty() && errors.is_empty() {
        errors.push("no X509 CRL block found".into());
    }
    (crls, signers, errors)
}
