//! Every row of ../shared/specs/CHECKLIST.md, with a case that passes and a case that fails,
//! against a test PKI generated in code (tests/common). Each verification runs through every
//! crypto backend and the two-phase API (`common::verify`), which must all agree.
//!
//! Tests are named after the check id they exercise.

mod common;

use common::*;
use p256::ecdsa::{Signature, SigningKey, signature::Signer};
use rcgen::{BasicConstraints, CustomExtension, IsCa, KeyIdMethod, KeyUsagePurpose, SerialNumber};
use serde_json::{Value, json};
use std::sync::Arc;
use stircheck::__private::json::b64url_encode;
use stircheck::crypto::{self, Alg, KeyKind, Purpose};
use stircheck::verdict::{IdentityStatus, Outcome, Role, Status, Verstat};
use stircheck::{Options, TrustStore, Verdict, Verifier};

fn pki() -> &'static Pki {
    Pki::shared()
}

/// The standard call: an INVITE (From/PAI = ORIG, To/R-URI = DEST) with the standard PASSporT.
fn standard_invite() -> String {
    Invite::new([pki().sign(&claims())]).text()
}

/// An INVITE whose SHAKEN PASSporT has these claims (header standard), signed with the
/// standard key.
fn invite_with_claims(claims: &Value) -> String {
    let token = jws_v(&header_value("shaken"), claims, &pki().chain.key);
    Invite::new([identity(&token, X5U, "shaken")]).text()
}

/// An INVITE whose SHAKEN PASSporT has this header (claims standard).
fn invite_with_header(header: &Value) -> String {
    let token = jws_v(header, &claims_value(), &pki().chain.key);
    Invite::new([identity(&token, X5U, "shaken")]).text()
}

/// Verify the standard call against another chain served at X5U.
fn run_chain(chain: &Chain) -> Verdict {
    let line = chain.sign(&claims());
    run(&Invite::new([line]).text(), &opts_with(&chain.pem))
}

/// An unrelated P-256 key.
fn other_key() -> SigningKey {
    p256_key(&KeyAlg::P256.generate())
}

// =============================================================================================
// The reference case

#[test]
fn valid_call_passes_every_check() {
    let v = run(&standard_invite(), &pki().opts());
    assert_valid(&v, "A");
    assert_all_checks_ran(&v);
    for id in ALL_CHECKS {
        let want = match id {
            "cert.revocation" => Outcome::Warn,
            // An SPC certificate without claim constraints: neither applies.
            "cert.delegation" | "cert.constraints" => Outcome::Skip,
            _ => Outcome::Pass,
        };
        assert_eq!(outcome(&v, id), want, "{id}\n{}", dump(&v));
    }
    assert_signer(&v);
    let s = v.signer.as_ref().unwrap();
    assert_eq!(s.chain.len(), 3, "leaf, intermediate, anchor");
    assert!(
        s.anchor
            .as_ref()
            .is_some_and(|a| a.subject.contains("Test SHAKEN Root CA"))
    );
    assert!(
        v.reason.contains(SPC) && v.reason.contains(ORG) && v.reason.contains("attestation A"),
        "{}",
        v.reason
    );
    assert_eq!(v.identities.len(), 1);
    let id = &v.identities[0];
    assert_eq!(
        (id.role, id.status, id.sip_code),
        (Role::Shaken, IdentityStatus::Valid, None)
    );
    assert_eq!(id.claims.as_ref().unwrap()["origid"], ORIGID);
    assert_eq!(v.verified_at, NOW);
    assert_eq!(v.trust.name, "test");
}

#[test]
fn attestation_levels_b_and_c_are_reported_as_signed() {
    for level in ["B", "C"] {
        let mut c = claims();
        c.attest = level.into();
        let v = run(&Invite::new([pki().sign(&c)]).text(), &pki().opts());
        assert_valid(&v, level);
    }
}

// =============================================================================================
// input

#[test]
fn input_sip_request_is_read() {
    let v = run(&standard_invite(), &pki().opts());
    assert_eq!(outcome(&v, "input"), Outcome::Pass);
    assert!(
        detail(&v, "input").contains("a SIP request with 1 Identity header"),
        "{}",
        detail(&v, "input")
    );
    let call = v.call.as_ref().expect("call context");
    assert_eq!(call.orig_tn.as_deref(), Some(ORIG));
    assert_eq!(call.dest_tn.as_deref(), Some(DEST));
}

#[test]
fn input_header_lines_with_compact_y_name() {
    let line = pki().sign(&claims());
    let text = format!(
        "From: <tel:+{ORIG}>\nTo: <sip:+{DEST}@example.net;user=phone>\ny: {}\n",
        value_of(&line)
    );
    let v = run(&text, &pki().opts());
    assert_valid(&v, "A");
    assert!(detail(&v, "input").contains("SIP header lines"));
    assert_eq!(outcome(&v, "call.orig"), Outcome::Pass);
    assert_eq!(outcome(&v, "call.dest"), Outcome::Pass);
}

#[test]
fn input_folded_identity_header_is_unfolded() {
    let line = pki().sign(&claims());
    // Fold inside the token and before the parameters, with CRLF + space / tab.
    let (a, b) = line.split_at(60);
    let folded = format!("{a}\r\n  {}", b.replacen(";info", "\r\n\t;info", 1));
    let v = run(&Invite::new([folded]).text(), &pki().opts());
    assert_valid(&v, "A");
}

#[test]
fn input_bare_jws_is_verified_without_sip_context() {
    let line = pki().sign(&claims());
    let v = run(token_of(&line), &pki().opts());
    assert_valid(&v, "A");
    assert!(detail(&v, "input").contains("bare PASSporT"));
    assert_eq!(outcome(&v, "identity.syntax"), Outcome::Skip);
    assert_eq!(outcome(&v, "call.orig"), Outcome::Skip);
    assert_eq!(outcome(&v, "call.dest"), Outcome::Skip);
    assert!(v.call.is_none());
}

#[test]
fn input_bare_header_value_is_verified_without_sip_context() {
    let line = pki().sign(&claims());
    let v = run(value_of(&line), &pki().opts());
    assert_valid(&v, "A");
    assert!(detail(&v, "input").contains("Identity header value"));
    assert_eq!(outcome(&v, "identity.syntax"), Outcome::Pass);
    assert_eq!(outcome(&v, "call.orig"), Outcome::Skip);
    assert_eq!(outcome(&v, "call.dest"), Outcome::Skip);
}

#[test]
fn input_not_sip_is_438() {
    let v = run(
        "Hello, my caller ID looks wrong, can you check?",
        &pki().opts(),
    );
    assert_invalid(&v, "input", 438, Verstat::NoValidation);
    assert_eq!(ids(&v), ["input"]);
    assert!(v.identities.is_empty() && v.signer.is_none());
}

#[test]
fn input_oversized_header_is_438() {
    let text = format!("Identity: {}.e30.c2ln;info=<{X5U}>", "a".repeat(17 * 1024));
    let v = run(&text, &pki().opts());
    assert_invalid(&v, "input", 438, Verstat::NoValidation);
    assert!(detail(&v, "input").contains("limit"), "{}", dump(&v));
}

#[test]
fn input_control_characters_are_438() {
    let v = run("INVITE sip:x SIP/2.0\r\nFrom: \u{1}\r\n", &pki().opts());
    assert_invalid(&v, "input", 438, Verstat::NoValidation);
}

#[test]
fn input_more_identity_headers_than_the_limit_warns() {
    // No chain supplied: cheap to verify 16 times; the point is the bound.
    let line = pki().sign(&claims());
    let lines = vec![line; stircheck::limits::MAX_IDENTITY_HEADERS + 1];
    let v = run(&Invite::new(lines).text(), &Options::at(NOW));
    assert_eq!(outcome(&v, "input"), Outcome::Warn, "{}", dump(&v));
    assert!(detail(&v, "input").contains("1 further Identity headers were ignored"));
    assert_eq!(v.identities.len(), stircheck::limits::MAX_IDENTITY_HEADERS);
    assert_invalid(&v, "cert.fetch", 436, Verstat::NoValidation);
}

// =============================================================================================
// identity.present

#[test]
fn identity_present_passes_with_a_shaken_header() {
    let v = run(&standard_invite(), &pki().opts());
    assert_eq!(outcome(&v, "identity.present"), Outcome::Pass);
}

#[test]
fn identity_present_missing_is_no_identity_428() {
    let v = run(&Invite::new(Vec::<String>::new()).text(), &pki().opts());
    assert_eq!(v.status, Status::NoIdentity, "{}", dump(&v));
    assert_eq!(v.sip_code, Some(428));
    assert_eq!(v.verstat, Verstat::NoValidation);
    assert_eq!(v.attest, None);
    assert_eq!(ids(&v), ["input", "identity.present"]);
    assert_eq!(outcome(&v, "identity.present"), Outcome::Fail);
    assert!(v.signer.is_none() && v.identities.is_empty());
}

#[test]
fn identity_present_only_unsupported_ppt_is_no_identity() {
    let mut h = header_value("foo");
    h["ppt"] = json!("foo");
    let token = jws_v(&h, &claims_value(), &pki().chain.key);
    let v = run(
        &Invite::new([identity(&token, X5U, "foo")]).text(),
        &pki().opts(),
    );
    assert_eq!(v.status, Status::NoIdentity, "{}", dump(&v));
    assert_eq!(
        (v.sip_code, v.verstat, v.attest.clone()),
        (Some(428), Verstat::NoValidation, None)
    );
    assert_eq!(v.identities.len(), 1);
    assert_eq!(v.identities[0].role, Role::Unsupported);
    assert_eq!(v.identities[0].status, IdentityStatus::Ignored);
}

#[test]
fn identity_present_unsupported_ppt_is_ignored_beside_a_valid_one() {
    let token = jws_v(&header_value("foo"), &claims_value(), &pki().chain.key);
    let v = run(
        &Invite::new([identity(&token, X5U, "foo"), pki().sign(&claims())]).text(),
        &pki().opts(),
    );
    assert_valid(&v, "A");
    assert_eq!(v.identities[0].status, IdentityStatus::Ignored);
    assert_eq!(v.identities[1].status, IdentityStatus::Valid);
}

// =============================================================================================
// identity.syntax

/// The standard token with other Identity parameters.
fn with_params(params: &str) -> String {
    let token = token_of(&pki().sign(&claims())).to_string();
    Invite::new([format!("Identity: {token}{params}")]).text()
}

#[test]
fn identity_syntax_quoted_ppt_without_alg_passes() {
    let v = run(
        &with_params(&format!(";info=<{X5U}>;ppt=\"shaken\"")),
        &pki().opts(),
    );
    assert_valid(&v, "A");
    assert_eq!(outcome(&v, "identity.syntax"), Outcome::Pass);
}

#[test]
fn identity_syntax_missing_info_is_436() {
    let v = run(&with_params(";alg=ES256;ppt=shaken"), &pki().opts());
    assert_invalid(&v, "identity.syntax", 436, Verstat::NoValidation);
    assert_all_checks_ran(&v);
    assert_eq!(outcome(&v, "signature"), Outcome::Pass);
    assert_signer(&v);
}

#[test]
fn identity_syntax_info_without_angle_brackets_is_436() {
    let v = run(
        &with_params(&format!(";info={X5U};alg=ES256;ppt=shaken")),
        &pki().opts(),
    );
    assert_invalid(&v, "identity.syntax", 436, Verstat::NoValidation);
}

#[test]
fn identity_syntax_alg_not_es256_is_437() {
    let v = run(
        &with_params(&format!(";info=<{X5U}>;alg=RS256;ppt=shaken")),
        &pki().opts(),
    );
    assert_invalid(&v, "identity.syntax", 437, Verstat::NoValidation);
    assert_all_checks_ran(&v);
}

#[test]
fn identity_syntax_duplicate_parameter_is_438() {
    let v = run(
        &with_params(&format!(";info=<{X5U}>;alg=ES256;ppt=shaken;ppt=shaken")),
        &pki().opts(),
    );
    assert_invalid(&v, "identity.syntax", 438, Verstat::NoValidation);
    assert!(detail(&v, "identity.syntax").contains("more than once"));
}

#[test]
fn identity_syntax_non_base64url_token_is_438() {
    // Standard base64 padding on the signature segment.
    let line = pki().sign(&claims());
    let token = format!("{}=", token_of(&line));
    let v = run(
        &Invite::new([identity(&token, X5U, "shaken")]).text(),
        &pki().opts(),
    );
    // The signature cannot be decoded either, so the verstat is TN-Validation-Failed.
    assert_invalid(&v, "identity.syntax", 438, Verstat::Failed);
    assert_eq!(outcome(&v, "signature"), Outcome::Fail);
}

// =============================================================================================
// passport.form

#[test]
fn passport_form_full_form_passes() {
    let v = run(&standard_invite(), &pki().opts());
    assert_eq!(outcome(&v, "passport.form"), Outcome::Pass);
}

#[test]
fn passport_form_compact_form_is_438_for_shaken() {
    let line = pki().sign(&claims());
    let sig = token_of(&line).rsplit('.').next().unwrap();
    let v = run(
        &Invite::new([identity(&format!("..{sig}"), X5U, "shaken")]).text(),
        &pki().opts(),
    );
    assert_invalid(&v, "passport.form", 438, Verstat::NoValidation);
    assert!(
        detail(&v, "passport.form").contains("full form"),
        "{}",
        dump(&v)
    );
    assert_eq!(v.identities[0].form, "compact");
    // Nothing can be checked against a certificate; that is said, not silently dropped.
    assert_eq!(outcome(&v, "cert.fetch"), Outcome::Skip);
    assert_eq!(outcome(&v, "signature"), Outcome::Skip);
}

#[test]
fn passport_form_two_segments_is_438() {
    let line = pki().sign(&claims());
    let two: Vec<&str> = token_of(&line).split('.').take(2).collect();
    let v = run(
        &Invite::new([identity(&two.join("."), X5U, "shaken")]).text(),
        &pki().opts(),
    );
    assert_invalid(&v, "passport.form", 438, Verstat::NoValidation);
    assert!(detail(&v, "passport.form").contains("2 dot-separated parts"));
}

// =============================================================================================
// passport.header

#[test]
fn passport_header_standard_passes() {
    let v = run(&standard_invite(), &pki().opts());
    assert_eq!(outcome(&v, "passport.header"), Outcome::Pass);
}

#[test]
fn passport_header_alg_none_is_437() {
    let mut h = header_value("shaken");
    h["alg"] = json!("none");
    let v = run(&invite_with_header(&h), &pki().opts());
    assert_invalid(&v, "passport.header", 437, Verstat::NoValidation);
    assert_all_checks_ran(&v);
}

#[test]
fn passport_header_alg_rs256_and_hs256_are_437() {
    for alg in ["RS256", "HS256"] {
        let mut h = header_value("shaken");
        h["alg"] = json!(alg);
        let v = run(&invite_with_header(&h), &pki().opts());
        assert_invalid(&v, "passport.header", 437, Verstat::NoValidation);
        assert!(detail(&v, "passport.header").contains(alg));
    }
}

#[test]
fn passport_header_typ_wrong_is_438() {
    let mut h = header_value("shaken");
    h["typ"] = json!("JWT");
    let v = run(&invite_with_header(&h), &pki().opts());
    assert_invalid(&v, "passport.header", 438, Verstat::NoValidation);
    assert_all_checks_ran(&v);
    assert_signer(&v);
}

#[test]
fn passport_header_missing_typ_is_438() {
    let mut h = header_value("shaken");
    h.as_object_mut().unwrap().remove("typ");
    let v = run(&invite_with_header(&h), &pki().opts());
    assert_invalid(&v, "passport.header", 438, Verstat::NoValidation);
}

#[test]
fn passport_header_ppt_differs_from_identity_ppt_is_438() {
    // JOSE header says shaken, the Identity parameter says div.
    let token = jws_v(&header_value("shaken"), &claims_value(), &pki().chain.key);
    let v = run(
        &Invite::new([identity(&token, X5U, "div")]).text(),
        &pki().opts(),
    );
    assert_invalid(&v, "passport.header", 438, Verstat::NoValidation);
    assert!(detail(&v, "passport.header").contains("ppt"));
}

#[test]
fn passport_header_ppt_not_shaken_under_a_shaken_identity_is_438() {
    // JOSE header says div, the Identity parameter says shaken: the header is judged as what
    // the Identity header claims (shaken), and the mismatch is reported.
    let token = jws_v(&header_value("div"), &claims_value(), &pki().chain.key);
    let v = run(
        &Invite::new([identity(&token, X5U, "shaken")]).text(),
        &pki().opts(),
    );
    assert_invalid(&v, "passport.header", 438, Verstat::NoValidation);
    assert_eq!(v.identities[0].role, Role::Shaken);
}

#[test]
fn passport_header_missing_x5u_is_438_and_x5u_url_also_fails() {
    let mut h = header_value("shaken");
    h.as_object_mut().unwrap().remove("x5u");
    let v = run(&invite_with_header(&h), &pki().opts());
    assert_invalid(&v, "passport.header", 438, Verstat::NoValidation);
    assert_eq!(outcome(&v, "x5u.url"), Outcome::Fail);
    assert_all_checks_ran(&v);
    assert_eq!(outcome(&v, "cert.fetch"), Outcome::Skip);
    assert_eq!(outcome(&v, "signature"), Outcome::Skip);
    assert!(v.signer.is_none());
}

#[test]
fn passport_header_duplicate_member_is_438() {
    let header = format!(
        r#"{{"alg":"ES256","ppt":"shaken","typ":"passport","x5u":"https://evil.example.com/c.pem","x5u":"{X5U}"}}"#
    );
    let token = jws(&header, &claims_value().to_string(), &pki().chain.key);
    let v = run(
        &Invite::new([identity(&token, X5U, "shaken")]).text(),
        &pki().opts(),
    );
    assert_invalid(&v, "passport.header", 438, Verstat::NoValidation);
    assert!(
        detail(&v, "passport.header").contains("duplicate"),
        "{}",
        dump(&v)
    );
}

#[test]
fn passport_header_bad_json_is_438() {
    let token = jws(
        r#"{"alg":"ES256","typ":"passport""#,
        &claims_value().to_string(),
        &pki().chain.key,
    );
    let v = run(
        &Invite::new([identity(&token, X5U, "shaken")]).text(),
        &pki().opts(),
    );
    assert_invalid(&v, "passport.header", 438, Verstat::NoValidation);
    assert!(detail(&v, "passport.header").contains("JSON"));
}

#[test]
fn passport_header_jwk_x5c_kid_are_ignored_with_a_warning() {
    let mut h = header_value("shaken");
    h["kid"] = json!("key-1");
    h["x5c"] = json!(["MIIB"]);
    h["jwk"] = json!({"kty": "EC", "crv": "P-256"});
    let v = run(&invite_with_header(&h), &pki().opts());
    assert_valid(&v, "A");
    assert_eq!(outcome(&v, "passport.header"), Outcome::Warn);
    assert!(detail(&v, "passport.header").contains("ignored"));
}

#[test]
fn passport_header_unknown_crit_is_438() {
    let mut h = header_value("shaken");
    h["crit"] = json!(["exp"]);
    let v = run(&invite_with_header(&h), &pki().opts());
    assert_invalid(&v, "passport.header", 438, Verstat::NoValidation);
}

// =============================================================================================
// x5u.url

/// A PASSporT whose x5u and info are `x5u` / `info`, with the standard chain served at `x5u`.
fn x5u_case(x5u: &str, info: &str) -> Verdict {
    let mut h = header_value("shaken");
    h["x5u"] = json!(x5u);
    let token = jws_v(&h, &claims_value(), &pki().chain.key);
    let mut opts = Options::at(NOW);
    opts.certs
        .insert(x5u.to_string(), pki().chain.pem.as_bytes().to_vec());
    run(
        &Invite::new([identity(&token, info, "shaken")]).text(),
        &opts,
    )
}

#[test]
fn x5u_url_https_on_443_and_8443_passes() {
    for url in [X5U, "https://cert.example.com:8443/sti/123A.pem"] {
        let v = x5u_case(url, url);
        assert_valid(&v, "A");
        assert_eq!(outcome(&v, "x5u.url"), Outcome::Pass);
    }
}

#[test]
fn x5u_url_ip_literal_special_is_436_public_passes() {
    let url = "https://203.0.113.1/sti/123A.pem";
    // 203.0.113.0/24 is TEST-NET-3, a special-purpose range: refused.
    let v = x5u_case(url, url);
    assert_invalid(&v, "x5u.url", 436, Verstat::NoValidation);
    // A public address literal is allowed.
    let url = "https://8.8.8.8/sti/123A.pem";
    let v = x5u_case(url, url);
    assert_valid(&v, "A");
}

#[test]
fn x5u_url_differs_from_info_is_436() {
    let v = x5u_case(X5U, "https://other.example.com/sti/123A.pem");
    assert_invalid(&v, "x5u.url", 436, Verstat::NoValidation);
    assert!(detail(&v, "x5u.url").contains("differs"));
    // Only the URL rule failed: the certificate and the signature are fine, and reported.
    assert_all_checks_ran(&v);
    assert_eq!(v.checks.iter().filter(|c| c.is_fail()).count(), 1);
    assert_eq!(outcome(&v, "signature"), Outcome::Pass);
    assert_signer(&v);
}

#[test]
fn x5u_url_refused_forms_are_436() {
    for (url, why) in [
        ("http://cert.example.com/sti/123A.pem", "https"),
        ("https://cert.example.com:22/sti/123A.pem", "port 22"),
        ("https://user:pw@cert.example.com/sti/123A.pem", "user name"),
        ("https://cert.example.com/sti/123A.pem?id=1", "query"),
        ("https://cert.example.com/sti/123A.pem#frag", "fragment"),
        ("https://10.0.0.1/sti/123A.pem", "special-purpose"),
        ("https://127.0.0.1/sti/123A.pem", "special-purpose"),
    ] {
        let v = x5u_case(url, url);
        assert_invalid(&v, "x5u.url", 436, Verstat::NoValidation);
        assert!(
            detail(&v, "x5u.url").contains(why),
            "{url}: {}",
            detail(&v, "x5u.url")
        );
        assert_all_checks_ran(&v);
        assert_eq!(outcome(&v, "signature"), Outcome::Pass, "{url}");
    }
}

// =============================================================================================
// passport.claims

fn claims_case(f: impl FnOnce(&mut Value)) -> Verdict {
    let mut c = claims_value();
    f(&mut c);
    run(&invite_with_claims(&c), &pki().opts())
}

#[test]
fn passport_claims_standard_passes() {
    let v = claims_case(|_| {});
    assert_valid(&v, "A");
    assert_eq!(outcome(&v, "passport.claims"), Outcome::Pass);
}

#[test]
fn passport_claims_iat_as_string_is_438() {
    let v = claims_case(|c| c["iat"] = json!(NOW.to_string()));
    assert_invalid(&v, "passport.claims", 438, Verstat::NoValidation);
    assert!(detail(&v, "passport.claims").contains("is a string"));
    assert_all_checks_ran(&v);
    assert_eq!(outcome(&v, "time.iat"), Outcome::Skip);
}

#[test]
fn passport_claims_missing_attest_is_438() {
    let v = claims_case(|c| {
        c.as_object_mut().unwrap().remove("attest");
    });
    assert_invalid(&v, "passport.claims", 438, Verstat::NoValidation);
    assert!(detail(&v, "passport.claims").contains("attest"));
    assert_eq!(outcome(&v, "signature"), Outcome::Pass);
}

#[test]
fn passport_claims_attest_not_a_b_c_is_438() {
    let v = claims_case(|c| c["attest"] = json!("D"));
    assert_invalid(&v, "passport.claims", 438, Verstat::NoValidation);
}

#[test]
fn passport_claims_missing_origid_is_438() {
    let v = claims_case(|c| {
        c.as_object_mut().unwrap().remove("origid");
    });
    assert_invalid(&v, "passport.claims", 438, Verstat::NoValidation);
    assert!(detail(&v, "passport.claims").contains("origid"));
}

#[test]
fn passport_claims_non_uuid_origid_warns() {
    let v = claims_case(|c| c["origid"] = json!("carrier-call-4711"));
    assert_valid(&v, "A");
    assert_eq!(outcome(&v, "passport.claims"), Outcome::Warn);
    assert!(detail(&v, "passport.claims").contains("UUID"));
}

#[test]
fn passport_claims_missing_orig_is_438() {
    let v = claims_case(|c| {
        c.as_object_mut().unwrap().remove("orig");
    });
    assert_invalid(&v, "passport.claims", 438, Verstat::NoValidation);
}

#[test]
fn passport_claims_orig_not_canonical_is_438() {
    let v = claims_case(|c| c["orig"] = json!({ "tn": format!("+{ORIG}") }));
    assert_invalid(&v, "passport.claims", 438, Verstat::NoValidation);
    assert!(detail(&v, "passport.claims").contains("canonical"));
}

#[test]
fn passport_claims_dest_not_an_array_is_438() {
    let v = claims_case(|c| c["dest"] = json!({ "tn": DEST }));
    assert_invalid(&v, "passport.claims", 438, Verstat::NoValidation);
    assert!(detail(&v, "passport.claims").contains("array"));
}

#[test]
fn passport_claims_duplicate_member_is_438() {
    let claims = format!(
        r#"{{"attest":"A","dest":{{"tn":["{DEST}"]}},"iat":{NOW},"iat":{},"orig":{{"tn":"{ORIG}"}},"origid":"{ORIGID}"}}"#,
        NOW + 3600
    );
    let token = jws(
        &header_value("shaken").to_string(),
        &claims,
        &pki().chain.key,
    );
    let v = run(
        &Invite::new([identity(&token, X5U, "shaken")]).text(),
        &pki().opts(),
    );
    assert_invalid(&v, "passport.claims", 438, Verstat::NoValidation);
    assert!(detail(&v, "passport.claims").contains("duplicate"));
}

#[test]
fn passport_claims_bad_json_is_438() {
    let token = jws(
        &header_value("shaken").to_string(),
        r#"{"attest":"A","dest":"#,
        &pki().chain.key,
    );
    let v = run(
        &Invite::new([identity(&token, X5U, "shaken")]).text(),
        &pki().opts(),
    );
    assert_invalid(&v, "passport.claims", 438, Verstat::NoValidation);
    // The undecodable claims are still shown as text.
    assert!(v.identities[0].claims.as_ref().unwrap().is_string());
}

#[test]
fn passport_claims_extra_claims_are_tolerated() {
    let v = claims_case(|c| {
        c["x-carrier"] = json!({"trunk": 7});
        c["rph"] = json!({"auth": ["ets.0"]});
    });
    assert_valid(&v, "A");
    assert_eq!(outcome(&v, "passport.claims"), Outcome::Pass);
}

// =============================================================================================
// call.orig

fn call_case(f: impl FnOnce(&mut Invite)) -> Verdict {
    let mut inv = Invite::new([pki().sign(&claims())]);
    f(&mut inv);
    run(&inv.text(), &pki().opts())
}

#[test]
fn call_orig_pai_matches_with_visual_separators_and_tel_uri() {
    for pai in [
        "<sip:+1-215-555-1212@carrier.example.com;user=phone>".to_string(),
        "<tel:+1.215.555.1212>".to_string(),
        format!("\"Alice\" <sip:{ORIG}@carrier.example.com>"),
    ] {
        let v = call_case(|i| i.pai = Some(pai.clone()));
        assert_valid(&v, "A");
        assert_eq!(outcome(&v, "call.orig"), Outcome::Pass, "{pai}");
    }
}

#[test]
fn call_orig_uses_from_without_pai() {
    let v = call_case(|i| i.pai = None);
    assert_valid(&v, "A");
    assert!(detail(&v, "call.orig").contains("From"));
}

#[test]
fn call_orig_mismatch_is_438() {
    let v = call_case(|i| i.pai = Some("<tel:+12155550000>".into()));
    assert_invalid(&v, "call.orig", 438, Verstat::NoValidation);
    assert_all_checks_ran(&v);
    assert_eq!(outcome(&v, "signature"), Outcome::Pass);
    assert_signer(&v);
}

#[test]
fn call_orig_pai_wins_over_from() {
    // From matches the PASSporT but the asserted identity does not.
    let v = call_case(|i| i.pai = Some("<sip:+12155550000@x.example.com;user=phone>".into()));
    assert_invalid(&v, "call.orig", 438, Verstat::NoValidation);
    assert!(detail(&v, "call.orig").contains("P-Asserted-Identity"));
}

#[test]
fn call_orig_not_a_number_is_438() {
    let v = call_case(|i| {
        i.pai = None;
        i.from = Some("<sip:alice@example.com>;tag=1".into());
    });
    assert_invalid(&v, "call.orig", 438, Verstat::NoValidation);
}

#[test]
fn call_orig_without_sip_context_is_skipped() {
    let v = run(value_of(&pki().sign(&claims())), &pki().opts());
    assert_eq!(outcome(&v, "call.orig"), Outcome::Skip);
    assert_valid(&v, "A");
}

// =============================================================================================
// call.dest

#[test]
fn call_dest_to_matches() {
    let v = call_case(|i| i.to = Some("<tel:+1-215-555-1213>".into()));
    assert_valid(&v, "A");
    assert_eq!(outcome(&v, "call.dest"), Outcome::Pass);
}

#[test]
fn call_dest_uses_request_uri_when_to_is_not_a_number() {
    let v = call_case(|i| i.to = Some("<sip:bob@example.net>".into()));
    assert_valid(&v, "A");
    assert_eq!(outcome(&v, "call.dest"), Outcome::Pass);
}

#[test]
fn call_dest_mismatch_is_438() {
    // Neither To nor the Request-URI carries a signed dest.
    let v = call_case(|i| {
        i.to = Some("<sip:+12155559999@example.net;user=phone>".into());
        i.request_uri = "sip:+12155559999@example.net;user=phone".into();
    });
    assert_invalid(&v, "call.dest", 438, Verstat::NoValidation);
    assert_all_checks_ran(&v);
    assert_eq!(outcome(&v, "call.orig"), Outcome::Pass);
}

#[test]
fn call_dest_without_sip_context_is_skipped() {
    let v = run(token_of(&pki().sign(&claims())), &pki().opts());
    assert_eq!(outcome(&v, "call.dest"), Outcome::Skip);
}

// =============================================================================================
// time.iat

fn iat_case(iat: i64, f: impl FnOnce(&mut Options)) -> Verdict {
    let mut c = claims();
    c.iat = iat;
    let mut opts = pki().opts();
    f(&mut opts);
    run(&Invite::new([pki().sign(&c)]).text(), &opts)
}

#[test]
fn time_iat_within_the_window_passes_at_both_edges() {
    for iat in [NOW - 60, NOW + 60, NOW] {
        let v = iat_case(iat, |_| {});
        assert_valid(&v, "A");
        assert_eq!(outcome(&v, "time.iat"), Outcome::Pass);
    }
}

#[test]
fn time_iat_stale_is_403() {
    let v = iat_case(NOW - 61, |_| {});
    assert_invalid(&v, "time.iat", 403, Verstat::NoValidation);
    assert_eq!(v.sip_reason, Some("Stale Date"));
    assert!(detail(&v, "time.iat").contains("61 s"), "{}", dump(&v));
    assert_all_checks_ran(&v);
    assert_eq!(outcome(&v, "signature"), Outcome::Pass);
}

#[test]
fn time_iat_in_the_future_is_403() {
    let v = iat_case(NOW + 61, |_| {});
    assert_invalid(&v, "time.iat", 403, Verstat::NoValidation);
    assert!(detail(&v, "time.iat").contains("future"));
}

#[test]
fn time_iat_max_age_is_configurable() {
    let v = iat_case(NOW - 200, |o| o.max_age = 300);
    assert_valid(&v, "A");
    let v = iat_case(NOW - 200, |o| o.max_age = 100);
    assert_invalid(&v, "time.iat", 403, Verstat::NoValidation);
}

#[test]
fn time_iat_date_header_far_from_iat_warns() {
    let mut inv = Invite::new([pki().sign(&claims())]);
    inv.date = Some("Sun, 01 Jun 2025 13:00:00 GMT".into());
    let v = run(&inv.text(), &pki().opts());
    assert_valid(&v, "A");
    assert_eq!(outcome(&v, "time.iat"), Outcome::Warn);
    assert!(detail(&v, "time.iat").contains("Date"));
    // A matching Date header is fine.
    inv.date = Some(NOW_DATE.into());
    let v = run(&inv.text(), &pki().opts());
    assert_eq!(outcome(&v, "time.iat"), Outcome::Pass);
}

#[test]
fn time_iat_as_of_call_verifies_a_past_call() {
    let iat = NOW - 30 * 86400;
    let mut c = claims();
    c.iat = iat;
    let mut opts = pki().opts();
    opts.now = NOW + 400 * 86400; // the leaf has expired by now
    opts.as_of_call = true;
    let v = run(&Invite::new([pki().sign(&c)]).text(), &opts);
    assert_valid(&v, "A");
    assert!(v.as_of_call);
    assert_eq!(v.verified_at, iat);
    assert_eq!(outcome(&v, "cert.validity"), Outcome::Pass);
    // The same call verified as of now: stale, and the certificate has expired.
    opts.as_of_call = false;
    let v = run(&Invite::new([pki().sign(&c)]).text(), &opts);
    assert_invalid(&v, "time.iat", 403, Verstat::NoValidation);
    assert_eq!(outcome(&v, "cert.validity"), Outcome::Fail);
}

#[test]
fn time_iat_stale_on_an_expired_certificate_is_403_not_437() {
    let chain = pki().leaf_with(|p| validity(p, NOW - 200 * 86400, NOW - 86400));
    let mut c = claims();
    c.iat = NOW - 3600;
    let v = run(
        &Invite::new([chain.sign(&c)]).text(),
        &opts_with(&chain.pem),
    );
    assert_invalid(&v, "time.iat", 403, Verstat::NoValidation);
    assert_eq!(outcome(&v, "cert.validity"), Outcome::Fail);
    assert!(v.reason.contains("(and 1 more problem)"), "{}", v.reason);
    assert_all_checks_ran(&v);
}

// =============================================================================================
// cert.fetch

#[test]
fn cert_fetch_supplied_chain_passes() {
    let v = run(&standard_invite(), &pki().opts());
    assert_eq!(outcome(&v, "cert.fetch"), Outcome::Pass);
    assert!(detail(&v, "cert.fetch").contains("2 certificates"));
}

fn assert_fetch_failed(v: &Verdict) {
    assert_invalid(v, "cert.fetch", 436, Verstat::NoValidation);
    assert_all_checks_ran(v);
    for id in ["cert.profile", "cert.chain", "cert.validity", "signature"] {
        assert_eq!(outcome(v, id), Outcome::Skip, "{id}");
    }
    assert!(v.signer.is_none());
}

#[test]
fn cert_fetch_default_chain_is_used_for_any_x5u() {
    // The CLI's --cert: one chain for whatever x5u the PASSporT names.
    let mut opts = Options::at(NOW);
    opts.default_chain = Some(pki().chain.pem.as_bytes().to_vec());
    let v = run(&standard_invite(), &opts);
    assert_valid(&v, "A");
}

#[test]
fn cert_fetch_error_from_the_shell_is_436() {
    let mut opts = Options::at(NOW);
    opts.fetch_errors
        .insert(X5U.into(), "HTTP 404 Not Found".into());
    let v = run(&standard_invite(), &opts);
    assert_fetch_failed(&v);
    assert!(detail(&v, "cert.fetch").contains("HTTP 404"));
}

#[test]
fn cert_fetch_missing_chain_is_436() {
    let v = run(&standard_invite(), &Options::at(NOW));
    assert_fetch_failed(&v);
}

#[test]
fn cert_fetch_not_pem_is_436() {
    let v = run(
        &standard_invite(),
        &opts_with("<html><body>Service Unavailable</body></html>"),
    );
    assert_fetch_failed(&v);
}

#[test]
fn cert_fetch_too_big_is_436() {
    let big = format!("{}{}", pki().chain.pem, "#".repeat(70 * 1024));
    let v = run(&standard_invite(), &opts_with(&big));
    assert_fetch_failed(&v);
    assert!(detail(&v, "cert.fetch").contains("limit"));
}

#[test]
fn cert_fetch_bare_public_key_is_not_a_certificate() {
    use p256::pkcs8::{EncodePublicKey, LineEnding};
    let pem = pki()
        .chain
        .key
        .verifying_key()
        .to_public_key_pem(LineEnding::LF)
        .unwrap();
    let v = run(&standard_invite(), &opts_with(&pem));
    assert_eq!(outcome(&v, "cert.fetch"), Outcome::Warn);
    assert_invalid(&v, "cert.profile", 437, Verstat::Failed);
    assert_eq!(outcome(&v, "cert.chain"), Outcome::Fail);
    assert_eq!(outcome(&v, "signature"), Outcome::Pass);
    assert!(v.signer.is_none());
}

// =============================================================================================
// cert.profile

#[test]
fn cert_profile_clean_leaf_passes() {
    let v = run(&standard_invite(), &pki().opts());
    assert_eq!(outcome(&v, "cert.profile"), Outcome::Pass, "{}", dump(&v));
}

fn assert_profile_fails(v: &Verdict, what: &str) {
    assert_invalid(v, "cert.profile", 437, Verstat::NoValidation);
    assert!(
        detail(v, "cert.profile").contains(what),
        "{}",
        detail(v, "cert.profile")
    );
    assert_all_checks_ran(v);
    assert_eq!(outcome(v, "cert.chain"), Outcome::Pass);
    assert_eq!(outcome(v, "signature"), Outcome::Pass);
    assert_eq!(
        v.signer.as_ref().unwrap().organization.as_deref(),
        Some(ORG)
    );
}

#[test]
fn cert_profile_without_tnauthlist_is_437() {
    let v = run_chain(&pki().leaf_with(remove_tn_auth));
    assert_profile_fails(&v, "TNAuthList");
    assert_eq!(v.signer.as_ref().unwrap().spc, None);
}

#[test]
fn cert_profile_ca_true_leaf_is_437() {
    let v = run_chain(&pki().leaf_with(|p| p.is_ca = IsCa::Ca(BasicConstraints::Unconstrained)));
    assert_profile_fails(&v, "CA:TRUE");
}

#[test]
fn cert_profile_key_usage_without_digital_signature_is_437() {
    let v = run_chain(&pki().leaf_with(|p| p.key_usages = vec![KeyUsagePurpose::KeyAgreement]));
    assert_profile_fails(&v, "digitalSignature");
}

#[test]
fn cert_profile_unknown_critical_extension_is_437() {
    let v = run_chain(&pki().leaf_with(|p| {
        let mut e = CustomExtension::from_oid_content(&[1, 3, 6, 1, 4, 1, 99999, 1], vec![5, 0]);
        e.set_criticality(true);
        p.custom_extensions.push(e);
    }));
    assert_profile_fails(&v, "unknown critical extension");
}

#[test]
fn cert_profile_p384_leaf_is_437() {
    let chain = pki().leaf_from(&pki().inter, KeyAlg::P384, |_| {});
    let v = run_chain(&chain);
    // The signature cannot be ES256 with a P-384 key either: reported, and it makes the
    // verstat TN-Validation-Failed.
    assert_invalid(&v, "cert.profile", 437, Verstat::Failed);
    assert!(detail(&v, "cert.profile").contains("P-256"));
    assert_eq!(outcome(&v, "cert.chain"), Outcome::Pass);
    assert_eq!(outcome(&v, "signature"), Outcome::Fail);
    assert_all_checks_ran(&v);
    assert_signer(&v);
}

#[test]
fn cert_profile_delegate_certificate_covering_orig_passes() {
    // TNAuthList with only a number range 12155551200..12155551299 (RFC 9060 delegate cert).
    let chain = pki().leaf_with(|p| set_tn_auth(p, tn_auth_range("12155551200", 100)));
    let v = run_chain(&chain);
    assert_valid(&v, "A");
    // Issued straight from an STI-CA without an STI-SCA: nothing bounds the numbers (a warning).
    assert_eq!(outcome(&v, "cert.delegation"), Outcome::Warn);
    assert!(detail(&v, "cert.delegation").contains("STI-SCA"));
    assert_eq!(v.signer.as_ref().unwrap().spc, None);
}

#[test]
fn cert_profile_delegate_certificate_not_covering_orig_is_437() {
    let chain = pki().leaf_with(|p| set_tn_auth(p, tn_auth_range("12155552000", 100)));
    let v = run_chain(&chain);
    // The coverage rule lives in cert.delegation (CHECKLIST.md), not in cert.profile.
    assert_invalid(&v, "cert.delegation", 437, Verstat::NoValidation);
    assert!(detail(&v, "cert.delegation").contains(ORIG));
}

#[test]
fn cert_profile_untagged_spc_warns() {
    let v = run_chain(&pki().leaf_with(|p| set_tn_auth(p, tn_auth_untagged(SPC))));
    assert_valid(&v, "A");
    assert_eq!(outcome(&v, "cert.profile"), Outcome::Warn);
    assert!(detail(&v, "cert.profile").contains("[0] tag"));
    assert_signer(&v);
}

#[test]
fn cert_profile_lint_findings_only_warn() {
    let chain = pki().leaf_with(|p| {
        remove_policies(p);
        p.serial_number = Some(SerialNumber::from(vec![0x01, 0x02, 0x03]));
        p.crl_distribution_points.clear();
    });
    let v = run_chain(&chain);
    assert_valid(&v, "A");
    assert_eq!(outcome(&v, "cert.profile"), Outcome::Warn);
    let d = detail(&v, "cert.profile");
    assert!(
        d.contains("Certificate Policies") && d.contains("serial") && d.contains("CRL"),
        "{d}"
    );
}

#[test]
fn cert_profile_wrong_cn_is_a_lint() {
    let chain = pki().leaf_with(|p| {
        p.distinguished_name = dn("Example Telecom signing cert", ORG);
    });
    let v = run_chain(&chain);
    assert_valid(&v, "A");
    assert_eq!(outcome(&v, "cert.profile"), Outcome::Warn);
    assert!(detail(&v, "cert.profile").contains("CN"));
}

// =============================================================================================
// cert.chain

#[test]
fn cert_chain_to_the_trust_anchor_passes() {
    let v = run(&standard_invite(), &pki().opts());
    assert_eq!(outcome(&v, "cert.chain"), Outcome::Pass);
    assert!(detail(&v, "cert.chain").contains("Test SHAKEN Root CA"));
}

#[test]
fn cert_chain_with_the_trusted_root_in_the_body_passes() {
    let pem = format!("{}{}", pki().chain.pem, pki().root.pem());
    let v = run(&standard_invite(), &opts_with(&pem));
    assert_valid(&v, "A");
}

fn assert_untrusted(v: &Verdict, what: &str) {
    assert_invalid(v, "cert.chain", 437, Verstat::Failed);
    assert!(
        detail(v, "cert.chain").contains(what),
        "{}",
        detail(v, "cert.chain")
    );
    assert_all_checks_ran(v);
    assert_eq!(outcome(v, "signature"), Outcome::Pass);
    assert_signer(v);
    assert!(v.signer.as_ref().unwrap().anchor.is_none());
}

#[test]
fn cert_chain_untrusted_root_is_437() {
    let other_root = Ca::root("Rogue SHAKEN Root", KeyAlg::P256);
    let other_inter = Ca::issued("Rogue Issuing CA", KeyAlg::P256, &other_root, |_| {});
    let v = run_chain(&pki().leaf_from(&other_inter, KeyAlg::P256, |_| {}));
    assert_untrusted(&v, "not a trust anchor");
}

#[test]
fn cert_chain_root_sent_in_x5u_body_is_not_trusted() {
    let other_root = Ca::root("Rogue SHAKEN Root", KeyAlg::P256);
    let other_inter = Ca::issued("Rogue Issuing CA", KeyAlg::P256, &other_root, |_| {});
    let mut chain = pki().leaf_from(&other_inter, KeyAlg::P256, |_| {});
    chain.pem.push_str(&other_root.pem());
    let v = run_chain(&chain);
    assert_untrusted(&v, "never trusted");
}

#[test]
fn cert_chain_root_with_the_anchors_name_but_another_key_is_not_trusted() {
    // Same subject DN as the trusted root, different key, sent in the body.
    let fake_root = Ca::root("Test SHAKEN Root CA", KeyAlg::P256);
    let fake_inter = Ca::issued("Test SHAKEN Issuing CA", KeyAlg::P256, &fake_root, |_| {});
    let mut chain = pki().leaf_from(&fake_inter, KeyAlg::P256, |_| {});
    chain.pem.push_str(&fake_root.pem());
    let v = run_chain(&chain);
    assert_invalid(&v, "cert.chain", 437, Verstat::Failed);
}

#[test]
fn cert_chain_missing_intermediate_is_437() {
    let chain = Chain {
        pem: pki().chain.leaf_pem.clone(),
        ..pki().chain.clone()
    };
    let v = run_chain(&chain);
    assert_invalid(&v, "cert.chain", 437, Verstat::Failed);
}

#[test]
fn cert_chain_intermediate_without_ca_true_is_437() {
    let inter = Ca::issued("Not A CA", KeyAlg::P256, &pki().root, |p| {
        p.is_ca = IsCa::ExplicitNoCa;
    });
    let v = run_chain(&pki().leaf_from(&inter, KeyAlg::P256, |_| {}));
    assert_untrusted(&v, "cannot act as a CA");
}

/// `cert.chain` reports the most specific problem, not the first one met: a decoy "issuer"
/// (the intermediate's name and key, but CA:FALSE) comes first in the x5u body and fails at the
/// first step; the real intermediate verifies the leaf, then fails one step further, its
/// signature not verifying with the trust anchor's key (it was signed by an impostor root of the
/// same name). The deeper problem is the one to show.
#[test]
fn cert_chain_reports_the_most_specific_problem() {
    let impostor = Ca::root("Test SHAKEN Root CA", KeyAlg::P256);
    let inter = Ca::issued("Test SHAKEN Issuing CA", KeyAlg::P256, &impostor, |p| {
        // No AKI: the name alone links it to the trusted root, so the signature is tried.
        p.use_authority_key_identifier_extension = false;
    });
    let mut decoy_params = Ca::params("Test SHAKEN Issuing CA");
    decoy_params.is_ca = IsCa::ExplicitNoCa;
    let decoy = decoy_params
        .signed_by(&inter.key, &pki().root.issuer())
        .expect("decoy");
    let chain = pki().leaf_from(&inter, KeyAlg::P256, |_| {});
    let served = Chain {
        pem: format!("{}{}{}", chain.leaf_pem, decoy.pem(), inter.pem()),
        ..chain
    };
    let v = run_chain(&served);
    assert_untrusted(&v, "does not verify with the key of");
    let d = detail(&v, "cert.chain");
    assert!(d.contains("Test SHAKEN Issuing CA"), "{d}");
    assert!(!d.contains("cannot act as a CA"), "{d}");
    // Without the real intermediate, the decoy's problem is the only one, and it is reported.
    let decoy_only = Chain {
        pem: format!("{}{}", served.leaf_pem, decoy.pem()),
        ..served.clone()
    };
    assert_untrusted(&run_chain(&decoy_only), "cannot act as a CA");
}

#[test]
fn cert_chain_intermediate_without_key_cert_sign_is_437() {
    let inter = Ca::issued("No keyCertSign CA", KeyAlg::P256, &pki().root, |p| {
        p.key_usages = vec![KeyUsagePurpose::DigitalSignature];
    });
    let v = run_chain(&pki().leaf_from(&inter, KeyAlg::P256, |_| {}));
    assert_untrusted(&v, "keyCertSign");
}

#[test]
fn cert_chain_wrong_issuer_key_is_437() {
    // An impostor CA with the intermediate's name and key identifier but its own key signs the
    // leaf; the x5u body carries the real intermediate. Names and AKI/SKI link, the signature
    // does not verify.
    let real = &pki().inter;
    let mut params = real.params.clone();
    params.key_identifier_method = KeyIdMethod::PreSpecified(real.params.key_identifier(&real.key));
    let impostor_key = KeyAlg::P256.generate();
    let impostor = rcgen::Issuer::from_params(&params, &impostor_key);
    let (leaf_pem, key) = issue_leaf(&impostor, KeyAlg::P256, |_| {});
    let chain = Chain {
        pem: format!("{leaf_pem}{}", real.pem()),
        key,
        leaf_pem,
    };
    let v = run_chain(&chain);
    assert_untrusted(&v, "does not verify");
}

#[test]
fn cert_chain_path_length_constraint_is_enforced() {
    let root = Ca::root_with("PathLen 0 Root", KeyAlg::P256, |p| {
        p.is_ca = IsCa::Ca(BasicConstraints::Constrained(0))
    });
    let inter = Ca::issued("Below PathLen 0", KeyAlg::P256, &root, |_| {});
    let chain = pki().leaf_from(&inter, KeyAlg::P256, |_| {});
    let v = verify(
        &root.trust_store(),
        &Invite::new([chain.sign(&claims())]).text(),
        &opts_with(&chain.pem),
    );
    assert_invalid(&v, "cert.chain", 437, Verstat::Failed);
    assert!(detail(&v, "cert.chain").contains("pathLenConstraint"));
    // A leaf issued directly by that root is within the constraint.
    let direct = pki().leaf_from(&root, KeyAlg::P256, |_| {});
    let v = verify(
        &root.trust_store(),
        &Invite::new([direct.sign(&claims())]).text(),
        &opts_with(&direct.leaf_pem),
    );
    assert_valid(&v, "A");
}

#[test]
fn cert_chain_p384_ca_with_sha384_is_accepted() {
    let root = Ca::root("Test P-384 Root", KeyAlg::P384);
    let inter = Ca::issued("Test P-384 Issuing CA", KeyAlg::P384, &root, |_| {});
    let chain = pki().leaf_from(&inter, KeyAlg::P256, |_| {});
    let trust = root.trust_store();
    let input = Invite::new([chain.sign(&claims())]).text();
    let opts = opts_with(&chain.pem);
    let v = verify(&trust, &input, &opts);
    assert_valid(&v, "A");
    assert_eq!(outcome(&v, "cert.chain"), Outcome::Pass);
    // The leaf signed with ecdsa-with-SHA384 is outside the profile: a lint, not a failure.
    assert_eq!(outcome(&v, "cert.profile"), Outcome::Warn);
    let pending = Verifier::new(trust).prepare(&input, &opts);
    let cert_jobs: Vec<_> = pending
        .jobs()
        .iter()
        .filter(|j| j.purpose == Purpose::Certificate)
        .collect();
    assert!(
        cert_jobs
            .iter()
            .all(|j| j.alg == Alg::ES384 && j.key == KeyKind::P384)
    );
    assert_eq!(cert_jobs.len(), 2, "leaf ← intermediate ← root");
}

// =============================================================================================
// cert.validity

fn assert_validity_fails(v: &Verdict, what: &str) {
    assert_invalid(v, "cert.validity", 437, Verstat::NoValidation);
    assert!(
        detail(v, "cert.validity").contains(what),
        "{}",
        detail(v, "cert.validity")
    );
    assert_all_checks_ran(v);
    assert_eq!(outcome(v, "cert.chain"), Outcome::Pass);
    assert_eq!(outcome(v, "signature"), Outcome::Pass);
    assert_signer(v);
}

#[test]
fn cert_validity_within_the_period_passes() {
    let v = run(&standard_invite(), &pki().opts());
    assert_eq!(outcome(&v, "cert.validity"), Outcome::Pass);
}

#[test]
fn cert_validity_expired_leaf_is_437() {
    let v = run_chain(&pki().leaf_with(|p| validity(p, NOW - 400 * 86400, NOW - 1)));
    assert_validity_fails(&v, "expired");
}

#[test]
fn cert_validity_not_yet_valid_leaf_is_437() {
    let v = run_chain(&pki().leaf_with(|p| validity(p, NOW + 1, NOW + 400 * 86400)));
    assert_validity_fails(&v, "not yet valid");
}

#[test]
fn cert_validity_expired_intermediate_is_437() {
    let inter = Ca::issued("Expired Issuing CA", KeyAlg::P256, &pki().root, |p| {
        validity(p, NOW - 4000 * 86400, NOW - 86400)
    });
    let v = run_chain(&pki().leaf_from(&inter, KeyAlg::P256, |_| {}));
    assert_validity_fails(&v, "Expired Issuing CA");
}

#[test]
fn cert_validity_is_checked_at_iat_too() {
    // The certificate became valid an hour ago; the PASSporT claims to be two hours old and the
    // freshness window is generous, so only the validity at iat fails.
    let chain = pki().leaf_with(|p| validity(p, NOW - 3600, NOW + 86400));
    let mut c = claims();
    c.iat = NOW - 7200;
    let mut opts = opts_with(&chain.pem);
    opts.max_age = 86400;
    let v = run(&Invite::new([chain.sign(&c)]).text(), &opts);
    assert_validity_fails(&v, "at the call time");
}

// =============================================================================================
// cert.revocation

#[test]
fn cert_revocation_without_a_crl_warns_and_does_not_fail() {
    let v = run(&standard_invite(), &pki().opts());
    assert_valid(&v, "A");
    assert_eq!(outcome(&v, "cert.revocation"), Outcome::Warn);
    assert!(detail(&v, "cert.revocation").contains("not checked"));
}

/// A CRL from `ca` listing `serials` (revoked 2025-05-15), valid 2025-05-01 → 2025-07-01.
fn crl_pem(ca: &Ca, serials: &[Vec<u8>]) -> String {
    rcgen::CertificateRevocationListParams {
        this_update: rcgen::date_time_ymd(2025, 5, 1),
        next_update: rcgen::date_time_ymd(2025, 7, 1),
        crl_number: SerialNumber::from(1u64),
        issuing_distribution_point: None,
        revoked_certs: serials
            .iter()
            .map(|s| rcgen::RevokedCertParams {
                serial_number: SerialNumber::from_slice(s),
                revocation_time: rcgen::date_time_ymd(2025, 5, 15),
                reason_code: None,
                invalidity_date: None,
            })
            .collect(),
        key_identifier_method: KeyIdMethod::Sha256,
    }
    .signed_by(&ca.issuer())
    .expect("CRL")
    .pem()
    .expect("PEM")
}

/// The serial of the first certificate in a PEM chain.
fn leaf_serial(pem: &str) -> Vec<u8> {
    match stircheck::__private::cert::chain::parse_chain(pem.as_bytes()).expect("chain") {
        stircheck::__private::cert::chain::Credential::Chain(c) => c[0].serial.clone(),
        _ => unreachable!("a certificate chain"),
    }
}

#[test]
fn cert_revocation_crl_not_listing_the_leaf_passes() {
    let mut opts = pki().opts();
    opts.crls
        .push(crl_pem(&pki().inter, &[vec![0x01, 0x02]]).into_bytes());
    let v = run(&standard_invite(), &opts);
    assert_valid(&v, "A");
    assert_eq!(
        outcome(&v, "cert.revocation"),
        Outcome::Pass,
        "{}",
        dump(&v)
    );
}

#[test]
fn cert_revocation_revoked_leaf_is_437() {
    let mut opts = pki().opts();
    opts.crls
        .push(crl_pem(&pki().inter, &[leaf_serial(&pki().chain.pem)]).into_bytes());
    let v = run(&standard_invite(), &opts);
    assert_invalid(&v, "cert.revocation", 437, Verstat::Failed);
    assert_all_checks_ran(&v);
    assert_eq!(outcome(&v, "signature"), Outcome::Pass);
    assert_signer(&v);
    // A stale iat still decides first (403), the revocation is reported too.
    let mut c = claims();
    c.iat = NOW - 3600;
    let v = run(&Invite::new([pki().sign(&c)]).text(), &opts);
    assert_invalid(&v, "time.iat", 403, Verstat::Failed);
    assert_eq!(outcome(&v, "cert.revocation"), Outcome::Fail);
}

#[test]
fn cert_revocation_is_checked_on_a_chain_cache_hit() {
    let verifier = pki().verifier();
    let v = verifier.verify(&standard_invite(), &pki().opts());
    assert_valid(&v, "A");
    let mut opts = pki().opts();
    opts.crls
        .push(crl_pem(&pki().inter, &[leaf_serial(&pki().chain.pem)]).into_bytes());
    let v = verifier.verify(&standard_invite(), &opts);
    assert_eq!(verifier.cache().stats().0, 1, "a cache hit");
    assert_invalid(&v, "cert.revocation", 437, Verstat::Failed);
}

// =============================================================================================
// signature

fn token_parts(line: &str) -> (String, String, Vec<u8>) {
    let t = token_of(line);
    let mut it = t.split('.');
    let (h, c, s) = (it.next().unwrap(), it.next().unwrap(), it.next().unwrap());
    (
        h.to_string(),
        c.to_string(),
        stircheck::__private::json::b64url_decode(s).unwrap(),
    )
}

fn with_signature(h: &str, c: &str, sig: &[u8]) -> String {
    let token = format!("{h}.{c}.{}", b64url_encode(sig));
    Invite::new([identity(&token, X5U, "shaken")]).text()
}

fn assert_signature_fails(v: &Verdict) {
    assert_invalid(v, "signature", 438, Verstat::Failed);
    assert_all_checks_ran(v);
    assert_eq!(v.checks.iter().filter(|c| c.is_fail()).count(), 1);
    assert_signer(v);
}

#[test]
fn signature_verifies_over_the_received_bytes() {
    // Spaces and a member order no canonical serializer would produce: the signature is over
    // these bytes, so it verifies.
    let header = format!(
        "{{ \"x5u\" : \"{X5U}\", \"typ\":\"passport\",\n \"ppt\":\"shaken\", \"alg\":\"ES256\" }}"
    );
    let claims = format!(
        "{{\"orig\":{{\"tn\":\"{ORIG}\"}}, \"origid\":\"{ORIGID}\", \"iat\":{NOW}, \"dest\":{{\"tn\":[\"{DEST}\"]}}, \"attest\":\"A\"}}"
    );
    let token = jws(&header, &claims, &pki().chain.key);
    let v = run(
        &Invite::new([identity(&token, X5U, "shaken")]).text(),
        &pki().opts(),
    );
    assert_valid(&v, "A");
    assert_eq!(outcome(&v, "signature"), Outcome::Pass);
}

#[test]
fn signature_high_s_is_accepted() {
    let (h, c, _) = token_parts(&pki().sign(&claims()));
    let sig: Signature = pki().chain.key.sign(format!("{h}.{c}").as_bytes());
    let low = sig.normalize_s();
    let (r, s) = low.split_scalars();
    let high = Signature::from_scalars(r, -s).unwrap();
    assert_ne!(high, high.normalize_s(), "really high-S");
    let v = run(&with_signature(&h, &c, &high.to_bytes()), &pki().opts());
    assert_valid(&v, "A");
}

#[test]
fn signature_with_zero_or_out_of_range_scalars_is_438() {
    let (h, c, raw) = token_parts(&pki().sign(&claims()));
    // r = s = 0; and s = n (the P-256 group order), which is not a valid scalar.
    let n = b64url_decode_hex("ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551");
    let mut s_is_n = raw[..32].to_vec();
    s_is_n.extend_from_slice(&n);
    for sig in [vec![0u8; 64], s_is_n] {
        let v = run(&with_signature(&h, &c, &sig), &pki().opts());
        assert_signature_fails(&v);
    }
}

fn b64url_decode_hex(hex: &str) -> Vec<u8> {
    (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap())
        .collect()
}

#[test]
fn signature_der_encoded_is_438() {
    let (h, c, raw) = token_parts(&pki().sign(&claims()));
    let der = Signature::from_slice(&raw).unwrap().to_der();
    let v = run(&with_signature(&h, &c, der.as_bytes()), &pki().opts());
    assert_signature_fails(&v);
    // The hint names DER for the usual 68–72-byte encodings (a shorter one needs r or s with
    // leading zero bytes, about 1 in 65,000 keys).
    if der.as_bytes().len() >= 68 {
        assert!(detail(&v, "signature").contains("DER"));
    }
}

#[test]
fn signature_wrong_length_is_438() {
    let (h, c, raw) = token_parts(&pki().sign(&claims()));
    let v = run(&with_signature(&h, &c, &raw[..63]), &pki().opts());
    assert_signature_fails(&v);
    assert!(detail(&v, "signature").contains("63 bytes"));
}

#[test]
fn signature_over_altered_claims_is_438() {
    // Signed with attest C; the claims segment is swapped for one saying A.
    let mut c = claims();
    c.attest = "C".into();
    let (h, _, sig) = token_parts(&pki().sign(&c));
    let (_, c_a, _) = token_parts(&pki().sign(&claims()));
    let v = run(&with_signature(&h, &c_a, &sig), &pki().opts());
    assert_signature_fails(&v);
    // The claims are shown, but the attestation is not reported: the verdict is invalid.
    assert_eq!(v.identities[0].claims.as_ref().unwrap()["attest"], "A");
}

#[test]
fn signature_by_another_key_is_438() {
    let token = jws_v(&header_value("shaken"), &claims_value(), &other_key());
    let v = run(
        &Invite::new([identity(&token, X5U, "shaken")]).text(),
        &pki().opts(),
    );
    assert_signature_fails(&v);
}

// =============================================================================================
// div

const NEW_DEST: &str = "12155550199";

/// A div PASSporT: the call from `orig` to the original `div_tn` was diverted to `dest`.
fn div_line(orig: &str, dest: &str, div_tn: &str, key: &SigningKey) -> String {
    let claims = json!({
        "dest": { "tn": [dest] },
        "div": { "tn": div_tn },
        "iat": NOW,
        "orig": { "tn": orig },
    });
    identity(&jws_v(&header_value("div"), &claims, key), X5U, "div")
}

/// An INVITE retargeted to NEW_DEST carrying the original SHAKEN PASSporT and `extra`.
fn retargeted(extra: Vec<String>) -> String {
    let mut lines = vec![pki().sign(&claims())];
    lines.extend(extra);
    let mut inv = Invite::new(lines);
    inv.to = Some(format!("<sip:+{NEW_DEST}@ims.example.net;user=phone>"));
    inv.request_uri = format!("sip:+{NEW_DEST}@ims.example.net;user=phone");
    inv.text()
}

#[test]
fn div_chained_to_the_shaken_passport_explains_a_retargeted_call() {
    let div = div_line(ORIG, NEW_DEST, DEST, &pki().chain.key);
    let v = run(&retargeted(vec![div]), &pki().opts());
    assert_valid(&v, "A");
    assert_eq!(outcome(&v, "call.dest"), Outcome::Pass);
    assert!(detail(&v, "call.dest").contains("retargeted"));
    let d = &v.identities[1];
    assert_eq!((d.role, d.status), (Role::Div, IdentityStatus::Valid));
    assert!(
        d.checks
            .iter()
            .any(|c| c.id == "div" && c.outcome == Outcome::Pass)
    );
}

#[test]
fn div_missing_for_a_retargeted_call_is_438() {
    let v = run(&retargeted(vec![]), &pki().opts());
    assert_invalid(&v, "call.dest", 438, Verstat::NoValidation);
}

fn div_check(v: &Verdict, index: usize) -> Outcome {
    v.identities[index]
        .checks
        .iter()
        .find(|c| c.id == "div")
        .map(|c| c.outcome)
        .expect("div check")
}

#[test]
fn div_not_chained_to_the_original_fails_and_cannot_explain_retargeting() {
    // Its div is not the original dest: it does not chain, so the new To stays unexplained.
    let div = div_line(ORIG, NEW_DEST, "12155550000", &pki().chain.key);
    let v = run(&retargeted(vec![div]), &pki().opts());
    assert_invalid(&v, "call.dest", 438, Verstat::NoValidation);
    assert_eq!(div_check(&v, 1), Outcome::Fail);
    assert_eq!(v.identities[1].status, IdentityStatus::Invalid);
    assert_eq!(v.identities[1].sip_code, Some(438));
}

#[test]
fn div_failure_never_flips_a_valid_shaken_verdict() {
    // Not retargeted (To = original dest); the div PASSporT has another orig.
    let div = div_line("12155550000", NEW_DEST, DEST, &pki().chain.key);
    let v = run(
        &Invite::new([pki().sign(&claims()), div]).text(),
        &pki().opts(),
    );
    assert_valid(&v, "A");
    assert_eq!(div_check(&v, 1), Outcome::Fail);
    assert_eq!(v.identities[1].status, IdentityStatus::Invalid);
    assert_eq!(v.identities[1].sip_code, Some(438));
    assert!(v.identities[1].reason.contains("orig"));
}

#[test]
fn div_with_a_bad_signature_is_invalid_on_that_identity_only() {
    let div = div_line(ORIG, NEW_DEST, DEST, &other_key());
    let v = run(
        &Invite::new([pki().sign(&claims()), div.clone()]).text(),
        &pki().opts(),
    );
    assert_valid(&v, "A");
    assert_eq!(v.identities[1].status, IdentityStatus::Invalid);
    // And it cannot explain a retargeted call.
    let v = run(&retargeted(vec![div]), &pki().opts());
    assert_invalid(&v, "call.dest", 438, Verstat::NoValidation);
}

// =============================================================================================
// rcd

fn rcd_line(extra: Value, key: &SigningKey) -> String {
    let mut claims = json!({
        "dest": { "tn": [DEST] },
        "iat": NOW,
        "orig": { "tn": ORIG },
        "rcd": { "nam": "Example Pharmacy" },
    });
    if let (Some(c), Some(e)) = (claims.as_object_mut(), extra.as_object()) {
        c.extend(e.clone());
    }
    identity(&jws_v(&header_value("rcd"), &claims, key), X5U, "rcd")
}

fn rcd_outcome(v: &Verdict, index: usize) -> Outcome {
    v.identities[index]
        .checks
        .iter()
        .find(|c| c.id == "rcd")
        .map(|c| c.outcome)
        .expect("rcd check")
}

#[test]
fn rcd_claims_are_shown_when_verified() {
    let rcd = rcd_line(json!({}), &pki().chain.key);
    let v = run(
        &Invite::new([pki().sign(&claims()), rcd]).text(),
        &pki().opts(),
    );
    assert_valid(&v, "A");
    let r = &v.identities[1];
    assert_eq!((r.role, r.status), (Role::Rcd, IdentityStatus::Valid));
    assert_eq!(rcd_outcome(&v, 1), Outcome::Pass);
    assert_eq!(r.claims.as_ref().unwrap()["rcd"]["nam"], "Example Pharmacy");
}

#[test]
fn rcd_claims_inside_the_shaken_passport_are_shown_when_verified() {
    let mut c = claims_value();
    c["rcd"] = json!({ "nam": "Example Pharmacy" });
    let v = run(&invite_with_claims(&c), &pki().opts());
    assert_valid(&v, "A");
    assert_eq!(outcome(&v, "rcd"), Outcome::Pass);
    assert_eq!(
        v.identities[0].claims.as_ref().unwrap()["rcd"]["nam"],
        "Example Pharmacy"
    );
}

#[test]
fn rcd_with_a_bad_signature_is_invalid_on_that_identity_only() {
    let rcd = rcd_line(json!({}), &other_key());
    let v = run(
        &Invite::new([pki().sign(&claims()), rcd]).text(),
        &pki().opts(),
    );
    assert_valid(&v, "A");
    let r = &v.identities[1];
    assert_eq!(r.status, IdentityStatus::Invalid);
    assert_eq!(r.sip_code, Some(438));
    assert!(r.checks.iter().any(|c| c.id == "signature" && c.is_fail()));
}

#[test]
fn rcd_without_the_rcd_claim_is_438_on_that_identity() {
    let key = &pki().chain.key;
    let claims = json!({ "dest": { "tn": [DEST] }, "iat": NOW, "orig": { "tn": ORIG } });
    let rcd = identity(&jws_v(&header_value("rcd"), &claims, key), X5U, "rcd");
    let v = run(
        &Invite::new([pki().sign(&common::claims()), rcd]).text(),
        &pki().opts(),
    );
    assert_valid(&v, "A");
    assert_eq!(v.identities[1].status, IdentityStatus::Invalid);
    assert_eq!(v.identities[1].sip_code, Some(438));
}

#[test]
fn rcd_integrity_unreadable_digest_fails_the_rcd_passport_only() {
    // rcd.integrity's own cases (match, mismatch, unavailable, skip) are in tests/rcd.rs.
    let rcd = rcd_line(
        json!({ "rcdi": { "/icn": "sha256-AAAA" }, "rcd": { "nam": "Example Pharmacy", "icn": "https://example.com/logo.png" } }),
        &pki().chain.key,
    );
    let v = run(
        &Invite::new([pki().sign(&claims()), rcd]).text(),
        &pki().opts(),
    );
    assert_valid(&v, "A");
    assert_eq!(rcd_outcome(&v, 1), Outcome::Fail);
    assert_eq!(v.identities[1].sip_code, Some(438));
    assert!(!v.rcd.as_ref().expect("verdict.rcd").verified);
}

// =============================================================================================
// Several Identity headers: a valid one decides (RFC 8224 §6.2.2)

#[test]
fn identities_one_valid_header_decides() {
    let bad = jws_v(&header_value("shaken"), &claims_value(), &other_key());
    let v = run(
        &Invite::new([identity(&bad, X5U, "shaken"), pki().sign(&claims())]).text(),
        &pki().opts(),
    );
    assert_valid(&v, "A");
    assert_eq!(v.identities[0].status, IdentityStatus::Invalid);
    assert_eq!(v.identities[0].sip_code, Some(438));
    assert_eq!(v.identities[1].status, IdentityStatus::Valid);
}

#[test]
fn identities_none_valid_the_first_decides() {
    let mut stale = claims();
    stale.iat = NOW - 3600;
    let bad = jws_v(&header_value("shaken"), &claims_value(), &other_key());
    let v = run(
        &Invite::new([pki().sign(&stale), identity(&bad, X5U, "shaken")]).text(),
        &pki().opts(),
    );
    assert_invalid(&v, "time.iat", 403, Verstat::NoValidation);
    assert_eq!(v.identities[1].sip_code, Some(438));
}

// =============================================================================================
// Crypto backends and the two-phase API

#[test]
fn crypto_jobs_cover_the_passport_and_every_ca_signature() {
    let input = standard_invite();
    let pending = pki().verifier().prepare(&input, &pki().opts());
    let jobs = pending.jobs();
    let passport: Vec<_> = jobs
        .iter()
        .filter(|j| j.purpose == Purpose::Passport)
        .collect();
    assert_eq!(passport.len(), 1);
    assert_eq!(
        (passport[0].alg, passport[0].key),
        (Alg::ES256, KeyKind::P256)
    );
    assert_eq!(passport[0].signature.len(), 64);
    assert_eq!(
        passport[0].message,
        token_of(&pki().sign(&claims()))
            .rsplit_once('.')
            .unwrap()
            .0
            .as_bytes(),
        "the signing input is the received header.claims"
    );
    assert_eq!(
        jobs.iter()
            .filter(|j| j.purpose == Purpose::Certificate)
            .count(),
        2
    );
    for b in crypto::all_backends() {
        assert!(
            jobs.iter().all(|j| b.verify(j) == Some(true)),
            "{}",
            b.name()
        );
    }
}

#[test]
fn two_phase_results_from_the_host_are_used() {
    // A host that says every signature is bad: the chain and the signature fail.
    let verifier = pki().verifier();
    let pending = verifier.prepare(&standard_invite(), &pki().opts());
    let n = pending.jobs().len();
    let v = verifier.finish(pending, &vec![Some(false); n]);
    assert_invalid(&v, "cert.chain", 437, Verstat::Failed);
    assert_eq!(outcome(&v, "signature"), Outcome::Fail);
}

#[test]
fn two_phase_finish_with_no_results_falls_back_to_builtin_crypto() {
    for (input, valid) in [
        (standard_invite(), true),
        (
            Invite::new([identity(
                &jws_v(&header_value("shaken"), &claims_value(), &other_key()),
                X5U,
                "shaken",
            )])
            .text(),
            false,
        ),
    ] {
        let verifier = pki().verifier();
        let pending = verifier.prepare(&input, &pki().opts());
        let n = pending.jobs().len();
        for results in [vec![None; n], vec![]] {
            let verifier = pki().verifier();
            let pending = verifier.prepare(&input, &pki().opts());
            let v = verifier.finish(pending, &results);
            assert_eq!(v.status == Status::Valid, valid, "{}", dump(&v));
        }
        let _ = pending;
    }
}

// =============================================================================================
// Chain cache

#[test]
fn chain_cache_second_verification_is_a_hit_with_the_same_verdict() {
    let verifier = pki().verifier();
    let input = standard_invite();
    let first = verifier.verify(&input, &pki().opts());
    assert_eq!(verifier.cache().stats(), (0, 1));
    assert_eq!(verifier.cache().len(), 1);
    let second = verifier.verify(&input, &pki().opts());
    assert_eq!(verifier.cache().stats(), (1, 1));
    assert!(detail(&second, "cert.fetch").contains("cache"));
    // Same verdict: every field, and every check outcome (only the fetch detail says "cache").
    assert_valid(&second, "A");
    assert_eq!(
        (
            first.status,
            first.sip_code,
            first.verstat,
            &first.attest,
            &first.signer
        ),
        (
            second.status,
            second.sip_code,
            second.verstat,
            &second.attest,
            &second.signer
        )
    );
    let outcomes = |v: &Verdict| -> Vec<(&str, Outcome)> {
        v.checks
            .iter()
            .map(|c| (c.id.as_str(), c.outcome))
            .collect()
    };
    assert_eq!(outcomes(&first), outcomes(&second));
    // A hit costs one signature check: no certificate jobs.
    let pending = verifier.prepare(&input, &pki().opts());
    assert_eq!(pending.jobs().len(), 1);
    assert_eq!(pending.jobs()[0].purpose, Purpose::Passport);
}

#[test]
fn chain_cache_hit_still_checks_the_passport_signature() {
    let verifier = pki().verifier();
    verifier.verify(&standard_invite(), &pki().opts());
    let bad = jws_v(&header_value("shaken"), &claims_value(), &other_key());
    let v = verifier.verify(
        &Invite::new([identity(&bad, X5U, "shaken")]).text(),
        &pki().opts(),
    );
    assert_eq!(verifier.cache().stats().0, 1);
    assert_invalid(&v, "signature", 438, Verstat::Failed);
}

#[test]
fn chain_cache_is_not_reused_with_another_trust_store() {
    let verifier = pki().verifier();
    let input = standard_invite();
    verifier.verify(&input, &pki().opts());
    // Per-call trust store that does not hold the root: a miss, and untrusted.
    let other = Ca::root("Other Root", KeyAlg::P256);
    let mut opts = pki().opts();
    opts.trust = Some(other.trust_store());
    let v = verifier.verify(&input, &opts);
    assert_eq!(verifier.cache().stats(), (0, 2));
    assert_invalid(&v, "cert.chain", 437, Verstat::Failed);
    // Another store that also holds the root: still a miss (a different store), but valid.
    let both = format!("{}{}", pki().root.pem(), other.pem());
    opts.trust = Some(Arc::new(
        TrustStore::from_bundles("both", &[both.as_bytes()]).unwrap(),
    ));
    let v = verifier.verify(&input, &opts);
    assert_eq!(verifier.cache().stats(), (0, 3));
    assert_valid(&v, "A");
    assert_eq!(v.trust.name, "both");
}

#[test]
fn chain_cache_does_not_keep_failed_paths() {
    let other_root = Ca::root("Rogue SHAKEN Root", KeyAlg::P256);
    let other_inter = Ca::issued("Rogue Issuing CA", KeyAlg::P256, &other_root, |_| {});
    let chain = pki().leaf_from(&other_inter, KeyAlg::P256, |_| {});
    let verifier = pki().verifier();
    let input = Invite::new([chain.sign(&claims())]).text();
    for _ in 0..2 {
        let v = verifier.verify(&input, &opts_with(&chain.pem));
        assert_invalid(&v, "cert.chain", 437, Verstat::Failed);
    }
    assert_eq!(verifier.cache().stats(), (0, 2));
    assert!(verifier.cache().is_empty());
}

#[test]
fn chain_cache_hit_still_fails_an_expired_leaf() {
    let chain = pki().leaf_with(|p| validity(p, NOW - 86400, NOW + 86400));
    let verifier = pki().verifier();
    let first = verifier.verify(
        &Invite::new([chain.sign(&claims())]).text(),
        &opts_with(&chain.pem),
    );
    assert_valid(&first, "A");
    // Two days later the leaf has expired; the cached path is reused, validity is re-checked.
    let later = NOW + 2 * 86400;
    let mut c = claims();
    c.iat = later;
    let mut opts = opts_with(&chain.pem);
    opts.now = later;
    let v = verifier.verify(&Invite::new([chain.sign(&c)]).text(), &opts);
    assert_eq!(verifier.cache().stats(), (1, 1), "a cache hit");
    assert_invalid(&v, "cert.validity", 437, Verstat::NoValidation);
    assert!(detail(&v, "cert.validity").contains("expired"));
    // And the fresh (uncached) path agrees.
    let fresh = verify(&pki().trust, &Invite::new([chain.sign(&c)]).text(), &opts);
    assert_eq!(
        (fresh.status, fresh.sip_code, fresh.verstat),
        (v.status, v.sip_code, v.verstat)
    );
}

#[test]
fn chain_cache_misses_when_the_served_chain_changes() {
    let verifier = pki().verifier();
    let input = standard_invite();
    verifier.verify(&input, &pki().opts());
    let pem = format!("{}{}", pki().chain.pem, pki().root.pem());
    let v = verifier.verify(&input, &opts_with(&pem));
    assert_valid(&v, "A");
    assert_eq!(verifier.cache().stats(), (0, 2));
}

// =============================================================================================
// Extreme values never panic (a panic is a bug on any input)

#[test]
fn time_iat_absurd_date_header_is_not_a_panic() {
    for date in [
        "Sun, 01 Jun 99999999999999 12:00:00 GMT",
        "Sun, 01 Jun 0001 12:00:00 GMT",
        "Sun, 01 Jun -9999999999 12:00:00 GMT",
    ] {
        let mut c = claims_value();
        c["iat"] = json!(i64::MAX);
        let mut inv = Invite::new([identity(
            &jws_v(&header_value("shaken"), &c, &pki().chain.key),
            X5U,
            "shaken",
        )]);
        inv.date = Some(date.into());
        let v = run(&inv.text(), &pki().opts());
        assert_invalid(&v, "time.iat", 403, Verstat::NoValidation);
        // And with a sane iat the absurd Date is only a warning.
        let mut inv = Invite::new([pki().sign(&claims())]);
        inv.date = Some(date.into());
        let v = run(&inv.text(), &pki().opts());
        assert_eq!(v.status, Status::Valid, "{date}\n{}", dump(&v));
    }
}

#[test]
fn time_iat_extreme_verification_times_are_not_a_panic() {
    for now in [i64::MIN, i64::MAX, -1] {
        let mut opts = pki().opts();
        opts.now = now;
        let v = run(&standard_invite(), &opts);
        assert_invalid(&v, "time.iat", 403, Verstat::NoValidation);
        assert_eq!(outcome(&v, "cert.validity"), Outcome::Fail);
    }
}

// =============================================================================================
// Verdict mapping: the first failing check, in checklist order, decides the code and reason;
// every other problem is still reported.

#[test]
fn verdict_first_failing_check_decides_the_code() {
    // x5u ≠ info (436) on a P-384 leaf (437): 436.
    let chain = pki().leaf_from(&pki().inter, KeyAlg::P384, |_| {});
    let token = token_of(&chain.sign(&claims())).to_string();
    let v = run(
        &Invite::new([identity(
            &token,
            "https://other.example.com/c.pem",
            "shaken",
        )])
        .text(),
        &opts_with(&chain.pem),
    );
    assert_invalid(&v, "x5u.url", 436, Verstat::Failed);
    assert_eq!(outcome(&v, "cert.profile"), Outcome::Fail);
    assert!(v.reason.contains("(and 2 more problems)"), "{}", v.reason);

    // Missing attest (438) and stale iat (403): 438, and the staleness is still reported.
    let mut c = claims_value();
    c.as_object_mut().unwrap().remove("attest");
    c["iat"] = json!(NOW - 3600);
    let v = run(&invite_with_claims(&c), &pki().opts());
    assert_invalid(&v, "passport.claims", 438, Verstat::NoValidation);
    assert_eq!(outcome(&v, "time.iat"), Outcome::Fail);

    // No TNAuthList (437) and a bad signature (438): 437, verstat failed because of the signature.
    let chain = pki().leaf_with(remove_tn_auth);
    let token = jws_v(&header_value("shaken"), &claims_value(), &other_key());
    let v = run(
        &Invite::new([identity(&token, X5U, "shaken")]).text(),
        &opts_with(&chain.pem),
    );
    assert_invalid(&v, "cert.profile", 437, Verstat::Failed);
    assert_eq!(outcome(&v, "signature"), Outcome::Fail);

    // Wrong dest (438) on an untrusted chain (437): 438, verstat failed because of the chain.
    let other_root = Ca::root("Rogue SHAKEN Root", KeyAlg::P256);
    let chain = pki().leaf_from(&other_root, KeyAlg::P256, |_| {});
    let mut inv = Invite::new([chain.sign(&claims())]);
    inv.to = Some("<tel:+12155559999>".into());
    inv.request_uri = "tel:+12155559999".into();
    let v = run(&inv.text(), &opts_with(&chain.pem));
    assert_invalid(&v, "call.dest", 438, Verstat::Failed);
    assert_eq!(outcome(&v, "cert.chain"), Outcome::Fail);
    assert_all_checks_ran(&v);
}

#[test]
fn test_pki_tnauthlist_der_is_the_rfc8226_form() {
    assert_eq!(
        tn_auth_spc(SPC),
        [0x30, 0x08, 0xa0, 0x06, 0x16, 0x04, b'1', b'2', b'3', b'A']
    );
    assert_eq!(
        tn_auth_untagged(SPC),
        [0x30, 0x06, 0x16, 0x04, b'1', b'2', b'3', b'A']
    );
    let l = stircheck::__private::cert::tnauth::decode(&tn_auth_range("12155551200", 100)).unwrap();
    assert!(l.covers("12155551299") && !l.covers("12155551300"));
}

#[test]
fn div_explains_retargeting_for_the_valid_shaken_header_among_several() {
    // A broken SHAKEN header first, then the valid one, then a div chained to it.
    let bad = jws_v(&header_value("shaken"), &claims_value(), &other_key());
    let div = div_line(ORIG, NEW_DEST, DEST, &pki().chain.key);
    let mut lines = vec![identity(&bad, X5U, "shaken"), pki().sign(&claims()), div];
    let mut inv = Invite::new(lines.drain(..));
    inv.to = Some(format!("<sip:+{NEW_DEST}@ims.example.net;user=phone>"));
    inv.request_uri = format!("sip:+{NEW_DEST}@ims.example.net;user=phone");
    let v = run(&inv.text(), &pki().opts());
    assert_valid(&v, "A");
}

#[test]
fn chain_cache_hit_reports_an_unsupported_leaf_key_like_a_miss() {
    // An Ed25519 leaf under the trusted intermediate: the path is valid (so it is cached), the
    // key cannot verify ES256. A cache hit must say the same as the first verification.
    let mut p = leaf_params();
    p.serial_number = None;
    let kp = rcgen::KeyPair::generate_for(&rcgen::PKCS_ED25519).unwrap();
    let leaf = p.signed_by(&kp, &pki().inter.issuer()).unwrap();
    let pem = format!("{}{}", leaf.pem(), pki().inter.pem());
    let verifier = pki().verifier();
    let input = standard_invite();
    let first = verifier.verify(&input, &opts_with(&pem));
    let second = verifier.verify(&input, &opts_with(&pem));
    assert_eq!(verifier.cache().stats(), (1, 1));
    assert_invalid(&first, "cert.profile", 437, Verstat::Failed);
    let details = |v: &Verdict| -> Vec<(&str, Outcome, String)> {
        v.checks
            .iter()
            .filter(|c| c.id != "cert.fetch")
            .map(|c| (c.id.as_str(), c.outcome, c.detail.to_string()))
            .collect()
    };
    assert_eq!(details(&first), details(&second));
}

#[test]
fn cert_chain_rsa_root_with_sha256_rsa_is_accepted() {
    // Some real STI-CA roots are RSA and sign their issuing CAs with sha256WithRSAEncryption.
    let root = Ca::root_from_key("Test RSA Root", rsa_key());
    let inter = Ca::issued("Test Issuing CA under RSA", KeyAlg::P256, &root, |_| {});
    let chain = pki().leaf_from(&inter, KeyAlg::P256, |_| {});
    let trust = root.trust_store();
    let input = Invite::new([chain.sign(&claims())]).text();
    let v = verify(&trust, &input, &opts_with(&chain.pem));
    assert_valid(&v, "A");
    let pending = Verifier::new(trust.clone()).prepare(&input, &opts_with(&chain.pem));
    assert!(
        pending
            .jobs()
            .iter()
            .any(|j| j.alg == Alg::RS256 && j.key == KeyKind::Rsa)
    );
    // The same intermediate with a corrupted RSA signature does not chain.
    let mut der = inter.cert.der().to_vec();
    let n = der.len();
    der[n - 5] ^= 0x01;
    let bad_inter = der::pem::encode_string("CERTIFICATE", der::pem::LineEnding::LF, &der).unwrap();
    let pem = format!("{}{bad_inter}", chain.leaf_pem);
    let v = verify(&trust, &input, &opts_with(&pem));
    assert_invalid(&v, "cert.chain", 437, Verstat::Failed);
}

#[test]
fn input_sip_response_with_lowercase_header_names() {
    let line = pki().sign(&claims());
    let text = format!(
        "SIP/2.0 180 Ringing\r\nfrom: <sip:+{ORIG}@a.example.com;user=phone>;tag=1\r\nto: <sip:+{DEST}@b.example.net;user=phone>;tag=2\r\nidentity: {}\r\n\r\n",
        value_of(&line)
    );
    let v = run(&text, &pki().opts());
    assert_valid(&v, "A");
    assert!(detail(&v, "input").contains("SIP response"));
    assert_eq!(outcome(&v, "call.orig"), Outcome::Pass);
}

#[test]
fn identity_syntax_ppt_parameter_is_optional() {
    let v = run(&with_params(&format!(";info=<{X5U}>")), &pki().opts());
    assert_valid(&v, "A");
    assert_eq!(outcome(&v, "identity.syntax"), Outcome::Pass);
    assert_eq!(v.identities[0].role, Role::Shaken, "the JOSE header's ppt");
}

#[test]
fn input_comma_separated_identity_values_and_body_lines() {
    // Two Identity values in one header field (RFC 3261 §7.3.1), and an "Identity:" line in the
    // message body, which is not a header.
    let shaken = pki().sign(&claims());
    let rcd = rcd_line(json!({}), &pki().chain.key);
    let inv = Invite::new([format!("{shaken}, {}", value_of(&rcd))]);
    let text = format!(
        "{}v=0\r\nIdentity: {}\r\n",
        inv.text(),
        value_of(&pki().sign(&claims()))
    );
    let v = run(&text, &pki().opts());
    assert_valid(&v, "A");
    assert_eq!(v.identities.len(), 2, "{}", dump(&v));
    assert_eq!(v.identities[1].role, Role::Rcd);
}

#[test]
fn identity_present_div_alone_attests_nothing() {
    // A div PASSporT extends a SHAKEN one; on its own it says nothing about the caller.
    let mut c = claims_value();
    c.as_object_mut()
        .unwrap()
        .insert("div".into(), serde_json::json!({ "tn": DEST }));
    let token = jws_v(&header_value("div"), &c, &pki().chain.key);
    let v = run(
        &Invite::new([identity(&token, X5U, "div")]).text(),
        &pki().opts(),
    );
    assert_eq!(v.status, Status::NoIdentity);
    assert_eq!(v.sip_code, Some(428));
    assert!(v.attest.is_none());
    assert_eq!(outcome(&v, "identity.present"), Outcome::Fail);
    assert!(v.reason.contains("div"), "{}", v.reason);
    assert_eq!(
        v.identities[0].role,
        Role::Div,
        "the div identity is still evaluated and shown"
    );
}

// =============================================================================================
// cert.delegation and cert.constraints (RFC 9060, ATIS-1000092; RFC 8226 §8, RFC 9118)
//
// A delegate PKI on top of the shared one: root → STI-CA intermediate → STI-SCA (a CA whose
// TNAuthList holds Example Carrier's SPC 123A) → delegate CA (12155551200–12155551299) → nested
// delegate CA (12155551200–12155551249) → delegate leaf for the numbers under test.

mod delegate_pki {
    use super::*;
    use rcgen::CertificateParams;
    use std::sync::OnceLock;

    pub const SCA_ORG: &str = "Example Carrier";
    pub const OID_JWT: &[u64] = &[1, 3, 6, 1, 5, 5, 7, 1, 27];
    pub const OID_EJWT: &[u64] = &[1, 3, 6, 1, 5, 5, 7, 1, 33];

    /// One TNAuthList entry.
    pub enum E<'a> {
        One(&'a str),
        Range(&'a str, u32),
    }

    /// A TNAuthList of TN and range entries (EXPLICIT tags, RFC 8226 §9).
    pub fn tn_list(entries: &[E<'_>]) -> Vec<u8> {
        let body: Vec<u8> = entries
            .iter()
            .flat_map(|e| match e {
                E::One(tn) => tlv(0xa2, &tlv(0x16, tn.as_bytes())),
                E::Range(start, count) => {
                    let mut c = count.to_be_bytes().to_vec();
                    while c.len() > 1 && c[0] == 0 && c[1] < 0x80 {
                        c.remove(0);
                    }
                    let inner = [tlv(0x16, start.as_bytes()), tlv(0x02, &c)].concat();
                    tlv(0xa1, &tlv(0x30, &inner))
                }
            })
            .collect();
        tlv(0x30, &body)
    }

    fn names(list: &[&str]) -> Vec<u8> {
        tlv(
            0x30,
            &list
                .iter()
                .flat_map(|n| tlv(0x16, n.as_bytes()))
                .collect::<Vec<u8>>(),
        )
    }

    /// Claim constraints DER: `[0] mustInclude`, `[1] permittedValues`, `[2] mustExclude`
    /// (EXPLICIT); with `enhanced == false` the RFC 8226 form (no `[2]`).
    pub fn constraints_der(
        must_include: &[&str],
        permitted: &[(&str, &[&str])],
        must_exclude: &[&str],
    ) -> Vec<u8> {
        let mut body = Vec::new();
        if !must_include.is_empty() {
            body.extend(tlv(0xa0, &names(must_include)));
        }
        if !permitted.is_empty() {
            let list: Vec<u8> = permitted
                .iter()
                .flat_map(|(claim, values)| {
                    let vals: Vec<u8> = values
                        .iter()
                        .flat_map(|v| tlv(0x0c, v.as_bytes()))
                        .collect();
                    tlv(
                        0x30,
                        &[tlv(0x16, claim.as_bytes()), tlv(0x30, &vals)].concat(),
                    )
                })
                .collect();
            body.extend(tlv(0xa1, &tlv(0x30, &list)));
        }
        if !must_exclude.is_empty() {
            body.extend(tlv(0xa2, &names(must_exclude)));
        }
        tlv(0x30, &body)
    }

    pub fn enhanced_ext(
        must_include: &[&str],
        permitted: &[(&str, &[&str])],
        must_exclude: &[&str],
    ) -> CustomExtension {
        CustomExtension::from_oid_content(
            OID_EJWT,
            constraints_der(must_include, permitted, must_exclude),
        )
    }

    pub fn jwt_ext(must_include: &[&str], permitted: &[(&str, &[&str])]) -> CustomExtension {
        CustomExtension::from_oid_content(OID_JWT, constraints_der(must_include, permitted, &[]))
    }

    /// A CA under `issuer` with this name and TNAuthList (and `f` applied).
    pub fn ca(
        cn: &str,
        o: &str,
        tn_auth: Vec<u8>,
        issuer: &Ca,
        f: impl FnOnce(&mut CertificateParams),
    ) -> Ca {
        Ca::issued(cn, KeyAlg::P256, issuer, |p| {
            p.distinguished_name = dn(cn, o);
            p.custom_extensions.push(tn_auth_ext(tn_auth));
            f(p);
        })
    }

    pub struct Delegation {
        pub sca: Ca,
        pub dca: Ca,
        pub nca: Ca,
    }

    pub fn shared() -> &'static Delegation {
        static D: OnceLock<Delegation> = OnceLock::new();
        D.get_or_init(|| {
            let sca = ca(
                "SHAKEN 123A STI-SCA",
                SCA_ORG,
                tn_auth_spc(SPC),
                &pki().inter,
                |_| {},
            );
            let dca = ca(
                "Example BPO delegate CA",
                "Example BPO LLC",
                tn_list(&[E::Range("12155551200", 100)]),
                &sca,
                |_| {},
            );
            let nca = ca(
                "Example BPO client CA",
                "Example BPO LLC",
                tn_list(&[E::Range("12155551200", 50)]),
                &dca,
                |_| {},
            );
            Delegation { sca, dca, nca }
        })
    }

    /// A delegate leaf with this TNAuthList (and `f`), issued by `cas[0]`; the chain is the
    /// leaf, `cas` in order, then the STI-CA intermediate.
    pub fn leaf(tn_auth: Vec<u8>, cas: &[&Ca], f: impl FnOnce(&mut CertificateParams)) -> Chain {
        let (leaf_pem, key) = issue_leaf(&cas[0].issuer(), KeyAlg::P256, |p| {
            p.distinguished_name = dn("Example BPO calling for Client Co", "Example BPO LLC");
            set_tn_auth(p, tn_auth);
            f(p);
        });
        let mut pem = leaf_pem.clone();
        for c in cas {
            pem.push_str(&c.pem());
        }
        pem.push_str(&pki().inter.pem());
        Chain { pem, key, leaf_pem }
    }

    /// The standard leaf path: under the nested delegate CA.
    pub fn nested_leaf(tn_auth: Vec<u8>, f: impl FnOnce(&mut CertificateParams)) -> Chain {
        let d = shared();
        leaf(tn_auth, &[&d.nca, &d.dca, &d.sca], f)
    }
}

use delegate_pki::E;

/// Verify the standard call (or one with attestation `attest`) signed with `chain`.
fn run_delegate(chain: &Chain, attest: &str) -> Verdict {
    let mut c = claims();
    c.attest = attest.into();
    run(
        &Invite::new([chain.sign(&c)]).text(),
        &opts_with(&chain.pem),
    )
}

#[test]
fn cert_delegation_orig_inside_a_tn_list_passes_through_nested_delegate_cas() {
    let chain = delegate_pki::nested_leaf(
        delegate_pki::tn_list(&[E::One("12155551201"), E::One(ORIG), E::One("12155551230")]),
        |_| {},
    );
    let v = run_delegate(&chain, "A");
    assert_valid(&v, "A");
    assert_all_checks_ran(&v);
    assert_eq!(
        outcome(&v, "cert.delegation"),
        Outcome::Pass,
        "{}",
        dump(&v)
    );
    let d = detail(&v, "cert.delegation");
    assert!(
        d.contains(ORIG) && d.contains("Example Carrier's STI-SCA (SPC 123A)"),
        "{d}"
    );
    assert!(d.contains("2 delegate CA certificates"), "{d}");
    assert_eq!(outcome(&v, "cert.constraints"), Outcome::Skip);
    // The signer card facts, produced in the core.
    let s = v.signer.as_ref().unwrap();
    let del = s.delegate.as_ref().expect("delegate facts");
    assert_eq!(del.tns, ["12155551201", ORIG, "12155551230"]);
    assert_eq!(del.count, 3);
    assert_eq!(del.issuer_spc.as_deref(), Some(SPC));
    assert_eq!(del.issuer_org.as_deref(), Some(delegate_pki::SCA_ORG));
    assert_eq!(del.nested, 2);
    assert_eq!(
        del.sentence,
        "signed with a delegate certificate for 3 numbers issued by Example Carrier's STI-SCA (SPC 123A) through 2 delegate CAs"
    );
    assert_eq!(
        s.chain.len(),
        6,
        "leaf, 2 delegate CAs, STI-SCA, STI-CA, root"
    );
    let json = serde_json::to_value(&v).unwrap();
    assert_eq!(json["signer"]["delegate"]["count"], 3);
    assert!(
        json["signer"].get("constraints").is_none(),
        "additive: absent when empty"
    );
}

#[test]
fn cert_delegation_orig_at_both_ends_of_a_range_passes() {
    // ORIG = 12155551212 as the first and as the last number of a 10-number range.
    for start in ["12155551212", "12155551203"] {
        let chain =
            delegate_pki::nested_leaf(delegate_pki::tn_list(&[E::Range(start, 10)]), |_| {});
        let v = run_delegate(&chain, "A");
        assert_valid(&v, "A");
        assert_eq!(
            outcome(&v, "cert.delegation"),
            Outcome::Pass,
            "{start}\n{}",
            dump(&v)
        );
        let r = &v.signer.as_ref().unwrap().delegate.as_ref().unwrap().ranges[0];
        assert_eq!((r.start.as_str(), r.count), (start, 10));
    }
}

#[test]
fn cert_delegation_one_past_the_end_of_the_range_is_437() {
    // 12155551202 + 10 ends at 12155551211, one before ORIG.
    let chain = delegate_pki::nested_leaf(
        delegate_pki::tn_list(&[E::Range("12155551202", 10)]),
        |_| {},
    );
    let v = run_delegate(&chain, "A");
    assert_invalid(&v, "cert.delegation", 437, Verstat::NoValidation);
    assert_all_checks_ran(&v);
    let d = detail(&v, "cert.delegation");
    assert!(
        d.contains(ORIG) && d.contains("12155551202–12155551211"),
        "{d}"
    );
    // Everything else about the chain is fine: only this check fails.
    assert_eq!(
        v.checks.iter().filter(|c| c.is_fail()).count(),
        1,
        "{}",
        dump(&v)
    );
}

#[test]
fn cert_delegation_child_range_outside_the_parents_is_437() {
    // The leaf's range runs to 12155551251; its issuer holds only up to 12155551249.
    let chain = delegate_pki::nested_leaf(
        delegate_pki::tn_list(&[E::Range("12155551212", 40)]),
        |_| {},
    );
    let v = run_delegate(&chain, "A");
    assert_invalid(&v, "cert.delegation", 437, Verstat::NoValidation);
    let d = detail(&v, "cert.delegation");
    assert!(
        d.contains("outside") && d.contains("Example BPO client CA"),
        "{d}"
    );
    // A nested delegate CA that claims more than its parent delegate CA holds.
    let d0 = delegate_pki::shared();
    let wide = delegate_pki::ca(
        "Example BPO wide CA",
        "Example BPO LLC",
        delegate_pki::tn_list(&[E::Range("12155551150", 100)]),
        &d0.dca,
        |_| {},
    );
    let chain = delegate_pki::leaf(
        delegate_pki::tn_list(&[E::One(ORIG)]),
        &[&wide, &d0.dca, &d0.sca],
        |_| {},
    );
    let v = run_delegate(&chain, "A");
    assert_invalid(&v, "cert.delegation", 437, Verstat::NoValidation);
    let d = detail(&v, "cert.delegation");
    assert!(
        d.contains("Example BPO wide CA") && d.contains("12155551150–12155551249"),
        "{d}"
    );
}

#[test]
fn cert_delegation_sti_sca_may_issue_delegate_certificates_directly() {
    let d0 = delegate_pki::shared();
    let chain = delegate_pki::leaf(
        delegate_pki::tn_list(&[E::Range("12155551210", 5)]),
        &[&d0.sca],
        |_| {},
    );
    let v = run_delegate(&chain, "B");
    assert_valid(&v, "B");
    assert_eq!(outcome(&v, "cert.delegation"), Outcome::Pass);
    assert_eq!(outcome(&v, "cert.profile"), Outcome::Pass, "{}", dump(&v));
    let del = v.signer.as_ref().unwrap().delegate.clone().unwrap();
    assert_eq!(
        del.sentence,
        "signed with a delegate certificate for 5 numbers issued by Example Carrier's STI-SCA (SPC 123A)"
    );
}

#[test]
fn cert_delegation_spc_certificates_are_not_delegate_certificates() {
    let v = run(&standard_invite(), &pki().opts());
    assert_valid(&v, "A");
    assert_eq!(outcome(&v, "cert.delegation"), Outcome::Skip);
    assert!(detail(&v, "cert.delegation").contains("SPC 123A"));
    assert!(v.signer.as_ref().unwrap().delegate.is_none());
    let json = serde_json::to_value(&v).unwrap();
    assert!(
        json["signer"].get("delegate").is_none(),
        "additive: absent for SPC signers"
    );
}

#[test]
fn cert_delegation_and_constraints_skip_without_a_certificate() {
    let mut o = Options::at(NOW);
    o.fetch_errors.insert(X5U.into(), "HTTP 404".into());
    let v = run(&standard_invite(), &o);
    assert_all_checks_ran(&v);
    assert_eq!(outcome(&v, "cert.delegation"), Outcome::Skip);
    assert_eq!(outcome(&v, "cert.constraints"), Outcome::Skip);
}

#[test]
fn cert_constraints_met_pass_and_are_shown() {
    let chain = delegate_pki::nested_leaf(delegate_pki::tn_list(&[E::One(ORIG)]), |p| {
        p.custom_extensions.push(delegate_pki::enhanced_ext(
            &["attest"],
            &[("attest", &["A", "B"])],
            &["rcd"],
        ))
    });
    let v = run_delegate(&chain, "A");
    assert_valid(&v, "A");
    assert_eq!(
        outcome(&v, "cert.constraints"),
        Outcome::Pass,
        "{}",
        dump(&v)
    );
    let d = detail(&v, "cert.constraints");
    assert!(
        d.contains("must include attest") && d.contains("must exclude rcd"),
        "{d}"
    );
    let c = &v.signer.as_ref().unwrap().constraints;
    assert_eq!(c.len(), 1);
    assert_eq!(c[0].constraints.must_exclude, ["rcd"]);
    let json = serde_json::to_value(&v).unwrap();
    assert_eq!(
        json["signer"]["constraints"][0]["kind"],
        "EnhancedJWTClaimConstraints"
    );
    assert_eq!(
        json["signer"]["constraints"][0]["permitted_values"][0]["claim"],
        "attest"
    );
}

#[test]
fn cert_constraints_must_include_missing_is_438() {
    let chain = delegate_pki::nested_leaf(delegate_pki::tn_list(&[E::One(ORIG)]), |p| {
        p.custom_extensions
            .push(delegate_pki::enhanced_ext(&["rcd"], &[], &[]))
    });
    let v = run_delegate(&chain, "A");
    assert_invalid(&v, "cert.constraints", 438, Verstat::Failed);
    assert_all_checks_ran(&v);
    let d = detail(&v, "cert.constraints");
    assert!(
        d.contains("\"rcd\"")
            && d.contains("mustInclude")
            && d.contains("Example BPO calling for Client Co"),
        "{d}"
    );
}

#[test]
fn cert_constraints_permitted_values_violated_is_438() {
    let chain = delegate_pki::nested_leaf(delegate_pki::tn_list(&[E::One(ORIG)]), |p| {
        p.custom_extensions
            .push(delegate_pki::enhanced_ext(&[], &[("attest", &["A"])], &[]))
    });
    assert_valid(&run_delegate(&chain, "A"), "A");
    let v = run_delegate(&chain, "B");
    assert_invalid(&v, "cert.constraints", 438, Verstat::Failed);
    let d = detail(&v, "cert.constraints");
    assert!(
        d.contains("\"attest\" is \"B\"") && d.contains("\"A\""),
        "{d}"
    );
}

#[test]
fn cert_constraints_must_exclude_present_is_438() {
    // origid is in every SHAKEN PASSporT.
    let chain = delegate_pki::nested_leaf(delegate_pki::tn_list(&[E::One(ORIG)]), |p| {
        p.custom_extensions
            .push(delegate_pki::enhanced_ext(&[], &[], &["origid"]))
    });
    let v = run_delegate(&chain, "A");
    assert_invalid(&v, "cert.constraints", 438, Verstat::Failed);
    let d = detail(&v, "cert.constraints");
    assert!(d.contains("\"origid\"") && d.contains("mustExclude"), "{d}");
}

#[test]
fn cert_constraints_on_an_intermediate_apply_to_the_leaf_438() {
    // RFC 8226 JWTClaimConstraints on the delegate CA: only attestation A below it.
    let d0 = delegate_pki::shared();
    let limited = delegate_pki::ca(
        "Example BPO A-only CA",
        "Example BPO LLC",
        delegate_pki::tn_list(&[E::Range("12155551200", 100)]),
        &d0.sca,
        |p| {
            p.custom_extensions
                .push(delegate_pki::jwt_ext(&[], &[("attest", &["A"])]))
        },
    );
    let chain = delegate_pki::leaf(
        delegate_pki::tn_list(&[E::One(ORIG)]),
        &[&limited, &d0.sca],
        |_| {},
    );
    assert_valid(&run_delegate(&chain, "A"), "A");
    let v = run_delegate(&chain, "C");
    assert_invalid(&v, "cert.constraints", 438, Verstat::Failed);
    let d = detail(&v, "cert.constraints");
    assert!(
        d.contains("Example BPO A-only CA")
            && d.contains("JWTClaimConstraints")
            && d.contains("\"C\""),
        "{d}"
    );
    assert_eq!(outcome(&v, "cert.delegation"), Outcome::Pass);
}

#[test]
fn cert_constraints_apply_to_spc_certificates_too() {
    let chain = pki().leaf_with(|p| {
        p.custom_extensions
            .push(delegate_pki::enhanced_ext(&[], &[], &["rcd"]))
    });
    let v = run_chain(&chain);
    assert_valid(&v, "A");
    assert_eq!(outcome(&v, "cert.delegation"), Outcome::Skip);
    assert_eq!(outcome(&v, "cert.constraints"), Outcome::Pass);
}

#[test]
fn cert_constraints_unreadable_extension_is_438() {
    let chain = pki().leaf_with(|p| {
        p.custom_extensions.push(CustomExtension::from_oid_content(
            delegate_pki::OID_EJWT,
            vec![0x30, 0x00],
        ))
    });
    let v = run_chain(&chain);
    assert_invalid(&v, "cert.constraints", 438, Verstat::Failed);
    assert!(detail(&v, "cert.constraints").contains("cannot be read"));
}

#[test]
fn cert_profile_delegate_lints_differ_from_sp_lints() {
    // A delegate leaf with an SPC mixed in and a one-number range: lints, not failures. (Under a
    // delegate CA the SPC would claim more than the CA holds, so it sits under the STI-SCA.)
    let d0 = delegate_pki::shared();
    let chain = delegate_pki::leaf(
        {
            let mut der = delegate_pki::tn_list(&[E::One(ORIG), E::Range("12155551230", 1)]);
            // Prepend an SPC entry: 30 len [a0 06 16 04 "123A"] ...
            let spc = tlv(0xa0, &tlv(0x16, SPC.as_bytes()));
            let inner = [spc, der[2..].to_vec()].concat();
            der = tlv(0x30, &inner);
            der
        },
        &[&d0.sca],
        |_| {},
    );
    let v = run_delegate(&chain, "A");
    assert_valid(&v, "A");
    assert_eq!(outcome(&v, "cert.profile"), Outcome::Warn);
    let d = detail(&v, "cert.profile");
    assert!(d.contains("mixes an SPC") && d.contains("count 1"), "{d}");
    // No SP-only lint: the CN is not expected to be "SHAKEN <SPC>" for a delegate certificate.
    assert!(!d.contains("expected \"SHAKEN"), "{d}");
}

#[test]
fn cert_delegation_reason_names_the_holder_and_who_delegated() {
    let chain = delegate_pki::nested_leaf(delegate_pki::tn_list(&[E::One(ORIG)]), |_| {});
    let v = run_delegate(&chain, "A");
    assert_valid(&v, "A");
    assert!(
        v.reason.starts_with("Signed by Example BPO LLC with attestation A, signed with a delegate certificate for 1 number issued by Example Carrier's STI-SCA (SPC 123A) through 2 delegate CAs"),
        "{}",
        v.reason
    );
}
