//! Views of a [`Verdict`] for callers that do not want all of it (DESIGN.md "Worker HTTP API",
//! compact view; "SBC interface"). A router or an SBC needs the decision, not every check's text
//! or the trust store's anchor list, so these views copy only what they name and are serialized
//! by the core: a shell hands the JSON string on as it is, without parsing and re-serializing.

use crate::summary::CallOutcome;
use crate::verdict::{Status, Verdict, Verstat};
use serde::Serialize;
use std::fmt;

/// Which shape of the verdict a caller asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View {
    /// The whole Verdict (every check, identity, signer and trust facts).
    Full,
    /// [`Compact`]: the decision and who signed, nothing per check.
    Compact,
    /// The ATIS-1000082-style `verificationResponse` (see [`crate::sbc`]).
    Sbc,
}

/// A view name that is not one of ours.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownView(pub String);

impl fmt::Display for UnknownView {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unknown view {:?}: use \"full\" or \"compact\"", self.0)
    }
}

impl std::error::Error for UnknownView {}

impl View {
    /// Parse a view name (`full`, `compact`, `sbc`) as a caller passes it.
    pub fn parse(name: &str) -> Result<View, UnknownView> {
        match name {
            "full" => Ok(View::Full),
            "compact" => Ok(View::Compact),
            "sbc" => Ok(View::Sbc),
            other => Err(UnknownView(other.to_string())),
        }
    }
}

/// The verdict in `view`, as JSON text.
pub fn render(v: &Verdict, view: View) -> String {
    let text = match view {
        View::Full => serde_json::to_string(v),
        View::Compact => serde_json::to_string(&Compact::of(v)),
        View::Sbc => serde_json::to_string(&crate::sbc::VerificationResponse::of(v)),
    };
    // Serializing these types cannot fail: no maps with non-string keys, no non-finite floats.
    text.unwrap_or_else(|e| format!("{{\"error\":\"cannot serialize the verdict: {e}\"}}"))
}

/// The signer, as a router shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CompactSigner<'a> {
    /// The signer's SPC (service provider code) from its certificate, if any.
    pub spc: Option<&'a str>,
    /// The signer's organization name from its certificate, if any.
    pub org: Option<&'a str>,
}

/// `{ status, outcome, attest, verstat, sip_code, reason, failed_check, orig, dest, signer,
/// verified_at }` (DESIGN.md). Borrowed from the verdict: building it copies nothing.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Compact<'a> {
    /// The call-level status.
    pub status: Status,
    /// The answer for a person (verified / failed / unverified / unsigned).
    pub outcome: CallOutcome,
    /// A/B/C when valid.
    pub attest: Option<&'a str>,
    /// The verstat to send on.
    pub verstat: Verstat,
    /// The SIP code a rejecting verifier would send.
    pub sip_code: Option<u16>,
    /// Why, in one sentence.
    pub reason: &'a str,
    /// Id of the check that decided a failure (the first failing one), else null.
    pub failed_check: Option<crate::check_id::CheckId>,
    /// Canonical calling number the deciding PASSporT signed (null if none could be read).
    pub orig: Option<&'a str>,
    /// Canonical called numbers the deciding PASSporT signed (null if none could be read).
    pub dest: Option<&'a [String]>,
    /// Who signed, if a certificate was read.
    pub signer: Option<CompactSigner<'a>>,
    /// The verification time, unix seconds.
    pub verified_at: i64,
}

impl<'a> Compact<'a> {
    /// Borrow the compact view out of `v`.
    pub fn of(v: &'a Verdict) -> Compact<'a> {
        Compact {
            status: v.status,
            outcome: v.outcome,
            attest: v.attest.as_deref(),
            verstat: v.verstat,
            sip_code: v.sip_code,
            reason: &v.reason,
            failed_check: v.first_failure().map(|c| c.id),
            orig: v.summary.orig.as_deref(),
            dest: v.summary.dest.as_deref(),
            signer: v.signer.as_ref().map(|s| CompactSigner {
                spc: s.spc.as_deref(),
                org: s.organization.as_deref(),
            }),
            verified_at: v.verified_at,
        }
    }
}
