//! Certificate checks: `cert.fetch`, `cert.profile`, `cert.chain`, `cert.validity`, and the
//! skip of `cert.revocation` (the lookup itself is in `revocation.rs`). Each check reads the
//! [`Credential`] that an identity's x5u gave, so each one also produces its own skip.

use super::cache;
use super::revocation::VerifiedCrls;
use crate::cert::ParsedCert;
use crate::cert::cert_cache::CertCache;
use crate::cert::chain::{self, ChainError, parse_chain_cached};
use crate::cert::parse::{KeyError, hex, spki_key};
use crate::cert::path::{self, PathError, Plan, ValidPath};
use crate::cert::profile::{self, Profile};
use crate::check_id::CheckId;
use crate::crypto::{CryptoJob, KeyKind};
use crate::time::format_date as date;
use crate::trust::TrustStore;
use crate::verdict::{AnchorRef, ChainEntry, Check, Signer};
use crate::x5u;
use std::sync::Arc;

/// Where the chain for an x5u comes from, as the shell reported it.
pub enum Supplied<'a> {
    /// The bytes served (or given with `--cert`).
    Bytes(&'a [u8]),
    /// Why the shell could not fetch it.
    FetchError(&'a str),
    /// Nothing was supplied.
    Missing,
}

/// Why no chain could be read for an x5u (`cert.fetch` fails, 436).
pub enum FetchProblem {
    /// The shell's fetch failed.
    Fetch(String),
    /// The shell supplied nothing.
    Missing,
    /// The content is not a usable chain.
    Unusable(ChainError),
}

/// A resolved path (or why there is none) and the signer shown for it.
pub type Resolved = (Result<ValidPath, PathError>, Arc<Signer>);

/// What one identity's x5u gave: the state every `cert.*` check and the signature read.
pub enum Credential {
    /// Nothing was fetched, and why (no decodable PASSporT, no x5u).
    NotAttempted(&'static str),
    /// The chain could not be obtained or read.
    Unobtained {
        /// The x5u.
        url: String,
        /// What went wrong.
        problem: FetchProblem,
    },
    /// A bare public key instead of certificates: the signature can be checked, nobody is
    /// identified.
    KeyOnly {
        /// The SPKI DER.
        spki: Vec<u8>,
        /// Its key type and subjectPublicKey bits.
        key: Result<(KeyKind, Vec<u8>), KeyError>,
    },
    /// A chain validated before for the same bytes and trust store.
    Cached {
        /// The x5u.
        url: String,
        /// The validation.
        entry: Arc<cache::Entry>,
    },
    /// A chain whose path is checked by this verification: `resolved` is set by
    /// [`Credential::resolve`] once the CA signature results are in.
    Chain {
        /// The x5u.
        url: String,
        /// The certificates served, leaf first.
        certs: Vec<Arc<ParsedCert>>,
        /// The leaf's profile findings.
        profile: Profile,
        /// Candidate path edges and their jobs.
        plan: Plan,
        /// The cache key a valid path is stored under (taken when it is stored).
        key: Option<cache::Key>,
        /// The path (or why there is none) and the signer shown for it.
        resolved: Option<Box<Resolved>>,
    },
}

impl Credential {
    /// Read what the shell supplied for `url`, planning the path jobs; a chain validated
    /// before (same trust store, x5u and bytes) is reused from `cache` without parsing, and
    /// certificates parsed before come from `certs`.
    pub fn load(
        url: &str,
        supplied: Supplied<'_>,
        cache: &cache::ChainCache,
        certs: &CertCache,
        trust: &TrustStore,
        jobs: &mut Vec<CryptoJob>,
    ) -> Credential {
        let url = url.to_string();
        let bytes = match supplied {
            Supplied::Bytes(b) => b,
            Supplied::FetchError(e) => {
                return Credential::Unobtained {
                    url,
                    problem: FetchProblem::Fetch(e.to_string()),
                };
            }
            Supplied::Missing => {
                return Credential::Unobtained {
                    url,
                    problem: FetchProblem::Missing,
                };
            }
        };
        let lookup = cache::KeyRef {
            trust: &trust.fingerprint,
            x5u: &url,
            chain: bytes,
        };
        if let Some(entry) = cache.get(&lookup) {
            return Credential::Cached { url, entry };
        }
        let key = Some(lookup.to_key());
        match parse_chain_cached(bytes, certs) {
            Err(e) => Credential::Unobtained {
                url,
                problem: FetchProblem::Unusable(e),
            },
            Ok(chain::Credential::KeyOnly(spki)) => Credential::KeyOnly {
                key: spki_key(&spki),
                spki,
            },
            Ok(chain::Credential::Chain(certs)) => {
                let profile = profile::check_leaf(&certs[0]);
                let plan = path::plan(&certs, trust, jobs);
                Credential::Chain {
                    url,
                    certs,
                    profile,
                    plan,
                    key,
                    resolved: None,
                }
            }
        }
    }

    /// Pick the path from the CA signature results, trying validity at each of `times`.
    pub fn resolve(&mut self, results: &[bool], trust: &TrustStore, times: &[i64]) {
        if let Credential::Chain {
            url,
            certs,
            plan,
            resolved,
            ..
        } = self
        {
            let path = path::resolve(plan, results, trust, times);
            let shown = Arc::new(signer(certs, path.as_ref().ok(), url));
            *resolved = Some(Box::new((path, shown)));
        }
    }

    /// A freshly validated path to keep in the chain cache (once: the key moves out).
    pub fn cache_entry(&mut self) -> Option<(cache::Key, cache::Entry)> {
        match self {
            Credential::Chain {
                certs,
                profile,
                key,
                resolved: Some(r),
                ..
            } => {
                let (Ok(path), signer) = &**r else {
                    return None;
                };
                Some((
                    key.take()?,
                    cache::Entry {
                        path: path.clone(),
                        profile: profile.clone(),
                        chain_len: certs.len(),
                        signer: signer.clone(),
                        ready: Default::default(),
                        no_crl_revocation: Default::default(),
                    },
                ))
            }
            _ => None,
        }
    }

    /// The signing certificate, when there is one.
    pub fn leaf(&self) -> Option<&Arc<ParsedCert>> {
        match self {
            Credential::Cached { entry, .. } => entry.path.certs.first(),
            Credential::Chain { certs, .. } => certs.first(),
            _ => None,
        }
    }

    /// Certificates this identity brought (candidate CRL signers).
    pub fn certs(&self) -> Vec<Arc<ParsedCert>> {
        match self {
            Credential::Cached { entry, .. } => entry.path.certs.clone(),
            Credential::Chain { certs, .. } => certs.clone(),
            _ => Vec::new(),
        }
    }

    /// The certificates whose validity and revocation are judged: the path, or the chain as
    /// served when there is no path.
    pub(super) fn judged(&self) -> Option<&[Arc<ParsedCert>]> {
        match self {
            Credential::Cached { entry, .. } => Some(&entry.path.certs),
            Credential::Chain {
                certs, resolved, ..
            } => match resolved.as_deref() {
                Some((Ok(p), _)) => Some(&p.certs),
                _ => Some(certs),
            },
            _ => None,
        }
    }

    /// The signer shown in the verdict.
    pub fn signer(&self) -> Option<Arc<Signer>> {
        match self {
            Credential::Cached { entry, .. } => Some(entry.signer.clone()),
            Credential::Chain {
                resolved: Some(r), ..
            } => Some(r.1.clone()),
            _ => None,
        }
    }

    /// Why certificate checks cannot be made, when they cannot.
    pub(super) fn unchecked(&self) -> Option<&'static str> {
        match self {
            Credential::NotAttempted(why) => Some(why),
            Credential::Unobtained { .. } => Some("no certificate was obtained"),
            Credential::KeyOnly { .. } => Some("no certificate"),
            _ => None,
        }
    }
}

/// `cert.fetch`, `cert.profile` and `cert.chain` of a cached chain, worded on its first hit.
fn ready<'a>(url: &str, entry: &'a Arc<cache::Entry>) -> &'a [Check; 3] {
    entry.ready.get_or_init(|| {
        let cred = Credential::Cached {
            url: url.to_string(),
            entry: entry.clone(),
        };
        [fetch(&cred), profile_check(&cred), chain_check(&cred)]
    })
}

/// `cert.fetch`: the chain for the x5u was obtained and could be read.
pub fn cert_fetch(cred: &Credential) -> Check {
    match cred {
        Credential::Cached { url, entry } => ready(url, entry)[0].clone(),
        _ => fetch(cred),
    }
}

/// `cert.profile`: the leaf follows the SHAKEN certificate profile.
pub fn cert_profile(cred: &Credential) -> Check {
    match cred {
        Credential::Cached { url, entry } => ready(url, entry)[1].clone(),
        _ => profile_check(cred),
    }
}

/// `cert.chain`: a path from the leaf to a trust anchor, every signature verified.
pub fn cert_chain(cred: &Credential) -> Check {
    match cred {
        Credential::Cached { url, entry } => ready(url, entry)[2].clone(),
        _ => chain_check(cred),
    }
}

fn fetch(cred: &Credential) -> Check {
    let id = CheckId::CertFetch;
    match cred {
        Credential::NotAttempted(why) => Check::skip(id, format!("not attempted: {why}")),
        Credential::Unobtained { url, problem } => Check::fail(
            id,
            match problem {
                FetchProblem::Fetch(why) => {
                    format!("The certificate at <{url}> could not be retrieved: {why}")
                }
                FetchProblem::Missing => {
                    let why = match x5u::allowed(url) {
                        Err(e) => format!("it was not fetched because {e}"),
                        Ok(_) => "no certificate chain was supplied or fetched for it".to_string(),
                    };
                    format!("The certificate at <{url}> is not available: {why}")
                }
                FetchProblem::Unusable(e) => format!("The content of <{url}> is unusable: {e}"),
            },
        ),
        Credential::KeyOnly { .. } => Check::warn(
            id,
            "a bare public key was supplied instead of certificates: the signature can be checked, the signer cannot be identified",
        ),
        Credential::Cached { url, entry } => Check::pass(
            id,
            format!(
                "{} certificate(s) for <{url}> (validated chain from cache)",
                entry.chain_len
            ),
        ),
        Credential::Chain { url, certs, .. } => {
            let n = certs.len();
            Check::pass(
                id,
                format!(
                    "{n} certificate{} obtained for <{url}>",
                    if n == 1 { "" } else { "s" }
                ),
            )
        }
    }
}

fn profile_check(cred: &Credential) -> Check {
    let id = CheckId::CertProfile;
    match cred {
        Credential::KeyOnly { .. } => Check::fail(
            id,
            "A bare public key is not a certificate: it says nothing about who signed (no SPC, no issuer)",
        ),
        Credential::Cached { entry, .. } => profile(&entry.path.certs[0], &entry.profile),
        Credential::Chain {
            certs, profile: p, ..
        } => profile(&certs[0], p),
        _ => Check::skip(
            id,
            format!("not checked: {}", cred.unchecked().unwrap_or_default()),
        ),
    }
}

fn chain_check(cred: &Credential) -> Check {
    let id = CheckId::CertChain;
    let path = match cred {
        Credential::KeyOnly { .. } => {
            return Check::fail(
                id,
                "A bare public key has no certificate path to a trust anchor",
            );
        }
        Credential::Cached { entry, .. } => Ok(&entry.path),
        Credential::Chain {
            resolved: Some(r), ..
        } => r.0.as_ref(),
        Credential::Chain { resolved: None, .. } => {
            return Check::skip(id, "not checked: the path was not resolved");
        }
        _ => {
            return Check::skip(
                id,
                format!("not checked: {}", cred.unchecked().unwrap_or_default()),
            );
        }
    };
    match path {
        Ok(p) => {
            let anchor = p.certs.last().expect("a path is never empty");
            Check::pass(
                id,
                format!(
                    "chains to the trust anchor \"{}\" through {} certificate{}, every signature verified",
                    anchor.subject,
                    p.certs.len(),
                    if p.certs.len() == 1 { "" } else { "s" }
                ),
            )
        }
        Err(why) => Check::fail(id, format!("The signing certificate is not trusted: {why}")),
    }
}

/// `cert.validity`: every certificate judged is valid at the verification time and at iat.
pub fn cert_validity(cred: &Credential, now: i64, iat: Option<i64>) -> Check {
    match cred.judged() {
        Some(certs) => validity(certs, now, iat),
        None => Check::skip(
            CheckId::CertValidity,
            format!("not checked: {}", cred.unchecked().unwrap_or_default()),
        ),
    }
}

/// `cert.revocation`: the skip when there are no certificates, else the CRL lookup (and what
/// each CRL said, for the verdict's `revocation`).
pub fn cert_revocation(
    cred: &Credential,
    crls: &VerifiedCrls,
    at: i64,
) -> (Check, Vec<crate::verdict::CrlReport>) {
    if let Credential::Cached { entry, .. } = cred
        && crls.none_supplied()
    {
        return entry
            .no_crl_revocation
            .get_or_init(|| crls.check(&entry.path.certs, at))
            .clone();
    }
    match cred.judged() {
        Some(certs) => crls.check(certs, at),
        None => (
            Check::skip(
                CheckId::CertRevocation,
                format!("not checked: {}", cred.unchecked().unwrap_or_default()),
            ),
            Vec::new(),
        ),
    }
}

/// The `cert.profile` outcome for a leaf (whether a delegate certificate covers the number is
/// `cert.delegation`'s).
fn profile(leaf: &ParsedCert, p: &Profile) -> Check {
    let id = CheckId::CertProfile;
    let hard: Vec<String> = p.hard.iter().map(ToString::to_string).collect();
    if !hard.is_empty() {
        let mut d = format!(
            "The signing certificate is not usable for SHAKEN: {}",
            hard.join("; ")
        );
        if !p.lint.is_empty() {
            d.push_str(&format!(
                " (also {} profile warning{})",
                p.lint.len(),
                if p.lint.len() == 1 { "" } else { "s" }
            ));
        }
        return Check::fail(id, d);
    }
    if !p.lint.is_empty() {
        return Check::warn(
            id,
            format!(
                "usable, with {} profile finding{} (not a reason to fail the call): {}",
                p.lint.len(),
                if p.lint.len() == 1 { "" } else { "s" },
                p.lint
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join("; ")
            ),
        );
    }
    Check::pass(
        id,
        if crate::cert::delegation::is_delegate(leaf) {
            "P-256 key, digitalSignature, not a CA, TNAuthList with telephone numbers (a delegate certificate); no profile findings"
        } else {
            "P-256 key, digitalSignature, not a CA, TNAuthList with SPC; no profile findings"
        },
    )
}

/// Every certificate on the path (or the supplied chain if no path) valid at `now` and at iat.
fn validity(certs: &[Arc<ParsedCert>], now: i64, iat: Option<i64>) -> Check {
    let id = CheckId::CertValidity;
    let mut problems = Vec::new();
    for c in certs {
        for (label, t) in [("now", Some(now)), ("at the call time (iat)", iat)] {
            let Some(t) = t else { continue };
            if label != "now" && t == now {
                continue;
            }
            if t < c.not_before {
                problems.push(format!(
                    "\"{}\" is not yet valid {label} (valid from {})",
                    c.subject,
                    date(c.not_before)
                ));
            } else if t > c.not_after {
                problems.push(format!(
                    "\"{}\" had expired {label} (expired {})",
                    c.subject,
                    date(c.not_after)
                ));
            }
        }
    }
    if problems.is_empty() {
        let leaf = &certs[0];
        Check::pass(
            id,
            format!(
                "every certificate is within its validity; the signing certificate is valid until {}",
                date(leaf.not_after)
            ),
        )
    } else {
        Check::fail(id, format!("Certificate validity: {}", problems.join("; ")))
    }
}

fn signer(chain: &[Arc<ParsedCert>], path: Option<&ValidPath>, x5u: &str) -> Signer {
    let leaf = &chain[0];
    let shown: &[Arc<ParsedCert>] = path.map(|p| p.certs.as_slice()).unwrap_or(chain);
    let anchor = path.and_then(|p| p.certs.last()).map(|a| AnchorRef {
        subject: a.subject.clone(),
        sha256: a.sha256_hex(),
    });
    Signer {
        spc: leaf
            .tn_auth
            .as_ref()
            .and_then(|(_, r)| r.as_ref().ok())
            .and_then(|l| l.spc().map(str::to_owned)),
        organization: leaf.subject_o.clone(),
        common_name: leaf.subject_cn.clone(),
        subject: leaf.subject.clone(),
        issuer: leaf.issuer.clone(),
        issuer_organization: leaf.issuer_o.clone(),
        not_before: leaf.not_before,
        not_after: leaf.not_after,
        serial: leaf.serial_hex.clone(),
        x5u: x5u.to_string(),
        chain: shown
            .iter()
            .map(|c| ChainEntry {
                subject: c.subject.clone(),
                issuer: c.issuer.clone(),
                not_before: c.not_before,
                not_after: c.not_after,
                sha256: hex(&c.sha256),
            })
            .collect(),
        anchor,
        delegate: crate::cert::delegation::delegate_of(shown),
        constraints: crate::cert::constraints::of_path(shown),
    }
}
