//! `demo::generate`: a seed-derived DEMO PKI whose leaf signs PASSporTs that verify VALID against
//! a demo trust store (with a clean SHAKEN profile), and never against the built-in store.

mod common;

use std::collections::HashSet;
use std::sync::Arc;
use stircheck::__private::cert::chain::{Credential, parse_chain};
use stircheck::__private::cert::parse::ParsedCert;
use stircheck::demo::{self, DemoError, DemoOptions, DemoPki};
use stircheck::sign;
use stircheck::verdict::{Outcome, Status, Verstat};
use stircheck::{Options, TrustStore, Verdict};

/// 2025-06-01 12:00:00 UTC.
const NOW: i64 = common::NOW;
const X5U: &str = "https://certs.example.com/stircheck-demo/leaf.pem";

fn seed(n: u8) -> [u8; 32] {
    let mut s = [0u8; 32];
    for (i, b) in s.iter_mut().enumerate() {
        *b = n.wrapping_mul(31).wrapping_add(i as u8);
    }
    s
}

fn pki(n: u8) -> DemoPki {
    demo::generate(&seed(n), &DemoOptions::new(NOW)).expect("demo PKI")
}

fn demo_store(p: &DemoPki) -> Arc<TrustStore> {
    Arc::new(TrustStore::from_bundles("demo", &[p.root_pem.as_bytes()]).expect("root parses"))
}

fn claims(attest: &str) -> sign::Claims {
    sign::Claims {
        x5u: X5U.into(),
        attest: attest.into(),
        orig: common::ORIG.into(),
        dest: vec![common::DEST.into()],
        iat: NOW,
        origid: None,
    }
}

fn signed(p: &DemoPki, attest: &str) -> String {
    let key = sign::load_key(&p.key_pem).expect("key_pem loads");
    sign::identity_header(&key, &claims(attest)).expect("signs")
}

fn opts(p: &DemoPki) -> Options {
    let mut o = Options::at(NOW + 5);
    o.certs.insert(X5U.into(), p.chain_pem.as_bytes().to_vec());
    o
}

/// Verified through every crypto backend and the two-phase API (tests/common).
fn verify(store: &Arc<TrustStore>, p: &DemoPki, header: &str) -> Verdict {
    common::verify(store, header, &opts(p))
}

/// The one certificate in `pem`.
fn single(pem: &str) -> ParsedCert {
    match parse_chain(pem.as_bytes()).expect("PEM parses") {
        Credential::Chain(c) => {
            assert_eq!(c.len(), 1, "one certificate");
            c[0].clone()
        }
        Credential::KeyOnly(_) => panic!("not a certificate"),
    }
}

/// The x5u chain is the leaf alone.
fn leaf(p: &DemoPki) -> ParsedCert {
    single(&p.chain_pem)
}

fn root(p: &DemoPki) -> ParsedCert {
    single(&p.root_pem)
}

#[test]
fn demo_header_verifies_valid_with_a_clean_profile() {
    let p = pki(1);
    let store = demo_store(&p);
    for attest in ["A", "B", "C"] {
        // In a SIP INVITE, so call.orig/call.dest have From/To to compare with.
        let invite = common::Invite::new([signed(&p, attest)]).text();
        let v = verify(&store, &p, &invite);
        assert_eq!(v.status, Status::Valid, "{attest}: {}", v.reason);
        assert_eq!(v.attest.as_deref(), Some(attest));
        for c in &v.checks {
            let expected = match c.id.as_str() {
                "cert.revocation" => Outcome::Warn, // no CRL supplied: the only warning
                // An SP certificate without claim constraints: neither applies.
                "cert.delegation" | "cert.constraints" => Outcome::Skip,
                _ => Outcome::Pass,
            };
            assert_eq!(c.outcome, expected, "{}: {}", c.id, c.detail);
        }
        let signer = v.signer.as_ref().expect("signer");
        assert_eq!(signer.spc.as_deref(), Some("DEMO"));
        assert_eq!(
            signer.organization.as_deref(),
            Some("Example Telecom (DEMO)")
        );
        assert_eq!(signer.common_name.as_deref(), Some("SHAKEN DEMO"));
        let anchor = signer.anchor.as_ref().expect("anchored");
        assert!(anchor.subject.contains(demo::ROOT_CN), "{}", anchor.subject);
    }
    if std::env::var_os("DEMO_PRINT").is_some() {
        println!("{}{}{}", p.root_pem, p.chain_pem, p.key_pem);
    }
}

#[test]
fn demo_header_is_never_trusted_by_the_builtin_store() {
    let p = pki(2);
    let v = verify(&TrustStore::builtin(), &p, &signed(&p, "A"));
    assert_eq!(v.status, Status::Invalid);
    assert_eq!(v.verstat, Verstat::Failed);
    let chain = v.check("cert.chain").expect("cert.chain");
    assert_eq!(chain.outcome, Outcome::Fail, "{}", chain.detail);
}

#[test]
fn another_demo_root_does_not_trust_this_leaf() {
    let (a, b) = (pki(3), pki(4));
    let v = verify(&demo_store(&b), &a, &signed(&a, "A"));
    assert_eq!(v.status, Status::Invalid);
    assert_eq!(v.check("cert.chain").unwrap().outcome, Outcome::Fail);
}

#[test]
fn the_same_seed_gives_the_same_pki_and_different_seeds_differ() {
    assert_eq!(pki(5), pki(5));
    let a = pki(5);
    let b = pki(6);
    assert_ne!(a.root_pem, b.root_pem);
    assert_ne!(a.chain_pem, b.chain_pem);
    assert_ne!(a.key_pem, b.key_pem);
    // Serials come from the seed too.
    assert_ne!(leaf(&a).serial, leaf(&b).serial);
}

#[test]
fn certificates_have_the_documented_shape() {
    let p = pki(7);
    let l = leaf(&p);
    let r = root(&p);
    assert!(p.key_pem.starts_with("-----BEGIN PRIVATE KEY-----\n"));
    assert!(p.root_pem.starts_with("-----BEGIN CERTIFICATE-----\n"));
    assert_eq!(p.chain_pem.matches("BEGIN CERTIFICATE").count(), 1);

    assert_eq!(r.subject_cn.as_deref(), Some(demo::ROOT_CN));
    assert_eq!(r.subject_o.as_deref(), Some("stircheck DEMO"));
    assert_eq!(r.subject_c.as_deref(), Some("US"));
    assert!(r.is_self_issued());
    assert!(matches!(&r.basic_constraints, Some((true, Ok(bc))) if bc.ca));
    assert!(matches!(&r.key_usage, Some((true, Ok(ku))) if ku.key_cert_sign() && ku.crl_sign()));
    assert!(r.ski.is_some());

    assert_eq!(l.subject_cn.as_deref(), Some("SHAKEN DEMO"));
    assert_eq!(l.subject_o.as_deref(), Some("Example Telecom (DEMO)"));
    assert_eq!(l.subject_c.as_deref(), Some("US"));
    assert_eq!(l.issuer, r.subject);
    assert_eq!(l.aki, r.ski);
    assert!(l.serial_bits >= 64, "{} bits", l.serial_bits);
    assert_eq!(l.not_before, NOW - 3600);
    assert_eq!(l.not_after, NOW + 30 * 86_400);
    assert!(stircheck::__private::cert::profile::check_leaf(&l) == Default::default());
    // TNAuthList: SEQUENCE { [0] EXPLICIT IA5String "DEMO" }, exactly.
    let tn = b"\x30\x08\xa0\x06\x16\x04DEMO";
    assert!(l.der.windows(tn.len()).any(|w| w == tn), "TNAuthList DER");
}

#[test]
fn options_are_applied() {
    let o = DemoOptions {
        spc: "123J".into(),
        org: "  Acme Voice, Inc. <+=\"> ".into(),
        now: NOW,
        days: 825,
        ..DemoOptions::new(NOW)
    };
    let p = demo::generate(&seed(8), &o).expect("generates");
    assert_eq!(p.spc, "123J");
    let l = leaf(&p);
    assert_eq!(l.subject_cn.as_deref(), Some("SHAKEN 123J"));
    assert_eq!(
        l.subject_o.as_deref(),
        Some("Acme Voice, Inc. <+=\"> (DEMO)")
    );
    assert_eq!(l.not_after, NOW + 825 * 86_400);
    assert_eq!(
        stircheck::__private::cert::profile::check_leaf(&l),
        Default::default()
    );
    let v = verify(&demo_store(&p), &p, &signed(&p, "B"));
    assert_eq!(v.status, Status::Valid, "{}", v.reason);
    assert_eq!(v.signer.unwrap().spc.as_deref(), Some("123J"));
}

#[test]
fn the_leaf_is_rejected_outside_its_validity() {
    let p = pki(9);
    let mut o = opts(&p);
    o.now = NOW + 31 * 86_400;
    o.as_of_call = false;
    let header = signed(&p, "A");
    let v = common::verify(&demo_store(&p), &header, &o);
    assert_eq!(v.status, Status::Invalid);
}

#[test]
fn bad_options_are_typed_errors_with_messages() {
    let s = seed(10);
    let with = |f: &dyn Fn(&mut DemoOptions)| {
        let mut o = DemoOptions::new(NOW);
        f(&mut o);
        demo::generate(&s, &o).expect_err("rejected")
    };
    for bad in ["", "DEM", "DEMOS", "demo", "12-4", "ÄBCD", "AB D"] {
        let e = with(&|o| o.spc = bad.into());
        assert_eq!(e, DemoError::Spc(bad.into()));
        assert!(e.to_string().contains("4 characters"), "{e}");
    }
    for bad in ["", "   ", "a\nb", &"x".repeat(58)] {
        let e = with(&|o| o.org = bad.into());
        assert!(matches!(e, DemoError::Org { .. }), "{bad:?}: {e:?}");
        assert!(e.to_string().contains("organization"), "{e}");
    }
    assert!(
        demo::generate(
            &s,
            &DemoOptions {
                org: "x".repeat(57),
                ..DemoOptions::new(NOW)
            }
        )
        .is_ok()
    );
    for bad in [0, 826] {
        let e = with(&|o| o.days = bad);
        assert_eq!(e, DemoError::Days(bad.into()));
        assert!(e.to_string().contains("1 to 825 days"), "{e}");
    }
    for bad in [-1, 0, 3599, 253_402_300_799] {
        let e = with(&|o| o.now = bad);
        assert_eq!(e, DemoError::Now(bad));
        assert!(e.to_string().contains("unix seconds"), "{e}");
    }
    // The extremes that are allowed still encode (UTCTime before 2050, GeneralizedTime after).
    for now in [3600, 2_524_608_000, 253_402_300_799 - 825 * 86_400] {
        let o = DemoOptions {
            days: 825,
            ..DemoOptions::new(now)
        };
        let p = demo::generate(&s, &o).unwrap_or_else(|e| panic!("{now}: {e}"));
        let l = leaf(&p);
        assert_eq!(
            (l.not_before, l.not_after),
            (now - 3600, now + 825 * 86_400)
        );
    }
}

#[test]
fn many_seeds_all_work() {
    let mut keys = HashSet::new();
    for n in 0..32u8 {
        let mut s = [n; 32];
        s[0] = 0xff;
        let p = demo::generate(&s, &DemoOptions::new(NOW)).expect("generates");
        assert!(keys.insert(p.key_pem.clone()));
        let l = leaf(&p);
        assert!(l.serial_bits >= 64);
        assert_eq!(
            l.serial.first().map(|b| b & 0x80),
            Some(0),
            "positive serial"
        );
    }
}

// ---- Delegate chain: root → demo STI-SCA → delegate certificate for a client's numbers ----------

use stircheck::__private::cert::constraints::{ClaimConstraints, ConstraintsKind, Permitted};
use stircheck::demo::DemoDelegate;

fn delegate_opts(f: impl FnOnce(&mut DemoDelegate)) -> DemoOptions {
    let mut d = DemoDelegate {
        tns: vec![format!("+{}", common::ORIG)],
        ranges: vec![("1-202-555-0100".into(), 100)],
        client: "Acme BPO".into(),
        constraints: None,
    };
    f(&mut d);
    DemoOptions {
        delegate: Some(d),
        ..DemoOptions::new(NOW)
    }
}

fn delegate_pki(f: impl FnOnce(&mut DemoDelegate)) -> DemoPki {
    demo::generate(&seed(40), &delegate_opts(f)).expect("delegate demo PKI")
}

fn chain_certs(pem: &str) -> Vec<ParsedCert> {
    match parse_chain(pem.as_bytes()).expect("PEM parses") {
        Credential::Chain(c) => c,
        Credential::KeyOnly(_) => panic!("not a certificate"),
    }
}

#[test]
fn demo_delegate_chain_verifies_with_delegation_passing() {
    let p = delegate_pki(|_| {});
    let certs = chain_certs(&p.chain_pem);
    assert_eq!(certs.len(), 2, "delegate leaf + STI-SCA");
    assert!(certs[1].is_ca());
    assert_eq!(
        certs[1].subject_o.as_deref(),
        Some("Example Telecom (DEMO)")
    );
    assert_eq!(certs[0].subject_o.as_deref(), Some("Acme BPO (DEMO)"));
    let v = verify(&demo_store(&p), &p, &signed(&p, "A"));
    assert_eq!(v.status, Status::Valid, "{}", v.reason);
    let check = |id: &str| v.check(id).unwrap_or_else(|| panic!("{id}"));
    assert_eq!(
        check("cert.delegation").outcome,
        Outcome::Pass,
        "{}",
        check("cert.delegation").detail
    );
    assert!(
        check("cert.delegation")
            .detail
            .contains("STI-SCA (SPC DEMO)")
    );
    assert_eq!(
        check("cert.profile").outcome,
        Outcome::Pass,
        "{}",
        check("cert.profile").detail
    );
    assert_eq!(check("cert.constraints").outcome, Outcome::Skip);
    let d = v
        .signer
        .as_ref()
        .unwrap()
        .delegate
        .clone()
        .expect("delegate facts");
    assert_eq!(d.tns, [common::ORIG]);
    assert_eq!(d.ranges[0].start, "12025550100");
    assert_eq!(d.ranges[0].end, "12025550199");
    assert_eq!(d.count, 101);
    assert_eq!(
        d.sentence,
        "signed with a delegate certificate for 101 numbers issued by Example Telecom (DEMO)'s STI-SCA (SPC DEMO)"
    );
    // Deterministic like the SP demo PKI, and never trusted by the built-in store.
    assert_eq!(delegate_pki(|_| {}), p);
    let v = verify(&TrustStore::builtin(), &p, &signed(&p, "A"));
    assert_eq!(v.check("cert.chain").unwrap().outcome, Outcome::Fail);
}

#[test]
fn demo_delegate_for_other_numbers_fails_cert_delegation() {
    let p = delegate_pki(|d| {
        d.tns.clear();
        d.ranges = vec![("12025550100".into(), 10)];
    });
    let v = verify(&demo_store(&p), &p, &signed(&p, "A"));
    assert_eq!(v.status, Status::Invalid);
    assert_eq!(v.sip_code, Some(437));
    assert_eq!(
        v.first_failure().map(|c| c.id.as_str()),
        Some("cert.delegation")
    );
}

#[test]
fn demo_delegate_constraints_are_written_and_enforced() {
    let p = delegate_pki(|d| {
        d.constraints = Some(ClaimConstraints {
            kind: ConstraintsKind::Enhanced,
            must_include: vec!["attest".into()],
            permitted_values: vec![Permitted {
                claim: "attest".into(),
                values: vec!["A".into()],
            }],
            must_exclude: vec!["rcd".into()],
        })
    });
    let store = demo_store(&p);
    let v = verify(&store, &p, &signed(&p, "A"));
    assert_eq!(v.status, Status::Valid, "{}", v.reason);
    assert_eq!(v.check("cert.constraints").unwrap().outcome, Outcome::Pass);
    assert_eq!(v.signer.as_ref().unwrap().constraints.len(), 1);
    let v = verify(&store, &p, &signed(&p, "B"));
    assert_eq!(v.sip_code, Some(438));
    assert_eq!(v.verstat, Verstat::Failed);
    assert_eq!(
        v.first_failure().map(|c| c.id.as_str()),
        Some("cert.constraints")
    );
}

#[test]
fn demo_delegate_options_are_checked() {
    let bad = |f: &dyn Fn(&mut DemoDelegate)| {
        demo::generate(&seed(41), &delegate_opts(f)).expect_err("should be refused")
    };
    let e = bad(&|d| {
        d.tns.clear();
        d.ranges.clear();
    });
    assert!(
        matches!(e, DemoError::Delegate(_)) && e.to_string().contains("at least one"),
        "{e}"
    );
    let e = bad(&|d| d.ranges = vec![("12025550100".into(), 1)]);
    assert!(e.to_string().contains("count of at least 2"), "{e}");
    let e = bad(&|d| d.ranges = vec![("999".into(), 5)]);
    assert!(
        e.to_string()
            .contains("runs past the last 3-digit number (at most 1)"),
        "{e}"
    );
    let e = bad(&|d| d.tns = vec!["call me".into()]);
    assert!(e.to_string().contains("not a telephone number"), "{e}");
    let e = bad(&|d| d.tns = (0..40).map(|i| format!("1202555{i:04}")).collect());
    assert!(e.to_string().contains("at most 32"), "{e}");
    // The JSON form the page passes; unknown fields are refused.
    let d = DemoDelegate::from_json(serde_json::json!({
        "tns": ["12025550123"], "ranges": [{"start": "12025550200", "count": 5}],
        "constraints": {"permittedValues": [{"claim": "attest", "values": ["A"]}]}
    }))
    .unwrap();
    assert_eq!(d.ranges, [("12025550200".to_string(), 5)]);
    assert_eq!(d.constraints.unwrap().permitted_values[0].values, ["A"]);
    let e = DemoDelegate::from_json(serde_json::json!({"numbers": ["1"]})).unwrap_err();
    assert!(e.to_string().contains("numbers"), "{e}");
}

#[test]
fn cli_sign_accepts_the_delegate_key_and_verify_passes_delegation() {
    // `stircheck sign` takes the delegate certificate's key as it takes any key, and
    // `stircheck verify` checks the delegate chain against the demo root.
    let p = delegate_pki(|_| {});
    let dir = std::env::temp_dir().join(format!("stircheck-deleg-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (key, chain, root) = (
        dir.join("key.pem"),
        dir.join("chain.pem"),
        dir.join("root.pem"),
    );
    std::fs::write(&key, &p.key_pem).unwrap();
    std::fs::write(&chain, &p.chain_pem).unwrap();
    std::fs::write(&root, &p.root_pem).unwrap();
    let bin = env!("CARGO_BIN_EXE_stircheck");
    let out = std::process::Command::new(bin)
        .args(["sign", "--key"])
        .arg(&key)
        .args([
            "--x5u",
            X5U,
            "--attest",
            "A",
            "--orig",
            common::ORIG,
            "--dest",
            common::DEST,
        ])
        .args(["--iat", &NOW.to_string()])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let header = String::from_utf8(out.stdout).unwrap();
    assert!(header.starts_with("Identity: eyJ"), "{header}");
    let input = dir.join("header.txt");
    std::fs::write(&input, header.trim()).unwrap();
    let out = std::process::Command::new(bin)
        .arg("verify")
        .arg(&input)
        .arg("--cert")
        .arg(&chain)
        .arg("--trust")
        .arg(&root)
        .args(["--at", &(NOW + 5).to_string(), "--json", "--offline"])
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stdout)));
    assert_eq!(json["status"], "valid", "{json:#}");
    let checks = json["checks"].as_array().unwrap();
    let delegation = checks
        .iter()
        .find(|c| c["id"] == "cert.delegation")
        .unwrap();
    assert_eq!(delegation["outcome"], "pass", "{delegation}");
    assert_eq!(json["signer"]["delegate"]["count"], 101);
    std::fs::remove_dir_all(&dir).ok();
}

// ---------------------------------------------------------------------------------------------
// Branded demo calls (RFC 9795 rich call data with rcdi)

fn branded(p: &DemoPki, tamper: Option<sign::Tamper>) -> String {
    let key = sign::load_key(&p.key_pem).expect("key_pem loads");
    let rcd = sign::RcdClaims {
        nam: Some("Acme Pharmacy (DEMO)".into()),
        icn: Some(demo::DEMO_LOGO_URL.into()),
        crn: Some("Your prescription is ready".into()),
        resources: [(
            demo::DEMO_LOGO_URL.to_string(),
            demo::DEMO_LOGO_PNG.to_vec(),
        )]
        .into(),
        tamper,
        ..Default::default()
    };
    sign::identity_header_with_rcd(&key, &claims("A"), &rcd).expect("signs")
}

fn with_logo(p: &DemoPki, logo: &[u8]) -> Options {
    let mut o = opts(p);
    o.resources
        .insert(demo::DEMO_LOGO_URL.into(), logo.to_vec());
    o
}

#[test]
fn demo_branded_call_verifies_with_its_logo_and_a_tampered_one_does_not() {
    let p = pki(9);
    let store = demo_store(&p);
    assert!(demo::DEMO_LOGO_PNG.starts_with(b"\x89PNG\r\n\x1a\n"));
    let v = verify(&store, &p, &branded(&p, None));
    // Without the logo's content the brand cannot be verified (and the call stays valid).
    assert_eq!(v.status, Status::Valid);
    assert!(!v.rcd.as_ref().unwrap().verified);
    let v = common::verify(
        &store,
        &branded(&p, None),
        &with_logo(&p, demo::DEMO_LOGO_PNG),
    );
    assert_eq!(v.status, Status::Valid, "{}", v.reason);
    let r = v.rcd.as_ref().unwrap();
    assert!(r.verified, "{}", r.reason);
    assert_eq!(
        r.icn.as_ref().unwrap().content_type.as_deref(),
        Some("image/png")
    );
    for tamper in [sign::Tamper::Nam, sign::Tamper::Icn] {
        let v = common::verify(
            &store,
            &branded(&p, Some(tamper)),
            &with_logo(&p, demo::DEMO_LOGO_PNG),
        );
        assert_eq!(v.status, Status::Valid);
        assert!(!v.rcd.as_ref().unwrap().verified, "{tamper:?}");
    }
    // Against the built-in store the call fails, and so its brand is not verified either.
    let v = common::verify(
        &TrustStore::builtin(),
        &branded(&p, None),
        &with_logo(&p, demo::DEMO_LOGO_PNG),
    );
    assert_eq!(v.status, Status::Invalid);
    assert!(!v.rcd.as_ref().unwrap().verified);
    assert!(v.rcd.as_ref().unwrap().icn.as_ref().unwrap().data.is_none());
}
