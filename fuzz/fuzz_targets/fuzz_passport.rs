//! The PASSporT (JWS compact) decoder and the strict JSON parser it uses for header and claims.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    match stircheck::__private::passport::decode(&text) {
        Ok(p) => {
            let _ = p.signing_input();
            let _ = p.header_obj();
            let _ = p.claims_obj();
            let _ = p.header_str("x5u");
        }
        Err(e) => {
            let _ = e.to_string();
        }
    }
    let _ = stircheck::__private::json::parse_strict(&text);
    let _ = stircheck::__private::json::b64url_decode(&text);
});
