//! A fixed loop for instruction-count profiling (issue 14): `valgrind --tool=callgrind` counts
//! instructions repeatably on a loaded machine, where wall-clock profiles do not.
//!
//! `cargo bench --bench profile --no-run`, then run the binary with one argument:
//! `cached` (the chain comes from the cache), `chain` (parsed and validated every call, every CA
//! signature checked), `knowncas` (parsed and validated every call, CA signatures from the
//! CA-signature cache) and an optional iteration count. Without arguments (as `cargo bench` runs it) it does nothing.

use stircheck::crypto::default_backend;
use stircheck::{Options, Status, Verifier};

#[path = "../tests/support/realdata.rs"]
mod realdata;

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let Some(mode) = args.first() else {
        return;
    };
    let n: usize = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(1000);
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
        }
        let verdict = v.verify_with(std::hint::black_box(text), &opts, be);
        valid += usize::from(verdict.status == Status::Valid);
    }
    assert_eq!(valid, n);
    eprintln!("profile: {mode} x {n}");
}
