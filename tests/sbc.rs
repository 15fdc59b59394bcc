//! The SBC interface's core mapping (src/sbc.rs, src/view.rs): a signing request signed by the
//! operator's key verifies through a verification request; every verdict maps to the verstat,
//! reason code/text, attest and RFC 9410 Reason value the checklist gives it; the compact view
//! carries exactly DESIGN.md's keys.

mod common;

use common::*;
use p256::pkcs8::{EncodePrivateKey, LineEnding};
use serde_json::{Value, json};
use stircheck::sbc::{self, ErrorKind, Signer};
use stircheck::view::{self, View};

fn signer() -> Signer {
    let pem = Pki::shared()
        .chain
        .key
        .to_pkcs8_pem(LineEnding::LF)
        .expect("pem");
    Signer::new(&pem, X5U).expect("signer")
}

fn signed(attest: &str, iat: i64) -> String {
    let body = json!({ "signingRequest": { "attest": attest, "orig": { "tn": ORIG }, "dest": { "tn": [DEST] }, "iat": iat } });
    let out: Value =
        serde_json::from_str(&signer().respond(&body.to_string(), 0).expect("signed")).unwrap();
    out["signingResponse"]["identity"]
        .as_str()
        .expect("identity")
        .to_string()
}

/// Verify a verification request body as the worker does; returns the SBC and compact views.
fn verify(body: Value, certs: Option<&str>) -> (Value, Value) {
    let req = sbc::verification_request(&body.to_string()).expect("a valid request");
    let mut opts = stircheck::Options::at(req.time);
    match certs {
        Some(pem) => {
            opts.certs.insert(X5U.to_string(), pem.as_bytes().to_vec());
        }
        None => {
            opts.fetch_errors
                .insert(X5U.to_string(), "the repository answered 404".into());
        }
    }
    let v = Pki::shared().verifier().verify(&req.input, &opts);
    let sbc: Value = serde_json::from_str(&view::render(&v, View::Sbc)).unwrap();
    let compact: Value = serde_json::from_str(&view::render(&v, View::Compact)).unwrap();
    (sbc["verificationResponse"].clone(), compact)
}

fn request(identity: Value, from: &str, to: &str, time: i64) -> Value {
    json!({ "verificationRequest": { "from": { "tn": from }, "to": { "tn": [to] }, "time": time, "identity": identity } })
}

#[test]
fn sign_then_verify_passes_with_attest() {
    let id = signed("B", NOW);
    assert!(
        id.ends_with(&format!(";info=<{X5U}>;alg=ES256;ppt=shaken")),
        "{id}"
    );
    let (r, c) = verify(
        request(json!(id), ORIG, DEST, NOW + 2),
        Some(&Pki::shared().chain.pem),
    );
    assert_eq!(r["verstat"], "TN-Validation-Passed", "{r}");
    assert_eq!(r["attest"], "B");
    assert!(
        r.get("reasoncode").is_none() && r.get("reasonheader").is_none(),
        "{r}"
    );
    assert!(r["reasondesc"].as_str().unwrap().contains("attestation B"));
    assert_eq!(c["status"], "valid");
    assert_eq!(c["outcome"], "verified");
    assert_eq!(c["orig"], ORIG);
    assert_eq!(c["dest"], json!([DEST]));
    assert_eq!(c["signer"], json!({ "spc": SPC, "org": ORG }));
    assert_eq!(c["failed_check"], Value::Null);
    assert_eq!(c["verified_at"], NOW + 2);
}

#[test]
fn failures_map_to_code_phrase_verstat_and_reason_header() {
    let pem = Pki::shared().chain.pem.clone();
    let id = signed("A", NOW);
    // Tampered claims: the signature no longer matches (438, TN-Validation-Failed).
    let (tok, params) = id.split_once(';').unwrap();
    let parts: Vec<&str> = tok.split('.').collect();
    let mut claims: Value =
        serde_json::from_slice(&stircheck::__private::json::b64url_decode(parts[1]).unwrap())
            .unwrap();
    claims["attest"] = json!("C");
    let tampered = format!(
        "{}.{}.{};{params}",
        parts[0],
        stircheck::__private::json::b64url_encode(claims.to_string().as_bytes()),
        parts[2]
    );
    let (r, c) = verify(request(json!(tampered), ORIG, DEST, NOW), Some(&pem));
    assert_eq!(
        (r["verstat"].as_str(), r["reasoncode"].as_u64()),
        (Some("TN-Validation-Failed"), Some(438)),
        "{r}"
    );
    assert_eq!(r["reasontext"], "Invalid Identity Header");
    assert_eq!(
        r["reasonheader"],
        "STIR;cause=438;text=\"Invalid Identity Header\""
    );
    assert!(r.get("attest").is_none());
    assert_eq!(c["failed_check"], "signature");
    assert_eq!(c["outcome"], "failed");

    // The call's From is not the signed orig: 438, No-TN-Validation.
    let (r, c) = verify(request(json!(id), "12155550000", DEST, NOW), Some(&pem));
    assert_eq!(
        (r["verstat"].as_str(), r["reasoncode"].as_u64()),
        (Some("No-TN-Validation"), Some(438)),
        "{r}"
    );
    assert_eq!(c["failed_check"], "call.orig");
    // ... nor To.
    let (_, c) = verify(request(json!(id), ORIG, "12155550000", NOW), Some(&pem));
    assert_eq!(c["failed_check"], "call.dest");

    // Verified an hour after signing: 403 Stale Date.
    let (r, _) = verify(request(json!(id), ORIG, DEST, NOW + 3600), Some(&pem));
    assert_eq!(
        (r["reasoncode"].as_u64(), r["reasontext"].as_str()),
        (Some(403), Some("Stale Date")),
        "{r}"
    );
    assert_eq!(r["verstat"], "No-TN-Validation");

    // The x5u could not be fetched: 436.
    let (r, c) = verify(request(json!(id), ORIG, DEST, NOW), None);
    assert_eq!(
        (r["reasoncode"].as_u64(), r["verstat"].as_str()),
        (Some(436), Some("No-TN-Validation")),
        "{r}"
    );
    assert_eq!(c["failed_check"], "cert.fetch");
    assert_eq!(c["outcome"], "unverified");
    assert!(c["reason"].as_str().unwrap().contains("404"), "{c}");
}

#[test]
fn several_identities_one_valid_decides() {
    let pem = Pki::shared().chain.pem.clone();
    let good = signed("A", NOW);
    let garbage = "abc.def.ghi;info=<https://cert.example.com/sti/123A.pem>;alg=ES256;ppt=shaken";
    let (r, c) = verify(request(json!([garbage, good]), ORIG, DEST, NOW), Some(&pem));
    assert_eq!(r["verstat"], "TN-Validation-Passed", "{r}");
    assert_eq!(c["orig"], ORIG);
}

#[test]
fn compact_has_exactly_the_design_keys() {
    let (_, c) = verify(
        request(json!(signed("A", NOW)), ORIG, DEST, NOW),
        Some(&Pki::shared().chain.pem),
    );
    let mut keys: Vec<&str> = c.as_object().unwrap().keys().map(String::as_str).collect();
    keys.sort();
    let mut want = vec![
        "status",
        "outcome",
        "attest",
        "verstat",
        "sip_code",
        "reason",
        "failed_check",
        "orig",
        "dest",
        "signer",
        "verified_at",
    ];
    want.sort();
    assert_eq!(keys, want);
}

#[test]
fn signing_errors_name_the_field() {
    let s = signer();
    let e = s
        .respond(
            r#"{"signingRequest":{"attest":"D","orig":{"tn":"1"},"dest":{"tn":["2"]}}}"#,
            NOW,
        )
        .unwrap_err();
    assert_eq!(
        (e.kind, e.variables.as_slice()),
        (
            ErrorKind::Invalid,
            ["signingRequest.attest".to_string()].as_slice()
        )
    );
    let e = s
        .respond(
            r#"{"signingRequest":{"attest":"A","orig":{"tn":"x"},"dest":{"tn":["2"]}}}"#,
            NOW,
        )
        .unwrap_err();
    assert_eq!(e.variables, ["signingRequest.orig.tn"]);
    let e = s
        .respond(
            r#"{"signingRequest":{"attest":"A","orig":{"tn":"1"}}}"#,
            NOW,
        )
        .unwrap_err();
    assert_eq!(
        (e.kind.message_id(), e.variables.as_slice()),
        ("SVC4000", ["signingRequest.dest".to_string()].as_slice())
    );
    assert!(Signer::new("not a key", X5U).is_err());
    assert!(
        Signer::new(
            &Pki::shared()
                .chain
                .key
                .to_pkcs8_pem(LineEnding::LF)
                .unwrap(),
            "http://x.example/a.pem"
        )
        .is_err()
    );
}
