//! The Identity header value parser (RFC 8224 §4.1 parameters), full and bare.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let h = stircheck::__private::identity::parse(&text, false);
    for p in &h.problems {
        let _ = p.to_string();
        let _ = p.code();
    }
    let _ = stircheck::__private::identity::parse(&text, true);
});
