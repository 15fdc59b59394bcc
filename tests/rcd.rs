//! `rcd.integrity` (RFC 9795 `rcdi`) end to end on the test PKI: digests right → the call's rich
//! call data is verified (logo bytes handed over); a wrong `/nam` digest or changed logo bytes →
//! not verified while the SHAKEN verdict stays valid; content not obtainable → warn; no `rcdi` →
//! skip; a separate `ppt=rcd` PASSporT goes through the same check; bad input never panics.

mod common;

use base64::Engine;
use common::{NOW, Pki};
use serde_json::{Value, json};
use stircheck::rcd::{DigestResult, RcdSource, canon, digest};
use stircheck::sign::{self, RcdClaims, Tamper};
use stircheck::verdict::{Outcome, Status};
use stircheck::{Options, Verdict};

const ICN: &str = "https://brand.example.com/acme/logo.png";
const LOGO: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR acme logo";

fn rcd(tamper: Option<Tamper>) -> RcdClaims {
    RcdClaims {
        nam: Some("Acme Pharmacy".into()),
        icn: Some(ICN.into()),
        jcl: None,
        crn: Some("Your prescription is ready".into()),
        resources: [(ICN.to_string(), LOGO.to_vec())].into(),
        tamper,
    }
}

fn branded(pki: &Pki, tamper: Option<Tamper>) -> String {
    sign::identity_header_with_rcd(&pki.chain.key, &common::claims(), &rcd(tamper)).expect("signs")
}

fn opts_with_logo(pki: &Pki, logo: &[u8]) -> Options {
    let mut o = pki.opts();
    o.resources.insert(ICN.into(), logo.to_vec());
    o
}

fn verify(pki: &Pki, input: &str, o: &Options) -> Verdict {
    common::verify(&pki.trust, input, o)
}

fn integrity(v: &Verdict) -> &stircheck::Check {
    v.identities[0]
        .checks
        .iter()
        .find(|c| c.id == stircheck::CheckId::RcdIntegrity)
        .expect("rcd.integrity recorded")
}

#[test]
fn right_digests_verify_the_brand_and_hand_over_the_logo() {
    let pki = Pki::shared();
    let v = verify(pki, &branded(pki, None), &opts_with_logo(pki, LOGO));
    assert_eq!(v.status, Status::Valid, "{}", v.reason);
    assert_eq!(
        integrity(&v).outcome,
        Outcome::Pass,
        "{}",
        integrity(&v).detail
    );
    let r = v.rcd.as_ref().expect("verdict.rcd");
    assert!(r.verified, "{}", r.reason);
    assert_eq!(r.source, RcdSource::Shaken);
    assert_eq!(r.nam.as_deref(), Some("Acme Pharmacy"));
    assert_eq!(r.crn.as_deref(), Some("Your prescription is ready"));
    let icn = r.icn.as_ref().unwrap();
    assert!(icn.verified);
    assert_eq!(icn.content_type.as_deref(), Some("image/png"));
    let data = base64::engine::general_purpose::STANDARD
        .decode(icn.data.as_deref().unwrap())
        .unwrap();
    assert_eq!(data, LOGO);
    assert!(r.digests.iter().all(|d| d.result == DigestResult::Match));
    // The identity carries the same report; the rcd check passes.
    assert_eq!(v.identities[0].rcd.as_ref(), Some(r));
    let rcd_check = v.identities[0]
        .checks
        .iter()
        .find(|c| c.id == stircheck::CheckId::Rcd)
        .unwrap();
    assert_eq!(rcd_check.outcome, Outcome::Pass);
    // Checklist order: rcd.integrity after signature, rcd last.
    let ids: Vec<&str> = v.identities[0]
        .checks
        .iter()
        .map(|c| c.id.as_str())
        .collect();
    assert_eq!(&ids[ids.len() - 3..], ["signature", "rcd.integrity", "rcd"]);
}

#[test]
fn wrong_name_digest_is_not_verified_and_the_call_stays_valid() {
    let pki = Pki::shared();
    let v = verify(
        pki,
        &branded(pki, Some(Tamper::Nam)),
        &opts_with_logo(pki, LOGO),
    );
    assert_eq!(v.status, Status::Valid, "{}", v.reason);
    assert_eq!(v.attest.as_deref(), Some("A"));
    assert!(v.first_failure().is_none());
    let c = integrity(&v);
    assert_eq!(c.outcome, Outcome::Fail);
    assert!(
        c.detail.contains("the /nam digest does not match"),
        "{}",
        c.detail
    );
    let r = v.rcd.as_ref().unwrap();
    assert!(!r.verified);
    assert_eq!(
        r.reason,
        "Branded name not verified: the /nam digest does not match its value"
    );
    assert!(
        r.icn.as_ref().unwrap().data.is_none(),
        "no logo bytes for an unverified brand"
    );
    assert_eq!(
        v.identities[0].status,
        stircheck::verdict::IdentityStatus::Valid
    );
    let rcd_check = v.identities[0]
        .checks
        .iter()
        .find(|c| c.id == stircheck::CheckId::Rcd)
        .unwrap();
    assert_eq!(rcd_check.outcome, Outcome::Warn);
    // What to do says the brand is not shown and who fixes it — never "Nothing to fix".
    let action = v.summary.action.as_deref().unwrap();
    assert!(
        action.starts_with("Branded name not verified: the /nam digest does not match its value."),
        "{action}"
    );
    assert!(!action.contains("Nothing to fix"), "{action}");
    assert!(action.contains("rcdi digests"), "{action}");
}

#[test]
fn a_verified_brand_leaves_nothing_to_fix() {
    let pki = Pki::shared();
    let v = verify(pki, &branded(pki, None), &opts_with_logo(pki, LOGO));
    let action = v.summary.action.as_deref().unwrap();
    assert!(action.starts_with("Nothing to fix."), "{action}");
}

#[test]
fn changed_logo_bytes_are_not_verified() {
    let pki = Pki::shared();
    let v = verify(
        pki,
        &branded(pki, None),
        &opts_with_logo(pki, b"\x89PNG\r\n\x1a\n another logo"),
    );
    assert_eq!(v.status, Status::Valid);
    assert_eq!(integrity(&v).outcome, Outcome::Fail);
    let r = v.rcd.as_ref().unwrap();
    assert!(!r.verified && !r.icn.as_ref().unwrap().verified);
    assert!(
        r.reason.contains("/icn digest does not match"),
        "{}",
        r.reason
    );
    // Signed over other bytes (the tamper path), verified with the real logo: the same.
    let v = verify(
        pki,
        &branded(pki, Some(Tamper::Icn)),
        &opts_with_logo(pki, LOGO),
    );
    assert!(!v.rcd.as_ref().unwrap().verified);
}

#[test]
fn content_not_obtainable_warns() {
    let pki = Pki::shared();
    let mut o = pki.opts();
    o.resource_fetch_errors
        .insert(ICN.into(), "not fetched: --offline".into());
    let v = verify(pki, &branded(pki, None), &o);
    assert_eq!(v.status, Status::Valid);
    let c = integrity(&v);
    assert_eq!(c.outcome, Outcome::Warn, "{}", c.detail);
    assert!(c.detail.contains("not fetched: --offline"), "{}", c.detail);
    let r = v.rcd.as_ref().unwrap();
    assert!(!r.verified);
    assert!(r.reason.contains("could not be checked"), "{}", r.reason);
    // Nothing supplied at all: also a warning, saying so.
    let v = verify(pki, &branded(pki, None), &pki.opts());
    assert_eq!(integrity(&v).outcome, Outcome::Warn);
    assert!(integrity(&v).detail.contains("was not fetched or supplied"));
}

#[test]
fn no_rcdi_skips() {
    let pki = Pki::shared();
    let mut claims = common::claims_value();
    claims["rcd"] = json!({"nam": "Acme Pharmacy"});
    let v = verify(pki, &pki.sign_value(&claims), &pki.opts());
    assert_eq!(v.status, Status::Valid, "{}", v.reason);
    assert_eq!(integrity(&v).outcome, Outcome::Skip);
    let r = v.rcd.as_ref().unwrap();
    assert!(r.verified, "signed values, nothing to digest: {}", r.reason);
    // A call without rich call data has no report and no rcd.integrity check.
    let v = verify(pki, &pki.sign(&common::claims()), &pki.opts());
    assert!(v.rcd.is_none());
    assert!(
        v.identities[0]
            .checks
            .iter()
            .all(|c| c.id != stircheck::CheckId::RcdIntegrity)
    );
}

#[test]
fn a_passport_that_does_not_verify_never_verifies_its_brand() {
    let pki = Pki::shared();
    let mut o = opts_with_logo(pki, LOGO);
    o.now = NOW + 3600; // stale iat: 403
    let v = verify(pki, &branded(pki, None), &o);
    assert_eq!(v.status, Status::Invalid);
    assert_eq!(
        integrity(&v).outcome,
        Outcome::Pass,
        "the digests themselves match"
    );
    let r = v.rcd.as_ref().unwrap();
    assert!(!r.verified);
    assert!(r.icn.as_ref().unwrap().data.is_none());
    assert!(
        r.reason
            .starts_with("Branded name not verified: the PASSporT that carries it did not verify"),
        "{}",
        r.reason
    );
}

#[test]
fn separate_rcd_passport_uses_the_same_check() {
    let pki = Pki::shared();
    let shaken = pki.sign(&common::claims());
    let rcd_line =
        sign::rcd_identity_header(&pki.chain.key, &common::claims(), &rcd(None)).unwrap();
    let input = format!("{shaken}\n{rcd_line}");
    let v = verify(pki, &input, &opts_with_logo(pki, LOGO));
    assert_eq!(v.status, Status::Valid, "{}", v.reason);
    assert_eq!(v.identities[1].ppt.as_deref(), Some("rcd"));
    let r = v.rcd.as_ref().expect("rcd from the separate PASSporT");
    assert_eq!(r.source, RcdSource::Rcd);
    assert!(r.verified, "{}", r.reason);
    assert!(v.identities[0].rcd.is_none());
    // Tampered: the rcd PASSporT fails (its rcd check, 438), the call stays valid.
    let bad = sign::rcd_identity_header(&pki.chain.key, &common::claims(), &rcd(Some(Tamper::Nam)))
        .unwrap();
    let v = verify(pki, &format!("{shaken}\n{bad}"), &opts_with_logo(pki, LOGO));
    assert_eq!(v.status, Status::Valid);
    assert_eq!(
        v.identities[1].status,
        stircheck::verdict::IdentityStatus::Invalid
    );
    assert_eq!(v.identities[1].sip_code, Some(438));
    assert!(!v.rcd.as_ref().unwrap().verified);
    // A verified rcd PASSporT for another calling number is not the call's brand.
    let mut other = common::claims();
    other.orig = "12155550000".into();
    let foreign = sign::rcd_identity_header(&pki.chain.key, &other, &rcd(None)).unwrap();
    let v = verify(
        pki,
        &format!("{shaken}\n{foreign}"),
        &opts_with_logo(pki, LOGO),
    );
    let r = v.rcd.as_ref().unwrap();
    assert!(!r.verified);
    assert!(
        r.reason.contains("calling number 12155550000"),
        "{}",
        r.reason
    );
}

#[test]
fn the_verdict_json_names_follow_the_contract() {
    let pki = Pki::shared();
    let v = verify(pki, &branded(pki, None), &opts_with_logo(pki, LOGO));
    let j: Value = serde_json::to_value(&v).unwrap();
    let r = &j["rcd"];
    for k in [
        "verified", "reason", "source", "nam", "apn", "crn", "icn", "jcl", "digests",
    ] {
        assert!(r.get(k).is_some(), "rcd.{k} missing: {r}");
    }
    assert!(r.get("problem").is_none());
    assert_eq!(r["source"], "shaken");
    assert_eq!(r["jcl"], Value::Null);
    for k in ["url", "verified", "content_type", "data", "detail"] {
        assert!(r["icn"].get(k).is_some(), "icn.{k}");
    }
    assert_eq!(r["digests"][0]["result"], "match");
    assert!(j["identities"][0]["rcd"].is_object());
    let plain = verify(pki, &pki.sign(&common::claims()), &pki.opts());
    let j: Value = serde_json::to_value(&plain).unwrap();
    assert_eq!(j["rcd"], Value::Null);
    assert!(j["identities"][0].get("rcd").is_none());
}

#[test]
fn hostile_rcd_claims_fail_clearly_without_panic() {
    let pki = Pki::shared();
    let mut deep = json!("x");
    for _ in 0..100 {
        deep = json!([deep]);
    }
    let nam_digest = digest::format(digest::Alg::Sha256, &canon::jcs(&json!("A")));
    let huge: serde_json::Map<String, Value> = (0..40)
        .map(|i| (format!("/k{i}"), json!(nam_digest)))
        .collect();
    let cases = [
        json!({"rcd": {"nam": 5}, "rcdi": {"/nam": nam_digest}}),
        json!({"rcd": "Acme", "rcdi": {"/nam": nam_digest}}),
        json!({"rcd": {"nam": "A", "jcd": deep}, "rcdi": {"/jcd/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0": nam_digest}}),
        json!({"rcd": {"nam": "A"}, "rcdi": huge}),
        json!({"rcd": {"nam": "A"}, "rcdi": {"/nam": "sha256-".to_string() + &"Q".repeat(4000)}}),
        json!({"rcd": {"nam": "A"}, "rcdi": {"/nam": [1, 2]}}),
        json!({"rcd": {"nam": "A", "icn": "javascript:alert(1)"}, "rcdi": {"/icn": nam_digest}}),
        json!({"rcdi": {"/nam": nam_digest}}),
    ];
    for extra in cases {
        let name: String = extra.to_string().chars().take(80).collect();
        let mut claims = common::claims_value();
        for (k, v) in extra.as_object().unwrap() {
            claims[k] = v.clone();
        }
        let v = verify(pki, &pki.sign_value(&claims), &pki.opts());
        assert_eq!(v.status, Status::Valid, "{name}: {}", v.reason);
        let c = integrity(&v);
        assert_eq!(c.outcome, Outcome::Fail, "{name}: {}", c.detail);
        assert!(!c.detail.is_empty());
        assert!(!v.rcd.as_ref().unwrap().verified, "{name}");
    }
}

#[test]
fn rcd_urls_lists_covered_content() {
    let pki = Pki::shared();
    let input = branded(pki, None);
    assert_eq!(
        stircheck::verify::parse(&input).rcd_urls(&Default::default()),
        vec![ICN.to_string()]
    );
    assert!(
        stircheck::verify::parse(&pki.sign(&common::claims()))
            .rcd_urls(&Default::default())
            .is_empty()
    );
    assert!(
        stircheck::verify::parse("garbage")
            .rcd_urls(&Default::default())
            .is_empty()
    );
}

#[test]
fn random_rcd_and_rcdi_never_panic() {
    use proptest::prelude::*;
    use proptest::test_runner::{Config, RngSeed, TestRunner};
    use std::collections::HashMap;
    let mut runner = TestRunner::new(Config {
        cases: 2000,
        failure_persistence: None,
        rng_seed: RngSeed::Fixed(0x9795),
        ..Config::default()
    });
    // Keys and values drawn from pointer-ish and digest-ish pieces, plus arbitrary text.
    let piece = prop_oneof![
        Just("/".to_string()),
        Just("~".to_string()),
        Just("~1".to_string()),
        Just("nam".to_string()),
        Just("icn".to_string()),
        Just("jcl".to_string()),
        Just("jcd".to_string()),
        Just("0".to_string()),
        Just("01".to_string()),
        Just("-".to_string()),
        Just("sha256-".to_string()),
        Just("sha512-".to_string()),
        Just("https://brand.example.com/acme/logo.png".to_string()),
        "[ -~]{0,12}",
        "\\PC{0,4}",
    ];
    let text = proptest::collection::vec(piece, 0..6).prop_map(|v| v.concat());
    let value = prop_oneof![
        text.clone().prop_map(Value::String),
        Just(Value::Null),
        any::<i64>().prop_map(|n| json!(n)),
        proptest::collection::vec(text.clone(), 0..4)
            .prop_map(|v| json!(["vcard", [["logo", {}, "uri", v.concat()]]])),
    ];
    let map = proptest::collection::btree_map(text.clone(), value.clone(), 0..6);
    let content: HashMap<String, Vec<u8>> = [(ICN.to_string(), LOGO.to_vec())].into();
    let errors = HashMap::new();
    runner
        .run(&(map.clone(), map, value), |(rcd, rcdi, extra)| {
            let mut rcd: serde_json::Map<String, Value> = rcd.into_iter().collect();
            rcd.insert("x".into(), extra);
            let claims =
                json!({"rcd": rcd, "rcdi": rcdi.into_iter().collect::<serde_json::Map<_, _>>()});
            let res = stircheck::rcd::content::Resources {
                content: &content,
                errors: &errors,
            };
            for source in [RcdSource::Shaken, RcdSource::Rcd] {
                if let Some((mut r, _check)) = stircheck::rcd::evaluate(&claims, source, res) {
                    stircheck::rcd::settle(&mut r, true, None);
                    let _ = stircheck::rcd::brand_line(&r);
                }
            }
            let _ = stircheck::rcd::urls_in_claims(&claims, &content);
            Ok(())
        })
        .expect("no panic");
}
