//! Decoding without verifying: what a pasted header says (CLI `decode`, the page's preview).

use crate::sip::{self, InputKind};
use crate::verdict::{CallContext, Check, IdentityResult};
use crate::verify::{Options, Verifier};
use serde::Serialize;

/// The checks that need neither certificates nor a clock.
const STATIC_CHECKS: &[&str] = &[
    "identity.syntax",
    "passport.form",
    "passport.header",
    "x5u.url",
    "passport.claims",
    "call.orig",
    "call.dest",
];

#[derive(Debug, Clone, Serialize)]
pub struct Decoded {
    pub kind: Option<InputKind>,
    /// Why the input could not be read, if it could not.
    pub error: Option<String>,
    pub call: Option<CallContext>,
    pub identities: Vec<IdentityResult>,
}

pub fn decode(text: &str) -> Decoded {
    let kind = sip::parse(text).map(|m| m.kind);
    let verdict = Verifier::default().verify(text, &Options::at(0));
    let identities = verdict
        .identities
        .into_iter()
        .map(|mut r| {
            r.checks
                .retain(|c: &Check| STATIC_CHECKS.contains(&c.id.as_str()));
            r.status = crate::verdict::IdentityStatus::Ignored;
            r.sip_code = None;
            r.reason = "decoded only, not verified".into();
            r.signer = None;
            r
        })
        .collect();
    Decoded {
        kind: kind.as_ref().ok().copied(),
        error: kind.err().map(|e| e.to_string()),
        call: verdict.call,
        identities,
    }
}

/// x5u URLs the input needs, deduplicated, in order of appearance. Only parses and decodes
/// (no checks, no verdict): shells call it on every request before fetching.
pub fn needed_certs(text: &str) -> Vec<String> {
    let Ok(msg) = sip::parse(text) else {
        return Vec::new();
    };
    let mut out: Vec<String> = Vec::new();
    for raw in &msg.identities {
        let h = crate::identity::parse(&raw.value, raw.bare);
        let Ok(p) = crate::passport::decode(&h.token) else {
            continue;
        };
        if let Some(u) = p.header_str("x5u") {
            if !out.iter().any(|x| x == u) {
                out.push(u.to_string());
            }
        }
    }
    out
}
