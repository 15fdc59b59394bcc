//! `cert.revocation`: supplied CRLs are checked for a valid signature by a certificate named as
//! their issuer (from the chains, the trust store or the CRL bundle), then every certificate on
//! the path (but the anchor) is looked up in the CRLs that cover it — direct CRLs of its issuer,
//! or the indirect CRL named by its CRL Distribution Points cRLIssuer (the STI-PA CRL).

use crate::cert::ParsedCert;
use crate::cert::crl::{ParsedCrl, parse_bundle};
use crate::cert::path::signed_by;
use crate::check_id::CheckId;
use crate::crypto::CryptoJob;
use crate::time::format_date as date;
use crate::trust::TrustStore;
use crate::verdict::Check;
use std::sync::Arc;

/// CRLs waiting for their signature jobs.
#[derive(Default)]
pub(super) struct Crls {
    supplied: bool,
    crls: Vec<ParsedCrl>,
    /// (crl index, job index)
    jobs: Vec<(usize, usize)>,
    errors: Vec<String>,
}

impl Crls {
    pub fn prepare(
        bundles: &[Vec<u8>],
        chain_certs: impl Iterator<Item = Arc<ParsedCert>>,
        trust: &TrustStore,
        jobs: &mut Vec<CryptoJob>,
    ) -> Crls {
        let mut out = Crls {
            supplied: !bundles.is_empty(),
            ..Default::default()
        };
        if bundles.is_empty() {
            return out;
        }
        let mut signers: Vec<Arc<ParsedCert>> = chain_certs.collect();
        for b in bundles {
            let (crls, certs, errors) = parse_bundle(b);
            out.crls.extend(crls);
            signers.extend(certs.into_iter().map(Arc::new));
            out.errors.extend(errors);
        }
        for (i, crl) in out.crls.iter().enumerate() {
            let candidates = signers
                .iter()
                .filter(|c| c.subject_der == crl.issuer_der)
                .chain(trust.by_subject(&crl.issuer_der));
            for signer in candidates {
                if let Ok(job) = signed_by(&crl.tbs_raw, &crl.sig_alg, &crl.signature, signer) {
                    jobs.push(job);
                    out.jobs.push((i, jobs.len() - 1));
                }
            }
        }
        out
    }

    /// Keep the CRLs whose signature verified.
    pub fn verified(self, results: &[bool]) -> VerifiedCrls {
        let mut ok = vec![false; self.crls.len()];
        for (crl, job) in &self.jobs {
            if results.get(*job).copied().unwrap_or(false) {
                ok[*crl] = true;
            }
        }
        let unverified = ok.iter().filter(|v| !**v).count();
        VerifiedCrls {
            supplied: self.supplied,
            crls: self
                .crls
                .into_iter()
                .zip(ok)
                .filter(|(_, v)| *v)
                .map(|(c, _)| c)
                .collect(),
            unverified,
            errors: self.errors,
        }
    }
}

pub(super) struct VerifiedCrls {
    supplied: bool,
    crls: Vec<ParsedCrl>,
    unverified: usize,
    errors: Vec<String>,
}

impl VerifiedCrls {
    /// The `cert.revocation` check for `path` (leaf first; a last self-issued anchor is skipped).
    pub fn check(&self, path: &[Arc<ParsedCert>], at: i64) -> Check {
        let id = CheckId::CertRevocation;
        if !self.supplied {
            return revocation_unchecked();
        }
        let mut covered_leaf = false;
        let mut stale = Vec::new();
        for (pos, cert) in path.iter().enumerate() {
            if cert.is_self_issued() {
                continue;
            }
            for crl in self.crls.iter().filter(|c| {
                c.issuer_der == cert.issuer_der || cert.crl_issuers.contains(&c.issuer_der)
            }) {
                if pos == 0 {
                    covered_leaf = true;
                }
                if let Some(t) = crl.revoked_at(cert)
                    && t <= at {
                        return Check::fail(
                            id,
                            format!(
                                "\"{}\" was revoked on {} ({})",
                                cert.subject,
                                date(t),
                                crl.describe()
                            ),
                        );
                    }
                if crl.next_update.is_some_and(|n| n < at) {
                    stale.push(crl.describe());
                }
            }
        }
        let mut notes = Vec::new();
        if self.unverified > 0 {
            notes.push(format!(
                "{} supplied CRL(s) ignored: no signature by their issuer could be verified",
                self.unverified
            ));
        }
        notes.extend(self.errors.iter().cloned());
        if !covered_leaf {
            notes.insert(0, "no supplied CRL covers the signing certificate".into());
            return Check::warn(
                id,
                format!("revocation not established: {}", notes.join("; ")),
            );
        }
        if !stale.is_empty() {
            return Check::warn(
                id,
                format!(
                    "not on the CRL, but the CRL is past its nextUpdate: {}",
                    stale.join(", ")
                ),
            );
        }
        let mut d = "not revoked: checked against a CRL whose signature verified".to_string();
        if !notes.is_empty() {
            d.push_str(&format!(" ({})", notes.join("; ")));
        }
        Check::pass(id, d)
    }
}

/// The warning when no CRL was supplied at all.
pub fn revocation_unchecked() -> Check {
    Check::warn(
        CheckId::CertRevocation,
        "revocation not checked: no STI-PA CRL was supplied (the verdict does not cover a revoked certificate)",
    )
}
