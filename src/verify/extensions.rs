//! Extension PASSporTs beside the SHAKEN one: `div` (RFC 8946) must chain to the original call,
//! and `rcd` (RFC 9795) claims are only shown when verified. A failure here is reported on that
//! identity and never flips a valid SHAKEN verdict (checklist `div` / `rcd`). A verified div
//! that covers the new destination explains a SHAKEN `call.dest` mismatch: [`retargets`] says
//! which, and `binding::call_dest` takes it into account.

use super::work::IdWork;
use crate::check_id::CheckId;
use crate::verdict::{CallContext, Check, Outcome, Role};
use std::collections::HashMap;

/// The `div` check of every diversion identity (by position in `ids`), and for each SHAKEN
/// identity (by position) the index of the first verified div PASSporT that retargets it.
pub(super) fn retargets(
    ids: &[IdWork],
    ctx: Option<&CallContext>,
) -> (Vec<(usize, Check)>, HashMap<usize, usize>) {
    // Every SHAKEN identity a div may chain to: with several SHAKEN headers (one broken, one
    // valid), the div must be matched against each, not only the first.
    let shakens: Vec<(usize, Option<&str>, &[String])> = ids
        .iter()
        .enumerate()
        .filter(|(_, w)| w.result.role == Role::Shaken)
        .map(|(i, w)| (i, w.claims.orig_tn.as_deref(), w.claims.dest_tns.as_slice()))
        .collect();
    let mut checks = Vec::new();
    let mut explained: HashMap<usize, usize> = HashMap::new();
    for (pos, w) in ids.iter().enumerate() {
        if w.result.role != Role::Div {
            continue;
        }
        let candidates: Vec<Check> = shakens
            .iter()
            .map(|(_, o, d)| div(w, Some((*o, d))))
            .collect();
        // Report the chaining that holds, else the mismatch with the first SHAKEN identity.
        let check = candidates
            .iter()
            .find(|c| c.outcome == Outcome::Pass)
            .or(candidates.first())
            .cloned()
            .unwrap_or_else(|| div(w, None));
        // Its own call.dest is decided later; a div that does not cover To / Request-URI fails
        // it, and then `covers_to` is false as well.
        let ok = check.outcome == Outcome::Pass && !w.result.checks.iter().any(|c| c.is_fail());
        let covers_to = ctx
            .map(|c| [c.to.as_deref(), c.request_uri.as_deref()])
            .into_iter()
            .flatten()
            .flatten()
            .filter_map(crate::tn::from_uri)
            .any(|tn| w.claims.dest_tns.contains(&tn));
        if ok && covers_to {
            for ((i, _, _), c) in shakens.iter().zip(&candidates) {
                if c.outcome == Outcome::Pass {
                    explained.entry(*i).or_insert(w.result.index);
                }
            }
        }
        checks.push((pos, check));
    }
    (checks, explained)
}

/// `div`: this diversion PASSporT against one SHAKEN identity's (orig, dest), or the skip when
/// there is none.
fn div(w: &IdWork, shaken: Option<(Option<&str>, &[String])>) -> Check {
    let id = CheckId::Div;
    let Some((s_orig, s_dest)) = shaken else {
        return Check::skip(id, "no SHAKEN PASSporT to chain this diversion to");
    };
    let mut problems = Vec::new();
    if w.claims.orig_tn.as_deref() != s_orig {
        problems.push(format!(
            "its orig ({}) differs from the original orig ({})",
            w.claims.orig_tn.as_deref().unwrap_or("none"),
            s_orig.unwrap_or("none")
        ));
    }
    match &w.claims.div_tn {
        Some(d) if s_dest.contains(d) => {}
        Some(d) => problems.push(format!(
            "its div ({d}) is not the original dest ({})",
            s_dest.join(", ")
        )),
        None => problems.push("it has no div.tn".into()),
    }
    if problems.is_empty() {
        Check::pass(
            id,
            "chains to the original PASSporT: same orig, div equals the original dest",
        )
    } else {
        Check::fail(
            id,
            format!(
                "This diversion PASSporT does not chain to the original: {}",
                problems.join("; ")
            ),
        )
    }
}

/// `rcd`, for an identity that is an rcd PASSporT or carries rcd claims (else none): the shape
/// of the claims and what `rcd.integrity` found. On a `ppt=rcd` PASSporT a problem fails (438
/// on that identity); on a SHAKEN one it warns, so the call's verdict stands while its rich call
/// data is not verified.
pub(super) fn rcd(w: &IdWork) -> Option<Check> {
    let claims = w.result.claims.as_ref();
    let rcd = claims.and_then(|c| c.get("rcd"));
    let separate = w.result.role == Role::Rcd;
    if !separate && rcd.is_none() {
        return None;
    }
    let id = CheckId::Rcd;
    let integrity = w
        .result
        .checks
        .iter()
        .find(|c| c.id == CheckId::RcdIntegrity);
    let problem = match rcd {
        None => Some("this rcd PASSporT has no rcd claim".to_string()),
        Some(r) if !r.is_object() => Some("the rcd claim is not a JSON object".to_string()),
        Some(r) => ["nam", "apn", "icn", "jcl"]
            .iter()
            .find(|k| r.get(**k).is_some_and(|v| !v.is_string()))
            .map(|k| format!("rcd.{k} is not a string"))
            .or_else(|| {
                integrity
                    .filter(|c| c.is_fail())
                    .map(|_| "its rcdi digests do not match (see rcd.integrity)".to_string())
            }),
    };
    let unchecked = integrity.is_some_and(|c| c.outcome == Outcome::Warn);
    Some(match (problem, separate) {
        (Some(p), true) => Check::fail(
            id,
            format!("Rich call data not verified: {p}; it is not shown as the caller's"),
        ),
        (Some(p), false) => Check::warn(
            id,
            format!(
                "Rich call data not verified: {p}; it is not shown as the caller's (the SHAKEN verdict is not affected)"
            ),
        ),
        (None, _) if unchecked => Check::warn(
            id,
            "rich call data decoded, but its rcdi digests could not all be checked (see rcd.integrity): not shown as verified",
        ),
        (None, _) => Check::pass(
            id,
            "rich call data decoded; shown as the caller's only when this PASSporT (and the call) verifies",
        ),
    })
}
