//! Finding the token in a paste (src/paste.rs): character clean-up, JSON and form bodies, URL
//! and HTML escapes, Wireshark copies, log prefixes, quotes, wrapped lines, and the free-text
//! token scan; then the SIP reader on what came out, and `summary` wording of a whole verdict.
#![no_main]

use libfuzzer_sys::fuzz_target;
use stircheck::__private::paste::{self, Prepared};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut cleanups = Vec::new();
    match paste::prepare(&text, &mut cleanups) {
        Prepared::Text(t) => {
            let _ = paste::scan(&t);
        }
        Prepared::Body(_, e) => {
            let _ = format!("{e:?}");
        }
    }
    for c in &cleanups {
        let _ = c.describe();
    }
    let _ = paste::scan(&text);
    if let Ok(m) = stircheck::__private::sip::parse(&text) {
        let _ = m.detail();
    }
    let v = stircheck::Verifier::default().verify(&text, &stircheck::Options::at(1_748_779_200));
    assert!(v.summary.headline.chars().count() <= stircheck::summary::MAX_HEADLINE);
});
