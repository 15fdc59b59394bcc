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
//! - `newleafjobs`: only the crypto jobs of `newleaf` (its two ES256 checks per leaf, 64 leaves
//!   in turn), on the default backend: what the two signatures of that row really cost;
//! - `samejob`: one of those ES256 jobs again and again (what `es256/<backend>` in
//!   `benches/verify.rs` times): compare with `newleafjobs` for what varying inputs cost;
//!
//! and an optional iteration count. With `PROFILE_TIMED=1` the backend's calls are timed apart
//! from the rest (this thread's CPU time, as `benches/verify.rs` measures, so other load on the
//! machine does not count) and the loop prints, per call, the whole verification, its signature
//! checks and the rest: what the signatures cost inside the real loop (compare `samejob`).
//! `PROFILE_LEAVES=<n>` takes `n` leaves in turn in `newleaf` instead of 64. Without arguments (as `cargo bench` runs it) it does nothing.

use std::cell::Cell;
use std::time::Duration;
use stircheck::crypto::{Backend, CryptoJob, default_backend};
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
    let timing = Timed {
        inner: default_backend(),
        spent: Cell::new(Duration::ZERO),
        calls: Cell::new(0),
    };
    let be: &dyn Backend = if std::env::var_os("PROFILE_TIMED").is_some() {
        &timing
    } else {
        default_backend()
    };
    if mode == "newleaf" {
        return new_leaf(n, be, &timing);
    }
    if mode == "newleafjobs" || mode == "samejob" {
        return new_leaf_jobs(n, mode == "samejob");
    }
    let case = realdata::verizon();
    let mut opts = Options::at(case.iat);
    opts.certs
        .insert(case.x5u.clone(), case.chain_pem.clone().into_bytes());
    let text = case.identity.as_str();
    let v = Verifier::default();
    // The warm-up call (which validates the chain for `cached`) goes through prepare/finish,
    // so `--toggle-collect='*Verifier::verify_with*'` counts exactly the `n` calls below.
    let pending = v.prepare(text, &opts);
    let results: Vec<Option<bool>> = pending.jobs().iter().map(|j| be.verify(j)).collect();
    assert_eq!(v.finish(pending, &results).status, Status::Valid);
    timing.reset();
    let start = cpu_now();
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
    let whole = cpu_now() - start;
    assert_eq!(valid, n);
    eprintln!("profile: {mode} x {n}");
    timing.report(mode, whole, n);
}

/// `newleaf`: 64 leaves of the test PKI taken in turn, as `benches/verify.rs` measures them;
/// the CA-signature and parsed-certificate caches have room for the intermediate and one leaf.
fn new_leaf(n: usize, be: &dyn Backend, timing: &Timed) {
    let leaves = std::env::var("PROFILE_LEAVES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(64);
    let pki = common::Pki::new();
    let cases: Vec<(String, Options)> = (0..leaves)
        .map(|_| {
            let chain = pki.leaf_with(|_| {});
            (chain.sign(&common::claims()), common::opts_with(&chain.pem))
        })
        .collect();
    let v = pki.verifier().with_sig_cache(2).with_cert_cache(2);
    for (line, o) in &cases {
        assert_eq!(v.verify_with(line, o, be).status, Status::Valid);
    }
    timing.reset();
    let start = cpu_now();
    let mut valid = 0;
    for i in 0..n {
        let (line, o) = &cases[i % cases.len()];
        v.cache().clear();
        let verdict = v.verify_with(std::hint::black_box(line), o, be);
        valid += usize::from(verdict.status == Status::Valid);
    }
    let whole = cpu_now() - start;
    assert_eq!(valid, n);
    eprintln!("profile: newleaf x {n}");
    timing.report("newleaf", whole, n);
}

/// `newleafjobs` / `samejob`: the ES256 jobs `newleaf` hands the backend, alone.
fn new_leaf_jobs(n: usize, same: bool) {
    let pki = common::Pki::new();
    let v = pki.verifier().with_sig_cache(2).with_cert_cache(2);
    let be = default_backend();
    // The intermediate's CA signature becomes known, as in `newleaf`.
    assert_eq!(
        v.verify_with(&pki.sign(&common::claims()), &pki.opts(), be)
            .status,
        Status::Valid
    );
    let mut jobs = Vec::new();
    for _ in 0..64 {
        let chain = pki.leaf_with(|_| {});
        let line = chain.sign(&common::claims());
        let o = common::opts_with(&chain.pem);
        jobs.extend(v.prepare(&line, &o).jobs().iter().cloned());
        assert_eq!(v.verify_with(&line, &o, be).status, Status::Valid);
    }
    assert_eq!(jobs.len(), 128, "two host jobs per new leaf");
    let mut valid = 0;
    for i in 0..n {
        let job = &jobs[if same { 1 } else { i % jobs.len() }];
        valid += usize::from(be.verify(std::hint::black_box(job)) == Some(true));
    }
    assert_eq!(valid, n);
    eprintln!(
        "profile: {} x {n}",
        if same { "samejob" } else { "newleafjobs" }
    );
}

/// A backend that times the calls it forwards (`PROFILE_TIMED`).
struct Timed {
    inner: &'static dyn Backend,
    spent: Cell<Duration>,
    calls: Cell<u64>,
}

impl Timed {
    fn reset(&self) {
        self.spent.set(Duration::ZERO);
        self.calls.set(0);
    }

    /// Per call: the whole loop body, the signature checks in it, the rest (only when timed).
    fn report(&self, mode: &str, whole: Duration, n: usize) {
        if self.calls.get() == 0 || n == 0 {
            return;
        }
        let per = |d: Duration| d.as_secs_f64() * 1e6 / n as f64;
        let sigs = self.spent.get();
        eprintln!(
            "{mode} timed: {:.1} µs per call = {:.1} µs in {} signature checks + {:.1} µs beside",
            per(whole),
            per(sigs),
            self.calls.get() as f64 / n as f64,
            per(whole.saturating_sub(sigs))
        );
    }
}

impl Backend for Timed {
    fn verify(&self, job: &CryptoJob) -> Option<bool> {
        let t = cpu_now();
        let r = self.inner.verify(job);
        self.spent.set(self.spent.get() + (cpu_now() - t));
        self.calls.set(self.calls.get() + 1);
        r
    }
    fn name(&self) -> &'static str {
        "timed"
    }
}

/// This thread's CPU time (user + system).
fn cpu_now() -> Duration {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `ts` is a valid, writable timespec for the duration of the call.
    let rc = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    assert_eq!(rc, 0, "clock_gettime(CLOCK_THREAD_CPUTIME_ID)");
    Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32)
}
