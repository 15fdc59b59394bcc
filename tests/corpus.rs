//! Real-world data from `../shared/corpus` (see its README): production and fixture Identity
//! headers, and the 19,306 real SHAKEN leaves with the STI-CA roots and intermediates they chain
//! to. The corpus is read in place, never copied into the repository.

#[path = "support/realdata.rs"]
mod realdata;

use serde_json::Value;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, OnceLock};
use std::time::Instant;
use stircheck::__private::cert::ParsedCert;
use stircheck::__private::cert::chain::pem_blocks;
use stircheck::__private::cert::path;
use stircheck::__private::cert::profile::check_leaf;
use stircheck::crypto::{Backend, CryptoJob, RustCrypto, default_backend};
use stircheck::verdict::{Outcome, Verstat};
use stircheck::{Options, Status, TrustStore, Verdict, Verifier};

// ---------------------------------------------------------------------------------------------
// Corpus access

/// The corpus directory: the same rule as `support/realdata.rs` (`$STIRCHECK_CORPUS`, else
/// `../shared/corpus`), and it must be there.
fn corpus() -> PathBuf {
    let dir = realdata::corpus_dir();
    assert!(
        dir.join("README.md").is_file(),
        "the real-world corpus is missing: expected it at {} (the shared folder beside the \
         repository, or $STIRCHECK_CORPUS; CI has it). These tests read it in place.",
        dir.display()
    );
    dir
}

fn read(rel: &str) -> Vec<u8> {
    let p = corpus().join(rel);
    std::fs::read(&p).unwrap_or_else(|e| panic!("cannot read {}: {e}", p.display()))
}

fn read_text(rel: &str) -> String {
    String::from_utf8(read(rel)).unwrap_or_else(|_| panic!("{rel} is not UTF-8"))
}

fn headers() -> Vec<Value> {
    read_text("headers.jsonl")
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).expect("headers.jsonl line is JSON"))
        .collect()
}

/// `certs/index.jsonl` by sha256.
fn index() -> &'static HashMap<String, Value> {
    static INDEX: OnceLock<HashMap<String, Value>> = OnceLock::new();
    INDEX.get_or_init(|| {
        read_text("certs/index.jsonl")
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| {
                let v: Value = serde_json::from_str(l).expect("index.jsonl line is JSON");
                (v["sha256"].as_str().expect("sha256").to_owned(), v)
            })
            .collect()
    })
}

/// The PEM blocks of `certs/leaves.pem`, in file order (the index's `position`).
fn leaf_pems() -> &'static Vec<String> {
    static PEMS: OnceLock<Vec<String>> = OnceLock::new();
    PEMS.get_or_init(|| pem_blocks(&read_text("certs/leaves.pem")))
}

fn der_of(pem: &str) -> Result<Vec<u8>, String> {
    match der::pem::decode_vec(pem.as_bytes()) {
        Ok(("CERTIFICATE", der)) => Ok(der),
        Ok((label, _)) => Err(format!("PEM label {label}")),
        Err(e) => Err(format!("bad PEM: {e}")),
    }
}

const PANICKED: &str = "PANICKED";

/// Every leaf parsed once (shared by the tests that need them), with parse time.
struct Leaves {
    parsed: Vec<Result<Arc<ParsedCert>, String>>,
    secs: f64,
}

fn leaves() -> &'static Leaves {
    static LEAVES: OnceLock<Leaves> = OnceLock::new();
    LEAVES.get_or_init(|| {
        let pems = leaf_pems();
        let t = Instant::now();
        let parsed = pems
            .iter()
            .map(|p| {
                let der = der_of(p)?;
                // A panic is recorded (and fails the parse test) rather than aborting the run.
                match std::panic::catch_unwind(|| ParsedCert::from_der(&der)) {
                    Ok(Ok(c)) => Ok(Arc::new(c)),
                    Ok(Err(e)) => Err(e.to_string()),
                    Err(_) => Err(format!("{PANICKED} in ParsedCert::from_der")),
                }
            })
            .collect();
        Leaves {
            parsed,
            secs: t.elapsed().as_secs_f64(),
        }
    })
}

fn pem_files(dir: &str) -> Vec<(String, Vec<u8>)> {
    let mut v: Vec<(String, Vec<u8>)> = std::fs::read_dir(corpus().join(dir))
        .unwrap_or_else(|e| panic!("cannot list {dir}: {e}"))
        .map(|e| e.expect("dir entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "pem"))
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read(&p).expect("read pem"),
            )
        })
        .collect();
    v.sort();
    v
}

fn parse_pem_file(name: &str, bytes: &[u8]) -> Arc<ParsedCert> {
    let text = std::str::from_utf8(bytes).expect("PEM is text");
    let blocks = pem_blocks(text);
    assert_eq!(blocks.len(), 1, "{name}: one certificate per file");
    let der = der_of(&blocks[0]).unwrap_or_else(|e| panic!("{name}: {e}"));
    Arc::new(ParsedCert::from_der(&der).unwrap_or_else(|e| panic!("{name}: {e}")))
}

/// A CA file from `certs/roots` or `certs/intermediates`: name, PEM bytes, parsed.
type CaFile = (String, Vec<u8>, Arc<ParsedCert>);

fn load_cas(dir: &str) -> Vec<CaFile> {
    pem_files(dir)
        .into_iter()
        .map(|(n, b)| {
            let c = parse_pem_file(&n, &b);
            (n, b, c)
        })
        .collect()
}

fn roots() -> &'static Vec<CaFile> {
    static R: OnceLock<Vec<CaFile>> = OnceLock::new();
    R.get_or_init(|| load_cas("certs/roots"))
}

fn intermediates() -> &'static Vec<CaFile> {
    static I: OnceLock<Vec<CaFile>> = OnceLock::new();
    I.get_or_init(|| load_cas("certs/intermediates"))
}

fn corpus_trust() -> &'static TrustStore {
    static T: OnceLock<TrustStore> = OnceLock::new();
    T.get_or_init(|| {
        let bundles: Vec<&[u8]> = roots().iter().map(|(_, b, _)| b.as_slice()).collect();
        TrustStore::from_bundles("all 22 corpus roots", &bundles).expect("corpus roots load")
    })
}

fn ids(v: &Verdict) -> String {
    v.checks
        .iter()
        .map(|c| format!("  {:<18} {:?}: {}", c.id, c.outcome, c.detail))
        .collect::<Vec<_>>()
        .join("\n")
}

fn outcome(v: &Verdict, id: &str) -> Outcome {
    v.check(id)
        .unwrap_or_else(|| panic!("no {id} check in\n{}", ids(v)))
        .outcome
}

fn detail<'a>(v: &'a Verdict, id: &str) -> &'a str {
    &v.check(id)
        .unwrap_or_else(|| panic!("no {id} check in\n{}", ids(v)))
        .detail
}

fn first_fail(v: &Verdict) -> &str {
    v.first_failure().map(|c| c.id.as_str()).unwrap_or("(none)")
}

fn header_where(what: &str, pred: impl Fn(&Value) -> bool) -> Value {
    let mut found: Vec<Value> = headers().into_iter().filter(|h| pred(h)).collect();
    assert!(!found.is_empty(), "headers.jsonl has no {what}");
    found.swap_remove(0)
}

fn identity(h: &Value) -> &str {
    h["identity"].as_str().expect("identity is a string")
}

fn x5u_of(h: &Value) -> &str {
    h["decoded_header"]["x5u"].as_str().expect("decoded x5u")
}

/// The PEM block of the leaf with this sha256, checked against the index.
fn leaf_pem_by_sha(sha: &str) -> &'static str {
    let entry = index()
        .get(sha)
        .unwrap_or_else(|| panic!("{sha} is not in certs/index.jsonl"));
    assert_eq!(entry["bundle"], "leaves.pem");
    let pos = entry["position"].as_u64().expect("position") as usize;
    let pem = &leaf_pems()[pos];
    let der = der_of(pem).expect("leaf PEM");
    let c = ParsedCert::from_der(&der).expect("leaf parses");
    assert_eq!(
        c.sha256_hex(),
        sha,
        "leaves.pem position {pos} is not {sha}"
    );
    pem
}

fn unix_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock after 1970")
        .as_secs() as i64
}

fn as_of_call(iat: i64) -> Options {
    let mut o = Options::at(iat);
    o.as_of_call = true;
    o
}

/// The production Verizon PASSporT (a bare JWS from a Twilio webhook) with its real chain.
struct Verizon {
    token: String,
    x5u: String,
    iat: i64,
    chain: Vec<u8>,
    root: Vec<u8>,
}

fn verizon() -> Verizon {
    let h = header_where("production Verizon header with its chain", |h| {
        h["kind"] == "production"
            && h["x5u"]
                .as_str()
                .is_some_and(|u| u.contains("sti.verizon.com"))
            && h["cert_sha256"].is_string()
    });
    let mut chain = leaf_pem_by_sha(h["cert_sha256"].as_str().unwrap())
        .as_bytes()
        .to_vec();
    let mut root = Vec::new();
    for f in h["chain_in_corpus"].as_array().expect("chain_in_corpus") {
        let f = f.as_str().unwrap();
        let bytes = read(&format!("certs/{f}"));
        if f.starts_with("intermediates/") {
            chain.extend_from_slice(&bytes);
        } else {
            assert!(f.starts_with("roots/"), "{f}");
            root = bytes;
        }
    }
    assert!(!root.is_empty(), "the Verizon chain names its root");
    Verizon {
        token: identity(&h).to_owned(),
        x5u: x5u_of(&h).to_owned(),
        iat: h["iat"].as_i64().expect("iat"),
        chain,
        root,
    }
}

fn assert_verizon_valid(v: &Verdict) {
    assert_eq!(v.status, Status::Valid, "{}\n{}", v.reason, ids(v));
    assert_eq!(v.attest.as_deref(), Some("A"));
    assert_eq!(v.verstat, Verstat::Passed);
    assert_eq!(v.sip_code, None);
    let s = v.signer.as_ref().expect("a valid verdict names its signer");
    // As the certificate says: TNAuthList SPC 5807, O=Verizon Data Services LLC.
    assert_eq!(s.spc.as_deref(), Some("5807"));
    assert_eq!(s.organization.as_deref(), Some("Verizon Data Services LLC"));
    assert_eq!(s.common_name.as_deref(), Some("Verizon SHAKEN cert 5807"));
    assert_eq!(
        s.chain.len(),
        3,
        "leaf, Metaswitch issuing CA, Metaswitch root"
    );
    let anchor = s.anchor.as_ref().expect("anchor");
    assert_eq!(anchor.subject, "CN=Metaswitch STI-CA SHAKEN Root");
    assert!(anchor.sha256.starts_with("c27184f75f81fc11"));
    for id in [
        "signature",
        "cert.chain",
        "cert.validity",
        "passport.claims",
    ] {
        assert_eq!(outcome(v, id), Outcome::Pass, "{id}\n{}", ids(v));
    }
    assert!(v.reason.contains("SPC 5807"), "{}", v.reason);
}

#[test]
fn verizon_production_header_is_valid_as_of_its_iat() {
    let vz = verizon();
    let root_only = Arc::new(
        TrustStore::from_bundles("Metaswitch root only", &[&vz.root]).expect("root loads"),
    );
    assert_eq!(root_only.anchors.len(), 1);

    // Trust store with only the real Metaswitch root, verified as of the call (iat).
    let mut o = as_of_call(unix_now());
    o.certs.insert(vz.x5u.clone(), vz.chain.clone());
    o.trust = Some(root_only.clone());
    let v = Verifier::new(root_only.clone()).verify(&vz.token, &o);
    assert_verizon_valid(&v);
    assert_eq!(v.verified_at, vz.iat);
    assert_eq!(v.trust.source, "custom");
    // A bare JWS has no Identity parameters to check: skipped, not failed.
    assert_eq!(outcome(&v, "identity.syntax"), Outcome::Skip);

    // Options::at(iat) is the same thing spelled differently.
    let mut o = Options::at(vz.iat);
    o.certs.insert(vz.x5u.clone(), vz.chain.clone());
    assert_verizon_valid(&Verifier::new(root_only.clone()).verify(&vz.token, &o));

    // The built-in snapshot contains the Metaswitch root.
    let mut o = Options::at(vz.iat);
    o.certs.insert(vz.x5u.clone(), vz.chain.clone());
    let v = Verifier::default().verify(&vz.token, &o);
    assert_verizon_valid(&v);
    assert_eq!(v.trust.source, "built-in");

    // One changed claim (a dest digit, re-encoded) and the signature no longer verifies.
    let tampered = {
        use base64::Engine;
        let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
        let parts: Vec<&str> = vz.token.split('.').collect();
        let claims = String::from_utf8(b64.decode(parts[1]).unwrap()).unwrap();
        assert!(claims.contains("18724016341"), "{claims}");
        let claims = claims.replace("18724016341", "18724016342");
        format!("{}.{}.{}", parts[0], b64.encode(claims), parts[2])
    };
    let v = Verifier::default().verify(&tampered, &o);
    assert_eq!(v.status, Status::Invalid);
    assert_eq!(outcome(&v, "passport.claims"), Outcome::Pass, "{}", ids(&v));
    assert_eq!(first_fail(&v), "signature", "{}", ids(&v));
    assert_eq!(v.verstat, Verstat::Failed);
    let mut sig_flipped = vz.token.clone();
    let last = sig_flipped.pop().unwrap();
    sig_flipped.push(if last == 'w' { 'A' } else { 'w' });
    let v = Verifier::default().verify(&sig_flipped, &o);
    assert_eq!(v.status, Status::Invalid);
    assert_eq!(outcome(&v, "signature"), Outcome::Fail, "{}", ids(&v));
    assert_eq!(v.verstat, Verstat::Failed);

    // Without the root in the store, the same chain is untrusted.
    let other = Arc::new(
        TrustStore::from_bundles(
            "libstirshaken test CA",
            &[&read("fixtures/libstirshaken/examples_ca_ca.pem")],
        )
        .unwrap(),
    );
    let mut o2 = Options::at(vz.iat);
    o2.certs.insert(vz.x5u.clone(), vz.chain.clone());
    o2.trust = Some(other);
    let v = Verifier::default().verify(&vz.token, &o2);
    assert_eq!(first_fail(&v), "cert.chain", "{}", ids(&v));
    assert_eq!(v.sip_code, Some(437));
    assert_eq!(v.verstat, Verstat::Failed);
}

#[test]
fn verizon_production_header_today_is_stale_and_expired() {
    let vz = verizon();
    let now = unix_now();
    assert!(
        now > 1_708_104_613,
        "the clock is before the leaf expired (2024-02-16)"
    );
    let mut o = Options::at(now);
    o.certs.insert(vz.x5u.clone(), vz.chain.clone());
    let v = Verifier::default().verify(&vz.token, &o);
    assert_eq!(v.status, Status::Invalid);
    // The checklist's order: a stale iat (403) decides before an expired certificate (437).
    assert_eq!(first_fail(&v), "time.iat", "{}", ids(&v));
    assert_eq!(v.sip_code, Some(403));
    assert_eq!(v.sip_reason, Some("Stale Date"));
    assert_eq!(outcome(&v, "cert.validity"), Outcome::Fail, "{}", ids(&v));
    let d = detail(&v, "cert.validity");
    assert!(
        d.contains("Verizon SHAKEN cert 5807") && d.contains("expired") && d.contains("2024-02-16"),
        "{d}"
    );
    // Everything cryptographic still holds.
    assert_eq!(outcome(&v, "signature"), Outcome::Pass);
    assert_eq!(outcome(&v, "cert.chain"), Outcome::Pass);
    assert_eq!(v.verstat, Verstat::NoValidation);
    assert!(v.reason.contains("more problem"), "{}", v.reason);
}

fn libstirshaken_headers() -> Vec<Value> {
    let hs: Vec<Value> = headers()
        .into_iter()
        .filter(|h| h["kind"] == "fixture")
        .collect();
    assert_eq!(
        hs.len(),
        6,
        "headers.jsonl lists 6 libstirshaken fixture headers"
    );
    hs
}

#[test]
fn libstirshaken_fixture_headers_verify_with_their_test_certificate() {
    let sp = read("fixtures/libstirshaken/examples_cache_sp.pem");
    let test_ca = Arc::new(
        TrustStore::from_bundles(
            "SignalWire test CA",
            &[&read("fixtures/libstirshaken/examples_ca_ca.pem")],
        )
        .unwrap(),
    );
    for h in libstirshaken_headers() {
        assert_eq!(
            h["cert_file"], "fixtures/libstirshaken/examples_cache_sp.pem",
            "{h}"
        );
        let token = identity(&h);
        let iat = h["iat"].as_i64().expect("integer iat");
        let x5u = x5u_of(&h);
        let https = x5u.starts_with("https://");
        let json_string_claims = h["decoded_payload"]["orig"].is_string();
        let non_numeric_tn = h["decoded_payload"]["orig"]["tn"] == "Bob";

        // Default (built-in) trust store, as of iat.
        let mut o = as_of_call(unix_now());
        o.default_chain = Some(sp.clone());
        let v = Verifier::default().verify(token, &o);
        let all = ids(&v);
        println!(
            "libstirshaken {x5u} iat {iat}: {:?} {:?} {:?} first={} — {}",
            v.status,
            v.sip_code,
            v.verstat,
            first_fail(&v),
            v.reason
        );
        // The signature itself verifies with the fixture certificate.
        assert_eq!(outcome(&v, "signature"), Outcome::Pass, "{all}");
        assert_eq!(outcome(&v, "cert.fetch"), Outcome::Pass, "{all}");
        assert_eq!(outcome(&v, "time.iat"), Outcome::Pass, "{all}");
        assert_eq!(outcome(&v, "cert.validity"), Outcome::Pass, "{all}");
        // A self-made test CA is not an STI-CA.
        assert_eq!(outcome(&v, "cert.chain"), Outcome::Fail, "{all}");
        assert!(
            detail(&v, "cert.chain").contains("SignalWire STI-CA Test"),
            "{all}"
        );
        assert_eq!(v.status, Status::Invalid);
        assert_eq!(
            v.verstat,
            Verstat::Failed,
            "an untrusted chain → TN-Validation-Failed"
        );
        assert_eq!(
            v.attest, None,
            "no attestation is reported for an invalid call"
        );

        // http x5u: refused by the URL rules, the first failure (436).
        if !https {
            assert_eq!(first_fail(&v), "x5u.url", "{all}");
            assert_eq!(v.sip_code, Some(436));
            assert!(detail(&v, "x5u.url").contains("https"), "{all}");
        } else {
            assert_eq!(outcome(&v, "x5u.url"), Outcome::Pass, "{all}");
        }
        // orig/dest as JSON strings (a libstirshaken bug) or non-numeric TNs: passport.claims.
        if json_string_claims {
            assert_eq!(outcome(&v, "passport.claims"), Outcome::Fail, "{all}");
            let d = detail(&v, "passport.claims");
            assert!(
                d.contains("rig is a string") && d.contains("dest is a string"),
                "{d}"
            );
        } else if non_numeric_tn {
            assert_eq!(first_fail(&v), "passport.claims", "{all}");
            assert_eq!(v.sip_code, Some(438));
            assert!(detail(&v, "passport.claims").contains("\"Bob\""), "{all}");
        } else {
            assert_eq!(outcome(&v, "passport.claims"), Outcome::Pass, "{all}");
        }

        // With the test CA as the trust store the chain passes; what is left is the rest.
        let mut o = as_of_call(unix_now());
        o.default_chain = Some(sp.clone());
        o.trust = Some(test_ca.clone());
        let v = Verifier::default().verify(token, &o);
        let all = ids(&v);
        println!(
            "  with the test CA trusted: {:?} {:?} {:?} first={} — {}",
            v.status,
            v.sip_code,
            v.verstat,
            first_fail(&v),
            v.reason
        );
        assert_eq!(outcome(&v, "cert.chain"), Outcome::Pass, "{all}");
        assert_eq!(outcome(&v, "signature"), Outcome::Pass, "{all}");
        assert_eq!(v.status, Status::Invalid);
        // The test certificate's TNAuthList extension is an IA5String URL, not a SEQUENCE of
        // TNEntry: no SPC, so it cannot identify a SHAKEN signer (hard profile failure, 437).
        assert_eq!(outcome(&v, "cert.profile"), Outcome::Fail, "{all}");
        assert!(
            detail(&v, "cert.profile").contains("TNAuthList does not decode"),
            "{all}"
        );
        if https && !json_string_claims && !non_numeric_tn {
            // Nothing else is wrong with these two.
            assert_eq!(first_fail(&v), "cert.profile", "{all}");
            assert_eq!(v.sip_code, Some(437));
            assert_eq!(v.verstat, Verstat::NoValidation);
            let fails: Vec<&str> = v
                .checks
                .iter()
                .filter(|c| c.is_fail())
                .map(|c| c.id.as_str())
                .collect();
            assert_eq!(fails, ["cert.profile"], "{all}");
        }

        // Tampering with the claims breaks the signature.
        let mut parts: Vec<&str> = token.split(['.', ';']).collect();
        let claims = parts[1].to_owned();
        let flipped: String = claims
            .char_indices()
            .map(|(i, c)| {
                if i == 3 {
                    if c == 'A' { 'B' } else { 'A' }
                } else {
                    c
                }
            })
            .collect();
        parts[1] = &flipped;
        let tampered = format!("{}.{}.{}", parts[0], parts[1], parts[2]);
        let mut o = as_of_call(unix_now());
        o.default_chain = Some(sp.clone());
        let v = Verifier::default().verify(&tampered, &o);
        assert_eq!(outcome(&v, "signature"), Outcome::Fail, "{}", ids(&v));
    }
}

#[test]
fn rfc8224_example_signature_verifies_but_the_verdict_is_invalid() {
    let h = header_where("RFC 8224 example", |h| h["kind"] == "rfc-example");
    let key_file = h["public_key_file"].as_str().expect("public_key_file");
    let key = read(key_file);
    assert!(String::from_utf8_lossy(&key).contains("BEGIN PUBLIC KEY"));
    // iat is the JSON string "1443208345": verify at that time.
    let iat: i64 = h["iat"].as_str().expect("string iat").parse().unwrap();
    let mut o = Options::at(iat);
    o.default_chain = Some(key.clone());
    let v = Verifier::default().verify(identity(&h), &o);
    let all = ids(&v);
    println!(
        "RFC 8224 §4: {:?} {:?} {:?} — {}\n{all}",
        v.status, v.sip_code, v.verstat, v.reason
    );

    // The signature check passes with the draft-ietf-stir-passport Appendix A key ...
    assert_eq!(outcome(&v, "signature"), Outcome::Pass, "{all}");
    assert!(
        detail(&v, "signature").contains("supplied public key"),
        "{all}"
    );
    // ... and the verdict is invalid for the checklist's reasons, info≠x5u first (436).
    assert_eq!(v.status, Status::Invalid);
    assert_eq!(first_fail(&v), "x5u.url", "{all}");
    assert_eq!(v.sip_code, Some(436));
    let d = detail(&v, "x5u.url");
    assert!(
        d.contains("biloxi.example.org") && d.contains("cert.example.org"),
        "{d}"
    );
    assert_eq!(outcome(&v, "passport.claims"), Outcome::Fail, "{all}");
    let d = detail(&v, "passport.claims").to_lowercase();
    assert!(d.contains("iat is a string"), "{d}");
    assert!(d.contains("attest") && d.contains("origid"), "{d}");
    // A bare key identifies nobody: no profile, no path to an anchor.
    assert_eq!(outcome(&v, "cert.profile"), Outcome::Fail, "{all}");
    assert_eq!(outcome(&v, "cert.chain"), Outcome::Fail, "{all}");
    assert_eq!(v.attest, None);

    // Control: one changed claims character and the same key no longer verifies.
    let token = identity(&h);
    let (jws, params) = token.split_once(';').unwrap();
    let parts: Vec<&str> = jws.split('.').collect();
    let tampered = format!(
        "{}.{}.{};{params}",
        parts[0],
        parts[1].replacen("MTIxNTU1NTEyMTIi", "MTIxNTU1NTEyMTMi", 1),
        parts[2]
    );
    assert_ne!(tampered, token);
    let v = Verifier::default().verify(&tampered, &o);
    assert_eq!(outcome(&v, "signature"), Outcome::Fail, "{}", ids(&v));
}

#[test]
fn corrupt_sansay_header_is_rejected_clearly() {
    let h = header_where("corrupt Sansay header", |h| {
        h["x5u"].as_str().is_some_and(|u| u.contains("sansay")) && h["decoded_payload"].is_null()
    });
    let token = identity(&h);
    let v = Verifier::default().verify(token, &Options::at(1_687_163_815));
    let all = ids(&v);
    println!("Sansay: {:?} {:?} — {}", v.status, v.sip_code, v.reason);
    assert_eq!(v.status, Status::Invalid);
    assert_eq!(first_fail(&v), "passport.claims", "{all}");
    assert_eq!(v.sip_code, Some(438));
    let d = detail(&v, "passport.claims");
    assert!(d.contains("claims cannot be read"), "{d}");
    assert!(
        d.contains("base64") || d.contains("UTF-8") || d.contains("JSON"),
        "the reason names the problem: {d}"
    );
    assert!(
        v.reason.starts_with(d),
        "the reason is that detail: {}",
        v.reason
    );
    // The header itself is fine and is shown.
    assert_eq!(outcome(&v, "passport.header"), Outcome::Pass, "{all}");
    assert_eq!(v.identities[0].header.as_ref(), Some(&h["decoded_header"]));
    // decode (no verification) says the same.
    let d = stircheck::decode::decode(token);
    assert_eq!(d.identities.len(), 1);
    let c = d.identities[0]
        .checks
        .iter()
        .find(|c| c.id == "passport.claims")
        .expect("claims check");
    assert_eq!(c.outcome, Outcome::Fail);
}

#[test]
fn every_header_decodes_and_uncertified_ones_fail_cert_fetch() {
    let hs = headers();
    assert_eq!(hs.len(), 11);
    for (i, h) in hs.iter().enumerate() {
        let token = identity(h).to_owned();
        let decoded = std::panic::catch_unwind(|| stircheck::decode::decode(&token))
            .unwrap_or_else(|_| panic!("header #{i} panicked in decode"));
        assert_eq!(decoded.error, None, "#{i}");
        assert_eq!(decoded.identities.len(), 1, "#{i}");
        let r = &decoded.identities[0];
        assert_eq!(r.form, "full", "#{i}");
        assert_eq!(r.header.as_ref(), Some(&h["decoded_header"]), "#{i} header");
        if !h["decoded_payload"].is_null() {
            assert_eq!(
                r.claims.as_ref(),
                Some(&h["decoded_payload"]),
                "#{i} claims"
            );
        }
        assert_eq!(r.x5u.as_deref(), Some(x5u_of(h)), "#{i}");

        // Verified with no certificate at all: cert.fetch fails with 436.
        let at = h["iat"].as_i64().unwrap_or(0);
        let v = std::panic::catch_unwind(|| Verifier::default().verify(&token, &as_of_call(at)))
            .unwrap_or_else(|_| panic!("header #{i} panicked in verify"));
        assert_eq!(v.status, Status::Invalid, "#{i}");
        let fetch = v.check("cert.fetch").expect("cert.fetch is recorded");
        assert_eq!(fetch.outcome, Outcome::Fail, "#{i}");
        assert_eq!(fetch.code.map(|c| c.code()), Some(436), "#{i}");
        if h["kind"] == "production" && h["decoded_payload"].is_object() {
            // Well-formed production headers: the missing certificate is the only problem.
            assert_eq!(first_fail(&v), "cert.fetch", "#{i}\n{}", ids(&v));
            assert_eq!(v.sip_code, Some(436), "#{i}");
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Certificates

/// Group similar findings: quoted values become "…", and counts ("has 63 bits", "found 2
/// OID(s)") become N; spec names, OIDs and algorithm names are kept.
fn normalize(msg: &str) -> String {
    let mut out = String::new();
    let chars: Vec<char> = msg.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let ch = chars[i];
        if ch == '"' {
            let end = chars[i + 1..]
                .iter()
                .position(|c| *c == '"')
                .map_or(chars.len(), |k| i + 1 + k);
            out.push_str("\"…\"");
            i = end + 1;
            continue;
        }
        if ch.is_ascii_digit()
            && (out.ends_with(' ') || out.ends_with('('))
            && !out.ends_with("RFC ")
        {
            let end = chars[i..]
                .iter()
                .position(|c| !c.is_ascii_digit())
                .map_or(chars.len(), |k| i + k);
            if chars.get(end) != Some(&'.') {
                out.push('N');
                i = end;
                continue;
            }
        }
        out.push(ch);
        i += 1;
    }
    out
}

fn print_table(title: &str, counts: &HashMap<String, usize>) {
    let mut rows: Vec<(&String, &usize)> = counts.iter().collect();
    rows.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    println!("{title}");
    for (k, n) in rows {
        println!("  {n:>6}  {k}");
    }
}

fn index_spc(entry: &Value) -> Option<String> {
    entry["tnauthlist"]
        .as_array()?
        .iter()
        .find(|e| e[0] == "spc")
        .and_then(|e| e[1].as_str())
        .map(str::to_owned)
}

#[test]
fn every_real_leaf_parses_yields_an_spc_and_is_profiled() {
    let pems = leaf_pems();
    assert_eq!(pems.len(), 19_306, "leaves.pem holds 19,306 certificates");
    let leaves = leaves();
    let t = Instant::now();

    let by_position: HashMap<usize, &Value> = index()
        .values()
        .filter(|e| e["bundle"] == "leaves.pem")
        .map(|e| (e["position"].as_u64().unwrap() as usize, e))
        .collect();
    assert_eq!(
        by_position.len(),
        pems.len(),
        "index.jsonl lists every leaf"
    );

    let mut rejected: HashMap<String, usize> = HashMap::new();
    let mut panics = Vec::new();
    let mut spc = 0usize;
    let mut spc_mismatch = Vec::new();
    let mut untagged = 0usize;
    let (mut hard_leaves, mut lint_leaves, mut clean) = (0usize, 0usize, 0usize);
    let mut hard: HashMap<String, usize> = HashMap::new();
    let mut lint: HashMap<String, usize> = HashMap::new();
    for (pos, parsed) in leaves.parsed.iter().enumerate() {
        let entry = by_position[&pos];
        let c = match parsed {
            Ok(c) => c,
            Err(e) => {
                if e.contains(PANICKED) {
                    panics.push(pos);
                }
                *rejected.entry(e.clone()).or_default() += 1;
                continue;
            }
        };
        assert_eq!(
            c.sha256_hex(),
            entry["sha256"].as_str().unwrap(),
            "position {pos}"
        );
        let ours = c
            .tn_auth
            .as_ref()
            .and_then(|(_, r)| r.as_ref().ok())
            .and_then(|l| {
                if l.spc_encoding == Some(stircheck::__private::cert::tnauth::SpcEncoding::Untagged)
                {
                    untagged += 1;
                }
                l.spc().map(str::to_owned)
            });
        if ours.is_some() {
            spc += 1;
        }
        if let Some(want) = index_spc(entry)
            && ours.as_deref() != Some(want.as_str())
        {
            spc_mismatch.push((pos, want, ours.clone()));
        }
        let p = match std::panic::catch_unwind(|| check_leaf(c)) {
            Ok(p) => p,
            Err(_) => {
                panics.push(pos);
                continue;
            }
        };
        if !p.hard.is_empty() {
            hard_leaves += 1;
        } else if !p.lint.is_empty() {
            lint_leaves += 1;
        } else {
            clean += 1;
        }
        for h in &p.hard {
            *hard.entry(normalize(&h.to_string())).or_default() += 1;
        }
        for l in &p.lint {
            *lint.entry(normalize(&l.to_string())).or_default() += 1;
        }
    }
    let n = pems.len();
    let parsed = n - rejected.values().sum::<usize>();
    let pct = |k: usize| 100.0 * k as f64 / n as f64;
    println!("== {n} real leaves (certs/leaves.pem)");
    println!(
        "parsed {parsed}, rejected {} ({:.1} ms to parse all; profile + SPC pass {:.1} ms)",
        n - parsed,
        leaves.secs * 1e3,
        t.elapsed().as_secs_f64() * 1e3
    );
    print_table("rejected, by reason:", &rejected);
    println!(
        "SPC from TNAuthList: {spc} ({:.3} %), {untagged} of them untagged",
        pct(spc)
    );
    println!("| profile (ATIS-1000080 leaf checks) | leaves | share |");
    println!("|---|---:|---:|");
    println!(
        "| at least one hard failure (fails cert.profile) | {hard_leaves} | {:.2} % |",
        pct(hard_leaves)
    );
    println!(
        "| usable, with at least one lint (warns) | {lint_leaves} | {:.2} % |",
        pct(lint_leaves)
    );
    println!("| no finding at all | {clean} | {:.2} % |", pct(clean));
    print_table("hard failures (leaves with each):", &hard);
    print_table("lints (leaves with each):", &lint);

    assert!(
        panics.is_empty(),
        "panicked on leaves at positions {panics:?}"
    );
    // Measured 2026-11-27: every leaf parses.
    assert_eq!(n - parsed, 0, "rejected leaves: {rejected:?}");
    assert!(
        spc * 1000 >= n * 999,
        "only {spc} of {n} leaves yield an SPC ({:.3} %)",
        pct(spc)
    );
    // The only disagreements with the index: 6 leaves whose TNAuthList SEQUENCE and [0] lengths
    // are one byte longer than their content (a 3-character SPC encoded with the lengths of a
    // 4-character one, e.g. `30 08 a0 06 16 03 "67J"`). The index decoded them leniently; strict
    // DER rejects them, so they fail cert.profile (hard) — measured 2026-11-27.
    println!("SPCs the index has and strict DER does not (position, index SPC): {spc_mismatch:?}");
    assert_eq!(spc_mismatch.len(), 6, "{spc_mismatch:?}");
    for (pos, _, ours) in &spc_mismatch {
        let c = leaves.parsed[*pos].as_ref().unwrap();
        let err = c.tn_auth.as_ref().and_then(|(_, r)| r.as_ref().err());
        assert!(
            ours.is_none() && err.is_some_and(|e| e.contains("not DER")),
            "position {pos}: {err:?}"
        );
    }
    assert!(
        untagged >= 6,
        "the README counts 6 untagged SPCs; we saw {untagged}"
    );
    assert_eq!(hard_leaves + lint_leaves + clean, parsed);
    // Every hard failure is explained by the index: no TNAuthList, a key that is not P-256, or
    // the 6 malformed TNAuthLists above. No leaf the index sees as a SHAKEN leaf fails otherwise.
    let malformed: Vec<usize> = spc_mismatch.iter().map(|m| m.0).collect();
    for (pos, parsed) in leaves.parsed.iter().enumerate() {
        let p = check_leaf(parsed.as_ref().unwrap());
        if p.hard.is_empty() {
            continue;
        }
        let e = by_position[&pos];
        let explained =
            e["tnauthlist"].is_null() || e["key"] != "EC-secp256r1" || malformed.contains(&pos);
        assert!(
            explained,
            "leaf {pos} ({}) fails hard: {:?}",
            e["subject"], p.hard
        );
    }
    // Counts the corpus README states, found by the lints.
    let count = |m: &HashMap<String, usize>, prefix: &str| -> usize {
        m.iter()
            .filter(|(k, _)| k.starts_with(prefix))
            .map(|(_, n)| n)
            .sum()
    };
    assert_eq!(count(&lint, "no BasicConstraints extension"), 14);
    assert_eq!(count(&lint, "the SPC is encoded without its"), 6);
    // 125 non-standard SPCs: 119 flagged by the lint + the 6 malformed 3-character ones.
    assert_eq!(
        count(&lint, "SPC \"…\" is not four digits") + malformed.len(),
        125
    );
    assert!(
        count(
            &lint,
            "the ECDSA signature algorithm identifier carries a NULL"
        ) >= 1
    );
    assert_eq!(count(&hard, "no TNAuthList extension"), 4);
    assert_eq!(count(&hard, "the key is Rsa"), 1);
}

/// Roots and intermediates, with their key and signature algorithms.
#[test]
fn every_corpus_root_and_intermediate_parses() {
    use stircheck::crypto::{Alg, KeyKind};
    let roots = roots();
    let inters = intermediates();
    assert_eq!(roots.len(), 22);
    assert_eq!(inters.len(), 38);
    for (name, _, c) in roots.iter().chain(inters.iter()) {
        // File names end with the first 16 hex digits of the DER's SHA-256.
        let stem = name.trim_end_matches(".pem");
        let prefix = &stem[stem.len() - 16..];
        assert!(c.sha256_hex().starts_with(prefix), "{name}");
        assert!(
            index().contains_key(&c.sha256_hex()),
            "{name} not in the index"
        );
        assert!(c.is_ca() || name.contains("DigiCert"), "{name}: CA:TRUE");
        assert!(c.key.is_ok(), "{name}: {:?}", c.key);
        assert!(c.sig_alg.is_ok(), "{name}: {:?}", c.sig_alg);
    }
    let bundles: Vec<&[u8]> = roots.iter().map(|(_, b, _)| b.as_slice()).collect();
    let store = TrustStore::from_bundles("corpus roots", &bundles).expect("roots load as a store");
    assert_eq!(store.anchors.len(), 22);
    assert!(store.anchors.iter().all(|a| a.is_self_issued()));
    let bundles: Vec<&[u8]> = inters.iter().map(|(_, b, _)| b.as_slice()).collect();
    let store =
        TrustStore::from_bundles("corpus intermediates", &bundles).expect("intermediates load");
    assert_eq!(store.anchors.len(), 38);

    let root = |cn: &str| {
        roots
            .iter()
            .find(|(_, _, c)| c.subject_cn.as_deref() == Some(cn))
            .unwrap_or_else(|| panic!("no root {cn}"))
            .2
            .clone()
    };
    let rsa = root("Neustar Certified Caller ID Root CA");
    assert_eq!(
        (rsa.key.clone(), rsa.sig_alg.clone()),
        (Ok(KeyKind::Rsa), Ok(Alg::RS256))
    );
    let ctia = root("SHAKEN Root CA");
    assert_eq!(
        (ctia.key.clone(), ctia.sig_alg.clone()),
        (Ok(KeyKind::P384), Ok(Alg::ES384))
    );
    let nn = root("NetNumber SHAKEN Root CA 1");
    assert_eq!(
        (nn.key.clone(), nn.sig_alg.clone()),
        (Ok(KeyKind::P521), Ok(Alg::ES512))
    );
    let tmo: Vec<_> = roots
        .iter()
        .filter(|(_, _, c)| c.subject_cn.as_deref() == Some("TMOBILE-PROD-ROOT-STIRSHAKEN-EC"))
        .collect();
    assert_eq!(tmo.len(), 2);
    assert!(
        tmo.iter().all(|(_, _, c)| c.sig_alg_has_params),
        "T-Mobile roots: NULL parameter"
    );

    // Every root's self-signature verifies, on every backend.
    for (name, _, c) in roots {
        let job = path::make_job(c, c).unwrap_or_else(|e| panic!("{name}: {e}"));
        for b in stircheck::crypto::all_backends() {
            assert_eq!(
                b.verify(&job),
                Some(true),
                "{name} self-signature on {}",
                b.name()
            );
        }
    }
    // Each intermediate's signature checked against the corpus CAs with its issuer's name.
    let cas: Vec<&Arc<ParsedCert>> = roots
        .iter()
        .chain(inters.iter())
        .map(|(_, _, c)| c)
        .collect();
    let mut unverified = Vec::new();
    for (name, _, c) in inters {
        let ok = cas.iter().any(|p| {
            p.subject_der == c.issuer_der
                && path::make_job(c, p)
                    .ok()
                    .and_then(|j| default_backend().verify(&j))
                    == Some(true)
        });
        if !ok {
            unverified.push(name.as_str());
        }
    }
    println!("intermediates without a verifying issuer in the corpus: {unverified:?}");
    // Their issuers (a web PKI root, Neustar UAT roots, the Sansay Canada root, TransNexus Root
    // CA G2) are not in the corpus; every other intermediate verifies under its corpus issuer.
    assert_eq!(
        unverified,
        [
            "DigiCert_Global_G2_TLS_RSA_SHA_c8025f9fc65fdfc9.pem",
            "Neustar_UAT_Canada_Certified_C_4cbdf6555ec7bc39.pem",
            "Neustar_UAT_Certified_Caller_I_63bf7244358bcd8b.pem",
            "Neustar_UAT_Enterprise_Certifi_ccfe62eca45597fa.pem",
            "SHAKEN_Sansay_Intermediate_CA__97b5027d44880503.pem",
            "TransNexus_Issuing_CA_G2_56ee2c4c4f58e02b.pem",
        ],
        "intermediates whose issuer signature does not verify"
    );
    for name in &unverified {
        let c = &inters.iter().find(|(n, _, _)| n == name).unwrap().2;
        assert!(
            !cas.iter().any(|p| p.subject_der == c.issuer_der),
            "{name}: its issuer is in the corpus, yet the signature did not verify"
        );
    }
}

/// Chain building for one leaf through all corpus intermediates to the corpus roots, as of
/// `at`: the job results (in plan order) and the path or why there is none.
fn chain_one(
    leaf: &Arc<ParsedCert>,
    inters: &[Arc<ParsedCert>],
    trust: &TrustStore,
    at: i64,
    backend: &dyn Backend,
) -> (Vec<bool>, Result<path::ValidPath, path::PathError>) {
    let mut chain = Vec::with_capacity(inters.len() + 1);
    chain.push(leaf.clone());
    chain.extend(inters.iter().cloned());
    let mut jobs: Vec<CryptoJob> = Vec::new();
    let plan = path::plan(&chain, trust, &mut jobs);
    // `None` = the backend cannot run this job; the core falls back to RustCrypto (as finish does).
    let results: Vec<bool> = jobs
        .iter()
        .map(|j| {
            backend
                .verify(j)
                .unwrap_or_else(|| RustCrypto.verify(j).unwrap_or(false))
        })
        .collect();
    let res = path::resolve(&plan, &results, trust, &[at]);
    (results, res)
}

/// Leaves that chain to one of the 22 corpus roots through the 38 corpus intermediates, with
/// every certificate on the path valid at the leaf's notBefore + 1 s. Measured 2026-11-27 (an
/// independent count with pyca/cryptography `verify_directly_issued_by` gave the same number).
const CHAINING_LEAVES_FLOOR: usize = 19_290;

#[test]
fn real_leaves_chain_to_corpus_roots_at_scale() {
    use stircheck::crypto::KeyKind;
    let trust = corpus_trust();
    let inters: Vec<Arc<ParsedCert>> = intermediates().iter().map(|(_, _, c)| c.clone()).collect();
    let leaves: Vec<(usize, &Arc<ParsedCert>)> = leaves()
        .parsed
        .iter()
        .enumerate()
        .filter_map(|(i, r)| r.as_ref().ok().map(|c| (i, c)))
        .collect();
    let backend = default_backend();

    let t = Instant::now();
    let mut chained = 0usize;
    let mut chained_in_validity = 0usize;
    let mut by_anchor: HashMap<String, usize> = HashMap::new();
    let mut by_anchor_key: HashMap<String, usize> = HashMap::new();
    let mut failures: HashMap<String, usize> = HashMap::new();
    let mut jobs_run = 0usize;
    let mut outcomes = Vec::with_capacity(leaves.len());
    for (_, leaf) in &leaves {
        let at = leaf.not_before + 1;
        let (results, res) = chain_one(leaf, &inters, trust, at, backend);
        jobs_run += results.len();
        match &res {
            Ok(p) => {
                chained += 1;
                let anchor = p.certs.last().unwrap();
                if p.certs.iter().all(|c| c.valid_at(at)) {
                    chained_in_validity += 1;
                }
                *by_anchor
                    .entry(
                        anchor
                            .subject_cn
                            .clone()
                            .unwrap_or_else(|| anchor.subject.clone()),
                    )
                    .or_default() += 1;
                *by_anchor_key
                    .entry(format!("{:?}", anchor.key.clone().unwrap()))
                    .or_default() += 1;
            }
            Err(why) => {
                *failures
                    .entry(format!("{why} [issuer: {}]", leaf.issuer))
                    .or_default() += 1
            }
        }
        outcomes.push(
            res.as_ref()
                .ok()
                .map(|p| p.certs.last().unwrap().key.clone()),
        );
    }
    let secs = t.elapsed().as_secs_f64();
    println!(
        "== chain building, {} leaves × (leaf + {} intermediates) → {} roots, as of notBefore + 1 s ({})",
        leaves.len(),
        inters.len(),
        trust.anchors.len(),
        backend.name()
    );
    println!(
        "chained: {chained}; with every certificate valid at that time: {chained_in_validity}; \
         not chained: {}",
        leaves.len() - chained
    );
    println!(
        "{jobs_run} signature jobs in {:.2} s ({:.0} leaves/s)",
        secs,
        leaves.len() as f64 / secs
    );
    print_table("by anchor:", &by_anchor);
    print_table("by anchor key:", &by_anchor_key);
    print_table("not chained, by reason:", &failures);

    assert!(
        chained_in_validity >= CHAINING_LEAVES_FLOOR,
        "{chained_in_validity} leaves chain as of their notBefore, fewer than the {CHAINING_LEAVES_FLOOR} measured"
    );
    // sha256WithRSAEncryption (Neustar RSA root) and ecdsa-with-SHA512 (NetNumber P-521 root)
    // CA signatures verify on real paths.
    assert!(by_anchor["Neustar Certified Caller ID Root CA"] >= 1);
    assert!(by_anchor["NetNumber SHAKEN Root CA 1"] >= 1);
    assert!(by_anchor_key[&format!("{:?}", KeyKind::Rsa)] >= 1);
    assert!(by_anchor_key[&format!("{:?}", KeyKind::P521)] >= 1);

    // Both backends agree exactly (every job result, outcome and path) on 500 leaves: every
    // leaf under the RSA, P-384 and P-521 roots, and evenly spaced others.
    let mut sample: Vec<usize> = (0..leaves.len())
        .filter(|&k| {
            matches!(
                outcomes[k],
                Some(Ok(KeyKind::Rsa | KeyKind::P384 | KeyKind::P521))
            )
        })
        .collect();
    let special = sample.len();
    assert!(special < 500, "{special} leaves under non-P-256 roots");
    let step = leaves.len() / (500 - special);
    let mut k = 0;
    while sample.len() < 500 {
        if !sample.contains(&k) {
            sample.push(k);
        }
        k = (k + step) % leaves.len();
    }
    let t = Instant::now();
    let mut by_key: HashMap<String, usize> = HashMap::new();
    for &k in &sample {
        let leaf = leaves[k].1;
        let at = leaf.not_before + 1;
        let (a, ra) = chain_one(leaf, &inters, trust, at, backend);
        let (b, rb) = chain_one(leaf, &inters, trust, at, &RustCrypto);
        assert_eq!(a, b, "job results differ for leaf {}", leaves[k].0);
        assert_eq!(
            ra.is_ok(),
            rb.is_ok(),
            "outcome differs for leaf {}",
            leaves[k].0
        );
        assert_eq!(ra.is_ok(), outcomes[k].is_some());
        if let (Ok(pa), Ok(pb)) = (&ra, &rb) {
            let ha: Vec<_> = pa.certs.iter().map(|c| c.sha256).collect();
            let hb: Vec<_> = pb.certs.iter().map(|c| c.sha256).collect();
            assert_eq!(ha, hb, "paths differ for leaf {}", leaves[k].0);
            *by_key
                .entry(format!(
                    "{:?}",
                    pa.certs.last().unwrap().key.clone().unwrap()
                ))
                .or_default() += 1;
        }
    }
    println!(
        "backends {} and rustcrypto agree on {} sampled leaves (chained, by anchor key: {by_key:?}) in {:.2} s",
        backend.name(),
        sample.len(),
        t.elapsed().as_secs_f64()
    );
    for kind in [KeyKind::Rsa, KeyKind::P384, KeyKind::P521] {
        assert!(
            by_key.get(&format!("{kind:?}")).is_some_and(|n| *n >= 1),
            "{kind:?}: {by_key:?}"
        );
    }
}
