//! Checks on the Identity header and the PASSporT itself: `identity.syntax`, `passport.form`,
//! `passport.header`, `x5u.url`, `passport.claims`; and which role (ppt) a header plays.

use crate::check_id::CheckId;
use crate::identity::IdentityHeader;
use crate::passport::{Form, FormError, Passport};
use crate::text::capitalize;
use crate::tn;
use crate::verdict::{Check, Detail, Role, SipCode};
use crate::x5u;
use serde_json::{Map, Value};

/// The ppt a header is judged by. The Identity header's ppt says what the header claims to be; a
/// JOSE header that disagrees is reported by `passport.header`. Without the parameter (bare JWS)
/// the JOSE header decides; contradictory labels where one says shaken are judged as the SHAKEN
/// PASSporT one of them claims.
pub fn effective_ppt(param: Option<&str>, header: Option<&str>) -> Option<String> {
    match (param, header) {
        (Some(a), Some(b)) if a != b && (a == "shaken" || b == "shaken") => {
            Some("shaken".to_string())
        }
        (Some(a), _) => Some(a.to_string()),
        (None, b) => b.map(str::to_owned),
    }
}

/// The role a ppt gives its PASSporT.
pub fn role_of(ppt: Option<&str>) -> Role {
    match ppt {
        None => Role::Base,
        Some("shaken") => Role::Shaken,
        Some("div") => Role::Div,
        Some("rcd") => Role::Rcd,
        Some(_) => Role::Unsupported,
    }
}

pub fn identity_syntax(h: &IdentityHeader) -> Check {
    let id = CheckId::IdentitySyntax;
    if h.bare {
        return Check::skip(
            id,
            "a bare PASSporT was given, without Identity header parameters (info, alg, ppt) to check",
        );
    }
    match h.problems.first() {
        None => Check::pass(
            id,
            "the Identity header is well formed (token; info=<URI>; alg; ppt)",
        ),
        Some(first) => {
            let all: Vec<String> = h.problems.iter().map(|p| p.to_string()).collect();
            Check::fail_with(id, first.code(), capitalize(&all.join("; ")))
        }
    }
}

pub fn passport_form(p: &Result<Passport, FormError>, role: Role) -> Check {
    let id = CheckId::PassportForm;
    match p {
        Err(e) => Check::fail(id, capitalize(&e.to_string())),
        Ok(p) if p.form == Form::Compact => {
            let why = if role == Role::Shaken {
                "The PASSporT is in compact form (..signature): SHAKEN requires the full form, because attest and origid cannot be rebuilt from the SIP message"
            } else {
                "The PASSporT is in compact form (..signature); rebuilding its header and claims from the SIP message is not supported, so it cannot be verified"
            };
            Check::fail(id, why)
        }
        Ok(_) => Check::pass(id, "full form: header.claims.signature"),
    }
}

/// JOSE header: object, typ, alg, ppt agreement, x5u present, no unknown `crit`.
pub fn passport_header(p: &Passport, h: &IdentityHeader) -> Check {
    let id = CheckId::PassportHeader;
    let obj = match &p.header {
        Err(e) => {
            return Check::fail_with(
                id,
                SipCode::InvalidIdentityHeader,
                format!("The PASSporT header cannot be read: {e}"),
            );
        }
        Ok(v) => v.as_object().expect("segment() only returns objects"),
    };
    let mut alg_problem = None;
    let mut problems = Vec::new();
    match obj.get("alg") {
        Some(Value::String(a)) if a == "ES256" => {}
        Some(Value::String(a)) => {
            alg_problem = Some(format!(
                "header alg is {a:?}; only ES256 is accepted (never none, HS* or RS*)"
            ))
        }
        _ => alg_problem = Some("header has no alg".to_string()),
    }
    match obj.get("typ") {
        Some(Value::String(t)) if t == "passport" => {}
        Some(t) => problems.push(format!("header typ is {t}, not \"passport\"")),
        None => problems.push("header has no typ (must be \"passport\")".into()),
    }
    match (obj.get("ppt"), &h.ppt) {
        (Some(Value::String(a)), Some(b)) if a != b => problems.push(format!(
            "header ppt {a:?} differs from the Identity header's ppt={b}"
        )),
        (Some(v), _) if !v.is_string() => problems.push("header ppt is not a string".into()),
        (None, Some(b)) => problems.push(format!(
            "the Identity header says ppt={b} but the PASSporT header has no ppt"
        )),
        _ => {}
    }
    match obj.get("x5u") {
        Some(Value::String(_)) => {}
        Some(_) => problems.push("header x5u is not a string".into()),
        None => problems.push("header has no x5u (the certificate URL)".into()),
    }
    if let Some(crit) = obj.get("crit") {
        problems.push(format!(
            "header lists critical extensions {crit} that this verifier does not implement"
        ));
    }
    let ignored: Vec<&str> = ["jwk", "x5c", "kid"]
        .into_iter()
        .filter(|k| obj.contains_key(*k))
        .collect();
    if let Some(a) = alg_problem {
        let mut all = vec![a];
        all.extend(problems);
        return Check::fail_with(
            id,
            SipCode::UnsupportedCredential,
            capitalize(&all.join("; ")),
        );
    }
    if !problems.is_empty() {
        return Check::fail_with(
            id,
            SipCode::InvalidIdentityHeader,
            capitalize(&problems.join("; ")),
        );
    }
    if !ignored.is_empty() {
        return Check::warn(
            id,
            format!(
                "header carries {}, ignored: trust comes only from the x5u certificate",
                ignored.join(", ")
            ),
        );
    }
    Check::pass(id, "typ passport, alg ES256, ppt consistent, x5u present")
}

pub fn x5u_url(x5u: Option<&str>, h: &IdentityHeader) -> Check {
    let id = CheckId::X5uUrl;
    let Some(url) = x5u else {
        return Check::fail(id, "There is no certificate URL (x5u) to check");
    };
    let mut problems = Vec::new();
    if let Some(info) = &h.info
        && info != url
    {
        problems.push(format!(
            "the Identity info URL <{info}> differs from the PASSporT x5u <{url}>"
        ));
    }
    if let Err(e) = x5u::allowed(url) {
        problems.push(format!("x5u <{url}> is refused: {e}"));
    }
    if !problems.is_empty() {
        return Check::fail(id, capitalize(&problems.join("; ")));
    }
    if h.bare {
        Check::pass(
            id,
            format!(
                "x5u <{url}> follows the URL rules (no info parameter to compare: bare PASSporT)"
            ),
        )
    } else {
        Check::pass(
            id,
            format!("x5u equals info and follows the URL rules: <{url}>"),
        )
    }
}

/// The claims a later check needs, extracted while validating.
#[derive(Debug, Clone, Default)]
pub struct Claims {
    pub orig_tn: Option<String>,
    pub dest_tns: Vec<String>,
    pub iat: Option<i64>,
    pub attest: Option<String>,
    pub div_tn: Option<String>,
}

pub fn passport_claims(p: &Passport, role: Role) -> (Check, Claims) {
    let id = CheckId::PassportClaims;
    let mut out = Claims::default();
    let obj = match &p.claims {
        Err(e) => {
            let detail = format!("The PASSporT claims cannot be read: {e}");
            return (Check::fail(id, detail), out);
        }
        Ok(v) => v.as_object().expect("segment() only returns objects"),
    };
    let mut problems: Vec<String> = Vec::new();
    let mut notes: Vec<String> = Vec::new();

    // orig: exactly one of tn / uri.
    match obj.get("orig") {
        Some(Value::Object(o)) => {
            if o.len() != 1 {
                problems.push(format!(
                    "orig must have exactly one member (tn or uri), has {}",
                    o.len()
                ));
            }
            match (o.get("tn"), o.get("uri")) {
                (Some(Value::String(t)), _) => {
                    if !tn::is_canonical(t) {
                        problems.push(format!("orig.tn {t:?} is not a canonical telephone number (digits, * and # only, no +)"));
                    }
                    out.orig_tn = Some(t.clone());
                }
                (Some(_), _) => problems.push("orig.tn is not a string".into()),
                (None, Some(Value::String(_))) => {
                    if role == Role::Shaken {
                        problems
                            .push("orig is a uri; SHAKEN signs telephone numbers (orig.tn)".into())
                    }
                }
                _ => problems.push("orig has neither tn nor uri".into()),
            }
        }
        Some(Value::String(s)) => {
            problems.push(format!("orig is a string ({s:?}), not a JSON object"))
        }
        Some(_) => problems.push("orig is not a JSON object".into()),
        None => problems.push("the orig claim (calling number) is missing".into()),
    }
    // dest: object of arrays.
    match obj.get("dest") {
        Some(Value::Object(d)) => {
            if d.is_empty() {
                problems.push("dest has no identity".into());
            }
            for (k, v) in d {
                match (k.as_str(), v) {
                    ("tn", Value::Array(a)) | ("uri", Value::Array(a)) => {
                        if a.is_empty() {
                            problems.push(format!("dest.{k} is an empty array"));
                        }
                        for item in a {
                            match item.as_str() {
                                Some(s) if k == "tn" => {
                                    if !tn::is_canonical(s) {
                                        problems.push(format!("dest.tn entry {s:?} is not a canonical telephone number"));
                                    }
                                    out.dest_tns.push(s.to_string());
                                }
                                Some(_) => {}
                                None => problems.push(format!("dest.{k} holds a non-string")),
                            }
                        }
                    }
                    ("tn", _) | ("uri", _) => {
                        problems.push(format!("dest.{k} must be an array, even for one number"))
                    }
                    (other, _) => notes.push(format!("dest has unknown member {other:?}")),
                }
            }
        }
        Some(Value::String(s)) => {
            problems.push(format!("dest is a string ({s:?}), not a JSON object"))
        }
        Some(_) => problems.push("dest is not a JSON object".into()),
        None => problems.push("the dest claim (called number) is missing".into()),
    }
    // iat: integer NumericDate.
    match obj.get("iat") {
        Some(Value::Number(n)) if n.as_i64().is_some_and(|v| v >= 0) => out.iat = n.as_i64(),
        Some(Value::String(s)) => problems.push(format!(
            "iat is a string ({s:?}); it must be a JSON integer"
        )),
        Some(v) => problems.push(format!("iat {v} is not a non-negative integer")),
        None => problems.push("the iat claim (signing time) is missing".into()),
    }
    match role {
        Role::Shaken | Role::Base => shaken_claims(obj, role, &mut out, &mut problems, &mut notes),
        Role::Div => match obj.get("div") {
            Some(Value::Object(d)) => match d.get("tn") {
                Some(Value::String(t)) => out.div_tn = Some(t.clone()),
                _ if d.contains_key("uri") => {}
                _ => problems.push("div claim has neither tn nor uri".into()),
            },
            Some(_) => problems.push("div claim is not an object".into()),
            None => problems.push("the div claim (the diverting number) is missing".into()),
        },
        Role::Rcd => {
            if !obj.contains_key("rcd") {
                problems.push("the rcd claim is missing".into());
            }
        }
        Role::Unsupported => {}
    }
    // The shape of `rcd` members is the `rcd` check's (verify/extensions.rs): a bad one never
    // flips a SHAKEN verdict (CHECKLIST.md `div` / `rcd`).
    let check = if !problems.is_empty() {
        Check::fail(id, capitalize(&problems.join("; ")))
    } else if !notes.is_empty() {
        Check::warn(id, capitalize(&notes.join("; ")))
    } else {
        // `attest` is A, B or C when set (`shaken_claims`): fixed sentences, nothing to format.
        let detail: Detail = match out.attest.as_deref() {
            None => "orig, dest and iat well formed".into(),
            Some("A") => "orig, dest and iat well formed, attest A".into(),
            Some("B") => "orig, dest and iat well formed, attest B".into(),
            Some("C") => "orig, dest and iat well formed, attest C".into(),
            Some(a) => format!("orig, dest and iat well formed, attest {a}").into(),
        };
        Check::pass(id, detail)
    };
    (check, out)
}

fn shaken_claims(
    obj: &Map<String, Value>,
    role: Role,
    out: &mut Claims,
    problems: &mut Vec<String>,
    notes: &mut Vec<String>,
) {
    let base = if role == Role::Base {
        " (this PASSporT has no ppt \"shaken\"; SHAKEN requires attest and origid)"
    } else {
        ""
    };
    match obj.get("attest") {
        Some(Value::String(a)) if matches!(a.as_str(), "A" | "B" | "C") => {
            out.attest = Some(a.clone())
        }
        Some(v) => problems.push(format!("attest {v} is not A, B or C")),
        None => problems.push(format!("the attest claim is missing{base}")),
    }
    match obj.get("origid") {
        Some(Value::String(s)) => {
            if !is_uuid(s) {
                notes.push(format!("origid {s:?} is not a UUID (RFC 8588 asks for one; many carriers send other values)"));
            }
        }
        Some(_) => problems.push("origid is not a string".into()),
        None => problems.push(format!("the origid claim is missing{base}")),
    }
}

fn is_uuid(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 36
        && b.iter().enumerate().all(|(i, c)| {
            if matches!(i, 8 | 13 | 18 | 23) {
                *c == b'-'
            } else {
                c.is_ascii_hexdigit()
            }
        })
}
