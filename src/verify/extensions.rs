//! Extension PASSporTs beside the SHAKEN one: `div` (RFC 8946) must chain to the original call,
//! and `rcd` (RFC 9795) claims are only shown when verified. A failure here is reported on that
//! identity and never flips a valid SHAKEN verdict (checklist `div` / `rcd`).

use super::IdWork;
use crate::check_id::CheckId;
use crate::verdict::{CallContext, Check, Outcome, Role};

pub(super) fn apply(ids: &mut [IdWork], ctx: Option<&CallContext>) {
    // Every SHAKEN identity a div may chain to: with several SHAKEN headers (one broken, one
    // valid), the div must be matched against each, not only the first.
    let shakens: Vec<(usize, Option<String>, Vec<String>)> = ids
        .iter()
        .enumerate()
        .filter(|(_, w)| w.result.role == Role::Shaken)
        .map(|(i, w)| (i, w.claims.orig_tn.clone(), w.claims.dest_tns.clone()))
        .collect();
    // (SHAKEN position, div index) pairs where a verified div explains the new destination.
    let mut explained: Vec<(usize, usize)> = Vec::new();
    for w in ids.iter_mut().filter(|w| w.result.role == Role::Div) {
        let checks: Vec<Check> = shakens
            .iter()
            .map(|(_, o, d)| div_check(w, o.as_deref(), d, true))
            .collect();
        let chained_to: Vec<usize> = shakens
            .iter()
            .zip(&checks)
            .filter(|(_, c)| c.outcome == Outcome::Pass)
            .map(|((i, _, _), _)| *i)
            .collect();
        // Report the chaining that holds, else the mismatch with the first SHAKEN identity.
        let check = checks
            .iter()
            .find(|c| c.outcome == Outcome::Pass)
            .or(checks.first())
            .cloned()
            .unwrap_or_else(|| div_check(w, None, &[], false));
        let ok = check.outcome == Outcome::Pass && !w.result.checks.iter().any(|c| c.is_fail());
        let covers_to = ctx
            .map(|c| [c.to.as_deref(), c.request_uri.as_deref()])
            .into_iter()
            .flatten()
            .flatten()
            .filter_map(crate::tn::from_uri)
            .any(|tn| w.claims.dest_tns.contains(&tn));
        if ok && covers_to {
            explained.extend(chained_to.iter().map(|i| (*i, w.result.index)));
        }
        w.result.checks.push(check);
    }
    for w in ids.iter_mut().filter(|w| {
        w.result.role == Role::Rcd
            || w.result
                .claims
                .as_ref()
                .is_some_and(|c| c.get("rcd").is_some())
    }) {
        let rcdi = w
            .result
            .claims
            .as_ref()
            .is_some_and(|c| c.get("rcdi").is_some());
        w.result.checks.push(if rcdi {
            Check::warn(CheckId::Rcd, "rcdi integrity digests present but not checked: the referenced content (icon, jCard) is not fetched; show rcd only if this identity is valid")
        } else {
            Check::pass(CheckId::Rcd, "rich call data decoded; shown as verified only because (and when) this identity is valid")
        });
    }
    // A retargeted call: the SHAKEN dest mismatch is explained by a verified div PASSporT.
    for (i, div_index) in explained {
        if let Some(c) = ids[i]
            .result
            .checks
            .iter_mut()
            .find(|c| c.id == CheckId::CallDest && c.is_fail())
        {
            *c = Check::pass(
                CheckId::CallDest,
                format!(
                    "the call was retargeted; the new destination is covered by the verified div PASSporT (Identity #{})",
                    div_index + 1
                ),
            );
        }
    }
}

fn div_check(w: &IdWork, s_orig: Option<&str>, s_dest: &[String], has_shaken: bool) -> Check {
    if !has_shaken {
        return Check::skip(
            CheckId::Div,
            "no SHAKEN PASSporT to chain this diversion to",
        );
    }
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
            CheckId::Div,
            "chains to the original PASSporT: same orig, div equals the original dest",
        )
    } else {
        Check::fail(
            CheckId::Div,
            format!(
                "This diversion PASSporT does not chain to the original: {}",
                problems.join("; ")
            ),
        )
    }
}
