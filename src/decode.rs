//! Decoding without verifying: what a pasted header says (CLI `decode`, the page's preview).

use crate::sip::{self, InputKind};
use crate::verdict::{CallContext, IdentityResult};
use serde::Serialize;

/// What a pasted input says, unverified.
#[derive(Debug, Clone, Serialize)]
pub struct Decoded {
    /// What the input was read as.
    pub kind: Option<InputKind>,
    /// Why the input could not be read, if it could not.
    pub error: Option<String>,
    /// What the SIP message said about the call.
    pub call: Option<CallContext>,
    /// Each Identity header with the checks that need neither certificates nor a clock
    /// (status `ignored`: nothing was verified).
    pub identities: Vec<IdentityResult>,
}

/// Read `text` and every Identity header in it, without certificates, clock or crypto.
pub fn decode(text: &str) -> Decoded {
    match sip::parse(text) {
        Err(e) => Decoded {
            kind: None,
            error: Some(e.to_string()),
            call: None,
            identities: Vec::new(),
        },
        Ok(msg) => Decoded {
            kind: Some(msg.kind),
            error: None,
            identities: crate::verify::decode_identities(&msg),
            call: msg.context,
        },
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
        if let Some(u) = p.header_str("x5u")
            && !out.iter().any(|x| x == u)
        {
            out.push(u.to_string());
        }
    }
    out
}
