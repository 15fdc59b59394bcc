//! The person-facing words about rich call data: the `rcd.integrity` detail, the report's
//! reason, and the one line shells print for a number's brand. Worded once, here; an unverified
//! brand is never worded as the caller's.

use super::{DigestReport, DigestResult, RcdReport};
use crate::check_id::CheckId;
use crate::verdict::Check;
use serde_json::Value;

/// The `rcd.integrity` skip when there is no `rcdi` claim.
pub(super) const SKIP_NO_RCDI: &str = "no rcdi claim: there are no integrity digests to check (the rich call data values are covered by the PASSporT signature only; content behind a URL such as a logo is not protected and is not shown)";

#[cfg(not(feature = "rcd-integrity"))]
pub(super) const NOT_BUILT: &str = "not checked: this build of the verifier has no rcdi digest code (the page verifies such a call with its full module)";

fn subject(r: &RcdReport) -> &'static str {
    if r.nam.is_some() {
        "Branded name"
    } else {
        "Rich call data"
    }
}

/// No `rcdi`: say what that leaves unprotected.
pub(super) fn no_rcdi(r: &mut RcdReport) {
    if let Some(icn) = r.icn.as_mut() {
        icn.detail = "no rcdi digest covers the logo, so its content is not integrity protected and it is not shown".into();
    }
    if let Some(jcl) = r.jcl.as_mut() {
        jcl.detail =
            "no rcdi digest covers the jCard, so its content is not integrity protected".into();
    }
}

/// The detail of a content member (`icn`, `jcl`) that a digest covers.
pub(super) fn content_detail(
    d: &DigestReport,
    digest_ok: bool,
    verified: bool,
    what: &str,
) -> String {
    match (digest_ok, verified) {
        (true, true) => d.detail.clone(),
        (true, false) => format!("{}, but the content is not {what}", d.detail),
        _ => d.detail.clone(),
    }
}

/// An `rcd` member no `rcdi` key names.
pub(super) fn not_covered(pointer: &str, is_content: bool) -> DigestReport {
    DigestReport {
        pointer: pointer.to_string(),
        alg: "none".into(),
        result: DigestResult::NotCovered,
        detail: if is_content {
            format!(
                "no rcdi digest covers {pointer}: the content behind the URL is not integrity protected and is not shown"
            )
        } else {
            format!(
                "no rcdi digest covers {pointer}; its value is covered by the PASSporT signature"
            )
        },
    }
}

/// Content members present with `rcdi` but without their own digest.
pub(super) fn uncovered_content(r: &mut RcdReport) {
    let covered = |p: &str| {
        r.digests
            .iter()
            .any(|d| d.pointer == p && d.result != DigestResult::NotCovered)
    };
    let (icn_covered, jcl_covered) = (covered("/icn"), covered("/jcl"));
    if let Some(icn) = r.icn.as_mut().filter(|_| !icn_covered) {
        icn.detail = "no rcdi digest covers the logo, so its content is not integrity protected and it is not shown".into();
    }
    if let Some(jcl) = r.jcl.as_mut().filter(|_| !jcl_covered) {
        jcl.detail =
            "no rcdi digest covers the jCard, so its content is not integrity protected".into();
    }
}

/// `rcd.integrity` from the digests: a mismatch fails, content not obtainable warns.
pub(super) fn integrity_check(r: &mut RcdReport) -> Check {
    let id = CheckId::RcdIntegrity;
    let with = |res: DigestResult| -> Vec<&DigestReport> {
        r.digests.iter().filter(|d| d.result == res).collect()
    };
    let (bad, missing) = (
        with(DigestResult::Mismatch),
        with(DigestResult::Unavailable),
    );
    if let Some(first) = bad.first() {
        let all: Vec<&str> = bad.iter().map(|d| d.detail.as_str()).collect();
        let problem = first.detail.clone();
        let check = Check::fail(
            id,
            format!(
                "{} not verified: {}; it is not shown as the caller's (the call's own verdict stands)",
                subject(r),
                all.join("; ")
            ),
        );
        r.problem = Some(problem);
        return check;
    }
    if let Some(first) = missing.first() {
        let all: Vec<&str> = missing.iter().map(|d| d.detail.as_str()).collect();
        let problem = format!("it could not be checked: {}", first.detail);
        let check = Check::warn(
            id,
            format!(
                "rcdi digests could not all be checked: {}; the rich call data is not shown as verified",
                all.join("; ")
            ),
        );
        r.problem = Some(problem);
        return check;
    }
    let names: Vec<&str> = with(DigestResult::Match)
        .iter()
        .map(|d| d.pointer.as_str())
        .collect();
    Check::pass(
        id,
        format!("every rcdi digest matches ({})", names.join(", ")),
    )
}

/// Why an `rcdi` claim (or the `rcd` it points into) cannot be read at all.
pub(super) fn malformed(rcd: Option<&Value>, rcdi: &Value) -> String {
    match (rcd, rcdi) {
        (None, _) => "the rcdi claim has digests but there is no rcd claim to point into".into(),
        (Some(r), _) if !r.is_object() => "the rcd claim is not a JSON object".into(),
        (_, Value::Object(m)) if m.is_empty() => "the rcdi claim is empty".into(),
        (_, Value::Object(m)) => format!(
            "the rcdi claim has {} digests (at most {})",
            m.len(),
            super::MAX_RCDI_KEYS
        ),
        _ => "the rcdi claim is not an object of JSON pointers to digests".into(),
    }
}

/// The report's reason, once `verified` is decided.
pub(super) fn reason(r: &RcdReport, passport_valid: bool, why_not: Option<&str>) -> String {
    let what = subject(r);
    if !passport_valid {
        return match why_not {
            Some(w) if !w.is_empty() => {
                format!("{what} not verified: the PASSporT that carries it did not verify ({w})")
            }
            _ => format!("{what} not verified: the PASSporT that carries it did not verify"),
        };
    }
    if let Some(p) = &r.problem {
        return format!("{what} not verified: {p}");
    }
    let covered = r.digests.iter().any(|d| d.result == DigestResult::Match);
    if covered {
        format!(
            "{what} verified: signed in a PASSporT that verifies, and every rcdi digest matches"
        )
    } else {
        format!(
            "{what} verified: signed in a PASSporT that verifies (no rcdi digests, so content behind a URL is not shown)"
        )
    }
}

/// The reason of a report withheld by the call around it.
pub(super) fn withheld(r: &RcdReport, why: &str) -> String {
    format!("{} not verified: {why}", subject(r))
}

/// One line for a number's brand (CLI report, batch rows, self-check answers): the name only
/// when verified, otherwise why not.
pub fn brand_line(r: &RcdReport) -> String {
    if !r.verified {
        return r.reason.clone();
    }
    let mut s = match &r.nam {
        Some(n) => format!("{n:?} (verified)"),
        None => "rich call data verified (no name)".to_string(),
    };
    if r.icn.as_ref().is_some_and(|i| i.verified) {
        s.push_str(", with a verified logo");
    }
    if let Some(c) = &r.crn {
        s.push_str(&format!("; call reason {c:?}"));
    }
    s
}
