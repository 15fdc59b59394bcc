//! The answer for a person: `outcome` and `summary` of a [`Verdict`] (DESIGN.md, Verdict).
//!
//! Written once here so the CLI report, the page, the self-check, the batch rows and the worker
//! all say the same words. It only reads the assembled verdict (checks, deciding identity,
//! signer, call context): the checks decide, this module words the decision. Engine detail (byte
//! offsets, base64, spec prose) stays in each check's `detail`; the headline is one plain sentence
//! of at most [`MAX_HEADLINE`] characters, the action says what to do next.
//!
//! "Could not check" (the certificate could not be obtained) is `unverified` and is never worded
//! as a forgery.

use crate::check_id::CheckId;
use crate::verdict::{IdentityResult, Outcome, Role, Signer, Status, Verdict};

pub use crate::verdict::{CallOutcome, MAX_HEADLINE, Summary};

/// Fill in `outcome` and `summary` of an assembled verdict.
pub fn complete(mut v: Verdict) -> Verdict {
    v.outcome = outcome(&v);
    v.summary = summarize(&v);
    v
}

/// DESIGN.md's mapping from status and the first failing check.
pub fn outcome(v: &Verdict) -> CallOutcome {
    match v.status {
        Status::Valid => CallOutcome::Verified,
        Status::NoIdentity => CallOutcome::Unsigned,
        Status::Invalid => match v.first_failure() {
            Some(c) if c.id == CheckId::CertFetch => CallOutcome::Unverified,
            _ => CallOutcome::Failed,
        },
    }
}

/// "Example Telecom (SPC 123A)"; a delegate certificate (numbers, no SPC) says so.
pub fn signer_label(s: &Signer, profile_ok: bool) -> String {
    let org = s
        .organization
        .as_deref()
        .or(s.common_name.as_deref())
        .map(str::trim)
        .filter(|o| !o.is_empty());
    // A delegate certificate: whose it is and which provider's STI-SCA delegated the numbers.
    if let Some(sca) = s.delegate.as_ref().and_then(|d| d.issuer_spc.as_deref()) {
        return format!(
            "{} (delegate certificate from SPC {sca})",
            org.unwrap_or("a delegate certificate holder")
        );
    }
    match (org, &s.spc) {
        (Some(o), Some(spc)) => format!("{o} (SPC {spc})"),
        (None, Some(spc)) => format!("SPC {spc}"),
        (Some(o), None) if profile_ok => format!("{o} (delegate certificate, no SPC)"),
        (None, None) if profile_ok => "a delegate certificate (no SPC)".to_string(),
        (Some(o), None) => format!("{o} (no SPC in the certificate)"),
        (None, None) => "an unnamed certificate (no SPC)".to_string(),
    }
}

/// `+1 215-555-1212` for a North American number, `+44…` for other E.164 lengths, else as is.
pub fn display_tn(tn: &str) -> String {
    let digits = tn.bytes().all(|b| b.is_ascii_digit());
    match tn.len() {
        11 if digits && tn.starts_with('1') => {
            format!("+1 {}-{}-{}", &tn[1..4], &tn[4..7], &tn[7..])
        }
        8..=15 if digits => format!("+{tn}"),
        _ => tn.to_string(),
    }
}

/// The facts a summary is worded from.
struct Facts<'a> {
    v: &'a Verdict,
    decider: Option<&'a IdentityResult>,
    orig: Option<String>,
    dest: Option<Vec<String>>,
    signer: Option<String>,
    age: Option<i64>,
}

impl Facts<'_> {
    /// Who to report a broken header to.
    fn signer_or(&self, fallback: &str) -> String {
        self.signer.clone().unwrap_or_else(|| fallback.to_string())
    }
    fn orig_shown(&self) -> String {
        self.orig
            .as_deref()
            .map(display_tn)
            .unwrap_or_else(|| "no number".into())
    }
}

/// Word the verdict's decision for a person: headline, action, numbers, signer and age.
pub fn summarize(v: &Verdict) -> Summary {
    let decider = deciding_identity(v);
    let claims = decider.and_then(|d| d.claims.as_ref());
    let orig = claims
        // `get` twice, not `pointer`: a JSON pointer is split and unescaped on every call.
        .and_then(|c| c.get("orig")?.get("tn"))
        .and_then(|t| t.as_str())
        .and_then(crate::tn::canonical);
    let dest: Option<Vec<String>> = claims
        .and_then(|c| c.get("dest")?.get("tn"))
        .and_then(|t| t.as_array())
        .map(|a| {
            a.iter()
                .filter_map(|t| t.as_str().and_then(crate::tn::canonical))
                .collect::<Vec<_>>()
        })
        .filter(|a| !a.is_empty());
    let profile_ok = v
        .check(CheckId::CertProfile)
        .is_some_and(|c| c.outcome != Outcome::Fail);
    let signer = v.signer.as_ref().map(|s| signer_label(s, profile_ok));
    let age = decider
        .and_then(|d| d.iat)
        .map(|iat| v.verified_at.saturating_sub(iat));
    let f = Facts {
        v,
        decider,
        orig,
        dest,
        signer,
        age,
    };
    let (headline, action) = match outcome(v) {
        CallOutcome::Verified => verified(&f),
        CallOutcome::Unsigned => unsigned(&f),
        CallOutcome::Unverified => (
            "The signing certificate could not be downloaded, so the signature was not verified".to_string(),
            Some("The certificate could not be downloaded: paste the certificate chain (PEM) or retry later. This says nothing about whether the call is genuine.".to_string()),
        ),
        CallOutcome::Failed => failed(&f),
    };
    Summary {
        headline: clip(headline),
        action,
        orig: f.orig,
        dest: f.dest,
        signer: f.signer,
        age_s: f.age,
    }
}

/// The identity whose checks the verdict carries (the one `verify` chose to decide the call).
fn deciding_identity(v: &Verdict) -> Option<&IdentityResult> {
    v.identities.iter().find(|r| {
        matches!(r.role, Role::Shaken | Role::Base)
            && !r.checks.is_empty()
            && v.checks.ends_with(&r.checks)
    })
}

fn verified(f: &Facts) -> (String, Option<String>) {
    let by = f.signer_or("a supplied key (signer unknown)");
    let (headline, action) = match f.v.attest.as_deref() {
        Some("A") => (
            format!("Signed with attestation A (full) by {by}"),
            "Nothing to fix. A means the signing carrier knows the customer that placed the call and verified it may use this number; it does not prove who is speaking.",
        ),
        Some("B") => (
            format!(
                "Signed with attestation B (partial) by {by}: the carrier knows the caller, not its right to this number"
            ),
            "B means the carrier knows its customer but has not verified that it may use this number. To reach A, the caller proves its right to the number to its carrier (e.g. a letter of authorization) or uses a delegate certificate.",
        ),
        Some("C") => (
            format!(
                "Signed with attestation C (gateway) by {by}: the signer only passed the call on; the caller is unknown"
            ),
            "C means the signer is a gateway that cannot identify who placed the call. To reach A, the call must be signed by the caller's own carrier, after it verifies the caller's right to the number.",
        ),
        _ => (
            format!("Signed by {by}; every check passed"),
            "This PASSporT carries no attestation level: it proves who signed, not how well the signer knows the caller.",
        ),
    };
    (headline, Some(brand_action(f.v.rcd.as_ref(), action)))
}

/// A verified call whose branded name, logo or call reason did not verify: "Nothing to fix"
/// would be wrong, so the action says what is not shown and who fixes it.
fn brand_action(rcd: Option<&crate::verdict::RcdReport>, action: &str) -> String {
    match rcd.filter(|r| !r.verified) {
        None => action.to_string(),
        Some(r) => {
            use crate::verdict::DigestResult;
            let has = |d: DigestResult| r.digests.iter().any(|x| x.result == d);
            let fix = if has(DigestResult::Mismatch) {
                "the service that adds the rich call data must make its content match the rcdi digests"
            } else if has(DigestResult::Unavailable) {
                "its content must be reachable when the call is checked"
            } else {
                "it must come in a PASSporT that verifies for this call"
            };
            format!(
                "{} If the branding should show, {fix}. The signature itself: {}",
                sentence(&r.reason),
                action.strip_prefix("Nothing to fix. ").unwrap_or(action)
            )
        }
    }
}

/// `text` as a sentence: capitalized, ending in a full stop.
fn sentence(text: &str) -> String {
    let mut out = crate::text::capitalize(text.trim());
    if !out.ends_with('.') {
        out.push('.');
    }
    out
}

/// Headline and action when a part of the token (`header` or `claims`) does not decode at all
/// (bad base64url or JSON): first the paste, then the signer.
fn unreadable_part(part: &str, report: &dyn Fn(&str) -> String) -> (String, Option<String>) {
    (
        format!(
            "The PASSporT {part} cannot be read: the token was probably cut or changed while copying"
        ),
        Some(format!(
            "Copy the whole token again, exactly as received. {}",
            report("If it is exact, the signer's software built it incorrectly")
        )),
    )
}

fn unsigned(f: &Facts) -> (String, Option<String>) {
    let headline = if f.v.identities.is_empty() {
        "Not signed: this call carries no STIR/SHAKEN Identity header"
    } else if f
        .v
        .identities
        .iter()
        .any(|r| matches!(r.role, Role::Div | Role::Rcd))
    {
        "Not signed for the caller: the Identity headers here (div/rcd) do not vouch for the calling number"
    } else {
        "Not signed in a usable way: the Identity header is of a type this checker does not support"
    };
    (
        headline.to_string(),
        Some("Unsigned does not mean fake: many calls still arrive unsigned. Ask the caller's carrier whether it signs its calls (STIR/SHAKEN), and check that you pasted the call as it arrived.".to_string()),
    )
}

fn failed(f: &Facts) -> (String, Option<String>) {
    let v = f.v;
    let Some(first) = v.first_failure() else {
        return (
            "This header did not pass verification".into(),
            Some("See the checks below for what went wrong.".into()),
        );
    };
    let report = |what: &str| {
        format!(
            "{what}: report it to {}.",
            f.signer_or("the carrier that signed the call")
        )
    };
    let d = f.decider;
    match first.id {
        CheckId::Input => {
            let detail = first.detail.to_ascii_lowercase();
            let headline = if detail.contains("limit") {
                "The pasted text is too large to check"
            } else if detail.contains("control characters") {
                "The pasted text contains binary data, not a SIP message or header"
            } else if detail.contains("empty") {
                "Nothing was pasted"
            } else {
                "No Identity header or PASSporT was found in the pasted text"
            };
            (
                headline.into(),
                Some("Paste the Identity header, the whole SIP INVITE, or the PASSporT token (it starts with eyJ) as received.".into()),
            )
        }
        CheckId::IdentitySyntax => {
            if d.is_some_and(|d| d.info.is_none()) {
                (
                    "The Identity header is cut short: its info=<certificate address> part is missing".into(),
                    Some("Paste the whole header, including ;info=<https://…> after the token, or paste only the token (eyJ…).".into()),
                )
            } else if d.is_some_and(|d| d.alg.as_deref().is_some_and(|a| a != "ES256")) {
                (
                    "The Identity header names a signing algorithm SHAKEN does not allow (only ES256)".into(),
                    Some(report("The signer's equipment is misconfigured")),
                )
            } else {
                (
                    "The Identity header is not well formed, so it cannot be checked".into(),
                    Some("Paste the header exactly as received; if it is exact, the signer's equipment sends a broken header: report it to the carrier that delivered the call.".into()),
                )
            }
        }
        CheckId::PassportForm => (
            "The token is incomplete: a signed PASSporT has three parts (header, claims, signature)".into(),
            Some("Copy the whole token again, it may have been cut while copying.".into()),
        ),
        CheckId::PassportHeader => {
            let alg = d
                .and_then(|d| d.header.as_ref())
                .and_then(|h| h.get("alg"))
                .and_then(|a| a.as_str());
            if d.is_some_and(|d| d.header.is_none()) {
                // It does not even decode: far more often a copy error than a signer's bug.
                return unreadable_part("header", &report);
            }
            let headline = if alg.is_some_and(|a| a != "ES256") {
                "The PASSporT uses a signing algorithm SHAKEN does not allow (only ES256)"
            } else {
                "The PASSporT header is not a valid SHAKEN header (type, algorithm or certificate address)"
            };
            (headline.into(), Some(report("The signer's software built the token incorrectly")))
        }
        CheckId::X5uUrl => (
            "The header points to a certificate address (x5u) that SHAKEN does not allow".into(),
            Some(report("Certificates are fetched only from https addresses on port 443 or 8443 that match info=<…>")),
        ),
        CheckId::PassportClaims if d.is_some_and(|d| d.claims.is_none()) => {
            unreadable_part("claims", &report)
        }
        CheckId::PassportClaims => (
            "The signed details are missing or malformed (numbers, time, attestation or origid)".into(),
            Some(report("The signer's software built the token incorrectly")),
        ),
        CheckId::CallOrig => {
            let signed = f.orig_shown();
            match v.call.as_ref().and_then(|c| c.orig_tn.as_deref()) {
                Some(shown) => (
                    format!("The call showed {}, but the signature is for {signed}", display_tn(shown)),
                    Some(format!("Do not treat {} as verified: the caller ID was changed after signing, or the header belongs to another call. Paste the header together with the same call's From / P-Asserted-Identity.", display_tn(shown))),
                ),
                None => (
                    format!("The caller shown is not a phone number, but the signature is for {signed}"),
                    Some("Do not treat the caller as verified: paste the header together with the same call's From / P-Asserted-Identity.".into()),
                ),
            }
        }
        CheckId::CallDest => {
            let signed = f
                .dest
                .as_ref()
                .map(|d| d.iter().map(|t| display_tn(t)).collect::<Vec<_>>().join(", "))
                .unwrap_or_else(|| "other numbers".into());
            let called = v.call.as_ref().and_then(|c| c.dest_tn.as_deref()).map(display_tn);
            let headline = match &called {
                Some(c) => format!("The call went to {c}, but the signature is for {signed}"),
                None => format!("The called party is not a phone number, but the signature is for {signed}"),
            };
            (
                headline,
                Some("The call was forwarded without a diversion signature, or the header was reused for another call: check with the carrier that forwarded it.".into()),
            )
        }
        CheckId::TimeIat => match f.age {
            Some(age) if age < 0 => (
                format!("The header is dated {} in the future: the signer's clock is wrong", plain_duration(-age)),
                Some(format!("If you set the verification time yourself, use the call's time; otherwise ask {} to fix its clock.", f.signer_or("the signing carrier"))),
            ),
            age => (
                match age {
                    Some(a) => format!("This header was signed {} before this check: too old for a live call (the limit is {})", plain_duration(a), plain_duration(v.max_age)),
                    None => "This header is too old for a live call".into(),
                },
                Some("Checking a past call? Check it as of the call (the time it was signed). For a live call, an old header means it was replayed or the signer's clock is wrong.".into()),
            ),
        },
        CheckId::CertProfile if v.signer.is_none() => (
            "Only a public key was supplied, not a certificate: who signed cannot be known".into(),
            Some("Supply the certificate chain the header's x5u address serves instead of a bare key.".into()),
        ),
        CheckId::CertProfile => (
            "The signing certificate is not a usable SHAKEN certificate".into(),
            Some(report("The certificate does not meet the SHAKEN profile")),
        ),
        CheckId::CertChain => (
            "The signing certificate is not from an STI-CA in the trust list used, so the signature cannot be trusted".into(),
            Some("If this carrier is genuine, load your current STI-PA trust list (the built-in list may be out of date); otherwise do not trust this caller ID.".into()),
        ),
        CheckId::CertDelegation => (
            format!("The delegate certificate does not cover the calling number {}", f.orig_shown()),
            Some("Calls from this number must be signed with a certificate that lists it: ask the number's provider to add it, or have the carrier sign with its own certificate.".into()),
        ),
        CheckId::CertConstraints => (
            "The signing certificate does not allow what this header claims (its claim constraints)".into(),
            Some(report("The header claims more than its certificate permits")),
        ),
        CheckId::CertValidity => validity(f),
        CheckId::CertRevocation => (
            "The signing certificate has been revoked: do not trust this signature".into(),
            Some(format!("Treat the caller ID as not verified; {} must replace its withdrawn certificate.", f.signer_or("the signer"))),
        ),
        CheckId::Signature => (
            "The signature does not match: the header was altered, or not signed by the certificate it names".into(),
            Some("First make sure the paste is complete and unchanged (a copy error breaks the signature too); if it is, do not trust this caller ID and report the call to the carrier that delivered it.".into()),
        ),
        other => (
            format!("This header did not pass the {other} check"),
            Some("See the failing check below for what went wrong.".into()),
        ),
    }
}

/// Expired or not yet valid, naming which certificate and when, from the signer's chain.
fn validity(f: &Facts) -> (String, Option<String>) {
    let at = f.v.verified_at;
    let chain =
        f.v.signer
            .as_ref()
            .map(|s| s.chain.as_slice())
            .unwrap_or(&[]);
    let whose = |i: usize| {
        if i == 0 {
            "The signing certificate"
        } else {
            "A certificate in the signer's chain"
        }
    };
    let day = |t: i64| {
        crate::verdict::format_date(t)
            .chars()
            .take(10)
            .collect::<String>()
    };
    let renew = format!("{} must renew its certificate.", f.signer_or("The signer"));
    if let Some((i, c)) = chain.iter().enumerate().find(|(_, c)| at > c.not_after) {
        let valid_at_call = f.decider.and_then(|d| d.iat).is_some_and(|iat| {
            chain
                .iter()
                .all(|c| (c.not_before..=c.not_after).contains(&iat))
        });
        let action = if valid_at_call && !f.v.as_of_call {
            format!(
                "Checking a past call? Check it as of the call, when the certificate was still valid. Otherwise {} must renew its certificate.",
                f.signer_or("the signer")
            )
        } else {
            renew
        };
        return (
            format!("{} expired on {}", whose(i), day(c.not_after)),
            Some(action),
        );
    }
    if let Some((i, c)) = chain.iter().enumerate().find(|(_, c)| at < c.not_before) {
        return (
            format!("{} is not valid yet (valid from {})", whose(i), day(c.not_before)),
            Some("Check the verification time; if it is right, the signer used a certificate before its start date.".into()),
        );
    }
    (
        "The signing certificate was not valid when the call was signed".into(),
        Some(renew),
    )
}

/// "45 seconds", "12 minutes", "5 hours", "3 days".
pub fn plain_duration(s: i64) -> String {
    let s = s.saturating_abs();
    let (n, unit) = match s {
        0..=119 => (s, "second"),
        120..=3599 => (s / 60, "minute"),
        3600..=172_799 => (s / 3600, "hour"),
        _ => (s / 86400, "day"),
    };
    format!("{n} {unit}{}", if n == 1 { "" } else { "s" })
}

/// At most [`MAX_HEADLINE`] characters, cut at a word with "…".
fn clip(s: String) -> String {
    if s.chars().count() <= MAX_HEADLINE {
        return s;
    }
    let cut: String = s.chars().take(MAX_HEADLINE - 1).collect();
    let cut = match cut.rfind(' ') {
        Some(i) if i > MAX_HEADLINE / 2 => cut[..i].trim_end_matches([',', ':', ';']).to_string(),
        _ => cut,
    };
    format!("{cut}…")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_numbers_and_durations() {
        assert_eq!(display_tn("12155551212"), "+1 215-555-1212");
        assert_eq!(display_tn("442071234567"), "+442071234567");
        assert_eq!(display_tn("911"), "911");
        assert_eq!(plain_duration(1), "1 second");
        assert_eq!(plain_duration(600), "10 minutes");
        assert_eq!(plain_duration(5 * 86400 + 3), "5 days");
    }

    #[test]
    fn clips_long_headlines_at_a_word() {
        let long = format!(
            "Signed by {} with attestation A",
            "Very Long Company Name ".repeat(10)
        );
        let c = clip(long);
        assert!(c.chars().count() <= MAX_HEADLINE, "{c}");
        assert!(c.ends_with('…'));
        assert_eq!(clip("short".into()), "short");
    }
}
