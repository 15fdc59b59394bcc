//! From checks to answers: each identity's status and reason, then the call verdict (which
//! identity decides, SIP code, verstat), per CHECKLIST.md's verdict mapping.

use crate::check_id::CheckId;
use crate::trust::TrustStore;
use crate::verdict::*;

/// Who signed, for the reason text: the SPC and company, the holder of a delegate certificate
/// (which names numbers, not an SPC), or a bare key.
pub(super) fn signed_by(signer: Option<&Signer>) -> String {
    let Some(s) = signer else {
        return "a supplied key".into();
    };
    if s.delegate.is_some() {
        return s
            .organization
            .clone()
            .unwrap_or_else(|| "an unnamed holder".into());
    }
    let spc = s
        .spc
        .as_deref()
        .map(|x| format!("SPC {x}"))
        .unwrap_or_else(|| "an unknown SPC".into());
    match &s.organization {
        Some(o) => format!("{spc} ({o})"),
        None => spc,
    }
}

/// Set an identity's status, SIP code and reason from its checks.
pub(super) fn judge_identity(r: &mut IdentityResult, who: &str) {
    if r.role == Role::Unsupported {
        r.status = IdentityStatus::Ignored;
        r.reason = format!(
            "ignored: ppt {:?} is not supported",
            r.ppt.as_deref().unwrap_or("")
        );
        return;
    }
    let d = decide(&r.checks, || summary(r, who));
    r.status = if d.valid {
        IdentityStatus::Valid
    } else {
        IdentityStatus::Invalid
    };
    r.sip_code = d.code.map(SipCode::code);
    r.reason = d.reason;
}

fn summary(r: &IdentityResult, who: &str) -> String {
    let attest = r
        .claims
        .as_ref()
        .and_then(|c| c.get("attest"))
        .and_then(|a| a.as_str());
    let delegate = r.signer.as_ref().and_then(|s| s.delegate.as_ref());
    match (r.role, attest) {
        // A delegate certificate: say whose it is and who delegated the numbers.
        (Role::Shaken, Some(a)) if delegate.is_some() => format!(
            "Signed by {who} with attestation {a}, {}; the signature, certificate and call details check out",
            delegate.map(|d| d.sentence.as_str()).unwrap_or_default()
        ),
        (Role::Shaken, Some(a)) => format!(
            "Signed by {who} with attestation {a}; the signature, certificate and call details check out"
        ),
        (Role::Div, _) => format!("Diversion PASSporT signed by {who} verifies"),
        _ => format!("Signed by {who}; every check passed"),
    }
}

/// What the verdict reports besides the checks.
pub(super) struct Frame<'a> {
    pub trust: &'a TrustStore,
    pub now: i64,
    pub as_of_call: bool,
    pub max_age: i64,
}

/// Pick the identity that decides the call (SHAKEN first) and assemble the verdict.
pub(super) fn verdict(
    mut top: Vec<Check>,
    call: Option<CallContext>,
    results: Vec<IdentityResult>,
    f: Frame<'_>,
) -> Verdict {
    let rank = |r: &IdentityResult| match r.role {
        Role::Shaken => 0,
        Role::Base => 1,
        Role::Div => 2,
        Role::Rcd => 3,
        Role::Unsupported => 9,
    };
    let best_rank = results.iter().map(rank).min().unwrap_or(9);
    // Among equally ranked headers, a valid one decides (RFC 8224 §6.2.2: fail only when none validates).
    let decider = results
        .iter()
        .filter(|r| rank(r) == best_rank && best_rank < 2)
        .min_by_key(|r| (r.status != IdentityStatus::Valid, r.index));
    let trust_info = f.trust.info();
    let Some(d) = decider else {
        let input_failed = top.iter().find(|c| c.is_fail() && c.id == CheckId::Input);
        let (status, reason, code) = match input_failed {
            Some(c) => (
                Status::Invalid,
                c.detail.to_string(),
                SipCode::InvalidIdentityHeader,
            ),
            None => {
                let c = top
                    .iter()
                    .find(|c| c.id == CheckId::IdentityPresent)
                    .expect("always recorded");
                (
                    Status::NoIdentity,
                    c.detail.to_string(),
                    SipCode::UseIdentityHeader,
                )
            }
        };
        return Verdict {
            status,
            attest: None,
            verstat: Verstat::NoValidation,
            sip_code: Some(code.code()),
            sip_reason: Some(code.phrase()),
            reason,
            checks: top,
            identities: results,
            signer: None,
            trust: trust_info,
            verified_at: f.now,
            as_of_call: f.as_of_call,
            max_age: f.max_age,
            call,
            outcome: crate::summary::CallOutcome::Unsigned,
            summary: crate::summary::Summary::empty(),
            revocation: Vec::new(),
            rcd: None,
        };
    };
    top.extend(d.checks.iter().cloned());
    let valid = d.status == IdentityStatus::Valid;
    let dec = decide(&top, || d.reason.clone());
    let attest = if valid {
        d.claims
            .as_ref()
            .and_then(|c| c.get("attest"))
            .and_then(|a| a.as_str())
            .map(str::to_owned)
    } else {
        None
    };
    let verified_at = if f.as_of_call {
        d.iat.unwrap_or(f.now)
    } else {
        f.now
    };
    let code = dec.code;
    let signer = d.signer.clone();
    let revocation = d.revocation.clone();
    Verdict {
        status: if valid {
            Status::Valid
        } else {
            Status::Invalid
        },
        attest,
        verstat: dec.verstat,
        sip_code: code.map(SipCode::code),
        sip_reason: code.map(SipCode::phrase),
        reason: dec.reason,
        checks: top,
        signer,
        identities: results,
        trust: trust_info,
        verified_at,
        as_of_call: f.as_of_call,
        max_age: f.max_age,
        call,
        outcome: crate::summary::CallOutcome::Unsigned,
        summary: crate::summary::Summary::empty(),
        revocation,
        rcd: None,
    }
}
