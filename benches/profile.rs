//! A fixed loop for instruction-count profiling (issue 14): `valgrind --tool=callgrind` counts
//! instructions repeatably on a loaded machine, where wall-clock profiles do not.
//!
//! `cargo bench --bench profile --no-run`, then run the binary with one argument:
//! - `cached`: the chain comes from the chain cache;
//! - `chain`: parsed and validated every call, every CA signature checked (all caches cleared);
//! - `knowncas`: parsed and validated every call, CA signatures from the CA-signature cache
//!   (as `benches/verify.rs` measures it);
//! - `knowncerts`: the same, but the certificates come from the parsed-certificate cache;
//! - `newleaf`: a leaf never seen before under a known intermediate (test PKI): the leaf is
//!   decoded and its CA signature and the PASSporT's run;
//!
//! and an optional iteration count. Without arguments (as `cargo bench` runs it) it does nothing.

use stircheck::crypto::default_backend;
use stircheck::{Options, Status, Verifier};

#[path = "../tests/support/realdata.rs"]
mod realdata;

#[path = "../tests/common/mod.rs"]
mod common;

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let Some(mode) = args.first() else {
        return;
    };
    let n: usize = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(1000);
    if mode == "newleaf" {
        return new_leaf(n);
    }
    let case = realdata::verizon();
    let mut opts = Options::at(case.iat);
    opts.certs
        .insert(case.x5u.clone(), case.chain_pem.clone().into_bytes());
    let text = case.identity.as_str();
    let v = Verifier::default();
    let be = default_backend();
    // The warm-up call (which validates the chain for `cached`) goes through prepare/finish,
    // so `--toggle-collect='*Verifier::verify_with*'` counts exactly the `n` calls below.
    let pending = v.prepare(text, &opts);
    let results: Vec<Option<bool>> = pending.jobs().iter().map(|j| be.verify(j)).collect();
    assert_eq!(v.finish(pending, &results).status, Status::Valid);
    let mut valid = 0;
    for _ in 0..n {
        if mode == "chain" {
            v.clear_caches();
        } else if mode == "knowncas" {
            v.cache().clear();
            v.cert_cache().clear();
        } else if mode == "knowncerts" {
            v.cache().clear();
        }
        let verdict = v.verify_with(std::hint::black_box(text), &opts, be);
        valid += usize::from(verdict.status == Status::Valid);
    }
    assert_eq!(valid, n);
    eprintln!("profile: {mode} x {n}");
}

/// `newleaf`: 64 leaves of the test PKI taken in turn, as `benches/verify.rs` measures them;
/// the CA-signature and parsed-certificate caches have room for the intermediate and one leaf.
fn new_leaf(n: usize) {
    let pki = common::Pki::new();
    let cases: Vec<(String, Options)> = (0..64)
        .map(|_| {
            let chain = pki.leaf_with(|_| {});
            (chain.sign(&common::claims()), common::opts_with(&chain.pem))
        })
        .collect();
    let v = pki.verifier().with_sig_cache(2).with_cert_cache(2);
    let be = default_backend();
    for (line, o) in &cases {
        assert_eq!(v.verify_with(line, o, be).status, Status::Valid);
    }
    let mut valid = 0;
    for i in 0..n {
        let (line, o) = &cases[i % cases.len()];
        v.cache().clear();
        let verdict = v.verify_with(std::hint::black_box(line), o, be);
        valid += usize::from(verdict.status == Status::Valid);
    }
    assert_eq!(valid, n);
    eprintln!("profile: newleaf x {n}");
}
