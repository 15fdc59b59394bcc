//! Every crypto backend compiled into this build (ring natively, RustCrypto everywhere, and a host
//! that can run no job at all, so the core's built-in fallback decides) gives the same verdict,
//! byte for byte as JSON, on real data: the production Verizon header with its real chain as of
//! its iat, the libstirshaken fixtures, the RFC 8224 example with its published key, tampered
//! copies of each, and every CA signature among the corpus's real STI-CA certificates (P-256,
//! P-384, P-521 and RSA). The WebCrypto backend is cross-checked the same way in the JS tests.

#[path = "support/realdata.rs"]
mod realdata;

use std::sync::Arc;
use stircheck::__private::cert::ParsedCert;
use stircheck::__private::cert::chain::pem_blocks;
use stircheck::crypto::{Backend, CryptoJob, all_backends};
use stircheck::{Options, Status, TrustStore, Verdict, Verifier};

/// A host that cannot run any job: `finish` falls back to the built-in RustCrypto path.
struct NoHostCrypto;

impl Backend for NoHostCrypto {
    fn verify(&self, _job: &CryptoJob) -> Option<bool> {
        None
    }
    fn name(&self) -> &'static str {
        "none (core fallback)"
    }
}

fn backends() -> Vec<&'static dyn Backend> {
    let mut v = all_backends();
    v.push(&NoHostCrypto);
    v
}

struct Case {
    name: String,
    text: String,
    opts: Options,
    trust: Option<Arc<TrustStore>>,
}

/// The corpus must be there (as `tests/corpus.rs` requires): a missing corpus fails the test
/// rather than passing it silently.
fn corpus_or_skip() -> bool {
    assert!(
        realdata::corpus_present(),
        "the real-world corpus is missing: expected it at {} (../shared/corpus beside the \
         repository, or $STIRCHECK_CORPUS; see ../shared/corpus/README.md)",
        realdata::corpus_dir().display()
    );
    true
}

fn der_of(pem: &str) -> Vec<u8> {
    der::pem::decode_vec(pem.as_bytes())
        .expect("PEM certificate")
        .1
}

fn pem_of(der: &[u8]) -> String {
    der::pem::encode_string("CERTIFICATE", der::pem::LineEnding::LF, der).expect("PEM encode")
}

/// Flip one base64url character of segment `seg` (0 header, 1 claims, 2 signature) of a JWS,
/// keeping it decodable.
fn tamper_segment(token: &str, seg: usize) -> String {
    let mut parts: Vec<String> = token.split('.').map(str::to_owned).collect();
    let s = &mut parts[seg];
    let i = s.len() / 2;
    let c = s.as_bytes()[i];
    let swapped = if c == b'A' { 'B' } else { 'A' };
    s.replace_range(i..i + 1, &swapped.to_string());
    parts.join(".")
}

fn cases() -> Vec<Case> {
    let mut out = Vec::new();
    let vz = realdata::verizon();
    let vz_opts = |chain: String| {
        let mut o = Options::at(vz.iat);
        o.certs.insert(vz.x5u.clone(), chain.into_bytes());
        o
    };
    out.push(Case {
        name: "verizon: real chain as of iat".into(),
        text: vz.identity.clone(),
        opts: vz_opts(vz.chain_pem.clone()),
        trust: None,
    });
    out.push(Case {
        name: "verizon: as of call (iat from the PASSporT)".into(),
        text: vz.identity.clone(),
        opts: {
            let mut o = vz_opts(vz.chain_pem.clone());
            o.now = vz.iat + 86_400 * 365;
            o.as_of_call = true;
            o
        },
        trust: None,
    });
    out.push(Case {
        name: "verizon: claims altered".into(),
        text: tamper_segment(&vz.identity, 1),
        opts: vz_opts(vz.chain_pem.clone()),
        trust: None,
    });
    out.push(Case {
        name: "verizon: signature altered".into(),
        text: tamper_segment(&vz.identity, 2),
        opts: vz_opts(vz.chain_pem.clone()),
        trust: None,
    });
    // The intermediate's own signature altered: the leaf still verifies, the chain must not.
    let blocks = pem_blocks(&vz.chain_pem);
    let mut inter = der_of(&blocks[1]);
    let n = inter.len();
    inter[n - 10] ^= 0x01;
    out.push(Case {
        name: "verizon: intermediate's CA signature altered".into(),
        text: vz.identity.clone(),
        opts: vz_opts(format!("{}{}", blocks[0], pem_of(&inter))),
        trust: None,
    });
    out.push(Case {
        name: "verizon: leaf only (no intermediate)".into(),
        text: vz.identity.clone(),
        opts: vz_opts(blocks[0].clone()),
        trust: None,
    });
    out.push(Case {
        name: "verizon: two years after iat (expired)".into(),
        text: vz.identity.clone(),
        opts: {
            let mut o = vz_opts(vz.chain_pem.clone());
            o.now = vz.iat + 2 * 86_400 * 366 + 86_400 * 200;
            o
        },
        trust: None,
    });

    // libstirshaken fixtures: against their own test CA, and against the built-in store.
    let ca = realdata::read_text("fixtures/libstirshaken/examples_ca_ca.pem");
    let sp = realdata::read_text("fixtures/libstirshaken/examples_cache_sp.pem");
    let test_ca = Arc::new(
        TrustStore::from_bundles("libstirshaken test CA", &[ca.as_bytes()]).expect("test CA"),
    );
    for (i, h) in realdata::headers()
        .into_iter()
        .filter(|h| h["cert_file"] == "fixtures/libstirshaken/examples_cache_sp.pem")
        .enumerate()
    {
        let token = h["identity"].as_str().unwrap().to_owned();
        let iat = h["iat"].as_i64().unwrap();
        let x5u = h["x5u"].as_str().unwrap().to_owned();
        let mut o = Options::at(iat);
        o.certs.insert(x5u, sp.clone().into_bytes());
        for (label, trust) in [
            ("its test CA", Some(test_ca.clone())),
            ("built-in store", None),
        ] {
            out.push(Case {
                name: format!("libstirshaken #{i} vs {label}"),
                text: token.clone(),
                opts: o.clone(),
                trust: trust.clone(),
            });
        }
        out.push(Case {
            name: format!("libstirshaken #{i}: claims altered"),
            text: tamper_segment(&token, 1),
            opts: o.clone(),
            trust: Some(test_ca.clone()),
        });
    }

    // RFC 8224 §4: the signature verifies with the published key; the verdict stays invalid.
    let rfc = realdata::headers()
        .into_iter()
        .find(|h| h["kind"] == "rfc-example")
        .expect("the RFC 8224 example");
    let key = realdata::read_text(rfc["public_key_file"].as_str().unwrap());
    let token = rfc["identity"].as_str().unwrap().to_owned();
    let mut o = Options::at(1_443_208_345);
    o.default_chain = Some(key.into_bytes());
    out.push(Case {
        name: "RFC 8224 example with its key".into(),
        text: token.clone(),
        opts: o.clone(),
        trust: None,
    });
    out.push(Case {
        name: "RFC 8224 example: signature altered".into(),
        text: tamper_segment(&token, 2),
        opts: o,
        trust: None,
    });
    out
}

fn json(v: &Verdict) -> String {
    serde_json::to_string_pretty(v).expect("a Verdict serializes")
}

fn check(v: &Verdict, id: &str) -> Option<stircheck::Outcome> {
    v.checks.iter().find(|c| c.id == id).map(|c| c.outcome)
}

#[test]
fn every_backend_gives_identical_verdicts_on_real_data() {
    if !corpus_or_skip() {
        return;
    }
    let cases = cases();
    assert!(cases.len() >= 12, "the fixture table is complete");
    let mut reference: Vec<Verdict> = Vec::new();
    for case in &cases {
        let mut per_backend: Vec<(String, String)> = Vec::new();
        for be in backends() {
            // A fresh verifier (chain validated through this backend), then the cached path.
            let trust = case.trust.clone().unwrap_or_else(TrustStore::builtin);
            let v = Verifier::new(trust);
            let first = v.verify_with(&case.text, &case.opts, be);
            let second = v.verify_with(&case.text, &case.opts, be);
            // Two-phase by hand, as a host does.
            let pending = v.prepare(&case.text, &case.opts);
            let results: Vec<Option<bool>> = pending.jobs().iter().map(|j| be.verify(j)).collect();
            let third = v.finish(pending, &results);
            let (a, b, c) = (json(&first), json(&second), json(&third));
            // The cache changes only the cert.fetch wording, never an outcome.
            let outcomes = |v: &Verdict| {
                v.checks
                    .iter()
                    .map(|c| (c.id, c.outcome))
                    .collect::<Vec<_>>()
            };
            assert_eq!(
                outcomes(&first),
                outcomes(&second),
                "{}: {} cached vs uncached",
                case.name,
                be.name()
            );
            assert_eq!(
                b,
                c,
                "{}: {} verify_with vs prepare/finish",
                case.name,
                be.name()
            );
            per_backend.push((be.name().to_string(), a));
            per_backend.push((format!("{} (cached)", be.name()), b));
            if per_backend.len() == 2 {
                reference.push(first);
            }
        }
        let names: Vec<&str> = per_backend.iter().map(|(n, _)| n.as_str()).collect();
        for pair in per_backend.chunks(2).skip(1) {
            assert_eq!(
                per_backend[0].1, pair[0].1,
                "{}: {} and {} disagree ({names:?})",
                case.name, per_backend[0].0, pair[0].0
            );
            assert_eq!(
                per_backend[1].1, pair[1].1,
                "{}: {} and {} disagree on the cached path",
                case.name, per_backend[1].0, pair[1].0
            );
        }
    }

    // The table is not vacuous: it has valid calls, signature failures and chain failures.
    use stircheck::Outcome::*;
    let by = |name: &str| {
        let i = cases.iter().position(|c| c.name == name).expect(name);
        &reference[i]
    };
    let ok = by("verizon: real chain as of iat");
    assert_eq!(ok.status, Status::Valid, "{}", ok.reason);
    assert_eq!(ok.attest.as_deref(), Some("A"));
    assert_eq!(
        by("verizon: as of call (iat from the PASSporT)").status,
        Status::Valid
    );
    for name in ["verizon: claims altered", "verizon: signature altered"] {
        let v = by(name);
        assert_eq!(v.status, Status::Invalid, "{name}");
        assert_eq!(check(v, "signature"), Some(Fail), "{name}");
        assert_eq!(check(v, "cert.chain"), Some(Pass), "{name}");
    }
    for name in [
        "verizon: intermediate's CA signature altered",
        "verizon: leaf only (no intermediate)",
    ] {
        let v = by(name);
        assert_eq!(v.status, Status::Invalid, "{name}");
        assert_eq!(check(v, "cert.chain"), Some(Fail), "{name}");
        assert_eq!(check(v, "signature"), Some(Pass), "{name}");
    }
    assert_eq!(
        check(
            by("verizon: two years after iat (expired)"),
            "cert.validity"
        ),
        Some(Fail)
    );
    let lib = by("libstirshaken #0 vs its test CA");
    assert_eq!(check(lib, "signature"), Some(Pass), "{}", lib.reason);
    assert_eq!(check(lib, "cert.chain"), Some(Pass), "{}", lib.reason);
    assert_eq!(
        check(by("libstirshaken #0 vs built-in store"), "cert.chain"),
        Some(Fail)
    );
    assert_eq!(
        check(by("libstirshaken #0: claims altered"), "signature"),
        Some(Fail)
    );
    let rfc = by("RFC 8224 example with its key");
    assert_eq!(rfc.status, Status::Invalid);
    let rfc_sig = rfc.identities[0]
        .checks
        .iter()
        .find(|c| c.id == "signature")
        .map(|c| c.outcome);
    assert_eq!(rfc_sig, Some(Pass), "the RFC example's signature verifies");
}

/// Every CA signature among the corpus's real roots and intermediates — P-256, P-384, P-521 and
/// RSA keys, SHA-256/384/512 — gives the same result in every backend, and a flipped bit fails
/// in every backend.
#[test]
fn every_backend_agrees_on_real_ca_signatures() {
    if !corpus_or_skip() {
        return;
    }
    let dir = realdata::corpus_dir().join("certs");
    let read_dir = |sub: &str| -> Vec<ParsedCert> {
        let mut files: Vec<_> = std::fs::read_dir(dir.join(sub))
            .expect("corpus cert folder")
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "pem"))
            .collect();
        files.sort();
        files
            .iter()
            .flat_map(|p| pem_blocks(&std::fs::read_to_string(p).unwrap()))
            .map(|pem| ParsedCert::from_der(&der_of(&pem)).expect("corpus CA parses"))
            .collect()
    };
    let roots = read_dir("roots");
    let inters = read_dir("intermediates");
    let root_pems: String = std::fs::read_dir(dir.join("roots"))
        .unwrap()
        .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
        .collect();
    let all_roots = TrustStore::from_bundles("corpus roots", &[root_pems.as_bytes()]).unwrap();
    let mut jobs: Vec<CryptoJob> = Vec::new();
    for c in inters.iter().chain(roots.iter()) {
        let chain = vec![Arc::new(c.clone())];
        stircheck::__private::cert::path::plan(&chain, &all_roots, &mut jobs);
    }
    // Self-signed roots verify their own signature too.
    for r in &roots {
        if let Ok(j) = stircheck::__private::cert::path::make_job(r, r) {
            jobs.push(j);
        }
    }
    let mut kinds = std::collections::BTreeSet::new();
    let mut verified = 0;
    for job in &jobs {
        let results: Vec<(&str, Option<bool>)> = all_backends()
            .into_iter()
            .map(|b| (b.name(), b.verify(job)))
            .collect();
        assert!(
            results.iter().all(|(_, r)| *r == results[0].1),
            "{:?}/{:?}: backends disagree: {results:?}",
            job.alg,
            job.key
        );
        if results[0].1 == Some(true) {
            verified += 1;
            kinds.insert(format!("{:?}/{:?}", job.alg, job.key));
            let mut bad = job.clone();
            let mid = bad.message.len() / 2;
            bad.message[mid] ^= 0x01;
            for b in all_backends() {
                assert_eq!(
                    b.verify(&bad),
                    Some(false),
                    "{} accepted a flipped bit",
                    b.name()
                );
            }
        }
    }
    eprintln!(
        "{} CA signature jobs, {verified} verify; kinds: {kinds:?}",
        jobs.len()
    );
    for want in ["RS256/Rsa", "ES384/P384", "ES256/P256"] {
        assert!(
            kinds.contains(want),
            "a real {want} CA signature was checked"
        );
    }
    assert!(
        kinds.iter().any(|k| k.ends_with("/P521")),
        "a real P-521 CA signature was checked"
    );
}
