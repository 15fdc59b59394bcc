//! The answer for a person (`outcome` and `summary`, src/summary.rs): every outcome, and the
//! headline and action for each failing check, on the test PKI generated in code (tests/common).
//! Paste shapes (src/paste.rs) are in tests/paste.rs.

mod common;

use common::*;
use rcgen::{KeyIdMethod, SerialNumber};
use serde_json::json;
use stircheck::summary::{CallOutcome, MAX_HEADLINE};
use stircheck::verdict::Status;
use stircheck::{Options, Verdict};

fn pki() -> &'static Pki {
    Pki::shared()
}

const SIGNER: &str = "Example Telecom Inc (SPC 123A)";

/// The outcome is `want`; the headline is one plain sentence within the limit, with none of the
/// engine's internals; the action is present; both mention what they must.
fn assert_answer(v: &Verdict, want: CallOutcome, headline_has: &str, action_has: &str) {
    let s = &v.summary;
    assert_eq!(v.outcome, want, "{}\nheadline: {}", dump(v), s.headline);
    assert!(!s.headline.is_empty());
    assert!(
        s.headline.chars().count() <= MAX_HEADLINE,
        "{} chars: {}",
        s.headline.chars().count(),
        s.headline
    );
    for internal in ["eyJ", "offset", "0x", "0b", "base64", "{", "RFC "] {
        assert!(
            !s.headline.contains(internal),
            "headline shows {internal:?}: {}",
            s.headline
        );
    }
    assert!(
        s.headline.contains(headline_has),
        "headline {:?} lacks {headline_has:?}\n{}",
        s.headline,
        dump(v)
    );
    let action = s.action.as_deref().expect("an action");
    assert!(
        action.contains(action_has),
        "action {action:?} lacks {action_has:?}"
    );
    if want == CallOutcome::Unverified {
        let text = format!("{} {action}", s.headline).to_lowercase();
        for word in ["forg", "altered", "fake", "do not trust", "not valid"] {
            assert!(
                !text.contains(word),
                "could-not-check worded as a forgery ({word}): {text}"
            );
        }
    }
}

fn standard_invite() -> String {
    Invite::new([pki().sign(&claims())]).text()
}

fn run_chain(chain: &Chain) -> Verdict {
    run(
        &Invite::new([chain.sign(&claims())]).text(),
        &opts_with(&chain.pem),
    )
}

// ---------------------------------------------------------------------------------------------
// verified

#[test]
fn verified_a_names_the_signer_numbers_and_age() {
    let v = run(&standard_invite(), &pki().opts());
    assert_answer(&v, CallOutcome::Verified, "attestation A", "does not prove");
    assert!(
        v.summary.headline.contains(SIGNER),
        "{}",
        v.summary.headline
    );
    assert_eq!(v.summary.signer.as_deref(), Some(SIGNER));
    assert_eq!(v.summary.orig.as_deref(), Some(ORIG));
    assert_eq!(v.summary.dest, Some(vec![DEST.to_string()]));
    assert_eq!(v.summary.age_s, Some(0));
    // The JSON carries the keys the page and worker read.
    let j = serde_json::to_value(&v).unwrap();
    assert_eq!(j["outcome"], "verified");
    assert_eq!(j["summary"]["signer"], SIGNER);
    assert_eq!(j["summary"]["dest"], json!([DEST]));
}

#[test]
fn verified_b_and_c_say_what_the_level_means_and_how_to_reach_a() {
    for (level, headline, action) in [
        ("B", "not its right to this number", "To reach A"),
        ("C", "gateway", "To reach A"),
    ] {
        let mut c = claims();
        c.attest = level.into();
        let v = run(&Invite::new([pki().sign(&c)]).text(), &pki().opts());
        assert_answer(&v, CallOutcome::Verified, headline, action);
        assert!(v.summary.headline.contains(&format!("attestation {level}")));
        assert!(
            !v.summary.headline.contains("verified"),
            "never 'caller verified'"
        );
    }
}

#[test]
fn age_is_verification_time_minus_iat() {
    let mut c = claims();
    c.iat = NOW - 42;
    let v = run(&Invite::new([pki().sign(&c)]).text(), &pki().opts());
    assert_eq!(v.outcome, CallOutcome::Verified);
    assert_eq!(v.summary.age_s, Some(42));
}

// ---------------------------------------------------------------------------------------------
// unsigned

#[test]
fn unsigned_says_what_unsigned_means_and_what_to_ask() {
    let v = run(&Invite::new(Vec::<String>::new()).text(), &pki().opts());
    assert_eq!(v.status, Status::NoIdentity);
    assert_answer(
        &v,
        CallOutcome::Unsigned,
        "Not signed",
        "Ask the caller's carrier",
    );
    assert!(v.summary.signer.is_none() && v.summary.orig.is_none() && v.summary.age_s.is_none());
    let j = serde_json::to_value(&v).unwrap();
    assert_eq!(j["outcome"], "unsigned");
}

// ---------------------------------------------------------------------------------------------
// unverified: the certificate could not be obtained

#[test]
fn unverified_when_the_certificate_cannot_be_downloaded() {
    let mut unreachable = Options::at(NOW);
    unreachable
        .fetch_errors
        .insert(X5U.into(), "HTTP 502 Bad Gateway".into());
    for (what, opts) in [
        ("fetch error", unreachable),
        ("not supplied", Options::at(NOW)),
        ("not PEM", opts_with("<html>Service Unavailable</html>")),
    ] {
        let v = run(&standard_invite(), &opts);
        assert_eq!(v.first_failure().unwrap().id, "cert.fetch", "{what}");
        assert_answer(
            &v,
            CallOutcome::Unverified,
            "could not be downloaded",
            "paste the certificate chain",
        );
        assert!(
            v.summary.action.as_deref().unwrap().contains("retry"),
            "{what}"
        );
        // Numbers and age are known from the token even though nothing was verified.
        assert_eq!(v.summary.orig.as_deref(), Some(ORIG), "{what}");
        assert_eq!(v.summary.age_s, Some(0), "{what}");
        assert!(
            v.summary.signer.is_none(),
            "{what}: no certificate was read"
        );
    }
}

#[test]
fn a_stale_header_with_an_unreachable_certificate_is_failed_by_its_age() {
    // The first failing check decides (time.iat comes before cert.fetch).
    let mut c = claims();
    c.iat = NOW - 3600;
    let v = run(&Invite::new([pki().sign(&c)]).text(), &Options::at(NOW));
    assert_answer(&v, CallOutcome::Failed, "1 hour", "as of the call");
}

// ---------------------------------------------------------------------------------------------
// failed: one test per failing check

#[test]
fn failed_input_garbage_gets_a_clear_no_token_answer() {
    let v = run(
        "Hello, my caller ID looks wrong, can you check?",
        &pki().opts(),
    );
    assert_answer(
        &v,
        CallOutcome::Failed,
        "No Identity header or PASSporT was found",
        "starts with eyJ",
    );
    let v = run(&"x".repeat(300 * 1024), &pki().opts());
    assert_answer(&v, CallOutcome::Failed, "too large", "Paste");
}

#[test]
fn failed_identity_syntax_missing_info_says_the_header_was_cut() {
    let token = token_of(&pki().sign(&claims())).to_string();
    let v = run(
        &Invite::new([format!("Identity: {token};alg=ES256;ppt=shaken")]).text(),
        &pki().opts(),
    );
    assert_answer(&v, CallOutcome::Failed, "cut short", ";info=<https://");
}

#[test]
fn failed_passport_form_says_the_token_is_incomplete() {
    let line = pki().sign(&claims());
    let sig = token_of(&line).rsplit('.').next().unwrap();
    let v = run(
        &Invite::new([identity(&format!("..{sig}"), X5U, "shaken")]).text(),
        &pki().opts(),
    );
    assert_answer(
        &v,
        CallOutcome::Failed,
        "incomplete",
        "Copy the whole token",
    );
}

#[test]
fn failed_passport_header_alg_names_the_algorithm_problem() {
    let mut h = header_value("shaken");
    h["alg"] = json!("none");
    let token = jws_v(&h, &claims_value(), &pki().chain.key);
    let v = run(
        &Invite::new([identity(&token, X5U, "shaken")]).text(),
        &pki().opts(),
    );
    assert_answer(&v, CallOutcome::Failed, "algorithm", "report it to");
}

#[test]
fn failed_x5u_url_says_the_certificate_address_is_not_allowed() {
    let mut h = header_value("shaken");
    h["x5u"] = json!("http://cert.example.com/sti/123A.pem");
    let token = jws_v(&h, &claims_value(), &pki().chain.key);
    let v = run(
        &Invite::new([identity(
            &token,
            "http://cert.example.com/sti/123A.pem",
            "shaken",
        )])
        .text(),
        &pki().opts(),
    );
    assert_answer(&v, CallOutcome::Failed, "certificate address", "https");
}

#[test]
fn failed_passport_claims_says_the_signed_details_are_malformed() {
    let mut c = claims_value();
    c.as_object_mut().unwrap().remove("attest");
    let token = jws_v(&header_value("shaken"), &c, &pki().chain.key);
    let v = run(
        &Invite::new([identity(&token, X5U, "shaken")]).text(),
        &pki().opts(),
    );
    assert_answer(
        &v,
        CallOutcome::Failed,
        "signed details",
        "report it to Example Telecom Inc (SPC 123A)",
    );
    assert_eq!(
        v.summary.signer.as_deref(),
        Some(SIGNER),
        "signer shown on failure"
    );
}

#[test]
fn a_token_part_that_does_not_decode_asks_for_the_paste_first() {
    let token = jws_v(&header_value("shaken"), &claims_value(), &pki().chain.key);
    let parts: Vec<&str> = token.split('.').collect();
    // One character dropped from a segment: a copy error, not a signer's bug.
    for (part, cut) in [
        (
            "header",
            format!(
                "{}.{}.{}",
                &parts[0][..parts[0].len() - 1],
                parts[1],
                parts[2]
            ),
        ),
        (
            "claims",
            format!(
                "{}.{}.{}",
                parts[0],
                &parts[1][..parts[1].len() - 1],
                parts[2]
            ),
        ),
    ] {
        let v = run(
            &Invite::new([identity(&cut, X5U, "shaken")]).text(),
            &pki().opts(),
        );
        assert_answer(
            &v,
            CallOutcome::Failed,
            &format!("The PASSporT {part} cannot be read"),
            "Copy the whole token again",
        );
        let detail = &v.first_failure().unwrap().detail;
        for internal in ["offset", "0b", "symbol"] {
            assert!(
                !detail.contains(internal),
                "{part}: detail shows {internal:?}: {detail}"
            );
        }
    }
}

#[test]
fn failed_call_orig_names_the_shown_and_the_signed_number() {
    let mut inv = Invite::new([pki().sign(&claims())]);
    inv.pai = Some("<tel:+12155550000>".into());
    let v = run(&inv.text(), &pki().opts());
    assert_answer(
        &v,
        CallOutcome::Failed,
        "The call showed +1 215-555-0000, but the signature is for +1 215-555-1212",
        "Do not treat +1 215-555-0000 as verified",
    );
    assert_eq!(v.summary.signer.as_deref(), Some(SIGNER));
}

#[test]
fn failed_call_dest_names_the_called_and_the_signed_number() {
    let mut inv = Invite::new([pki().sign(&claims())]);
    inv.to = Some("<sip:+12155550199@ims.example.net;user=phone>".into());
    inv.request_uri = "sip:+12155550199@ims.example.net;user=phone".into();
    let v = run(&inv.text(), &pki().opts());
    assert_answer(
        &v,
        CallOutcome::Failed,
        "The call went to +1 215-555-0199, but the signature is for +1 215-555-1213",
        "forwarded",
    );
}

#[test]
fn failed_stale_says_check_it_as_of_the_call_and_that_turns_valid() {
    let mut c = claims();
    c.iat = NOW - 5 * 86400;
    let text = Invite::new([pki().sign(&c)]).text();
    let v = run(&text, &pki().opts());
    assert_answer(&v, CallOutcome::Failed, "5 days", "Check it as of the call");
    assert_eq!(v.summary.age_s, Some(5 * 86400));
    assert_eq!(v.summary.signer.as_deref(), Some(SIGNER));
    let mut opts = pki().opts();
    opts.as_of_call = true;
    let v = run(&text, &opts);
    assert_eq!(v.outcome, CallOutcome::Verified, "{}", dump(&v));
}

#[test]
fn failed_future_iat_blames_the_clock() {
    let mut c = claims();
    c.iat = NOW + 600;
    let v = run(&Invite::new([pki().sign(&c)]).text(), &pki().opts());
    assert_answer(&v, CallOutcome::Failed, "10 minutes in the future", "clock");
    assert_eq!(v.summary.age_s, Some(-600));
}

#[test]
fn failed_untrusted_ca_says_load_your_sti_pa_list_and_names_the_signer() {
    let rogue_root = Ca::root("Rogue SHAKEN Root", KeyAlg::P256);
    let rogue = Ca::issued("Rogue Issuing CA", KeyAlg::P256, &rogue_root, |_| {});
    let v = run_chain(&pki().leaf_from(&rogue, KeyAlg::P256, |_| {}));
    assert_answer(
        &v,
        CallOutcome::Failed,
        "trust list",
        "load your current STI-PA trust list",
    );
    assert_eq!(
        v.summary.signer.as_deref(),
        Some(SIGNER),
        "signer shown on failure"
    );
}

#[test]
fn failed_expired_certificate_names_the_date() {
    let v = run_chain(&pki().leaf_with(|p| validity(p, NOW - 400 * 86400, NOW - 86400)));
    assert_answer(
        &v,
        CallOutcome::Failed,
        "The signing certificate expired on 2025-05-31",
        "must renew",
    );
    let inter = Ca::issued("Expired Issuing CA", KeyAlg::P256, &pki().root, |p| {
        validity(p, NOW - 4000 * 86400, NOW - 86400)
    });
    let v = run_chain(&pki().leaf_from(&inter, KeyAlg::P256, |_| {}));
    assert_answer(
        &v,
        CallOutcome::Failed,
        "A certificate in the signer's chain expired",
        "must renew",
    );
}

#[test]
fn failed_certificate_expired_since_the_call_suggests_checking_as_of_the_call() {
    // Signed while the certificate was valid; checked a year later with a wide freshness window,
    // so only the certificate's validity now fails.
    let mut opts = pki().opts();
    opts.now = NOW + 365 * 86400;
    opts.max_age = 400 * 86400;
    let v = run(&standard_invite(), &opts);
    assert_answer(
        &v,
        CallOutcome::Failed,
        "expired on 2026-01-01",
        "Check it as of the call",
    );
}

#[test]
fn failed_not_yet_valid_certificate() {
    let v = run_chain(&pki().leaf_with(|p| validity(p, NOW + 86400, NOW + 400 * 86400)));
    assert_answer(
        &v,
        CallOutcome::Failed,
        "not valid yet",
        "verification time",
    );
}

fn crl_revoking_the_leaf() -> String {
    let serial = match stircheck::__private::cert::chain::parse_chain(pki().chain.pem.as_bytes()) {
        Ok(stircheck::__private::cert::chain::Credential::Chain(c)) => c[0].serial.clone(),
        _ => panic!("the test chain parses"),
    };
    rcgen::CertificateRevocationListParams {
        this_update: rcgen::date_time_ymd(2025, 5, 1),
        next_update: rcgen::date_time_ymd(2025, 7, 1),
        crl_number: SerialNumber::from(3u64),
        issuing_distribution_point: None,
        revoked_certs: vec![rcgen::RevokedCertParams {
            serial_number: SerialNumber::from_slice(&serial),
            revocation_time: rcgen::date_time_ymd(2025, 5, 20),
            reason_code: None,
            invalidity_date: None,
        }],
        key_identifier_method: KeyIdMethod::Sha256,
    }
    .signed_by(&pki().inter.issuer())
    .unwrap()
    .pem()
    .unwrap()
}

#[test]
fn failed_revoked_certificate() {
    let mut opts = pki().opts();
    opts.crls.push(crl_revoking_the_leaf().into_bytes());
    let v = run(&standard_invite(), &opts);
    assert_answer(
        &v,
        CallOutcome::Failed,
        "revoked",
        "must replace its withdrawn certificate",
    );
    assert_eq!(v.summary.signer.as_deref(), Some(SIGNER));
}

#[test]
fn failed_bad_signature_says_altered_or_another_certificate() {
    let token = jws_v(
        &header_value("shaken"),
        &claims_value(),
        &p256_key(&KeyAlg::P256.generate()),
    );
    let v = run(
        &Invite::new([identity(&token, X5U, "shaken")]).text(),
        &pki().opts(),
    );
    assert_answer(
        &v,
        CallOutcome::Failed,
        "altered, or not signed by the certificate",
        "paste is complete",
    );
    assert_eq!(v.summary.signer.as_deref(), Some(SIGNER));
}

#[test]
fn failed_profile_without_an_spc_says_so_in_the_signer() {
    let v = run_chain(&pki().leaf_with(remove_tn_auth));
    assert_answer(
        &v,
        CallOutcome::Failed,
        "not a usable SHAKEN certificate",
        "report it to",
    );
    assert_eq!(
        v.summary.signer.as_deref(),
        Some("Example Telecom Inc (no SPC in the certificate)")
    );
}

#[test]
fn delegate_certificate_signer_says_delegate_not_unknown_spc() {
    let chain = pki().leaf_with(|p| set_tn_auth(p, tn_auth_range("12155551200", 100)));
    let v = run_chain(&chain);
    assert_eq!(v.outcome, CallOutcome::Verified, "{}", dump(&v));
    assert_eq!(
        v.summary.signer.as_deref(),
        Some("Example Telecom Inc (delegate certificate, no SPC)")
    );
    assert!(!v.summary.headline.contains("unknown SPC"));
    // Not covering the calling number: failed, and the signer is still named.
    let chain = pki().leaf_with(|p| set_tn_auth(p, tn_auth_range("12155552000", 100)));
    let v = run_chain(&chain);
    assert_eq!(v.outcome, CallOutcome::Failed);
    assert!(v.summary.action.is_some());
    assert!(
        v.summary
            .signer
            .as_deref()
            .unwrap()
            .starts_with("Example Telecom Inc")
    );
}

#[test]
fn failed_bare_public_key_says_the_signer_cannot_be_known() {
    use p256::pkcs8::{EncodePublicKey, LineEnding};
    let pem = pki()
        .chain
        .key
        .verifying_key()
        .to_public_key_pem(LineEnding::LF)
        .unwrap();
    let v = run(&standard_invite(), &opts_with(&pem));
    assert_answer(
        &v,
        CallOutcome::Failed,
        "Only a public key",
        "certificate chain",
    );
    assert!(v.summary.signer.is_none());
}

#[test]
fn every_failing_verdict_has_an_action_and_a_short_headline() {
    // A long organization name still gives a headline within the limit.
    let chain = pki().leaf_with(|p| {
        p.distinguished_name = dn(
            &format!("SHAKEN {SPC}"),
            "A Very Long Telecommunications Company Name Incorporated Of America",
        )
    });
    for attest in ["A", "B", "C"] {
        let mut c = claims();
        c.attest = attest.into();
        let v = run(
            &Invite::new([chain.sign(&c)]).text(),
            &opts_with(&chain.pem),
        );
        assert_eq!(v.outcome, CallOutcome::Verified, "{}", dump(&v));
        assert!(
            v.summary.headline.chars().count() <= MAX_HEADLINE,
            "{}",
            v.summary.headline
        );
        assert!(v.summary.action.is_some());
    }
}
