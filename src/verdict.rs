//! The verdict: what every shell shows. Field names are a contract (see docs/js-api.md).

use crate::check_id::CheckId;
use serde::Serialize;

pub use crate::time::format_date;

/// Outcome of one check. `Skip` means it could not be evaluated (not that it passed).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    Pass,
    Fail,
    Warn,
    Skip,
}

/// SIP response codes a rejecting verifier sends (RFC 8224 §6.2.2, §13; ATIS-1000074 §5.3.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum SipCode {
    StaleDate = 403,
    UseIdentityHeader = 428,
    BadIdentityInfo = 436,
    UnsupportedCredential = 437,
    InvalidIdentityHeader = 438,
}

impl SipCode {
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

/// 3GPP TS 24.229 §7.2A.20 verstat values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Verstat {
    #[serde(rename = "TN-Validation-Passed")]
    Passed,
    #[serde(rename = "TN-Validation-Failed")]
    Failed,
    #[serde(rename = "No-TN-Validation")]
    NoValidation,
}

/// The call-level status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    Valid,
    Invalid,
    NoIdentity,
}

/// One recorded check. `code` is what a failure of this check maps to (not serialized per
/// check: the verdict carries the deciding one); `spec` is serialized from the id.
#[derive(Debug, Clone, PartialEq)]
pub struct Check {
    pub id: CheckId,
    pub outcome: Outcome,
    pub detail: String,
    pub code: Option<SipCode>,
}

impl Serialize for Check {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("Check", 4)?;
        st.serialize_field("id", &self.id)?;
        st.serialize_field("outcome", &self.outcome)?;
        st.serialize_field("detail", &self.detail)?;
        st.serialize_field("spec", self.id.spec())?;
        st.end()
    }
}

impl Check {
    fn new(id: CheckId, outcome: Outcome, code: Option<SipCode>, detail: String) -> Self {
        Check {
            id,
            outcome,
            detail,
            code,
        }
    }
    /// The check passed.
    pub fn pass(id: CheckId, detail: impl Into<String>) -> Self {
        Check::new(id, Outcome::Pass, None, detail.into())
    }
    /// The check passed with a finding worth showing.
    pub fn warn(id: CheckId, detail: impl Into<String>) -> Self {
        Check::new(id, Outcome::Warn, None, detail.into())
    }
    /// The check could not be evaluated; `detail` says why.
    pub fn skip(id: CheckId, detail: impl Into<String>) -> Self {
        Check::new(id, Outcome::Skip, None, detail.into())
    }
    /// The check failed, with the SIP code the id fixes ([`CheckId::sip_code`]).
    pub fn fail(id: CheckId, detail: impl Into<String>) -> Self {
        Check::new(id, Outcome::Fail, id.sip_code(), detail.into())
    }
    /// The check failed with a code chosen by the cause (checks whose code is not fixed).
    pub fn fail_with(id: CheckId, code: SipCode, detail: impl Into<String>) -> Self {
        Check::new(id, Outcome::Fail, Some(code), detail.into())
    }
    /// The spec text of this check.
    pub fn spec(&self) -> &'static str {
        self.id.spec()
    }
    /// The outcome is a failure.
    pub fn is_fail(&self) -> bool {
        self.outcome == Outcome::Fail
    }
}

/// Facts about the certificate that signed the deciding PASSporT.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Signer {
    pub spc: Option<String>,
    pub organization: Option<String>,
    pub common_name: Option<String>,
    pub subject: String,
    pub issuer: String,
    pub issuer_organization: Option<String>,
    pub not_before: i64,
    pub not_after: i64,
    pub serial: String,
    pub x5u: String,
    pub chain: Vec<ChainEntry>,
    pub anchor: Option<AnchorRef>,
    /// When the signing certificate is a delegate certificate (RFC 9060): its numbers and who
    /// delegated them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub delegate: Option<crate::cert::delegation::Delegate>,
    /// JWT claim constraints carried by certificates on the path (RFC 8226 §8, RFC 9118).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub constraints: Vec<crate::cert::constraints::CertConstraints>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChainEntry {
    pub subject: String,
    pub issuer: String,
    pub not_before: i64,
    pub not_after: i64,
    pub sha256: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AnchorRef {
    pub subject: String,
    pub sha256: String,
}

/// Which trust store decided, so a reader can judge how current it is.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TrustInfo {
    pub source: &'static str,
    pub name: String,
    pub date: Option<String>,
    pub anchors: Vec<AnchorInfo>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AnchorInfo {
    pub subject: String,
    pub sha256: String,
    pub not_after: i64,
}

/// What the SIP message itself said about the call (for binding checks and display).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct CallContext {
    pub request_uri: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub pai: Option<String>,
    pub date: Option<String>,
    /// Canonical TN of PAI (else From), when it is a telephone number.
    pub orig_tn: Option<String>,
    /// Canonical TN of To (else Request-URI), when it is a telephone number.
    pub dest_tn: Option<String>,
    pub date_unix: Option<i64>,
}

/// The role an Identity header plays, from its `ppt`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Shaken,
    Div,
    Rcd,
    /// A PASSporT without `ppt` (RFC 8225 base form).
    Base,
    Unsupported,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum IdentityStatus {
    Valid,
    Invalid,
    Ignored,
}

/// Result for one Identity header.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IdentityResult {
    pub index: usize,
    pub ppt: Option<String>,
    pub role: Role,
    pub form: &'static str,
    pub token: String,
    pub info: Option<String>,
    pub alg: Option<String>,
    pub header: Option<serde_json::Value>,
    pub claims: Option<serde_json::Value>,
    pub x5u: Option<String>,
    pub iat: Option<i64>,
    pub status: IdentityStatus,
    pub sip_code: Option<u16>,
    pub reason: String,
    pub checks: Vec<Check>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub signer: Option<Signer>,
    /// The CRLs `cert.revocation` looked at for this identity (see [`CrlReport`]).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub revocation: Vec<CrlReport>,
}

/// One CRL (or CRL distribution point) considered by `cert.revocation`: which, from where, how
/// fresh, and what it said.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CrlReport {
    /// The distribution point URL the CRL is published at; `null` for a supplied CRL.
    pub url: Option<String>,
    /// `"distribution-point"` (fetched, or given for that URL) or `"supplied"` (CLI `--crl`, API `crls` list).
    pub source: &'static str,
    pub issuer: Option<String>,
    pub this_update: Option<i64>,
    pub next_update: Option<i64>,
    /// `"not-revoked"`, `"revoked"`, `"stale"` (past nextUpdate), `"unusable"` (unreadable or
    /// not verified), `"unavailable"` (not fetched: offline, error, refused URL) or `"not-applicable"`.
    pub result: &'static str,
    pub detail: String,
}

/// The call verdict. See docs/js-api.md for the contract.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Verdict {
    pub status: Status,
    pub attest: Option<String>,
    pub verstat: Verstat,
    pub sip_code: Option<u16>,
    pub sip_reason: Option<&'static str>,
    pub reason: String,
    pub checks: Vec<Check>,
    pub identities: Vec<IdentityResult>,
    pub signer: Option<Signer>,
    pub trust: std::sync::Arc<TrustInfo>,
    pub verified_at: i64,
    pub as_of_call: bool,
    pub max_age: i64,
    pub call: Option<CallContext>,
    /// The deciding identity's CRLs (its `identities[].revocation`).
    pub revocation: Vec<CrlReport>,
    /// The answer for a person (verified / failed / unverified / unsigned), see `summary`.
    pub outcome: crate::summary::CallOutcome,
    /// Headline, action, numbers, signer and age, worded once in `crate::summary`.
    pub summary: crate::summary::Summary,
}

impl Verdict {
    /// The first failing check, which decides the SIP code.
    pub fn first_failure(&self) -> Option<&Check> {
        self.checks.iter().find(|c| c.is_fail())
    }
    /// The check with this id (a [`CheckId`] or its wire name).
    pub fn check<I>(&self, id: I) -> Option<&Check>
    where
        CheckId: PartialEq<I>,
    {
        self.checks.iter().find(|c| c.id == id)
    }
    pub fn verstat_str(&self) -> &'static str {
        match self.verstat {
            Verstat::Passed => "TN-Validation-Passed",
            Verstat::Failed => "TN-Validation-Failed",
            Verstat::NoValidation => "No-TN-Validation",
        }
    }
}

/// Outcome of evaluating one identity's checks, per the checklist's verdict mapping.
pub(crate) struct Decision {
    pub valid: bool,
    pub code: Option<SipCode>,
    pub verstat: Verstat,
    pub reason: String,
}

/// Apply CHECKLIST.md's mapping: the first failing check decides code and reason; verstat is
/// Failed when the signature or the chain/revocation failed, else No-TN-Validation.
pub(crate) fn decide(checks: &[Check], summary_ok: impl FnOnce() -> String) -> Decision {
    match checks.iter().find(|c| c.is_fail()) {
        None => Decision {
            valid: true,
            code: None,
            verstat: Verstat::Passed,
            reason: summary_ok(),
        },
        Some(first) => {
            let crypto_failed = checks
                .iter()
                .any(|c| c.is_fail() && c.id.fails_validation());
            let others = checks.iter().filter(|c| c.is_fail()).count() - 1;
            let more = match others {
                0 => String::new(),
                1 => " (1 more problem below)".to_string(),
                n => format!(" ({n} more problems below)"),
            };
            Decision {
                valid: false,
                code: first.code,
                verstat: if crypto_failed {
                    Verstat::Failed
                } else {
                    Verstat::NoValidation
                },
                reason: format!("{}{}", first.detail, more),
            }
        }
    }
}

/// What an attestation level means, in plain words (the signer's claim, not a proof of identity).
pub fn attest_meaning(level: &str) -> &'static str {
    match level {
        "A" => {
            "full attestation: the signing carrier knows the customer that placed the call and has verified that it may use this calling number"
        }
        "B" => {
            "partial attestation: the signing carrier knows the customer that placed the call, but has not verified that it may use this calling number"
        }
        "C" => {
            "gateway attestation: the signing carrier only passed the call on and cannot say who placed it"
        }
        _ => "unknown attestation level",
    }
}
