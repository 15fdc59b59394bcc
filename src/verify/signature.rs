//! `signature`: the PASSporT's ES256 signature over the received `header.claims` bytes, checked
//! with the x5u leaf's key (or a bare public key) as a host crypto job.

use super::cert_checks::Credential;
use crate::cert::parse::KeyError;
use crate::check_id::CheckId;
use crate::crypto::{Alg, CryptoJob, KeyKind, Purpose};
use crate::passport::{Form, FormError, Passport};
use crate::verdict::{Check, SipCode};

/// The signature's state between the two phases.
pub enum SigWork {
    /// Not checked, and why.
    NotChecked(&'static str),
    /// Fails before any crypto.
    Unverifiable(SigProblem),
    /// Waiting for job `index`; `key_only` when the key is a bare public key.
    Job {
        /// Index of the ES256 job.
        index: usize,
        /// The key came without a certificate.
        key_only: bool,
    },
}

/// Why a signature fails without running any crypto.
pub enum SigProblem {
    /// The signature segment is not base64url (the decoder's message).
    Undecodable(String),
    /// Not 64 bytes; `der` when it looks like a DER ECDSA signature.
    Length {
        /// Its length.
        len: usize,
        /// It looks DER-encoded.
        der: bool,
    },
    /// The key is not P-256.
    NotP256(KeyKind),
    /// The leaf's key is unusable.
    UnusableKey(KeyError),
}

/// Plan the `signature` check: the ES256 job with the credential's key, or why there is none.
pub fn signature_work(
    decoded: &Result<Passport, FormError>,
    cred: &Credential,
    jobs: &mut Vec<CryptoJob>,
) -> SigWork {
    let p = match decoded {
        Err(_) => return SigWork::NotChecked("the PASSporT could not be decoded"),
        Ok(p) if p.form != Form::Full => {
            return SigWork::NotChecked("compact form cannot be verified here");
        }
        Ok(p) => p,
    };
    let (spki, public_key, kind, key_only) = match cred {
        Credential::NotAttempted(why) => return SigWork::NotChecked(why),
        Credential::Unobtained { .. } => return SigWork::NotChecked("no certificate was obtained"),
        Credential::KeyOnly { key: Err(_), .. } => {
            return SigWork::NotChecked("the supplied public key is not an EC/RSA key");
        }
        Credential::KeyOnly {
            spki,
            key: Ok((kind, raw)),
        } => (spki, raw, *kind, true),
        Credential::Cached { .. } | Credential::Chain { .. } => {
            let leaf = cred.leaf().expect("a chain has a leaf");
            match &leaf.key {
                Ok(kind) => (&leaf.spki, &leaf.public_key, *kind, false),
                Err(e) => return SigWork::Unverifiable(SigProblem::UnusableKey(e.clone())),
            }
        }
    };
    let sig = match &p.signature {
        Err(e) => return SigWork::Unverifiable(SigProblem::Undecodable(e.to_string())),
        Ok(s) => s,
    };
    if sig.len() != 64 {
        let der = sig.first() == Some(&0x30) && (68..=72).contains(&sig.len());
        return SigWork::Unverifiable(SigProblem::Length {
            len: sig.len(),
            der,
        });
    }
    if kind != KeyKind::P256 {
        return SigWork::Unverifiable(SigProblem::NotP256(kind));
    }
    jobs.push(CryptoJob {
        alg: Alg::ES256,
        key: kind,
        spki: spki.clone(),
        public_key: public_key.clone(),
        message: p.signing_input(),
        signature: sig.clone(),
        purpose: Purpose::Passport,
    });
    SigWork::Job {
        index: jobs.len() - 1,
        key_only,
    }
}

/// `signature`: the outcome, from the planned work and the job results.
pub fn signature(work: &SigWork, results: &[bool]) -> Check {
    let id = CheckId::Signature;
    match work {
        SigWork::NotChecked(why) => Check::skip(id, format!("not checked: {why}")),
        SigWork::Unverifiable(SigProblem::UnusableKey(e)) => Check::fail_with(
            id,
            SipCode::UnsupportedCredential,
            format!("The certificate key cannot verify ES256: {e}"),
        ),
        SigWork::Unverifiable(SigProblem::Undecodable(e)) => Check::fail_with(
            id,
            SipCode::InvalidIdentityHeader,
            format!("The signature cannot be decoded: {e}"),
        ),
        SigWork::Unverifiable(SigProblem::Length { len, der }) => {
            let what = if *der {
                " — it looks DER-encoded; JWS ES256 uses the 64-byte r||s form"
            } else {
                ""
            };
            Check::fail_with(
                id,
                SipCode::InvalidIdentityHeader,
                format!("The signature is {len} bytes, not the 64 bytes of ES256{what}"),
            )
        }
        SigWork::Unverifiable(SigProblem::NotP256(key)) => Check::fail_with(
            id,
            SipCode::UnsupportedCredential,
            format!("The signing key is {key:?}; ES256 needs P-256"),
        ),
        SigWork::Job { index, key_only } => {
            if results.get(*index).copied().unwrap_or(false) {
                Check::pass(
                    id,
                    if *key_only {
                        "ES256 signature verifies over the received header.claims with the supplied public key"
                    } else {
                        "ES256 signature verifies over the received header.claims with the certificate's key"
                    },
                )
            } else {
                Check::fail_with(
                    id,
                    SipCode::InvalidIdentityHeader,
                    "The signature does not verify: the PASSporT was altered after signing, or it was signed with a different key than the x5u certificate's",
                )
            }
        }
    }
}
