//! `cert.delegation` and `cert.constraints`: what a certificate lets its key sign for.
//!
//! `cert.delegation` (RFC 9060, ATIS-1000092): a delegate leaf (TNAuthList of numbers) must
//! cover the calling number, and every certificate above it that lists numbers must encompass
//! the numbers below it; a CA whose TNAuthList holds an SPC (an STI-SCA) may issue them.
//! `cert.constraints` (RFC 8226 §8, RFC 9118): the JWT claim constraints of every certificate on
//! the path hold for the PASSporT's claims. Both run on the validated path, or on the chain as
//! sent when no path was found (so an agent still sees every problem at once).

use super::cert_checks::Credential;
use crate::cert::ParsedCert;
use crate::cert::constraints::{self, ConstraintsKind};
use crate::cert::delegation::{describe_numbers, is_delegate, not_encompassed, tn_list};
use crate::check_id::CheckId;
use crate::verdict::Check;
use serde_json::Value;
use std::sync::Arc;

const ID_DELEGATION: CheckId = CheckId::CertDelegation;
const ID_CONSTRAINTS: CheckId = CheckId::CertConstraints;

/// Why neither check can be made: no certificate to read.
fn unchecked(id: CheckId, cred: &Credential) -> Check {
    let why = cred.unchecked().unwrap_or("no certificate");
    Check::skip(id, format!("not checked: {why}"))
}

/// `cert.delegation`.
pub fn cert_delegation(cred: &Credential, orig_tn: Option<&str>) -> Check {
    let Some((certs, leaf)) = cred.judged().and_then(|c| Some((c, c.first()?))) else {
        return unchecked(ID_DELEGATION, cred);
    };
    let list = match &leaf.tn_auth {
        Some((_, Ok(l))) => l,
        _ => {
            return Check::skip(
                ID_DELEGATION,
                "not checked: the signing certificate has no readable TNAuthList (see cert.profile)",
            );
        }
    };
    if !list.has_numbers() {
        let spc = list.spc().unwrap_or("?");
        return Check::skip(
            ID_DELEGATION,
            format!(
                "not a delegate certificate: its TNAuthList names SPC {spc}, so the signer vouches for the number through attest"
            ),
        );
    }
    let mut problems = Vec::new();
    match orig_tn {
        Some(tn) if list.covers(tn) => {}
        Some(tn) => problems.push(format!(
            "the delegate certificate \"{}\" does not cover the calling number {tn}: it lists {}",
            leaf.subject,
            describe_numbers(list, 6)
        )),
        None => problems.push(format!(
            "the PASSporT's orig is not a telephone number, so the delegate certificate \"{}\" cannot cover it",
            leaf.subject
        )),
    }
    // Walk up: each certificate that lists numbers must encompass the nearest one below that
    // does (RFC 9060 §4); an SPC above them is the STI-SCA that delegated them.
    let mut child: (&ParsedCert, &crate::cert::tnauth::TnAuthList) = (leaf, list);
    let mut bounded_by = 0usize;
    let mut sca: Option<&ParsedCert> = None;
    for c in &certs[1..] {
        match &c.tn_auth {
            None => {}
            Some((_, Err(e))) => problems.push(format!(
                "the TNAuthList of \"{}\" cannot be read ({e}), so what it may delegate is unknown",
                c.subject
            )),
            Some((_, Ok(l))) if l.has_numbers() => {
                let outside = not_encompassed(l, child.1);
                if !outside.is_empty() {
                    problems.push(format!(
                        "\"{}\" lists {} outside what its issuer \"{}\" holds ({})",
                        child.0.subject,
                        outside.join(", "),
                        c.subject,
                        describe_numbers(l, 6)
                    ));
                }
                bounded_by += 1;
                child = (c, l);
            }
            Some((_, Ok(l))) => {
                if sca.is_none() && child.1.has_numbers() {
                    sca = Some(c);
                }
                child = (c, l);
            }
        }
    }
    if !problems.is_empty() {
        let d = format!(
            "The certificate does not cover this call: {}",
            problems.join("; ")
        );
        return Check::fail(ID_DELEGATION, d);
    }
    let tn = orig_tn.unwrap_or("");
    let mut d = format!(
        "delegate certificate for {} covers the calling number {tn}",
        describe_numbers(list, 6)
    );
    if bounded_by > 0 {
        d.push_str(&format!(
            "; {bounded_by} delegate CA certificate{} above it encompass{} the numbers below",
            if bounded_by == 1 { "" } else { "s" },
            if bounded_by == 1 { "es" } else { "" }
        ));
    }
    match sca {
        Some(s) => {
            let spc = tn_list(s).and_then(|l| l.spc()).unwrap_or("?");
            let org = s.subject_o.as_deref().unwrap_or(&s.subject);
            d.push_str(&format!("; delegated by {org}'s STI-SCA (SPC {spc})"));
            Check::pass(ID_DELEGATION, d)
        }
        None if bounded_by > 0 => Check::pass(ID_DELEGATION, d),
        None => {
            d.push_str(
                ", but no certificate above it carries a TNAuthList, so nothing on the path bounds \
                 the numbers it may sign for (ATIS-1000092 has the number holder's provider issue \
                 delegate certificates from an STI-SCA that carries its SPC)",
            );
            Check::warn(ID_DELEGATION, d)
        }
    }
}

/// `cert.constraints`.
pub fn cert_constraints(cred: &Credential, claims: Option<&Value>) -> Check {
    let Some(certs) = cred.judged() else {
        return unchecked(ID_CONSTRAINTS, cred);
    };
    let found: Vec<(&ParsedCert, ConstraintsKind, _)> = certs
        .iter()
        .flat_map(|c| {
            constraints::of_cert(c)
                .into_iter()
                .map(move |(k, r)| (c.as_ref(), k, r))
        })
        .collect();
    if found.is_empty() {
        return Check::skip(
            ID_CONSTRAINTS,
            "no certificate on the path carries JWT claim constraints",
        );
    }
    let claims = claims.and_then(Value::as_object);
    let mut problems = Vec::new();
    let mut met = Vec::new();
    for (c, kind, r) in &found {
        let role = role(c, certs);
        match r {
            Err(e) => problems.push(format!(
                "the {} of {role} \"{}\" cannot be read ({e}), so the PASSporT cannot be shown to meet it",
                kind.name(),
                c.subject
            )),
            Ok(k) => match claims {
                None => problems.push(format!(
                    "the PASSporT's claims could not be read, so the {} of {role} \"{}\" cannot be checked",
                    kind.name(),
                    c.subject
                )),
                Some(cl) => {
                    let v = k.violations(cl);
                    if v.is_empty() {
                        met.push(format!("{role} \"{}\" ({})", c.subject, constraints::describe(k)));
                    }
                    for x in v {
                        problems.push(format!(
                            "{x}, by the {} of {role} \"{}\"",
                            kind.name(),
                            c.subject
                        ));
                    }
                }
            },
        }
    }
    if !problems.is_empty() {
        return Check::fail(
            ID_CONSTRAINTS,
            format!(
                "The PASSporT breaks its certificates' claim constraints: {}",
                problems.join("; ")
            ),
        );
    }
    let mut d = format!(
        "the PASSporT meets the claim constraints of {}",
        met.join(" and ")
    );
    let both = certs.iter().any(|c| {
        let kinds: Vec<ConstraintsKind> = constraints::of_cert(c)
            .into_iter()
            .map(|(k, _)| k)
            .collect();
        kinds.contains(&ConstraintsKind::Jwt) && kinds.contains(&ConstraintsKind::Enhanced)
    });
    if both {
        d.push_str(
            "; a certificate carries both JWTClaimConstraints and EnhancedJWTClaimConstraints, \
             which RFC 9118 says not to do (both were applied)",
        );
        return Check::warn(ID_CONSTRAINTS, d);
    }
    Check::pass(ID_CONSTRAINTS, d)
}

/// "the signing certificate", "the CA certificate" — which one carries the constraint.
fn role(c: &ParsedCert, certs: &[Arc<ParsedCert>]) -> &'static str {
    if std::ptr::eq(c, certs[0].as_ref()) {
        "the signing certificate"
    } else if is_delegate(c) {
        "the delegate CA certificate"
    } else {
        "the CA certificate"
    }
}
