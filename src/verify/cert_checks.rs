//! Certificate checks: `cert.fetch`, `cert.profile`, `cert.chain`, `cert.validity`,
//! `cert.revocation`, and the `signature` check that uses the leaf key.

use crate::cert::ParsedCert;
use crate::cert::chain::{ChainError, Credential, parse_chain};
use crate::cert::parse::hex;
use crate::cert::path::{NoPath, ValidPath};
use crate::cert::profile::Profile;
use crate::check_id::CheckId;
use crate::crypto::{Alg, CryptoJob, KeyKind, Purpose};
use crate::time::format_date as date;
use crate::verdict::{AnchorRef, ChainEntry, Check, Signer, SipCode};
use crate::x5u;

/// Where the chain for an x5u comes from, as the shell reported it.
pub enum Supplied<'a> {
    Bytes(&'a [u8]),
    FetchError(&'a str),
    Missing,
}

pub fn fetch(url: &str, supplied: Supplied<'_>) -> (Check, Option<Result<Credential, ChainError>>) {
    let id = CheckId::CertFetch;
    match supplied {
        Supplied::FetchError(why) => (
            Check::fail(
                id,
                format!("The certificate at <{url}> could not be retrieved: {why}"),
            ),
            None,
        ),
        Supplied::Missing => {
            let why = match x5u::check(url) {
                Err(e) => format!("it was not fetched because {e}"),
                Ok(_) => "no certificate chain was supplied or fetched for it".to_string(),
            };
            (
                Check::fail(
                    id,
                    format!("The certificate at <{url}> is not available: {why}"),
                ),
                None,
            )
        }
        Supplied::Bytes(b) => match parse_chain(b) {
            Err(e) => (
                Check::fail(id, format!("The content of <{url}> is unusable: {e}")),
                Some(Err(e)),
            ),
            Ok(Credential::KeyOnly(k)) => (
                Check::warn(
                    id,
                    "a bare public key was supplied instead of certificates: the signature can be checked, the signer cannot be identified",
                ),
                Some(Ok(Credential::KeyOnly(k))),
            ),
            Ok(Credential::Chain(c)) => {
                let n = c.len();
                (
                    Check::pass(
                        id,
                        format!(
                            "{n} certificate{} obtained for <{url}>",
                            if n == 1 { "" } else { "s" }
                        ),
                    ),
                    Some(Ok(Credential::Chain(c))),
                )
            }
        },
    }
}

/// `cert.profile` (whether a delegate certificate covers the number is `cert.delegation`'s).
pub fn profile(leaf: &ParsedCert, p: &Profile) -> Check {
    let id = CheckId::CertProfile;
    let hard = &p.hard;
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
                p.lint.join("; ")
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

pub fn chain(path: &Result<ValidPath, NoPath>) -> Check {
    let id = CheckId::CertChain;
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
        Err(NoPath(why)) => {
            Check::fail(id, format!("The signing certificate is not trusted: {why}"))
        }
    }
}

/// Every certificate on the path (or the supplied chain if no path) valid at `now` and at iat.
pub fn validity(certs: &[std::sync::Arc<ParsedCert>], now: i64, iat: Option<i64>) -> Check {
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

/// The ES256 job for a PASSporT, or the reason the signature fails before any crypto.
pub fn signature_job(
    sig: &Result<Vec<u8>, crate::json::B64Error>,
    message: Vec<u8>,
    spki: &[u8],
    public_key: &[u8],
    key: KeyKind,
) -> Result<CryptoJob, Check> {
    let id = CheckId::Signature;
    let sig = match sig {
        Err(e) => {
            return Err(Check::fail_with(
                id,
                SipCode::InvalidIdentityHeader,
                format!("The signature cannot be decoded: {e}"),
            ));
        }
        Ok(s) => s,
    };
    if sig.len() != 64 {
        let der = sig.first() == Some(&0x30) && (68..=72).contains(&sig.len());
        let what = if der {
            " — it looks DER-encoded; JWS ES256 uses the 64-byte r||s form"
        } else {
            ""
        };
        return Err(Check::fail_with(
            id,
            SipCode::InvalidIdentityHeader,
            format!(
                "The signature is {} bytes, not the 64 bytes of ES256{what}",
                sig.len()
            ),
        ));
    }
    if key != KeyKind::P256 {
        return Err(Check::fail_with(
            id,
            SipCode::UnsupportedCredential,
            format!("The signing key is {key:?}; ES256 needs P-256"),
        ));
    }
    Ok(CryptoJob {
        alg: Alg::ES256,
        key,
        spki: spki.to_vec(),
        public_key: public_key.to_vec(),
        message,
        signature: sig.clone(),
        purpose: Purpose::Passport,
    })
}

pub fn signature_result(ok: bool, key_only: bool) -> Check {
    let id = CheckId::Signature;
    if ok {
        let whose = if key_only {
            "the supplied public key"
        } else {
            "the certificate's key"
        };
        Check::pass(
            id,
            format!("ES256 signature verifies over the received header.claims with {whose}"),
        )
    } else {
        Check::fail_with(
            id,
            SipCode::InvalidIdentityHeader,
            "The signature does not verify: the PASSporT was altered after signing, or it was signed with a different key than the x5u certificate's",
        )
    }
}

pub fn signer(chain: &[std::sync::Arc<ParsedCert>], path: Option<&ValidPath>, x5u: &str) -> Signer {
    let leaf = &chain[0];
    let shown: &[std::sync::Arc<ParsedCert>] = path.map(|p| p.certs.as_slice()).unwrap_or(chain);
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
