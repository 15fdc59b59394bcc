//! Criterion benchmarks (issue 6): the production Verizon header with its real chain, verified as
//! of its iat, through every crypto backend compiled in.
//!
//! - `decode`: `stircheck::decode::decode` (parse + decode, no certificates, no crypto).
//! - `es256/<backend>`: the PASSporT's one ES256 job alone (the floor for a cached verify).
//! - `verify_cached/<backend>`: full verify; the chain was validated by an earlier call and
//!   comes from the verifier's cache.
//! - `verify_chain/<backend>`: full verify with the chain parsed and path-validated on every call,
//!   every CA signature checked (the chain and CA-signature caches are cleared each iteration;
//!   the built-in trust store is parsed once per process, before measuring, and never counted).
//! - `verify_chain_known_cas/<backend>`: the same chain parsed and path-validated every call, its
//!   CA signatures known from the CA-signature cache (only the PASSporT's ES256 runs); the
//!   parsed-certificate cache is cleared too, so both certificates are decoded every call.
//! - `verify_new_leaf/<backend>`: a leaf never seen before under a known intermediate (test PKI
//!   from tests/common: root → intermediate → 64 leaves taken in turn, the leaf's CA signature
//!   and the PASSporT's run, the intermediate's comes from the CA-signature cache; the leaf is
//!   decoded, the intermediate comes from the parsed-certificate cache). The leaves, their signed
//!   headers and PEM chains are made before measuring; each timed call is the chain cache's
//!   `clear` and `verify_with` (bench/PROFILE.md, session 5: what the time beside the two
//!   signatures is, measured with `PROFILE_TIMED=1 benches/profile newleaf`).
//!
//! `scripts/bench.sh` runs these and turns them into verifications/s and ratios to OpenSSL.
//! Run alone: `cargo bench --bench verify` (the corpus is read from `../shared/corpus`).

use criterion::measurement::{Measurement, ValueFormatter};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;
use std::time::Duration;
use stircheck::crypto::all_backends;
use stircheck::{Options, Status, Verifier};

#[path = "../tests/support/realdata.rs"]
mod realdata;

#[path = "../tests/common/mod.rs"]
mod common;

/// This thread's CPU time (user + system), like `openssl speed`, which divides by CPU user time
/// unless given `-elapsed`. Other builds on a shared 2-core machine then slow the run down without
/// skewing the rate, and the ratio to OpenSSL compares like with like.
pub struct ThreadCpu;

fn thread_cpu_ns() -> u64 {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `ts` is a valid, writable timespec for the duration of the call.
    let rc = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    assert_eq!(rc, 0, "clock_gettime(CLOCK_THREAD_CPUTIME_ID)");
    ts.tv_sec as u64 * 1_000_000_000 + ts.tv_nsec as u64
}

impl Measurement for ThreadCpu {
    type Intermediate = u64;
    type Value = u64;
    fn start(&self) -> u64 {
        thread_cpu_ns()
    }
    fn end(&self, start: u64) -> u64 {
        thread_cpu_ns().saturating_sub(start)
    }
    fn add(&self, a: &u64, b: &u64) -> u64 {
        a + b
    }
    fn zero(&self) -> u64 {
        0
    }
    fn to_f64(&self, v: &u64) -> f64 {
        *v as f64
    }
    fn formatter(&self) -> &dyn ValueFormatter {
        &CpuFormatter
    }
}

struct CpuFormatter;

impl ValueFormatter for CpuFormatter {
    fn scale_values(&self, typical_ns: f64, values: &mut [f64]) -> &'static str {
        let (factor, unit) = if typical_ns < 1e3 {
            (1.0, "ns cpu")
        } else if typical_ns < 1e6 {
            (1e-3, "µs cpu")
        } else {
            (1e-6, "ms cpu")
        };
        values.iter_mut().for_each(|v| *v *= factor);
        unit
    }
    fn scale_throughputs(
        &self,
        typical_ns: f64,
        t: &Throughput,
        values: &mut [f64],
    ) -> &'static str {
        let n = match *t {
            Throughput::Elements(n) | Throughput::ElementsAndBytes { elements: n, .. } => n,
            Throughput::Bytes(n) | Throughput::BytesDecimal(n) => n,
            Throughput::Bits(n) => n,
        } as f64;
        let _ = typical_ns;
        values.iter_mut().for_each(|v| *v = n * 1e9 / *v);
        "elem/s"
    }
    fn scale_for_machines(&self, _values: &mut [f64]) -> &'static str {
        "ns"
    }
}

fn benches(c: &mut Criterion<ThreadCpu>) {
    if !realdata::corpus_present() {
        eprintln!(
            "benches/verify: corpus not found at {} — nothing to measure",
            realdata::corpus_dir().display()
        );
        return;
    }
    let case = realdata::verizon();
    let mut opts = Options::at(case.iat);
    opts.certs
        .insert(case.x5u.clone(), case.chain_pem.clone().into_bytes());
    let text = case.identity.as_str();

    // Parse the built-in trust store now (a OnceLock), outside every measurement.
    let verifier = Verifier::default();
    for b in all_backends() {
        let v = verifier.verify_with(text, &opts, b);
        assert_eq!(v.status, Status::Valid, "{}: {}", b.name(), v.reason);
        assert_eq!(v.attest.as_deref(), Some("A"));
    }

    let mut g = c.benchmark_group("decode");
    g.throughput(Throughput::Elements(1));
    g.bench_function("decode", |b| {
        b.iter(|| stircheck::decode::decode(black_box(text)))
    });
    g.finish();

    // The PASSporT signature job alone, per backend.
    let pending = verifier.prepare(text, &opts);
    let sig_job = pending
        .jobs()
        .iter()
        .find(|j| j.purpose == stircheck::crypto::Purpose::Passport)
        .expect("a PASSporT job")
        .clone();
    let mut g = c.benchmark_group("es256");
    g.throughput(Throughput::Elements(1));
    for be in all_backends() {
        assert_eq!(be.verify(&sig_job), Some(true));
        g.bench_function(be.name(), |b| b.iter(|| be.verify(black_box(&sig_job))));
    }
    g.finish();

    let mut g = c.benchmark_group("verify_cached");
    g.throughput(Throughput::Elements(1));
    for be in all_backends() {
        let v = Verifier::default();
        v.verify_with(text, &opts, be); // fills the cache
        let (hits0, _) = v.cache().stats();
        g.bench_function(be.name(), |b| {
            b.iter(|| v.verify_with(black_box(text), &opts, be))
        });
        let (hits1, misses) = v.cache().stats();
        assert!(
            hits1 >= hits0 && misses == 1,
            "every measured call hit the cache ({hits0} -> {hits1} hits, {misses} misses)"
        );
    }
    g.finish();

    let mut g = c.benchmark_group("verify_chain");
    g.throughput(Throughput::Elements(1));
    for be in all_backends() {
        let v = Verifier::default();
        g.bench_function(be.name(), |b| {
            b.iter(|| {
                v.clear_caches();
                v.verify_with(black_box(text), &opts, be)
            })
        });
        let (hits, _) = v.cache().stats();
        assert_eq!(hits, 0, "no measured call used the cache");
        assert_eq!(
            v.sig_cache().stats().0,
            0,
            "no CA signature came from the cache"
        );
    }
    g.finish();

    let mut g = c.benchmark_group("verify_chain_known_cas");
    g.throughput(Throughput::Elements(1));
    for be in all_backends() {
        let v = Verifier::default();
        v.verify_with(text, &opts, be); // the CA signatures become known
        g.bench_function(be.name(), |b| {
            b.iter(|| {
                v.cache().clear();
                v.cert_cache().clear();
                v.verify_with(black_box(text), &opts, be)
            })
        });
        assert_eq!(
            v.cache().stats().0,
            0,
            "no measured call used the chain cache"
        );
        assert_eq!(
            v.cert_cache().stats().0,
            0,
            "no measured call used the parsed-certificate cache"
        );
        assert_eq!(
            v.sig_cache().stats().1,
            2,
            "only the first call checked CA signatures"
        );
    }
    g.finish();

    // New leaves under one known intermediate (test PKI).
    let pki = common::Pki::new();
    let cases: Vec<(String, Options)> = (0..64)
        .map(|_| {
            let chain = pki.leaf_with(|_| {});
            let line = chain.sign(&common::claims());
            (line, common::opts_with(&chain.pem))
        })
        .collect();
    let mut g = c.benchmark_group("verify_new_leaf");
    g.throughput(Throughput::Elements(1));
    for be in all_backends() {
        // Room for two signatures and two parsed certificates: the intermediate's (used by
        // every call, so never the least recently used) and the last leaf's, which the next
        // leaf evicts.
        let v = pki.verifier().with_sig_cache(2).with_cert_cache(2);
        for (line, o) in &cases {
            assert_eq!(v.verify_with(line, o, be).status, Status::Valid);
        }
        let (h0, m0) = v.sig_cache().stats();
        let (ch0, cm0) = v.cert_cache().stats();
        let mut i = 0;
        g.bench_function(be.name(), |b| {
            b.iter(|| {
                let (line, o) = &cases[i % cases.len()];
                i += 1;
                v.cache().clear();
                v.verify_with(black_box(line), o, be)
            })
        });
        let (h1, m1) = v.sig_cache().stats();
        assert_eq!(
            h1 - h0,
            m1 - m0,
            "each call: the intermediate known, the leaf new"
        );
        let (ch1, cm1) = v.cert_cache().stats();
        assert_eq!(
            ch1 - ch0,
            cm1 - cm0,
            "each call: the intermediate parsed before, the leaf new"
        );
    }
    g.finish();
}

fn config() -> Criterion<ThreadCpu> {
    // Short but stable: the whole suite stays well under a minute.
    Criterion::default()
        .with_measurement(ThreadCpu)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2))
        .sample_size(30)
        .configure_from_args()
}

criterion_group! { name = verify; config = config(); targets = benches }
criterion_main!(verify);
