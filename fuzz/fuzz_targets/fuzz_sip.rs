//! The input reader: SIP requests/responses, header blocks, Identity lines, bare values, folding.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    match stircheck::__private::sip::parse(&text) {
        Ok(m) => {
            let _ = format!("{m:?}");
        }
        Err(e) => {
            let _ = e.to_string();
        }
    }
    let _ = stircheck::__private::sip::parse_http_date(&text);
});
