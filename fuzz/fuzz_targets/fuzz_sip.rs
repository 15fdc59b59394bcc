//! The input reader: SIP requests/responses, header blocks, Identity lines, bare values, folding.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    match stircheck::sip::parse(&text) {
        Ok(m) => {
            let _ = format!("{m:?}");
        }
        Err(e) => {
            let _ = e.to_string();
        }
    }
    let _ = stircheck::sip::parse_http_date(&text);
});
