//! `rcd.integrity` (RFC 9795 §6, CHECKLIST.md `rcd.integrity`): the `rcdi` digests of a PASSporT
//! that carries rich call data, checked against its `rcd` claim and the content the shell
//! obtained (`Options::resources`). A mismatch fails the check on that identity and leaves its
//! rich call data "not verified"; it never decides the identity's status ([`CheckId::decides`]),
//! so a valid SHAKEN verdict stays valid. Content not obtainable warns; no `rcdi` skips. The
//! digest rules themselves live in [`crate::rcd`].
//!
//! [`CheckId::decides`]: crate::CheckId::decides

use super::Options;
use crate::rcd::{self, RcdReport, RcdSource, content::Resources};
use crate::verdict::{IdentityResult, IdentityStatus, Role, Status, Verdict};

/// `rcd.integrity` for one identity, before crypto (the digests need none): records the check
/// and the identity's [`RcdReport`] when it carries rich call data.
pub(super) fn rcd_integrity(r: &mut IdentityResult, opts: &Options) {
    let source = match r.role {
        Role::Rcd => RcdSource::Rcd,
        Role::Shaken | Role::Base => RcdSource::Shaken,
        Role::Div | Role::Unsupported => return,
    };
    if r.form != "full" {
        return;
    }
    let Some(claims) = r.claims.as_ref().filter(|c| c.is_object()) else {
        return;
    };
    let res = Resources {
        content: &opts.resources,
        errors: &opts.resource_fetch_errors,
    };
    if let Some((report, check)) = rcd::evaluate(claims, source, res) {
        r.checks.push(check);
        r.rcd = Some(report);
    }
}

/// Once the identity is judged: its rich call data is verified only if it is valid.
pub(super) fn settle(r: &mut IdentityResult) {
    let valid = r.status == IdentityStatus::Valid;
    let why = (!valid).then_some(r.reason.as_str());
    if let Some(rep) = r.rcd.as_mut() {
        rcd::settle(rep, valid, why);
    }
}

fn orig_tn(r: &IdentityResult) -> Option<&str> {
    r.claims.as_ref()?.get("orig")?.get("tn")?.as_str()
}

/// The call's rich call data: the SHAKEN PASSporT's own (a valid one first), else a separate
/// `ppt=rcd` PASSporT's (a verified one first). Verified only when the call verified too and a
/// separate rcd PASSporT speaks for the call's calling number.
pub(super) fn call_rcd(v: &Verdict) -> Option<RcdReport> {
    let shaken = v
        .identities
        .iter()
        .filter(|r| matches!(r.role, Role::Shaken | Role::Base) && r.rcd.is_some())
        .min_by_key(|r| (r.status != IdentityStatus::Valid, r.index));
    let separate = v
        .identities
        .iter()
        .filter(|r| r.role == Role::Rcd && r.rcd.is_some())
        .min_by_key(|r| (!r.rcd.as_ref().is_some_and(|x| x.verified), r.index));
    let carrier = shaken.or(separate)?;
    let mut rep = carrier.rcd.clone()?;
    if !rep.verified {
        return Some(rep);
    }
    if v.status != Status::Valid {
        rcd::withhold(&mut rep, "the call's SHAKEN PASSporT did not verify");
        return Some(rep);
    }
    if rep.source == RcdSource::Rcd {
        let call_orig = v
            .identities
            .iter()
            .filter(|r| matches!(r.role, Role::Shaken | Role::Base))
            .find(|r| r.status == IdentityStatus::Valid)
            .and_then(orig_tn);
        let own = orig_tn(carrier);
        if call_orig.is_some() && own != call_orig {
            rcd::withhold(
                &mut rep,
                &format!(
                    "the rcd PASSporT is signed for calling number {}, not the call's {}",
                    own.unwrap_or("none"),
                    call_orig.unwrap_or("none")
                ),
            );
        }
    }
    Some(rep)
}
