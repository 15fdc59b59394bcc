//! Bad input never panics (issue 2, item 8): a fast, deterministic property test over the same entry
//! points as the cargo-fuzz targets in `fuzz/` (see fuzz/README.md), so `cargo test` keeps guarding
//! against regressions on stable. Inputs are random text and bytes, mutations of a valid signed
//! Identity header (made with `stircheck::sign` over the test PKI) and truncated or bit-flipped
//! certificate DER; each goes through the parser it targets and through the whole verifier with
//! a real chain, so path building and the crypto jobs are reached. Fixed RNG seed, no persistence
//! files; well under 20 s in release.

mod common;

use common::{NOW, Pki, X5U, claims};
use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed, TestRunner};
use std::sync::OnceLock;
use stircheck::__private::cert::chain::{Credential, parse_chain, pem_blocks};
use stircheck::__private::cert::{ParsedCert, profile, tnauth};
use stircheck::{Options, Verifier};

/// `cases` in a release build (`make test`); an eighth of that in a debug build, which is ~20x
/// slower. `PROPTEST_CASES` overrides both (e.g. a long local run).
fn config(cases: u32) -> Config {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(if cfg!(debug_assertions) {
            cases / 8
        } else {
            cases
        });
    Config {
        cases,
        failure_persistence: None,
        rng_seed: RngSeed::Fixed(0x5715_c43c),
        ..Config::default()
    }
}

/// The standard signed Identity header line, the chain's DER certificates and the PEM chain.
struct Fixture {
    header: String,
    leaf_der: Vec<u8>,
    inter_der: Vec<u8>,
    inter_pem: String,
}

fn fixture() -> &'static Fixture {
    static F: OnceLock<Fixture> = OnceLock::new();
    F.get_or_init(|| {
        let pki = Pki::shared();
        let blocks = pem_blocks(&pki.chain.pem);
        let der = |b: &str| der::pem::decode_vec(b.as_bytes()).expect("PEM").1;
        Fixture {
            header: pki.sign(&claims()),
            leaf_der: der(&blocks[0]),
            inter_der: der(&blocks[1]),
            inter_pem: blocks[1].clone(),
        }
    })
}

/// Every text entry point, plus the whole verifier with the test PKI's chain served at the x5u.
fn all_text_entry_points(text: &str) {
    let pki = Pki::shared();
    let _ = stircheck::__private::sip::parse(text);
    let _ = stircheck::__private::sip::parse_http_date(text);
    let _ = stircheck::__private::identity::parse(text, false);
    let _ = stircheck::__private::identity::parse(text, true);
    if let Ok(p) = stircheck::__private::passport::decode(text) {
        let _ = p.signing_input();
        let _ = p.header_str("x5u");
    }
    let _ = stircheck::__private::json::parse_strict(text);
    let _ = stircheck::__private::json::b64url_decode(text);
    let _ = stircheck::x5u::check(text);
    let _ = stircheck::decode::decode(text);
    let _ = stircheck::decode::needed_certs(text);
    let mut cleanups = Vec::new();
    if let stircheck::__private::paste::Prepared::Text(t) =
        stircheck::__private::paste::prepare(text, &mut cleanups)
    {
        let _ = stircheck::__private::paste::scan(&t);
    }
    let _ = stircheck::__private::paste::scan(text);
    if let Ok(m) = stircheck::__private::sip::parse(text) {
        let _ = m.detail();
    }
    verify_all_ways(text, &pki.opts());
}

/// Verify with the real backend on a fresh verifier, then with every crypto job reported as
/// verified (reaches the "valid" branches and the chain cache), then again (a cache hit). The
/// answer for a person is always there and within its length.
fn verify_all_ways(text: &str, opts: &Options) {
    let pki = Pki::shared();
    let verdict = pki.verifier().verify(text, opts);
    let headline = &verdict.summary.headline;
    assert!(!headline.is_empty() && headline.chars().count() <= stircheck::summary::MAX_HEADLINE);
    let v = serde_json::to_string(&verdict).expect("verdict serializes");
    assert!(!v.is_empty());
    let verifier = pki.verifier();
    let pending = verifier.prepare(text, opts);
    let ok = vec![Some(true); pending.jobs().len()];
    let _ = verifier.finish(pending, &ok);
    let _ = verifier.verify(text, opts);
}

fn all_cert_entry_points(bytes: &[u8]) {
    if let Ok(c) = ParsedCert::from_der(bytes) {
        let _ = profile::check_leaf(&c);
        let _ = c.valid_at(NOW);
    }
    if let Ok(Credential::Chain(certs)) = parse_chain(bytes) {
        for c in &certs {
            let _ = profile::check_leaf(c);
        }
    }
    if let Ok(tn) = tnauth::decode(bytes) {
        let _ = tn.spc();
        let _ = tn.covers("12155551212");
    }
}

/// One edit of a string: the operations a fuzzer's mutator makes, on char boundaries.
#[derive(Debug, Clone)]
enum Edit {
    Delete(usize, usize),
    Insert(usize, String),
    Replace(usize, char),
    Truncate(usize),
    Duplicate(usize, usize),
}

fn edit_strategy() -> impl Strategy<Value = Edit> {
    let interesting = prop_oneof![
        Just(";".to_string()),
        Just(".".to_string()),
        Just("=".to_string()),
        Just("<".to_string()),
        Just(">".to_string()),
        Just("\"".to_string()),
        Just("\r\n".to_string()),
        Just("\n ".to_string()),
        Just("%".to_string()),
        Just("é".to_string()),
        Just("\u{0}".to_string()),
        Just(";info=".to_string()),
        Just(";ppt=div".to_string()),
        Just("Identity: ".to_string()),
        Just("&".to_string()),
        Just("&lt;".to_string()),
        Just("%3B".to_string()),
        Just("\\r\\n".to_string()),
        Just("{\"identity\":\"".to_string()),
        Just("\u{a0}".to_string()),
        Just("\u{201c}".to_string()),
        Just("'".to_string()),
        Just("INFO sip: ".to_string()),
        "\\PC{0,8}",
    ];
    prop_oneof![
        (any::<usize>(), 1usize..16).prop_map(|(a, n)| Edit::Delete(a, n)),
        (any::<usize>(), interesting).prop_map(|(a, s)| Edit::Insert(a, s)),
        (any::<usize>(), any::<char>()).prop_map(|(a, c)| Edit::Replace(a, c)),
        any::<usize>().prop_map(Edit::Truncate),
        (any::<usize>(), 1usize..64).prop_map(|(a, n)| Edit::Duplicate(a, n)),
    ]
}

fn apply(s: &str, edit: &Edit) -> String {
    let idx: Vec<usize> = s.char_indices().map(|(i, _)| i).chain([s.len()]).collect();
    let at = |a: usize| idx[a % idx.len()];
    let mut out = s.to_string();
    match edit {
        Edit::Delete(a, n) => {
            let start = at(*a);
            let end = idx
                .iter()
                .copied()
                .find(|&i| i >= start + n)
                .unwrap_or(s.len());
            out.replace_range(start..end, "");
        }
        Edit::Insert(a, t) => out.insert_str(at(*a), t),
        Edit::Replace(a, c) => {
            let start = at(*a);
            if let Some(old) = s[start..].chars().next() {
                out.replace_range(start..start + old.len_utf8(), &c.to_string());
            }
        }
        Edit::Truncate(a) => out.truncate(at(*a)),
        Edit::Duplicate(a, n) => {
            let start = at(*a);
            let end = idx
                .iter()
                .copied()
                .find(|&i| i >= start + n)
                .unwrap_or(s.len());
            let piece = s[start..end].to_string();
            out.insert_str(end, &piece);
        }
    }
    out
}

/// One edit of certificate bytes: truncation, bit flips, byte overwrites (lengths and tags are
/// where DER parsers break) and cutting a piece out.
#[derive(Debug, Clone)]
enum ByteEdit {
    Truncate(usize),
    Flip(usize, u8),
    Set(usize, u8),
    Cut(usize, usize),
}

fn byte_edit_strategy() -> impl Strategy<Value = ByteEdit> {
    prop_oneof![
        any::<usize>().prop_map(ByteEdit::Truncate),
        (any::<usize>(), 0u8..8).prop_map(|(a, b)| ByteEdit::Flip(a, b)),
        (
            any::<usize>(),
            prop_oneof![
                Just(0u8),
                Just(0x7f),
                Just(0x80),
                Just(0x81),
                Just(0x82),
                Just(0xff),
                any::<u8>()
            ]
        )
            .prop_map(|(a, v)| ByteEdit::Set(a, v)),
        (any::<usize>(), 1usize..32).prop_map(|(a, n)| ByteEdit::Cut(a, n)),
    ]
}

fn apply_bytes(b: &[u8], edit: &ByteEdit) -> Vec<u8> {
    let mut out = b.to_vec();
    if out.is_empty() {
        return out;
    }
    let n = out.len();
    match *edit {
        ByteEdit::Truncate(a) => out.truncate(a % n),
        ByteEdit::Flip(a, bit) => out[a % n] ^= 1 << bit,
        ByteEdit::Set(a, v) => out[a % n] = v,
        ByteEdit::Cut(a, len) => {
            let s = a % n;
            out.drain(s..(s + len).min(n));
        }
    }
    out
}

#[test]
fn random_text_never_panics() {
    let text = prop_oneof![
        "\\PC{0,300}",
        any::<Vec<u8>>().prop_map(|b| String::from_utf8_lossy(&b).into_owned()),
        // Line-shaped input with the separators the readers split on.
        proptest::collection::vec(
            prop_oneof![
                Just("Identity: ".to_string()),
                Just("y: ".to_string()),
                Just("INVITE sip:x@y SIP/2.0".to_string()),
                Just("SIP/2.0 200 OK".to_string()),
                Just("From: <tel:+12155551212>".to_string()),
                Just("To: <sip:+12155551213@example.com>".to_string()),
                Just("Date: Sun, 01 Jun 2025 12:00:00 GMT".to_string()),
                Just("\r\n".to_string()),
                Just("\n\t".to_string()),
                Just(";".to_string()),
                Just(".".to_string()),
                "[A-Za-z0-9_=.;:<>\"-]{0,40}",
            ],
            0..24
        )
        .prop_map(|v| v.concat()),
    ];
    TestRunner::new(config(3000))
        .run(&text, |t| {
            all_text_entry_points(&t);
            Ok(())
        })
        .unwrap();
}

#[test]
fn mutated_signed_header_never_panics() {
    let f = fixture();
    // Whole line, bare value and bare JWS, each mutated a few times over.
    let start = prop_oneof![
        Just(f.header.clone()),
        Just(f.header.trim_start_matches("Identity: ").to_string()),
        Just(
            f.header
                .trim_start_matches("Identity: ")
                .split(';')
                .next()
                .unwrap()
                .to_string()
        ),
    ];
    let mutated = (start, proptest::collection::vec(edit_strategy(), 1..6))
        .prop_map(|(s, edits)| edits.iter().fold(s, |acc, e| apply(&acc, e)));
    TestRunner::new(config(6000))
        .run(&mutated, |t| {
            all_text_entry_points(&t);
            Ok(())
        })
        .unwrap();
}

/// The signed header as people paste it (src/paste.rs): wrapped, logged, quoted, in JSON and
/// form bodies, URL/HTML-escaped, as Wireshark shows it.
fn paste_shapes(header: &str) -> Vec<String> {
    let value = header.trim_start_matches("Identity: ");
    let token = value.split(';').next().unwrap();
    let wrap = |s: &str| {
        s.as_bytes()
            .chunks(64)
            .map(|c| String::from_utf8_lossy(c).into_owned())
            .collect::<Vec<_>>()
            .join("\n")
    };
    let pct = |s: &str| {
        percent_encoding::utf8_percent_encode(s, percent_encoding::NON_ALPHANUMERIC).to_string()
    };
    vec![
        wrap(header),
        wrap(token),
        format!("2026-12-01T09:14:03Z INFO sip: {header}"),
        format!("\"{header}\""),
        format!("'{token}',"),
        serde_json::json!({ "From": "+12155551212", "To": "+12155551213", "StirPassportToken": token }).to_string(),
        serde_json::json!({ "verificationRequest": { "from": { "tn": "12155551212" }, "to": { "tn": ["12155551213"] }, "identity": value } }).to_string(),
        format!("From=%2B12155551212&To=%2B12155551213&StirPassportToken={}", pct(token)),
        pct(value),
        header.replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;"),
        format!("\u{feff}{}\r\n", header.replace(": ", ":\u{a0}")),
        format!("Session Initiation Protocol (INVITE)\n    Request-Line: INVITE sip:+12155551213@x SIP/2.0\n    Message Header\n        From: <tel:+12155551212>\\r\\n\n        {header}\\r\\n\n"),
    ]
}

#[test]
fn mutated_pastes_never_panic() {
    let f = fixture();
    let shapes = paste_shapes(&f.header);
    // Each shape of the unmutated header still verifies (the mutations start from valid input).
    for s in &shapes {
        let v = Pki::shared().verifier().verify(s, &Pki::shared().opts());
        assert_eq!(
            v.status,
            stircheck::Status::Valid,
            "{s}\n{}",
            common::dump(&v)
        );
    }
    let start = proptest::sample::select(shapes);
    let mutated = (start, proptest::collection::vec(edit_strategy(), 1..6))
        .prop_map(|(s, edits)| edits.iter().fold(s, |acc, e| apply(&acc, e)));
    TestRunner::new(config(4000))
        .run(&mutated, |t| {
            all_text_entry_points(&t);
            Ok(())
        })
        .unwrap();
}

#[test]
fn mutated_certificates_never_panic() {
    let f = fixture();
    let pki = Pki::shared();
    let der = prop_oneof![Just(f.leaf_der.clone()), Just(f.inter_der.clone())];
    let mutated = (der, proptest::collection::vec(byte_edit_strategy(), 1..4))
        .prop_map(|(d, edits)| edits.iter().fold(d, |acc, e| apply_bytes(&acc, e)));
    TestRunner::new(config(4000))
        .run(&mutated, |der| {
            all_cert_entry_points(&der);
            // As served: the broken certificate as DER, and as PEM in front of the intermediate,
            // verified against the standard header so the chain, profile and path checks run.
            let pem = der::pem::encode_string("CERTIFICATE", der::pem::LineEnding::LF, &der)
                .expect("PEM encodes");
            let chain = format!("{pem}{}", f.inter_pem);
            all_cert_entry_points(chain.as_bytes());
            for served in [der.clone(), chain.into_bytes()] {
                let mut opts = Options::at(NOW);
                opts.certs.insert(X5U.to_string(), served);
                verify_all_ways(&f.header, &opts);
            }
            Ok(())
        })
        .unwrap();
    // The unmutated chain still verifies: the mutations above start from a valid input.
    let v = Verifier::new(pki.trust.clone()).verify(&f.header, &pki.opts());
    assert_eq!(v.status, stircheck::Status::Valid, "{}", common::dump(&v));
}

#[test]
fn random_bytes_as_certificates_never_panic() {
    let bytes = prop_oneof![
        proptest::collection::vec(any::<u8>(), 0..512),
        // DER-looking: a SEQUENCE tag and a length, then anything.
        (any::<u8>(), proptest::collection::vec(any::<u8>(), 0..256)).prop_map(|(l, rest)| {
            let mut v = vec![0x30, l];
            v.extend(rest);
            v
        }),
        "\\PC{0,200}".prop_map(|s| format!(
            "-----BEGIN CERTIFICATE-----\n{s}\n-----END CERTIFICATE-----\n"
        )
        .into_bytes()),
    ];
    TestRunner::new(config(8000))
        .run(&bytes, |b| {
            all_cert_entry_points(&b);
            Ok(())
        })
        .unwrap();
}
