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

/// `rcd`, for an identity that is an rcd PASSporT or carries rcd claims (else none).
pub(super) fn rcd(w: &IdWork) -> Option<Check> {
    let claims = w.result.claims.as_ref();
    let has_rcd = w.result.role == Role::Rcd || claims.is_some_and(|c| c.get("rcd").is_some());
    if !has_rcd {
        return None;
    }
    let id = CheckId::Rcd;
    Some(if claims.is_some_and(|c| c.get("rcdi").is_some()) {
        Check::warn(
            id,
            "rcdi integrity digests present but not checked: the referenced content (icon, jCard) is not fetched; show rcd only if this identity is valid",
        )
    } else {
        Check::pass(
            id,
            "rich call data decoded; shown as verified only because (and when) this identity is valid",
        )
    })
}
