//! The serialized Verdict, pinned byte for byte (issue 14): the full `serde_json::to_string`
//! of the Verdict and its compact and SBC views (`stircheck::view::render`), for checklist cases
//! (valid, failures, no identity, garbage) and the real Verizon header, against golden files in
//! `tests/fixtures/verdicts/`. The Rust-side representation of the verdict may change (borrowed
//! texts, shared signer facts, results kept per cached chain); its JSON must not.
//!
//! Each case is verified twice on one verifier, so the second call takes the cached-chain
//! route; the golden file holds both renderings (three lines each: full, compact, SBC).
//!
//! The test PKI (tests/common) is generated afresh on every run, so its certificates' hashes and
//! serials and the tokens signed with its keys differ between runs: in those cases each such
//! value is replaced by a numbered placeholder (`<sha256:leaf>`, `<token:1>`, …) before the
//! comparison; everything else is compared as it is. The Verizon and PKI-free cases are compared
//! unchanged.
//!
//! Golden files were written from the code at the time the test was added; after an intended
//! change of the contract, rewrite them with `STIRCHECK_BLESS=1 cargo test --test verdict_json`
//! and review the diff.

mod common;

#[path = "support/realdata.rs"]
mod realdata;

use common::*;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use stircheck::view::{View, render};
use stircheck::{Options, Verdict, Verifier};

fn golden_dir() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/verdicts")
}

/// The three renderings of a verdict, one per line.
fn rendered(v: &Verdict) -> String {
    let full = serde_json::to_string(v).expect("the verdict serializes");
    assert_eq!(full, render(v, View::Full), "render(Full) is to_string");
    format!(
        "{full}\n{}\n{}\n",
        render(v, View::Compact),
        render(v, View::Sbc)
    )
}

/// Verify `input` twice on one verifier (the second call hits the chain cache when the first
/// validated a chain, and `cert.fetch` says so): both renderings, first call first.
fn twice(verifier: &Verifier, input: &str, opts: &Options) -> String {
    let first = rendered(&verifier.verify(input, opts));
    let second = rendered(&verifier.verify(input, opts));
    format!("{first}{second}")
}

/// Compare with (or, under `STIRCHECK_BLESS=1`, write) `tests/fixtures/verdicts/<name>.txt`.
fn pin(name: &str, text: &str) {
    let path = golden_dir().join(format!("{name}.txt"));
    if std::env::var_os("STIRCHECK_BLESS").is_some() {
        std::fs::create_dir_all(golden_dir()).expect("golden dir");
        std::fs::write(&path, text).expect("write golden");
        return;
    }
    let want = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e} (STIRCHECK_BLESS=1 writes it)", path.display()));
    if want != text {
        let at = want
            .bytes()
            .zip(text.bytes())
            .position(|(a, b)| a != b)
            .unwrap_or(want.len().min(text.len()));
        let around = |s: &str| {
            // (floor/ceil_char_boundary are newer than the MSRV)
            let mut lo = at.saturating_sub(120).min(s.len());
            while !s.is_char_boundary(lo) {
                lo -= 1;
            }
            let mut hi = (at + 120).min(s.len());
            while !s.is_char_boundary(hi) {
                hi += 1;
            }
            s[lo..hi].to_string()
        };
        panic!(
            "{name}: the rendered verdict differs from {} at byte {at}\n want: …{}…\n  got: …{}…",
            path.display(),
            around(&want),
            around(text)
        );
    }
}

/// Replaces the values that differ between runs of the generated test PKI with placeholders.
struct Scrub {
    pairs: Vec<(String, String)>,
}

impl Scrub {
    /// The PKI's certificates (hash, serial), numbered by role.
    fn new(chain: &Chain) -> Scrub {
        let pki = Pki::shared();
        let mut s = Scrub { pairs: Vec::new() };
        let pems = [
            ("leaf", chain.leaf_pem.clone()),
            ("inter", pki.inter.pem()),
            ("root", pki.root.pem()),
        ];
        for (role, pem) in pems {
            let der = pem_der(&pem);
            let sha = hex(&Sha256::digest(&der));
            s.pairs.push((sha, format!("<sha256:{role}>")));
            let serial = match stircheck::__private::cert::chain::parse_chain(pem.as_bytes())
                .expect("test certificate")
            {
                stircheck::__private::cert::chain::Credential::Chain(c) => c[0].serial.clone(),
                _ => unreachable!("a certificate"),
            };
            s.pairs.push((hex(&serial), format!("<serial:{role}>")));
        }
        s
    }

    /// Also replace these tokens (signed with a generated key).
    fn tokens<'a>(mut self, lines: impl IntoIterator<Item = &'a str>) -> Scrub {
        for (i, line) in lines.into_iter().enumerate() {
            let t = token_of(line).to_string();
            // The signature part differs per run; header and claims are fixed.
            self.pairs.push((t, format!("<token:{i}>")));
        }
        self
    }

    fn apply(&self, text: &str) -> String {
        let mut out = text.to_string();
        for (from, to) in &self.pairs {
            for form in [from.clone(), from.to_ascii_uppercase(), colon_hex(from)] {
                if form.len() >= 8 {
                    out = out.replace(&form, to);
                }
            }
        }
        out
    }
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

fn colon_hex(h: &str) -> String {
    h.as_bytes()
        .chunks(2)
        .map(|c| std::str::from_utf8(c).unwrap_or(""))
        .collect::<Vec<_>>()
        .join(":")
}

fn pem_der(pem: &str) -> Vec<u8> {
    use base64::Engine;
    let body: String = pem
        .lines()
        .skip_while(|l| !l.starts_with("-----BEGIN"))
        .skip(1)
        .take_while(|l| !l.starts_with("-----END"))
        .collect();
    base64::engine::general_purpose::STANDARD
        .decode(body)
        .expect("PEM base64")
}

/// A PKI case: verify the INVITE around `lines` against `opts` (the shared PKI's trust store),
/// scrub and pin.
fn pki_case(name: &str, lines: &[String], invite: impl FnOnce(&mut Invite), opts: &Options) {
    pki_case_chain(name, lines, invite, opts, &Pki::shared().chain);
}

fn pki_case_chain(
    name: &str,
    lines: &[String],
    invite: impl FnOnce(&mut Invite),
    opts: &Options,
    chain: &Chain,
) {
    let mut inv = Invite::new(lines.iter().cloned());
    invite(&mut inv);
    let text = twice(&Pki::shared().verifier(), &inv.text(), opts);
    let scrub = Scrub::new(chain).tokens(lines.iter().map(String::as_str));
    pin(name, &scrub.apply(&text));
}

fn standard_line() -> String {
    Pki::shared().sign(&claims())
}

// ---------------------------------------------------------------------------------------------
// The test PKI

#[test]
fn pinned_valid_invite() {
    pki_case(
        "pki-valid",
        &[standard_line()],
        |_| {},
        &Pki::shared().opts(),
    );
}

#[test]
fn pinned_valid_bare_header_value() {
    let line = standard_line();
    let text = twice(
        &Pki::shared().verifier(),
        value_of(&line),
        &Pki::shared().opts(),
    );
    let scrub = Scrub::new(&Pki::shared().chain).tokens([line.as_str()]);
    pin("pki-valid-bare-value", &scrub.apply(&text));
}

#[test]
fn pinned_call_orig_mismatch() {
    pki_case(
        "pki-call-orig-mismatch",
        &[standard_line()],
        |i| i.pai = Some("<sip:+12155550000@carrier.example.com;user=phone>".into()),
        &Pki::shared().opts(),
    );
}

#[test]
fn pinned_stale_iat_and_attest_b() {
    let mut c = claims();
    c.iat = NOW - 3600;
    c.attest = "B".into();
    pki_case(
        "pki-stale-iat",
        &[Pki::shared().sign(&c)],
        |_| {},
        &Pki::shared().opts(),
    );
}

#[test]
fn pinned_alg_none_header() {
    // Unsigned token with a bad header: no token scrub needed beyond the line itself.
    let h = json!({ "alg": "none", "ppt": "shaken", "typ": "passport", "x5u": X5U });
    let token = jws_v(&h, &claims_value(), &Pki::shared().chain.key);
    pki_case(
        "pki-alg-none",
        &[identity(&token, X5U, "shaken")],
        |_| {},
        &Pki::shared().opts(),
    );
}

#[test]
fn pinned_signature_by_another_key() {
    let other = p256_key(&KeyAlg::P256.generate());
    let token = jws_v(&header_value("shaken"), &claims_value(), &other);
    pki_case(
        "pki-signature-other-key",
        &[identity(&token, X5U, "shaken")],
        |_| {},
        &Pki::shared().opts(),
    );
}

#[test]
fn pinned_missing_chain_is_unverified() {
    pki_case(
        "pki-cert-missing",
        &[standard_line()],
        |_| {},
        &Options::at(NOW),
    );
}

#[test]
fn pinned_expired_leaf() {
    let chain = Pki::shared().leaf_with(|p| validity(p, NOW - 86_400 * 30, NOW - 86_400));
    let line = chain.sign(&claims());
    pki_case_chain(
        "pki-expired-leaf",
        std::slice::from_ref(&line),
        |_| {},
        &opts_with(&chain.pem),
        &chain,
    );
}

#[test]
fn pinned_div_and_rcd_beside_shaken() {
    let key = &Pki::shared().chain.key;
    let div_claims = json!({
        "dest": { "tn": ["12155550199"] },
        "div": { "tn": DEST },
        "iat": NOW,
        "orig": { "tn": ORIG },
    });
    let div = identity(&jws_v(&header_value("div"), &div_claims, key), X5U, "div");
    let rcd_claims = json!({
        "dest": { "tn": [DEST] },
        "iat": NOW,
        "orig": { "tn": ORIG },
        "rcd": { "nam": "Example Pharmacy" },
    });
    let rcd = identity(&jws_v(&header_value("rcd"), &rcd_claims, key), X5U, "rcd");
    pki_case(
        "pki-div-rcd",
        &[standard_line(), div, rcd],
        |i| {
            i.to = Some("<sip:+12155550199@ims.example.net;user=phone>".into());
            i.request_uri = "sip:+12155550199@ims.example.net;user=phone".into();
        },
        &Pki::shared().opts(),
    );
}

// ---------------------------------------------------------------------------------------------
// No PKI: inputs that never reach a certificate

fn plain_case(name: &str, input: &str) {
    pin(name, &twice(&Verifier::default(), input, &Options::at(NOW)));
}

#[test]
fn pinned_no_identity_invite() {
    plain_case("no-identity", &Invite::new(Vec::<String>::new()).text());
}

#[test]
fn pinned_garbage_and_empty() {
    plain_case("garbage", "hello world, this is not a header");
    plain_case("empty", "   \n");
    plain_case("binary", "a\u{1}b");
}

#[test]
fn pinned_two_segment_token() {
    plain_case(
        "two-segments",
        "Identity: eyJhbGciOiJFUzI1NiJ9.eyJpYXQiOjF9;info=<https://cert.example.com/a.pem>;ppt=shaken",
    );
}

// ---------------------------------------------------------------------------------------------
// The production Verizon header with its real chain (deterministic: compared as it is)

#[test]
fn pinned_verizon_header_at_its_iat() {
    let case = realdata::verizon();
    let mut opts = Options::at(case.iat);
    opts.certs
        .insert(case.x5u.clone(), case.chain_pem.clone().into_bytes());
    let v = Verifier::default();
    pin("verizon", &twice(&v, &case.identity, &opts));
    // Checked as of the call (as_of_call), a year later: the same chain from the cache.
    let mut later = opts.clone();
    later.now = case.iat + 365 * 86_400;
    later.as_of_call = true;
    pin("verizon-as-of-call", &twice(&v, &case.identity, &later));
    // A year later as a live call: stale iat, expired certificate.
    later.as_of_call = false;
    pin("verizon-a-year-later", &twice(&v, &case.identity, &later));
}

#[test]
fn pinned_verizon_header_without_its_chain_and_tampered() {
    let case = realdata::verizon();
    let v = Verifier::default();
    pin(
        "verizon-no-chain",
        &twice(&v, &case.identity, &Options::at(case.iat)),
    );
    // One claims character changed: the signature no longer matches.
    let mut opts = Options::at(case.iat);
    opts.certs
        .insert(case.x5u.clone(), case.chain_pem.clone().into_bytes());
    let dot = case.identity.find('.').expect("a JWS");
    let mut tampered = case.identity.clone().into_bytes();
    let i = dot + 40;
    tampered[i] = if tampered[i] == b'A' { b'B' } else { b'A' };
    let tampered = String::from_utf8(tampered).expect("ASCII");
    pin("verizon-tampered", &twice(&v, &tampered, &opts));
    // Inside a SIP INVITE whose caller is another number.
    let invite = format!(
        "INVITE sip:+12155551213@example.net SIP/2.0\r\nFrom: <sip:+12155550000@example.com>\r\nTo: <sip:+12155551213@example.net>\r\nIdentity: {}\r\n\r\n",
        case.identity
    );
    pin("verizon-invite-other-caller", &twice(&v, &invite, &opts));
}

/// A golden file's text is really the verdict (not, say, an error object): each full line
/// parses and names a status.
#[test]
fn golden_files_hold_verdicts() {
    if std::env::var_os("STIRCHECK_BLESS").is_some() {
        return;
    }
    let mut n = 0;
    for e in std::fs::read_dir(golden_dir()).expect("golden dir") {
        let text = std::fs::read_to_string(e.expect("entry").path()).expect("golden");
        let full: Value = serde_json::from_str(text.lines().next().expect("line")).expect("JSON");
        assert!(
            full["status"].is_string() && full["checks"].is_array(),
            "{full}"
        );
        n += 1;
    }
    assert!(n >= 15, "{n} golden files");
}
