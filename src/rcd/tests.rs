use super::*;
use serde_json::json;
use std::collections::HashMap;

const LOGO: &[u8] = b"\x89PNG\r\n\x1a\n demo logo bytes";
const ICN: &str = "https://cdn.example.com/logo.png";

fn res<'a>(c: &'a HashMap<String, Vec<u8>>, e: &'a HashMap<String, String>) -> Resources<'a> {
    Resources {
        content: c,
        errors: e,
    }
}

fn claims(rcdi: Value) -> Value {
    json!({"attest": "A", "rcd": {"nam": "Acme Corp", "icn": ICN}, "rcdi": rcdi})
}

fn good_rcdi() -> Value {
    json!({
        "/nam": digest::format(digest::Alg::Sha256, &canon::jcs(&json!("Acme Corp"))),
        "/icn": digest::format(digest::Alg::Sha256, LOGO),
    })
}

#[test]
fn all_digests_match_then_settle_verifies() {
    let c = HashMap::from([(ICN.to_string(), LOGO.to_vec())]);
    let e = HashMap::new();
    let (mut r, check) = evaluate(&claims(good_rcdi()), RcdSource::Shaken, res(&c, &e)).unwrap();
    assert_eq!(check.outcome, crate::Outcome::Pass, "{}", check.detail);
    assert!(
        r.digests.iter().all(|d| d.result == DigestResult::Match),
        "{:?}",
        r.digests
    );
    settle(&mut r, true, None);
    assert!(r.verified, "{}", r.reason);
    let icn = r.icn.as_ref().unwrap();
    assert!(icn.verified);
    assert_eq!(icn.content_type.as_deref(), Some("image/png"));
    assert_eq!(
        icn.data.as_deref(),
        Some(
            base64::engine::general_purpose::STANDARD
                .encode(LOGO)
                .as_str()
        )
    );
    // The same report on a PASSporT that did not verify keeps nothing.
    settle(&mut r, false, Some("the signature does not verify"));
    assert!(!r.verified && r.icn.as_ref().unwrap().data.is_none());
    assert!(
        r.reason.starts_with("Branded name not verified"),
        "{}",
        r.reason
    );
}

#[test]
fn wrong_name_digest_fails() {
    let c = HashMap::from([(ICN.to_string(), LOGO.to_vec())]);
    let e = HashMap::new();
    let mut rcdi = good_rcdi();
    rcdi["/nam"] = json!(digest::format(digest::Alg::Sha256, b"\"Other Corp\""));
    let (mut r, check) = evaluate(&claims(rcdi), RcdSource::Shaken, res(&c, &e)).unwrap();
    assert_eq!(check.outcome, crate::Outcome::Fail);
    assert!(
        check.detail.contains("the /nam digest does not match"),
        "{}",
        check.detail
    );
    settle(&mut r, true, None);
    assert!(!r.verified);
    assert_eq!(
        r.reason,
        "Branded name not verified: the /nam digest does not match its value"
    );
    assert!(r.icn.as_ref().unwrap().data.is_none());
}

#[test]
fn changed_logo_bytes_fail_and_missing_logo_warns() {
    let c = HashMap::from([(ICN.to_string(), [LOGO, b"!"].concat())]);
    let e = HashMap::new();
    let (r, check) = evaluate(&claims(good_rcdi()), RcdSource::Shaken, res(&c, &e)).unwrap();
    assert_eq!(check.outcome, crate::Outcome::Fail);
    assert!(!r.icn.as_ref().unwrap().verified);
    let c = HashMap::new();
    let e = HashMap::from([(ICN.to_string(), "offline (--offline)".to_string())]);
    let (mut r, check) = evaluate(&claims(good_rcdi()), RcdSource::Shaken, res(&c, &e)).unwrap();
    assert_eq!(check.outcome, crate::Outcome::Warn, "{}", check.detail);
    assert!(
        check.detail.contains("offline (--offline)"),
        "{}",
        check.detail
    );
    settle(&mut r, true, None);
    assert!(!r.verified);
    let unavailable: Vec<_> = r
        .digests
        .iter()
        .filter(|d| d.result == DigestResult::Unavailable)
        .collect();
    assert_eq!(unavailable.len(), 1);
}

#[test]
fn no_rcdi_skips_and_the_logo_is_not_shown() {
    let v = json!({"rcd": {"nam": "Acme Corp", "icn": ICN}, "crn": "Your appointment"});
    let (c, e) = (HashMap::new(), HashMap::new());
    let (mut r, check) = evaluate(&v, RcdSource::Shaken, res(&c, &e)).unwrap();
    assert_eq!(check.outcome, crate::Outcome::Skip);
    settle(&mut r, true, None);
    assert!(r.verified);
    assert_eq!(r.crn.as_deref(), Some("Your appointment"));
    assert!(!r.icn.as_ref().unwrap().verified);
    assert!(evaluate(&json!({"attest": "A"}), RcdSource::Shaken, res(&c, &e)).is_none());
}

#[test]
fn bad_rcdi_is_a_clear_failure() {
    let (c, e) = (HashMap::new(), HashMap::new());
    let many: Map<String, Value> = (0..40)
        .map(|i| (format!("/x{i}"), json!("sha256-x")))
        .collect();
    for (rcdi, words) in [
        (json!("sha256-abc"), "not an object"),
        (json!({}), "empty"),
        (Value::Object(many), "at most 32"),
        (json!({"/nam": 5}), "not a string"),
        (json!({"/nam": "md5-abc"}), "not sha256"),
        (
            json!({"nam": "sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="}),
            "must start with",
        ),
        (
            json!({"/zzz": "sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="}),
            "names nothing",
        ),
        (
            json!({"/nam": format!("sha256-{}", "A".repeat(5000))}),
            "characters long",
        ),
    ] {
        let (mut r, check) =
            evaluate(&claims(rcdi.clone()), RcdSource::Shaken, res(&c, &e)).unwrap();
        assert_eq!(check.outcome, crate::Outcome::Fail, "{rcdi}");
        assert!(check.detail.contains(words), "{rcdi}: {}", check.detail);
        settle(&mut r, true, None);
        assert!(!r.verified);
    }
}

#[test]
fn jcd_is_canonicalized_and_nested_uris_cover_their_content() {
    let photo = "https://cdn.example.com/photo.jpg";
    let jpeg = [0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3];
    let jcd = json!([
        "vcard",
        [
            ["version", {}, "text", "4.0"],
            ["fn", {}, "text", "Acme"],
            ["logo", {}, "uri", photo]
        ]
    ]);
    let v = json!({
        "rcd": {"nam": "Acme", "jcd": jcd.clone()},
        "rcdi": {
            "/jcd": digest::format(digest::Alg::Sha384, br#"["vcard",[["version",{},"text","4.0"],["fn",{},"text","Acme"],["logo",{},"uri","https://cdn.example.com/photo.jpg"]]]"#),
            "/jcd/1/2/3": digest::format(digest::Alg::Sha512, &jpeg),
        }
    });
    assert_eq!(urls_in_claims(&v, &HashMap::new()), vec![photo.to_string()]);
    let c = HashMap::from([(photo.to_string(), jpeg.to_vec())]);
    let e = HashMap::new();
    let (r, check) = evaluate(&v, RcdSource::Rcd, res(&c, &e)).unwrap();
    assert_eq!(check.outcome, crate::Outcome::Pass, "{}", check.detail);
    assert_eq!(r.source, RcdSource::Rcd);
}

#[test]
fn jcl_matches_as_bytes_or_as_canonical_json() {
    let jcl = "https://cdn.example.com/card.json";
    let served = br#"{ "b": 1, "a": "x" }"#;
    for signed in [served.to_vec(), br#"{"a":"x","b":1}"#.to_vec()] {
        let v = json!({"rcd": {"nam": "Acme", "jcl": jcl}, "rcdi": {"/jcl": digest::format(digest::Alg::Sha256, &signed)}});
        let c = HashMap::from([(jcl.to_string(), served.to_vec())]);
        let e = HashMap::new();
        let (mut r, check) = evaluate(&v, RcdSource::Shaken, res(&c, &e)).unwrap();
        assert_eq!(check.outcome, crate::Outcome::Pass, "{}", check.detail);
        settle(&mut r, true, None);
        assert!(r.verified && r.jcl.as_ref().unwrap().verified);
    }
}

#[test]
fn urls_lists_only_covered_content() {
    let v = json!({"rcd": {"nam": "A", "icn": ICN, "jcl": "https://cdn.example.com/c.json"}, "rcdi": {"/icn": "sha256-x"}});
    assert_eq!(urls_in_claims(&v, &HashMap::new()), vec![ICN.to_string()]);
    assert!(urls_in_claims(&json!({"rcd": {"icn": ICN}}), &HashMap::new()).is_empty());
}

#[test]
fn pointers_into_a_fetched_jcard_cover_the_url_inside_it() {
    let jcl = "https://cdn.example.com/card.json";
    let logo_url = "https://cdn.example.com/inner-logo.png";
    let card = format!(r#"["vcard",[["fn",{{}},"text","Acme"],["logo",{{}},"uri","{logo_url}"]]]"#);
    let v = json!({
        "rcd": {"nam": "Acme", "jcl": jcl},
        "rcdi": {
            "/jcl": digest::format(digest::Alg::Sha256, card.as_bytes()),
            "/jcl/1/1/3": digest::format(digest::Alg::Sha256, LOGO),
        }
    });
    // Before the jCard is fetched only its URL is known; after, the logo inside it too.
    assert_eq!(urls_in_claims(&v, &HashMap::new()), vec![jcl.to_string()]);
    let mut c = HashMap::from([(jcl.to_string(), card.clone().into_bytes())]);
    assert_eq!(
        urls_in_claims(&v, &c),
        vec![jcl.to_string(), logo_url.to_string()]
    );
    let e = HashMap::new();
    let (_, check) = evaluate(&v, RcdSource::Shaken, res(&c, &e)).unwrap();
    assert_eq!(check.outcome, crate::Outcome::Warn, "{}", check.detail);
    c.insert(logo_url.to_string(), LOGO.to_vec());
    let (mut r, check) = evaluate(&v, RcdSource::Shaken, res(&c, &e)).unwrap();
    assert_eq!(check.outcome, crate::Outcome::Pass, "{}", check.detail);
    settle(&mut r, true, None);
    assert!(r.verified && r.jcl.as_ref().unwrap().verified);
}

#[test]
fn a_build_with_rcd_integrity_never_defers_and_claims_are_found_for_the_shell() {
    use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
    let header = json!({"alg": "ES256", "typ": "passport", "ppt": "shaken", "x5u": "https://cr.example.com/c.pem"});
    let token = format!(
        "{}.{}.AAAA",
        B64.encode(header.to_string()),
        B64.encode(claims(good_rcdi()).to_string())
    );
    // The claims `rcd_urls` reads from the one read: a PASSporT with rcdi.
    let read = crate::verify::parse(&token);
    let found: Vec<_> = read.claims().collect();
    assert_eq!(found.len(), 1);
    assert!(found[0].get("rcdi").is_some());
    assert_eq!(read.rcd_urls(&Default::default()), vec![ICN.to_string()]);
    assert_eq!(crate::verify::parse("not a passport").claims().count(), 0);
    // This build checks the digests itself, so it never sends the input elsewhere.
    assert!(!crate::verify::parse(&token).needs_integrity());
    assert_eq!(
        crate::verify::parse(&token).rcd_urls(&Default::default()),
        vec![ICN.to_string()]
    );
}
