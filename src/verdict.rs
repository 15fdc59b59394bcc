//! The verdict: what every shell shows. Field names are a contract (see docs/js-api.md).

use crate::check_id::CheckId;
pub use crate::check_id::SipCode;
use serde::Serialize;
use std::fmt;

pub use crate::time::format_date;

/// Outcome of one check. `Skip` means it could not be evaluated (not that it passed).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    /// The check holds.
    Pass,
    /// The check fails: the PASSporT must not be trusted.
    Fail,
    /// It holds, with a finding worth showing.
    Warn,
    /// It could not be evaluated (the detail says why).
    Skip,
}

/// 3GPP TS 24.229 §7.2A.20 verstat values (serialized as [`Verstat::as_str`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verstat {
    /// `TN-Validation-Passed`.
    Passed,
    /// `TN-Validation-Failed`: the signature or the credential is bad.
    Failed,
    /// `No-TN-Validation`: nothing was validated.
    NoValidation,
}

impl Verstat {
    /// The wire string (the only copy of it).
    pub const fn as_str(self) -> &'static str {
        match self {
            Verstat::Passed => "TN-Validation-Passed",
            Verstat::Failed => "TN-Validation-Failed",
            Verstat::NoValidation => "No-TN-Validation",
        }
    }
}

impl Serialize for Verstat {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// The call-level status (serialized as [`Status::as_str`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// The SHAKEN PASSporT passes every hard check.
    Valid,
    /// Some hard check failed.
    Invalid,
    /// No usable Identity header.
    NoIdentity,
}

impl Status {
    /// The wire string (the only copy of it).
    pub const fn as_str(self) -> &'static str {
        match self {
            Status::Valid => "valid",
            Status::Invalid => "invalid",
            Status::NoIdentity => "no-identity",
        }
    }
}

impl Serialize for Status {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// A check's detail text. Most details are fixed sentences (`&'static str`: nothing to
/// allocate); worded ones are shared (`Arc<str>`), so copying a check into the verdict's list,
/// or out of a cached chain's ready results, copies a pointer and never the text (issue 14).
/// Serialized, compared, printed and dereferenced as the text itself.
#[derive(Clone)]
pub struct Detail(DetailText);

#[derive(Clone)]
enum DetailText {
    Static(&'static str),
    Shared(std::sync::Arc<str>),
}

impl Detail {
    /// The text.
    pub fn as_str(&self) -> &str {
        match &self.0 {
            DetailText::Static(s) => s,
            DetailText::Shared(s) => s,
        }
    }
}

impl std::ops::Deref for Detail {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for Detail {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl From<&'static str> for Detail {
    fn from(s: &'static str) -> Detail {
        Detail(DetailText::Static(s))
    }
}

impl From<String> for Detail {
    fn from(s: String) -> Detail {
        Detail(DetailText::Shared(s.into()))
    }
}

impl From<Detail> for String {
    fn from(d: Detail) -> String {
        d.as_str().to_owned()
    }
}

impl PartialEq for Detail {
    fn eq(&self, other: &Detail) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for Detail {}

impl PartialEq<str> for Detail {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Detail {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl fmt::Debug for Detail {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl fmt::Display for Detail {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Detail {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// One recorded check. `code` is what a failure of this check maps to (not serialized per
/// check: the verdict carries the deciding one); `spec` is serialized from the id.
#[derive(Debug, Clone, PartialEq)]
pub struct Check {
    /// Which check.
    pub id: CheckId,
    /// What it found.
    pub outcome: Outcome,
    /// Why, in plain words.
    pub detail: Detail,
    /// The SIP code a failure maps to (not serialized).
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
    fn new(id: CheckId, outcome: Outcome, code: Option<SipCode>, detail: Detail) -> Self {
        Check {
            id,
            outcome,
            detail,
            code,
        }
    }
    /// The check passed.
    pub fn pass(id: CheckId, detail: impl Into<Detail>) -> Self {
        Check::new(id, Outcome::Pass, None, detail.into())
    }
    /// The check passed with a finding worth showing.
    pub fn warn(id: CheckId, detail: impl Into<Detail>) -> Self {
        Check::new(id, Outcome::Warn, None, detail.into())
    }
    /// The check could not be evaluated; `detail` says why.
    pub fn skip(id: CheckId, detail: impl Into<Detail>) -> Self {
        Check::new(id, Outcome::Skip, None, detail.into())
    }
    /// The check failed, with the SIP code the id fixes ([`CheckId::sip_code`]).
    pub fn fail(id: CheckId, detail: impl Into<Detail>) -> Self {
        Check::new(id, Outcome::Fail, id.sip_code(), detail.into())
    }
    /// The check failed with a code chosen by the cause (checks whose code is not fixed).
    pub fn fail_with(id: CheckId, code: SipCode, detail: impl Into<Detail>) -> Self {
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
    /// A failure that decides its identity's status ([`CheckId::decides`]: an `rcd.integrity`
    /// failure is reported but never flips the verdict).
    pub fn is_deciding_fail(&self) -> bool {
        self.is_fail() && self.id.decides()
    }
}

/// Facts about the certificate that signed the deciding PASSporT.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Signer {
    /// Service Provider Code from the TNAuthList.
    pub spc: Option<String>,
    /// Subject O.
    pub organization: Option<String>,
    /// Subject CN.
    pub common_name: Option<String>,
    /// Subject DN.
    pub subject: String,
    /// Issuer DN.
    pub issuer: String,
    /// Issuer O.
    pub issuer_organization: Option<String>,
    /// Validity start, unix seconds.
    pub not_before: i64,
    /// Validity end, unix seconds.
    pub not_after: i64,
    /// Serial number, hex.
    pub serial: String,
    /// The URL the certificate came from.
    pub x5u: String,
    /// The path (or the chain as served when there is none), leaf first.
    pub chain: Vec<ChainEntry>,
    /// The trust anchor the path ends at, if any.
    pub anchor: Option<AnchorRef>,
    /// When the signing certificate is a delegate certificate (RFC 9060): its numbers and who
    /// delegated them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub delegate: Option<crate::cert::delegation::Delegate>,
    /// JWT claim constraints carried by certificates on the path (RFC 8226 §8, RFC 9118).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub constraints: Vec<crate::cert::constraints::CertConstraints>,
}

/// One certificate of the signer's chain.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChainEntry {
    /// Subject DN.
    pub subject: String,
    /// Issuer DN.
    pub issuer: String,
    /// Validity start, unix seconds.
    pub not_before: i64,
    /// Validity end, unix seconds.
    pub not_after: i64,
    /// SHA-256 of the DER, hex.
    pub sha256: String,
}

/// The trust anchor a path ends at.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AnchorRef {
    /// Subject DN.
    pub subject: String,
    /// SHA-256 of the DER, hex.
    pub sha256: String,
}

/// Which trust store decided, so a reader can judge how current it is.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TrustInfo {
    /// `builtin` or where a custom store came from.
    pub source: &'static str,
    /// The store's name.
    pub name: String,
    /// When the snapshot was taken, if known.
    pub date: Option<String>,
    /// Its anchors.
    pub anchors: Vec<AnchorInfo>,
}

/// One anchor of a trust store.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AnchorInfo {
    /// Subject DN.
    pub subject: String,
    /// SHA-256 of the DER, hex.
    pub sha256: String,
    /// Validity end, unix seconds.
    pub not_after: i64,
}

/// What the SIP message itself said about the call (for binding checks and display).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct CallContext {
    /// The Request-URI.
    pub request_uri: Option<String>,
    /// The From header value.
    pub from: Option<String>,
    /// The To header value.
    pub to: Option<String>,
    /// The P-Asserted-Identity value.
    pub pai: Option<String>,
    /// The Date header value.
    pub date: Option<String>,
    /// Canonical TN of PAI (else From), when it is a telephone number.
    pub orig_tn: Option<String>,
    /// Canonical TN of To (else Request-URI), when it is a telephone number.
    pub dest_tn: Option<String>,
    /// The Date header as unix seconds, when it parses.
    pub date_unix: Option<i64>,
}

/// The role an Identity header plays, from its `ppt`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// `ppt=shaken`: attests the caller.
    Shaken,
    /// `ppt=div` (RFC 8946): a diversion.
    Div,
    /// `ppt=rcd` (RFC 9795): rich call data.
    Rcd,
    /// A PASSporT without `ppt` (RFC 8225 base form).
    Base,
    /// Any other ppt: ignored.
    Unsupported,
}

/// The outcome for one Identity header.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum IdentityStatus {
    /// Every hard check passed.
    Valid,
    /// Some hard check failed.
    Invalid,
    /// Not judged (unsupported ppt, or decode only).
    Ignored,
}

/// Result for one Identity header.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IdentityResult {
    /// Position among the Identity headers, from 0.
    pub index: usize,
    /// The ppt it was judged by.
    pub ppt: Option<String>,
    /// What that ppt makes it.
    pub role: Role,
    /// `full`, `compact` or `invalid`.
    pub form: &'static str,
    /// The JWS as received.
    pub token: String,
    /// The `info` parameter.
    pub info: Option<String>,
    /// The `alg` parameter.
    pub alg: Option<String>,
    /// The decoded JOSE header.
    pub header: Option<serde_json::Value>,
    /// The decoded claims (their text when not JSON).
    pub claims: Option<serde_json::Value>,
    /// The certificate URL.
    pub x5u: Option<String>,
    /// The signing time, unix seconds.
    pub iat: Option<i64>,
    /// The outcome for this header.
    pub status: IdentityStatus,
    /// The SIP code its first failure maps to.
    pub sip_code: Option<u16>,
    /// Why, in one sentence.
    pub reason: String,
    /// Its checks, in checklist order.
    pub checks: Vec<Check>,
    /// The certificate that signed it (shared with the cached chain it came from).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub signer: Option<std::sync::Arc<Signer>>,
    /// The CRLs `cert.revocation` looked at for this identity (see [`CrlReport`]).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub revocation: Vec<CrlReport>,
    /// Its rich call data (RFC 9795), when it carries any: shown as the caller's only when
    /// `verified` (see [`RcdReport`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rcd: Option<RcdReport>,
}

/// One CRL (or CRL distribution point) considered by `cert.revocation`: which, from where, how
/// fresh, and what it said.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CrlReport {
    /// The distribution point URL the CRL is published at; `null` for a supplied CRL.
    pub url: Option<String>,
    /// `"distribution-point"` (fetched, or given for that URL) or `"supplied"` (CLI `--crl`, API `crls` list).
    pub source: &'static str,
    /// The CRL's issuer name, when the CRL could be read.
    pub issuer: Option<String>,
    /// The CRL's thisUpdate (unix s).
    pub this_update: Option<i64>,
    /// The CRL's nextUpdate (unix s): past it the CRL is stale.
    pub next_update: Option<i64>,
    /// `"not-revoked"`, `"revoked"`, `"stale"` (past nextUpdate), `"unusable"` (unreadable or
    /// not verified), `"unavailable"` (not fetched: offline, error, refused URL) or `"not-applicable"`.
    pub result: &'static str,
    /// Who signed it, or why it could not be used or obtained.
    pub detail: String,
}

/// The call verdict. See docs/js-api.md for the contract.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Verdict {
    /// The call-level status.
    pub status: Status,
    /// A/B/C when valid.
    pub attest: Option<String>,
    /// The verstat to send on.
    pub verstat: Verstat,
    /// The SIP code a rejecting verifier would send.
    pub sip_code: Option<u16>,
    /// Its reason phrase.
    pub sip_reason: Option<&'static str>,
    /// Why, in one sentence.
    pub reason: String,
    /// `input`, `identity.present`, then the deciding identity's checks.
    pub checks: Vec<Check>,
    /// Every Identity header's result.
    pub identities: Vec<IdentityResult>,
    /// The deciding identity's signer (shared with its identity's).
    pub signer: Option<std::sync::Arc<Signer>>,
    /// The trust store that decided.
    pub trust: std::sync::Arc<TrustInfo>,
    /// The verification time, unix seconds.
    pub verified_at: i64,
    /// Verified as of the call time (iat).
    pub as_of_call: bool,
    /// The freshness window, seconds.
    pub max_age: i64,
    /// What the SIP message said about the call.
    pub call: Option<CallContext>,
    /// The deciding identity's CRLs (its `identities[].revocation`).
    pub revocation: Vec<CrlReport>,
    /// The call's rich call data: from the SHAKEN PASSporT's `rcd` claims or a separate
    /// `ppt=rcd` PASSporT; `verified` only when the call verified too.
    pub rcd: Option<RcdReport>,
    /// The answer for a person (verified / failed / unverified / unsigned), see `summary`.
    pub outcome: CallOutcome,
    /// Headline, action, numbers, signer and age, worded once in `crate::summary`.
    pub summary: Summary,
}

impl Verdict {
    /// The first failing check, which decides the SIP code.
    pub fn first_failure(&self) -> Option<&Check> {
        self.checks.iter().find(|c| c.is_deciding_fail())
    }
    /// The check with this id (a [`CheckId`] or its wire name).
    pub fn check<I>(&self, id: I) -> Option<&Check>
    where
        CheckId: PartialEq<I>,
    {
        self.checks.iter().find(|c| c.id == id)
    }
    /// The verstat as its wire string.
    pub fn verstat_str(&self) -> &'static str {
        self.verstat.as_str()
    }
}

/// Outcome of evaluating one identity's checks, per the checklist's verdict mapping.
pub(crate) struct Decision {
    pub valid: bool,
    pub code: Option<SipCode>,
    /// The verstat to send on.
    pub verstat: Verstat,
    /// Why, in one sentence.
    pub reason: String,
}

/// Apply CHECKLIST.md's mapping: the first failing check decides code and reason; verstat is
/// Failed when the signature or the chain/revocation failed, else No-TN-Validation.
pub(crate) fn decide(checks: &[Check], summary_ok: impl FnOnce() -> String) -> Decision {
    match checks.iter().find(|c| c.is_deciding_fail()) {
        None => Decision {
            valid: true,
            code: None,
            verstat: Verstat::Passed,
            reason: summary_ok(),
        },
        Some(first) => {
            let crypto_failed = checks
                .iter()
                .any(|c| c.is_deciding_fail() && c.id.fails_validation());
            let others = checks.iter().filter(|c| c.is_deciding_fail()).count() - 1;
            let more = match others {
                0 => String::new(),
                1 => " (and 1 more problem)".to_string(),
                n => format!(" (and {n} more problems)"),
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

// The person-facing answer (worded by `crate::summary`; the types live here so the verdict
// does not depend on the module that reads it).

/// Longest headline, in characters.
pub const MAX_HEADLINE: usize = 140;

/// The answer for a person, one of four.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum CallOutcome {
    /// Status valid: the signature, certificate and call details check out.
    Verified,
    /// The header is wrong or must not be trusted.
    Failed,
    /// The verifier could not get what it needed (the first failing check is `cert.fetch`).
    Unverified,
    /// No usable Identity header: the call was not signed.
    Unsigned,
}

impl CallOutcome {
    /// The wire string.
    pub fn as_str(self) -> &'static str {
        match self {
            CallOutcome::Verified => "verified",
            CallOutcome::Failed => "failed",
            CallOutcome::Unverified => "unverified",
            CallOutcome::Unsigned => "unsigned",
        }
    }
}

/// What a shell shows first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// One plain sentence, at most [`MAX_HEADLINE`] characters.
    pub headline: String,
    /// What to do next, or `None` when nothing is needed.
    pub action: Option<String>,
    /// Canonical calling number of the deciding PASSporT.
    pub orig: Option<String>,
    /// Canonical called numbers of the deciding PASSporT.
    pub dest: Option<Vec<String>>,
    /// "Company (SPC X)" whenever a certificate could be read, also on failure.
    pub signer: Option<String>,
    /// Verification time minus iat, seconds.
    pub age_s: Option<i64>,
}

impl Summary {
    /// Placeholder until [`crate::summary::complete`] runs (the verdict is assembled first, then summarised).
    pub fn empty() -> Summary {
        Summary {
            headline: String::new(),
            action: None,
            orig: None,
            dest: None,
            signer: None,
            age_s: None,
        }
    }
}

// Rich call data (RFC 9795): the report types live here so the verdict does not depend on the
// module that checks them (`crate::rcd`, which re-exports them).

/// Which PASSporT carried the rich call data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum RcdSource {
    /// `rcd` claims in the SHAKEN PASSporT.
    Shaken,
    /// A separate `ppt=rcd` PASSporT.
    Rcd,
}

/// One `rcdi` entry's outcome, or a member no digest covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum DigestResult {
    /// The digest equals the content's.
    Match,
    /// It does not, or the entry is unreadable.
    Mismatch,
    /// The content could not be obtained (offline, fetch error, not supplied, refused URL).
    Unavailable,
    /// An `rcd` member no `rcdi` key covers.
    NotCovered,
}

/// One digest, as the page lists it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DigestReport {
    /// The JSON pointer (`/nam`, `/icn`).
    pub pointer: String,
    /// `sha256`, `sha384`, `sha512`; `none` for a member not covered, `unknown` when unreadable.
    pub alg: String,
    /// What the comparison found.
    pub result: DigestResult,
    /// Why, in plain words.
    pub detail: String,
}

/// The logo (`icn`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IconReport {
    /// The URL as signed.
    pub url: String,
    /// Its bytes matched their `rcdi` digest (and the PASSporT verified).
    pub verified: bool,
    /// The media type of the bytes, judged from the bytes.
    pub content_type: Option<String>,
    /// Standard base64 of the verified bytes; only when `verified`.
    pub data: Option<String>,
    /// Why.
    pub detail: String,
}

/// The jCard by URL (`jcl`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct JcardReport {
    /// The URL as signed.
    pub url: String,
    /// Its content matched its `rcdi` digest (and the PASSporT verified).
    pub verified: bool,
    /// Why.
    pub detail: String,
}

/// The rich call data of one PASSporT (contract: docs/js-api.md `RcdReport`). Show it as the
/// caller's brand only when `verified`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RcdReport {
    /// The PASSporT verified and every `rcdi` digest matched.
    pub verified: bool,
    /// Why verified, or why not, in plain words.
    pub reason: String,
    /// Which PASSporT carried it.
    pub source: RcdSource,
    /// Display name, as claimed.
    pub nam: Option<String>,
    /// Alternate phone number (`apn`), as claimed.
    pub apn: Option<String>,
    /// Call reason (`crn`), as claimed.
    pub crn: Option<String>,
    /// The logo.
    pub icn: Option<IconReport>,
    /// The jCard URL.
    pub jcl: Option<JcardReport>,
    /// Each `rcdi` entry, then the members no entry covers.
    pub digests: Vec<DigestReport>,
    /// Why the digests do not let it be verified (none: all matched or there is no `rcdi`).
    #[serde(skip)]
    pub problem: Option<String>,
}
