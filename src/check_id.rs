//! The checks a verdict reports, as one typed list: each id knows its wire name (the
//! `checks[].id` string of the Verdict JSON), its place in the checklist order, the spec it
//! enforces and how a failure maps to the SIP answer (`/work/shared/specs/CHECKLIST.md`).
//!
//! Where each check is made: `input`, `identity.present` in `verify/message.rs`; `identity.syntax`,
//! `passport.*` and `x5u.url` in `verify/passport.rs`; `call.*` and `time.iat` in
//! `verify/binding.rs`; `cert.fetch`, `cert.profile`, `cert.chain`, `cert.validity` in
//! `verify/cert_checks.rs`; `cert.revocation` in `verify/revocation.rs`; `cert.delegation` and
//! `cert.constraints` in `verify/delegation.rs`; `signature` in `verify/signature.rs`; `div` and
//! `rcd` in `verify/extensions.rs`, `rcd.integrity` in `verify/rcd.rs`. The function
//! is named after the id (`cert.chain` → `cert_chain`).

use serde::{Serialize, Serializer};
use std::fmt;

/// One check of the checklist, in checklist order (the derived `Ord` is that order).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum CheckId {
    /// `input`: the text could be read as SIP, header lines or a bare PASSporT.
    Input,
    /// `identity.present`: at least one Identity header with a supported ppt.
    IdentityPresent,
    /// `identity.syntax`: the Identity header grammar (token, info, alg, ppt).
    IdentitySyntax,
    /// `passport.form`: three segments, full form.
    PassportForm,
    /// `passport.header`: the JOSE header (typ, alg, ppt, x5u).
    PassportHeader,
    /// `x5u.url`: the certificate URL equals info and follows the URL rules.
    X5uUrl,
    /// `passport.claims`: orig, dest, iat, attest, origid.
    PassportClaims,
    /// `call.orig`: the calling number of the SIP message is the signed orig.
    CallOrig,
    /// `call.dest`: the called number of the SIP message is in the signed dest.
    CallDest,
    /// `time.iat`: the PASSporT is fresh.
    TimeIat,
    /// `cert.fetch`: the x5u chain was obtained and is readable.
    CertFetch,
    /// `cert.profile`: the leaf follows the SHAKEN certificate profile.
    CertProfile,
    /// `cert.chain`: a path from the leaf to a trust anchor, every signature verified.
    CertChain,
    /// `cert.delegation`: a delegate certificate covers the calling number (RFC 9060).
    CertDelegation,
    /// `cert.constraints`: JWT claim constraints on the path hold for the PASSporT.
    CertConstraints,
    /// `cert.validity`: every certificate on the path within its validity.
    CertValidity,
    /// `cert.revocation`: no certificate on the path is revoked.
    CertRevocation,
    /// `signature`: the ES256 signature verifies with the leaf key.
    Signature,
    /// `rcd.integrity`: the `rcdi` digests match the rich call data.
    RcdIntegrity,
    /// `div`: a diversion PASSporT chains to the original one.
    Div,
    /// `rcd`: rich call data claims.
    Rcd,
}

impl CheckId {
    /// Every id, in checklist order.
    pub const ALL: [CheckId; 21] = [
        CheckId::Input,
        CheckId::IdentityPresent,
        CheckId::IdentitySyntax,
        CheckId::PassportForm,
        CheckId::PassportHeader,
        CheckId::X5uUrl,
        CheckId::PassportClaims,
        CheckId::CallOrig,
        CheckId::CallDest,
        CheckId::TimeIat,
        CheckId::CertFetch,
        CheckId::CertProfile,
        CheckId::CertChain,
        CheckId::CertDelegation,
        CheckId::CertConstraints,
        CheckId::CertValidity,
        CheckId::CertRevocation,
        CheckId::Signature,
        CheckId::RcdIntegrity,
        CheckId::Div,
        CheckId::Rcd,
    ];

    /// The wire name: `checks[].id` in the Verdict JSON (a contract).
    pub const fn as_str(self) -> &'static str {
        match self {
            CheckId::Input => "input",
            CheckId::IdentityPresent => "identity.present",
            CheckId::IdentitySyntax => "identity.syntax",
            CheckId::PassportForm => "passport.form",
            CheckId::PassportHeader => "passport.header",
            CheckId::X5uUrl => "x5u.url",
            CheckId::PassportClaims => "passport.claims",
            CheckId::CallOrig => "call.orig",
            CheckId::CallDest => "call.dest",
            CheckId::TimeIat => "time.iat",
            CheckId::CertFetch => "cert.fetch",
            CheckId::CertProfile => "cert.profile",
            CheckId::CertChain => "cert.chain",
            CheckId::CertDelegation => "cert.delegation",
            CheckId::CertConstraints => "cert.constraints",
            CheckId::CertValidity => "cert.validity",
            CheckId::CertRevocation => "cert.revocation",
            CheckId::Signature => "signature",
            CheckId::RcdIntegrity => "rcd.integrity",
            CheckId::Div => "div",
            CheckId::Rcd => "rcd",
        }
    }

    /// The id with this wire name.
    pub fn from_name(name: &str) -> Option<CheckId> {
        CheckId::ALL.into_iter().find(|c| c.as_str() == name)
    }

    /// Position in the checklist: the first failing check in this order decides the SIP code.
    pub fn order(self) -> usize {
        self as usize
    }

    /// The specification text this check enforces (`checks[].spec`).
    pub const fn spec(self) -> &'static str {
        match self {
            CheckId::Input => "RFC 3261 §7; RFC 8224 §4",
            CheckId::IdentityPresent => "RFC 8224 §6.2 Step 1; ATIS-1000074 §5.3.2",
            CheckId::IdentitySyntax => "RFC 8224 §4 (ABNF; erratum 6499)",
            CheckId::PassportForm => {
                "RFC 8225 §7; ATIS-1000074 §5.3 (SHAKEN requires the full form)"
            }
            CheckId::PassportHeader => "RFC 8225 §4, §8.1; RFC 8588 §3",
            CheckId::X5uUrl => "ATIS-1000074 §5.3.1; RFC 8225 §4.3",
            CheckId::PassportClaims => "RFC 8225 §5; RFC 8588 §3 (attest, origid)",
            CheckId::CallOrig => "RFC 8224 §6.2 Step 2; ATIS-1000082 E16",
            CheckId::CallDest => "RFC 8224 §6.2 Step 5; RFC 8946 (retargeting)",
            CheckId::TimeIat => "RFC 8224 §6.2 Step 4; ATIS-1000074 §5.3.2 (403 Stale Date)",
            CheckId::CertFetch => "RFC 8224 §6.2.2 (436); ATIS-1000074 §5.3.2",
            CheckId::CertProfile => "ATIS-1000080 §6.4.1; RFC 8226 §9; SHAKEN CP",
            CheckId::CertChain => "RFC 5280 §6; ATIS-1000080 §5; RFC 8224 §6.2.2 (437)",
            CheckId::CertDelegation => "RFC 9060 §4–§7; ATIS-1000092",
            CheckId::CertConstraints => "RFC 8226 §8; RFC 9118 §3–§5",
            CheckId::CertValidity => "RFC 5280 §4.1.2.5; RFC 8224 §6.2 Step 4",
            CheckId::CertRevocation => "ATIS-1000080 §6.4.1 (STI-PA CRL); RFC 5280 §6.3",
            CheckId::Signature => "RFC 7515 §5.2; RFC 7518 §3.4; RFC 8225 §6",
            CheckId::RcdIntegrity => "RFC 9795 §5–§6 (rcdi)",
            CheckId::Div => "RFC 8946 §3–4",
            CheckId::Rcd => "RFC 9795 §5–6",
        }
    }

    /// The SIP code a failure of this check maps to, when the check fixes it. `None` for
    /// `identity.syntax`, `passport.header` and `signature`, whose failures carry their own code
    /// (436/437/438 by cause; use [`crate::Check::fail_with`]), and for `rcd.integrity`, which
    /// has no SIP code (it is reported on its identity only).
    pub const fn sip_code(self) -> Option<SipCode> {
        match self {
            CheckId::IdentitySyntax
            | CheckId::PassportHeader
            | CheckId::Signature
            | CheckId::RcdIntegrity => None,
            CheckId::IdentityPresent => Some(SipCode::UseIdentityHeader),
            CheckId::X5uUrl | CheckId::CertFetch => Some(SipCode::BadIdentityInfo),
            CheckId::TimeIat => Some(SipCode::StaleDate),
            CheckId::CertProfile
            | CheckId::CertChain
            | CheckId::CertDelegation
            | CheckId::CertValidity
            | CheckId::CertRevocation => Some(SipCode::UnsupportedCredential),
            CheckId::Input
            | CheckId::PassportForm
            | CheckId::PassportClaims
            | CheckId::CallOrig
            | CheckId::CallDest
            | CheckId::CertConstraints
            | CheckId::Div
            | CheckId::Rcd => Some(SipCode::InvalidIdentityHeader),
        }
    }

    /// A failure of this check decides its identity's status. `rcd.integrity` does not: its
    /// failure is reported on the identity (the rich call data is not verified), never flipping
    /// the SHAKEN verdict (CHECKLIST.md `rcd.integrity`); a `ppt=rcd` PASSporT fails through its
    /// `rcd` check instead.
    pub const fn decides(self) -> bool {
        !matches!(self, CheckId::RcdIntegrity)
    }

    /// A failure means the credential or the signature itself is bad, so verstat is
    /// `TN-Validation-Failed` rather than `No-TN-Validation` (CHECKLIST.md verdict mapping).
    pub const fn fails_validation(self) -> bool {
        matches!(
            self,
            CheckId::Signature
                | CheckId::CertChain
                | CheckId::CertRevocation
                | CheckId::CertConstraints
        )
    }

    /// The check reads the x5u certificates (so it is skipped when there are none, and left out
    /// of a decode-only look at a header).
    pub const fn needs_certificates(self) -> bool {
        matches!(
            self,
            CheckId::CertFetch
                | CheckId::CertProfile
                | CheckId::CertChain
                | CheckId::CertDelegation
                | CheckId::CertConstraints
                | CheckId::CertValidity
                | CheckId::CertRevocation
                | CheckId::Signature
        )
    }

    /// The check depends on the verification time.
    pub const fn needs_clock(self) -> bool {
        matches!(
            self,
            CheckId::TimeIat | CheckId::CertValidity | CheckId::CertRevocation
        )
    }

    /// The check is made once per message (not per Identity header).
    pub const fn per_message(self) -> bool {
        matches!(self, CheckId::Input | CheckId::IdentityPresent)
    }
}

impl fmt::Display for CheckId {
    /// The wire name; width and alignment flags apply (`{:<16}`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

impl Serialize for CheckId {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl AsRef<str> for CheckId {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl PartialEq<str> for CheckId {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for CheckId {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<CheckId> for &str {
    fn eq(&self, other: &CheckId) -> bool {
        *self == other.as_str()
    }
}

/// SIP response codes a rejecting verifier sends (RFC 8224 §6.2.2, §13; ATIS-1000074 §5.3.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum SipCode {
    /// 403 Stale Date.
    StaleDate = 403,
    /// 428 Use Identity Header.
    UseIdentityHeader = 428,
    /// 436 Bad Identity Info.
    BadIdentityInfo = 436,
    /// 437 Unsupported Credential.
    UnsupportedCredential = 437,
    /// 438 Invalid Identity Header.
    InvalidIdentityHeader = 438,
}

impl SipCode {
    /// The numeric code.
    pub fn code(self) -> u16 {
        self as u16
    }
    /// The RFC 8224 reason phrase.
    pub fn phrase(self) -> &'static str {
        match self {
            SipCode::StaleDate => "Stale Date",
            SipCode::UseIdentityHeader => "Use Identity Header",
            SipCode::BadIdentityInfo => "Bad Identity Info",
            SipCode::UnsupportedCredential => "Unsupported Credential",
            SipCode::InvalidIdentityHeader => "Invalid Identity Header",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_round_trip_in_order() {
        for (i, id) in CheckId::ALL.iter().enumerate() {
            assert_eq!(id.order(), i, "{id} is out of order in ALL");
            assert_eq!(CheckId::from_name(id.as_str()), Some(*id));
            assert_eq!(serde_json::to_string(id).unwrap(), format!("\"{id}\""));
        }
        assert_eq!(CheckId::from_name("cert"), None);
        assert_eq!(format!("{:<8}|", CheckId::Div), "div     |");
    }

    #[test]
    fn checklist_order_and_mapping() {
        // CHECKLIST.md: the table order, and "a stale iat on an expired certificate is 403".
        assert!(CheckId::TimeIat < CheckId::CertValidity);
        assert!(CheckId::CertChain < CheckId::CertDelegation);
        assert!(CheckId::CertConstraints < CheckId::CertValidity);
        assert!(CheckId::CertRevocation < CheckId::Signature);
        assert_eq!(CheckId::TimeIat.sip_code(), Some(SipCode::StaleDate));
        assert_eq!(CheckId::X5uUrl.sip_code(), Some(SipCode::BadIdentityInfo));
        assert_eq!(CheckId::RcdIntegrity.sip_code(), None);
        let failed: Vec<&str> = CheckId::ALL
            .into_iter()
            .filter(|c| c.fails_validation())
            .map(CheckId::as_str)
            .collect();
        assert_eq!(
            failed,
            [
                "cert.chain",
                "cert.constraints",
                "cert.revocation",
                "signature"
            ]
        );
        assert!(CheckId::ALL.iter().all(|c| !c.spec().is_empty()));
    }
}
