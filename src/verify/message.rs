//! Checks on the message as a whole: `input` (could it be read) and `identity.present` (does
//! any Identity header attest the caller).

use crate::check_id::CheckId;
use crate::sip::{InputError, Message};
use crate::text::capitalize;
use crate::verdict::{Check, Role};

/// `input`: what the text was read as, or why it could not be read.
pub fn input(parsed: &Result<Message, InputError>) -> Check {
    let id = CheckId::Input;
    let msg = match parsed {
        Err(e) => return Check::fail(id, capitalize(&e.to_string())),
        Ok(m) => m,
    };
    // What was read, where the token was found and what was undone (sip::Message::detail).
    let detail = msg.detail();
    if msg.dropped_identities > 0 {
        Check::warn(id, detail)
    } else {
        Check::pass(id, detail)
    }
}

/// `identity.present`, from the roles of the headers read. Only a SHAKEN (or ppt-less base)
/// PASSporT can attest the caller; div and rcd only extend one (checklist `div` / `rcd`).
pub fn identity_present(roles: &[Role]) -> Check {
    let id = CheckId::IdentityPresent;
    let supported = roles
        .iter()
        .filter(|r| matches!(r, Role::Shaken | Role::Base))
        .count();
    match supported {
        0 => {}
        // The usual case, worded without formatting.
        1 => return Check::pass(id, "1 Identity header with a supported ppt"),
        n => return Check::pass(id, format!("{n} Identity headers with a supported ppt")),
    }
    if roles.iter().any(|r| matches!(r, Role::Div | Role::Rcd)) {
        Check::fail(
            id,
            "Only div/rcd PASSporTs are present: none of them attests the caller (a SHAKEN PASSporT, ppt shaken, is needed)",
        )
    } else if !roles.is_empty() {
        Check::fail(
            id,
            "No Identity header has a ppt this verifier supports (shaken, div, rcd or none)",
        )
    } else {
        Check::fail(
            id,
            "The message has no Identity header: the call was not signed",
        )
    }
}
