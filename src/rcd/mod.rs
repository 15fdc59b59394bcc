//! Rich Call Data (RFC 9795): the caller's name (`nam`), logo (`icn`), jCard (`jcd` inline,
//! `jcl` by URL) and call reason (`crn`) carried in a PASSporT, and the `rcdi` integrity digests
//! that bind content a URL points to (and the values themselves) to the signature.
//!
//! What this module relies on, and how sure we are (the RFC body text could not be retrieved in
//! this project; see `../shared/specs/standards-notes.md` rows 62 and 67, marked [R]):
//! - RFC 9795 §5 (the `rcd` claim, ppt `rcd`) and the IANA PASSporT registries [T]: claim names
//!   `nam`, `apn`, `icn`, `jcd`, `jcl`; `crn` is a claim beside `rcd`, not inside it.
//! - RFC 9795 §6 (`rcdi`) [R, from the drafts up to -26]: an object whose keys are JSON Pointers
//!   (RFC 6901) into the `rcd` claim (`/nam`, `/icn`, `/jcd/1/2/3`, and into the jCard fetched
//!   from `jcl`, `/jcl/...`), each with a digest string `<alg>-<base64 hash>` in the W3C SRI
//!   form; sha256 (sha384, sha512 also read). A pointer to a URL (`/icn`, `/jcl`, a URI inside a
//!   jCard) covers the **content** at that URL: the bytes as fetched. A pointer to any other
//!   value covers that JSON value canonicalized with JCS (RFC 8785), which is how the RFC
//!   canonicalizes the JSON `jcd`; for a string such as `/nam` that is the quoted JSON string.
//!   A jCard fetched from `jcl` matches either as its bytes or as its JCS form (both are fixed
//!   functions of the content, so accepting either weakens nothing).
//! - RFC 9795 security considerations, checklist row 67 [R]: rich call data is shown as the
//!   caller's only when the PASSporT verifies and every digest matches; content is fetched under
//!   the same URL rules as x5u (`fetch_rules`, kind `rcd`).
//!
//! Sans-IO like the rest of the core: [`urls`] lists what to fetch; the shell passes bodies in
//! [`content::Resources`]; [`evaluate`] checks the digests and builds the [`RcdReport`];
//! [`settle`] decides `verified` once the PASSporT's own checks are judged.
// Built without `rcd-integrity` (the page's first module) the digest-checking half is left out.
#![cfg_attr(not(feature = "rcd-integrity"), allow(unused))]

#[cfg(feature = "rcd-integrity")]
pub mod canon;
pub mod content;
#[cfg(feature = "rcd-integrity")]
pub mod digest;
pub mod pointer;
mod words;

use crate::check_id::CheckId;
use crate::verdict::Check;
use base64::Engine;
use content::Resources;
use serde_json::{Map, Value};
use std::collections::HashMap;

pub use crate::verdict::{
    DigestReport, DigestResult, IconReport, JcardReport, RcdReport, RcdSource,
};
pub use words::brand_line;

/// Most keys an `rcdi` claim may have (RFC 9795 content is a handful of members).
pub const MAX_RCDI_KEYS: usize = 32;

/// What a pointer covers.
enum Target {
    /// A JSON value: digest over its JCS bytes.
    Json(Value),
    /// Content at a URL: digest over the bytes obtained.
    Url(String),
}

/// The rich-call-data members that name content by URL.
const URL_MEMBERS: [&str; 2] = ["icn", "jcl"];

fn is_url(v: &Value) -> Option<&str> {
    v.as_str()
        .filter(|s| s.starts_with("https://") || s.starts_with("http://"))
}

/// Why a pointer's content cannot be checked.
enum Miss {
    /// The content could not be obtained: the digest is `unavailable`.
    Unavailable(String),
    /// The pointer names nothing usable: the entry is a `mismatch`.
    Nothing(String),
}

/// What `tokens` (a pointer into `rcd`) covers: a URL's content or a JSON value. Pointers into a
/// `jcl` jCard need its content, from `res`.
fn target(rcd: &Value, tokens: &[String], res: Resources<'_>) -> Result<Target, Miss> {
    let first = tokens.first().map(String::as_str);
    if let (Some("jcl"), true) = (first, tokens.len() > 1) {
        let url = rcd
            .get("jcl")
            .and_then(is_url)
            .ok_or_else(|| Miss::Nothing("the rcd claim has no jcl URL to point into".into()))?;
        let (bytes, _) = content::obtain(url, res).map_err(Miss::Unavailable)?;
        let card = std::str::from_utf8(bytes)
            .ok()
            .and_then(|t| crate::json::parse_strict(t).ok())
            .ok_or_else(|| Miss::Nothing(format!("the jCard at <{url}> is not JSON")))?;
        let v = pointer::walk(&card, &tokens[1..])
            .map_err(|e| Miss::Nothing(format!("in the jCard at <{url}>: {e}")))?;
        return Ok(match is_url(v) {
            Some(u) => Target::Url(u.to_string()),
            None => Target::Json(v.clone()),
        });
    }
    let v = pointer::walk(rcd, tokens).map_err(|e| Miss::Nothing(e.to_string()))?;
    let url_member = tokens.len() == 1 && URL_MEMBERS.contains(&tokens[0].as_str());
    let in_card = first == Some("jcd") && tokens.len() > 1;
    match (is_url(v), url_member, in_card) {
        (Some(u), true, _) | (Some(u), _, true) => Ok(Target::Url(u.to_string())),
        (None, true, _) => Err(Miss::Nothing(format!(
            "{} is not an http(s) URL",
            tokens[0]
        ))),
        _ => Ok(Target::Json(v.clone())),
    }
}

/// The content URLs an `rcdi` digest of these claims covers, as written (deduplicated): what a
/// shell fetches (kind `rcd`) before verifying. A pointer into a `jcl` jCard (`/jcl/...`) needs
/// the jCard: it lists the jCard's URL, and once `content` holds the jCard, the URL inside it.
pub fn urls_in_claims(claims: &Value, content: &HashMap<String, Vec<u8>>) -> Vec<String> {
    let (Some(rcd), Some(Value::Object(rcdi))) = (claims.get("rcd"), claims.get("rcdi")) else {
        return Vec::new();
    };
    let res = Resources {
        content,
        errors: &Default::default(),
    };
    let mut out: Vec<String> = Vec::new();
    for key in rcdi.keys().take(MAX_RCDI_KEYS) {
        let Ok(tokens) = pointer::tokens(key) else {
            continue;
        };
        if tokens.first().map(String::as_str) == Some("jcl") && tokens.len() > 1 {
            out.extend(rcd.get("jcl").and_then(is_url).map(str::to_owned));
        }
        if let Ok(Target::Url(u)) = target(rcd, &tokens, res) {
            out.push(u);
        }
    }
    let mut seen = std::collections::HashSet::new();
    out.retain(|u| seen.insert(u.clone()));
    out
}

/// The content URLs that the `rcdi` digests of these PASSporT claims cover (no checks run), once
/// some content is in hand: adds the URLs inside fetched `jcl` jCards that a `/jcl/...` digest
/// covers (a shell's second round of fetching). Shells reach it through the input's one read,
/// [`crate::verify::Parsed::rcd_urls`].
pub fn urls_from<'a>(
    claims: impl IntoIterator<Item = &'a Value>,
    content: &HashMap<String, Vec<u8>>,
) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for claims in claims {
        for u in urls_in_claims(claims, content) {
            if !out.contains(&u) {
                out.push(u);
            }
        }
    }
    out
}

/// One entry: the report line, and for a URL target the bytes and media type when they matched.
#[cfg(feature = "rcd-integrity")]
struct Entry {
    report: DigestReport,
    matched: Option<(Vec<u8>, &'static str)>,
    media: Option<&'static str>,
}

#[cfg(feature = "rcd-integrity")]
fn entry(rcd: &Value, key: &str, value: &Value, res: Resources<'_>) -> Entry {
    let bad = |alg: &str, result, detail: String| Entry {
        report: DigestReport {
            pointer: key.to_string(),
            alg: alg.to_string(),
            result,
            detail,
        },
        matched: None,
        media: None,
    };
    let Some(text) = value.as_str() else {
        return bad(
            "unknown",
            DigestResult::Mismatch,
            format!("the {key} digest is not a string"),
        );
    };
    let d = match digest::parse(text) {
        Ok(d) => d,
        Err(e) => return bad("unknown", DigestResult::Mismatch, format!("{key}: {e}")),
    };
    let alg = d.alg.name();
    let t = pointer::tokens(key)
        .map_err(|e| Miss::Nothing(e.to_string()))
        .and_then(|t| target(rcd, &t, res));
    match t {
        Err(Miss::Unavailable(e)) => bad(alg, DigestResult::Unavailable, format!("{key}: {e}")),
        Err(Miss::Nothing(e)) => bad(
            alg,
            DigestResult::Mismatch,
            format!("{key} names nothing in the rich call data: {e}"),
        ),
        Ok(Target::Json(v)) => {
            let ok = d.matches(&canon::jcs(&v));
            let detail = if ok {
                format!("{key}: the {alg} digest of its canonical JSON (RFC 8785) matches")
            } else {
                format!("the {key} digest does not match its value")
            };
            bad(
                alg,
                if ok {
                    DigestResult::Match
                } else {
                    DigestResult::Mismatch
                },
                detail,
            )
        }
        Ok(Target::Url(url)) => match content::obtain(&url, res) {
            Err(e) => bad(alg, DigestResult::Unavailable, format!("{key}: {e}")),
            Ok((bytes, media)) => {
                let as_bytes = d.matches(bytes);
                let as_json = !as_bytes
                    && media == "application/json"
                    && canon::jcs_of_bytes(bytes).is_some_and(|c| d.matches(&c));
                let ok = as_bytes || as_json;
                let detail = match (as_bytes, as_json) {
                    (true, _) => format!(
                        "{key}: the {alg} digest of the {} bytes at <{url}> matches",
                        bytes.len()
                    ),
                    (_, true) => format!(
                        "{key}: the {alg} digest of the canonical JSON (RFC 8785) at <{url}> matches"
                    ),
                    _ => format!(
                        "the {key} digest does not match the {} bytes at <{url}>",
                        bytes.len()
                    ),
                };
                Entry {
                    report: DigestReport {
                        pointer: key.to_string(),
                        alg: alg.to_string(),
                        result: if ok {
                            DigestResult::Match
                        } else {
                            DigestResult::Mismatch
                        },
                        detail,
                    },
                    matched: ok.then(|| (bytes.to_vec(), media)),
                    media: Some(media),
                }
            }
        },
    }
}

/// Check the `rcdi` digests of one PASSporT's claims against its `rcd` claim and the content
/// the shell obtained: the `rcd.integrity` check and the report (`verified` still false: see
/// [`settle`]). `None` when the claims carry no rich call data and the PASSporT is not `ppt=rcd`.
pub fn evaluate(
    claims: &Value,
    source: RcdSource,
    res: Resources<'_>,
) -> Option<(RcdReport, Check)> {
    let id = CheckId::RcdIntegrity;
    let (rcd, rcdi) = (claims.get("rcd"), claims.get("rcdi"));
    let crn = claims.get("crn");
    if source == RcdSource::Shaken && rcd.is_none() && rcdi.is_none() && crn.is_none() {
        return None;
    }
    let member = |k: &str| rcd.and_then(|r| r.get(k));
    let text = |k: &str| member(k).and_then(Value::as_str).map(str::to_owned);
    let mut r = RcdReport {
        verified: false,
        reason: String::new(),
        source,
        nam: text("nam"),
        apn: text("apn"),
        crn: crn.and_then(Value::as_str).map(str::to_owned),
        icn: member("icn").map(|v| IconReport {
            url: v.as_str().unwrap_or_default().to_string(),
            verified: false,
            content_type: None,
            data: None,
            detail: String::new(),
        }),
        jcl: member("jcl").map(|v| JcardReport {
            url: v.as_str().unwrap_or_default().to_string(),
            verified: false,
            detail: String::new(),
        }),
        digests: Vec::new(),
        problem: None,
    };
    let empty = Map::new();
    let rcd_obj = rcd.and_then(Value::as_object);
    let check = match (rcd, rcdi) {
        (_, None) => {
            words::no_rcdi(&mut r);
            Check::skip(id, words::SKIP_NO_RCDI)
        }
        #[cfg(feature = "rcd-integrity")]
        (Some(rcd), Some(Value::Object(m)))
            if rcd.is_object() && !m.is_empty() && m.len() <= MAX_RCDI_KEYS =>
        {
            let entries: Vec<(String, Entry)> = m
                .iter()
                .map(|(k, v)| (k.clone(), entry(rcd, k, v, res)))
                .collect();
            for (k, e) in &entries {
                let Some(name) = k.strip_prefix('/').filter(|n| URL_MEMBERS.contains(n)) else {
                    continue;
                };
                let verified = e.matched.is_some();
                if name == "icn"
                    && let Some(icn) = r.icn.as_mut()
                {
                    icn.verified = verified;
                    icn.content_type = e.media.map(str::to_owned);
                    icn.data = e
                        .matched
                        .as_ref()
                        .filter(|(_, m)| m.starts_with("image/"))
                        .map(|(b, _)| base64::engine::general_purpose::STANDARD.encode(b));
                    icn.verified = icn.data.is_some();
                    icn.detail =
                        words::content_detail(&e.report, verified, icn.verified, "an image");
                }
                if name == "jcl"
                    && let Some(jcl) = r.jcl.as_mut()
                {
                    let json = e.media == Some("application/json");
                    jcl.verified = verified && json;
                    jcl.detail =
                        words::content_detail(&e.report, verified, jcl.verified, "a jCard (JSON)");
                }
            }
            r.digests = entries.into_iter().map(|(_, e)| e.report).collect();
            for name in rcd_obj.unwrap_or(&empty).keys() {
                let ptr = format!("/{}", name.replace('~', "~0").replace('/', "~1"));
                if !r.digests.iter().any(|d| d.pointer == ptr) {
                    r.digests.push(words::not_covered(
                        &ptr,
                        URL_MEMBERS.contains(&name.as_str()),
                    ));
                }
            }
            words::uncovered_content(&mut r);
            words::integrity_check(&mut r)
        }
        // Unreachable through the page: it asks `canVerify` (`verify::Parsed::needs_integrity`) first and verifies such input
        // with the full module.
        #[cfg(not(feature = "rcd-integrity"))]
        (Some(_), Some(Value::Object(_))) => Check::skip(id, words::NOT_BUILT),
        (rcd, Some(v)) => {
            let why = words::malformed(rcd, v);
            r.problem = Some(why.clone());
            Check::fail(
                id,
                format!("{why}; the rich call data is not shown as the caller's"),
            )
        }
    };
    if rcd.is_some() && rcd_obj.is_none() {
        r.problem
            .get_or_insert_with(|| "the rcd claim is not an object".into());
    }
    Some((r, check))
}

/// Decide `verified` once the PASSporT carrying the report is judged: true only when it is
/// valid and every `rcdi` digest matched. An unverified report never keeps logo bytes.
pub fn settle(r: &mut RcdReport, passport_valid: bool, why_not: Option<&str>) {
    r.verified = passport_valid && r.problem.is_none();
    if !r.verified {
        if let Some(icn) = r.icn.as_mut() {
            icn.data = None;
            icn.verified = false;
        }
        if let Some(jcl) = r.jcl.as_mut() {
            jcl.verified = false;
        }
    }
    r.reason = words::reason(r, passport_valid, why_not);
}

/// Withhold a report that was verified on its own PASSporT: the call around it did not verify
/// (or the separate rcd PASSporT is for another caller). Clears any logo bytes.
pub fn withhold(r: &mut RcdReport, why: &str) {
    settle(r, false, None);
    r.reason = words::withheld(r, why);
}

#[cfg(test)]
mod tests;
