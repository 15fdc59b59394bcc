//! The whole pipeline on arbitrary pasted text: input reading, every Identity header, every check,
//! the verdict mapping; `decode` (the CLI's `decode`, the page's preview) and `needed_certs` (what
//! the shells call on every request before fetching).
#![no_main]

use libfuzzer_sys::fuzz_target;
use stircheck::{Options, Verifier};

/// 2025-06-01 12:00:00 UTC: a fixed clock keeps runs reproducible.
const NOW: i64 = 1_748_779_200;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let verdict = Verifier::default().verify(&text, &Options::at(NOW));
    let _ = serde_json::to_string(&verdict);
    let decoded = stircheck::decode::decode(&text);
    let _ = serde_json::to_string(&decoded);
    let _ = stircheck::decode::needed_certs(&text);
});
