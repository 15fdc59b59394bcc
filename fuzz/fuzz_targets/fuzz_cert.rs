//! Certificate bytes: DER certificate parsing, chain reading (PEM or DER), the TNAuthList
//! extension decoder, the ATIS-1000080 leaf profile on whatever parses, and CRLs (`--crl`).
#![no_main]

use libfuzzer_sys::fuzz_target;
use stircheck::__private::cert::chain::{Credential, parse_chain};
use stircheck::__private::cert::{ParsedCert, profile, tnauth};

fn exercise(c: &ParsedCert) {
    let p = profile::check_leaf(c);
    let _ = format!("{p:?}");
    let _ = c.sha256_hex();
    let _ = c.is_self_issued();
    let _ = c.is_ca();
    let _ = c.valid_at(1_748_779_200);
    if let Some((_, Ok(tn))) = &c.tn_auth {
        let _ = tn.spc();
        let _ = tn.covers("12155551212");
    }
}

fuzz_target!(|data: &[u8]| {
    if let Ok(c) = ParsedCert::from_der(data) {
        exercise(&c);
    }
    match parse_chain(data) {
        Ok(Credential::Chain(certs)) => certs.iter().for_each(exercise),
        Ok(Credential::KeyOnly(_)) => {}
        Err(e) => {
            let _ = e.to_string();
        }
    }
    let (crls, signers, _errors) = stircheck::__private::cert::crl::parse_bundle(data);
    for crl in &crls {
        let _ = crl.describe();
        for c in &signers {
            let _ = crl.revoked_at(c);
        }
    }
    if let Ok(tn) = tnauth::decode(data) {
        let _ = tn.spc();
        let _ = tn.spc_count();
        let _ = tn.has_numbers();
        let _ = tn.covers("12155551212");
    }
});
