//! Binding the PASSporT to this call: `call.orig`, `call.dest` (RFC 8224 §6.2 Steps 2 and 5) and
//! freshness `time.iat` (Step 4, with the future-dated case OpenSIPS once missed).

use super::passport::Claims;
use crate::check_id::CheckId;
use crate::time::human_secs;
use crate::verdict::{CallContext, Check};

/// `call.orig`: the caller in P-Asserted-Identity (else From) is the signed orig.
pub fn call_orig(ctx: Option<&CallContext>, c: &Claims) -> Check {
    let id = CheckId::CallOrig;
    let Some(ctx) = ctx.filter(|c| c.pai.is_some() || c.from.is_some()) else {
        return Check::skip(
            id,
            "no From or P-Asserted-Identity in the input to compare orig with",
        );
    };
    let source = if ctx.pai.is_some() {
        "P-Asserted-Identity"
    } else {
        "From"
    };
    let Some(orig) = &c.orig_tn else {
        return Check::skip(id, "the PASSporT has no orig.tn to compare");
    };
    match &ctx.orig_tn {
        None => Check::fail(
            id,
            format!(
                "The caller in {source} is not a telephone number, but the PASSporT signs orig {orig}"
            ),
        ),
        Some(tn) if tn == orig => Check::pass(id, format!("{source} number {tn} matches orig")),
        Some(tn) => Check::fail(
            id,
            format!(
                "The calling number in {source} ({tn}) is not the signed orig ({orig}): the caller ID was changed after signing, or the header belongs to another call"
            ),
        ),
    }
}

/// `call.dest`: the called number in To (or the Request-URI) is in the signed dest. `retarget`
/// is the index of a verified div PASSporT that covers the new destination (see
/// `extensions::retargets`): a mismatch it explains passes.
pub fn call_dest(ctx: Option<&CallContext>, c: &Claims, retarget: Option<usize>) -> Check {
    let direct = call_dest_direct(ctx, c);
    match retarget {
        Some(div_index) if direct.is_fail() => Check::pass(
            CheckId::CallDest,
            format!(
                "the call was retargeted; the new destination is covered by the verified div PASSporT (Identity #{})",
                div_index + 1
            ),
        ),
        _ => direct,
    }
}

fn call_dest_direct(ctx: Option<&CallContext>, c: &Claims) -> Check {
    let id = CheckId::CallDest;
    let Some(ctx) = ctx.filter(|c| c.to.is_some() || c.request_uri.is_some()) else {
        return Check::skip(id, "no To or Request-URI in the input to compare dest with");
    };
    if c.dest_tns.is_empty() {
        return Check::skip(id, "the PASSporT has no dest.tn to compare");
    }
    let list = c.dest_tns.join(", ");
    // RFC 8224 compares To; after retargeting the Request-URI carries the new number (the one a
    // div PASSporT signs), so either may match.
    let to = ctx.to.as_deref().and_then(crate::tn::from_uri);
    let ruri = ctx.request_uri.as_deref().and_then(crate::tn::from_uri);
    for (label, tn) in [("To", &to), ("Request-URI", &ruri)] {
        if let Some(tn) = tn.as_ref().filter(|t| c.dest_tns.contains(t)) {
            return Check::pass(id, format!("called number {tn} ({label}) is in dest"));
        }
    }
    match to.or(ruri) {
        None => Check::fail(
            id,
            format!(
                "The called party in To is not a telephone number, but the PASSporT was signed for {list}"
            ),
        ),
        Some(tn) => Check::fail(
            id,
            format!(
                "The called number ({tn}) is not among the signed dest ({list}): the call was retargeted without a div PASSporT, or the header was replayed to another number"
            ),
        ),
    }
}

/// `time.iat`: `abs(now - iat) <= max_age`; historical mode verifies as of the call and says so.
pub fn time_iat(
    ctx: Option<&CallContext>,
    c: &Claims,
    now: i64,
    max_age: i64,
    as_of_call: bool,
) -> Check {
    let id = CheckId::TimeIat;
    let Some(iat) = c.iat else {
        let note = if as_of_call {
            "; the call time is unknown, so verification is as of now"
        } else {
            ""
        };
        return Check::skip(id, format!("no usable iat to check{note}"));
    };
    // Saturating arithmetic: iat, the Date header and the verification time come from input
    // and can be extreme; an overflow must not panic.
    let date_note = ctx.and_then(|x| x.date_unix).and_then(|d| {
        let diff = d.saturating_sub(iat).saturating_abs();
        (diff > max_age).then(|| {
            format!(
                "the SIP Date header differs from iat by {}",
                human_secs(diff)
            )
        })
    });
    let age = now.saturating_sub(iat);
    if age.saturating_abs() > max_age {
        let when = if age > 0 {
            format!("{} ago", human_secs(age))
        } else {
            format!("{} in the future", human_secs(age.saturating_neg()))
        };
        let hint = if age > 0 {
            " (to check a past call, verify as of the call time)"
        } else {
            ""
        };
        return Check::fail(
            id,
            format!("The PASSporT was signed {when}; the freshness window is {max_age} s{hint}"),
        );
    }
    let base = if as_of_call {
        "verified as of the call time (iat); freshness is not judged in this mode".to_string()
    } else {
        format!(
            "signed {} ago, within the {max_age} s window",
            human_secs(age.max(0))
        )
    };
    match date_note {
        Some(n) => Check::warn(id, format!("{base}; but {n}")),
        None => Check::pass(id, base),
    }
}
