//! The x5u URL rules (https only, no userinfo, no special-purpose addresses, ...).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    match stircheck::x5u::check(&text) {
        Ok(u) => {
            let _ = format!("{u:?}");
        }
        Err(e) => {
            let _ = e.to_string();
        }
    }
});
