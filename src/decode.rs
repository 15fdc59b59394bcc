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
    needed_urls(text).x5u
}

pub use crate::verify::NeededUrls;

/// [`needed_certs`] and the rcd content URLs together: a shell on the per-call path parses the
/// input once instead of twice.
pub fn needed_urls(text: &str) -> NeededUrls {
    // One rule: what the verifier's own read of the input needs (`verify::Parsed`).
    crate::verify::parse(text).needed_urls()
}

#[cfg(test)]
mod needed_tests {
    #[test]
    fn needed_urls_match_needed_certs_and_rcd_urls() {
        for text in [
            "not a header",
            "Identity: a.b.c;info=<https://x.example/c.pem>",
        ] {
            let n = super::needed_urls(text);
            assert_eq!(n.x5u, super::needed_certs(text));
            assert_eq!(
                n.rcd,
                crate::verify::parse(text).rcd_urls(&Default::default())
            );
        }
    }
}
