//! The CA-signature cache (issue 14): verdicts are identical with and without it, a new leaf under
//! a known intermediate costs only its own CA signature and the PASSporT's, a tampered CA
//! signature never hits it, it is bounded and shared across threads (and clones).

mod common;
#[path = "support/realdata.rs"]
mod realdata;

use common::*;
use stircheck::crypto::Backend;
use stircheck::crypto::{Purpose, RustCrypto};
use stircheck::{Options, Status, Verdict, Verifier};

/// The number of jobs of each purpose the host is asked to run.
fn job_counts(v: &Verifier, input: &str, opts: &Options) -> (usize, usize) {
    let p = v.prepare(input, opts);
    let ca = p
        .jobs()
        .iter()
        .filter(|j| j.purpose == Purpose::Certificate)
        .count();
    (ca, p.jobs().len() - ca)
}

/// Verify through the two-phase API, the host running every job (as wasm's host would).
fn two_phase(v: &Verifier, input: &str, opts: &Options) -> Verdict {
    let p = v.prepare(input, opts);
    let r: Vec<Option<bool>> = p.jobs().iter().map(|j| RustCrypto.verify(j)).collect();
    v.finish(p, &r)
}

#[test]
fn new_leaf_under_a_known_intermediate_costs_its_own_ca_signature_only() {
    let pki = Pki::shared();
    let v = pki.verifier();
    let line = pki.sign(&claims());
    let input = Invite::new([line.as_str()]).text();
    let opts = pki.opts();
    assert_eq!(
        job_counts(&v, &input, &opts),
        (2, 1),
        "cold: leaf and intermediate"
    );
    assert_valid(&two_phase(&v, &input, &opts), "A");
    assert_eq!(v.sig_cache().len(), 2);

    // Another leaf from the same intermediate: only its own CA signature is new.
    let other = pki.leaf_with(|_| {});
    let line2 = other.sign(&claims());
    let input2 = Invite::new([line2.as_str()]).text();
    let opts2 = opts_with(&other.pem);
    assert_eq!(job_counts(&v, &input2, &opts2), (1, 1));
    let warm = two_phase(&v, &input2, &opts2);
    assert_valid(&warm, "A");
    let cold = pki
        .verifier()
        .with_sig_cache(0)
        .with_cert_cache(0)
        .verify(&input2, &opts2);
    assert_eq!(warm, cold, "the same verdict as without the cache");
    assert_eq!(v.sig_cache().len(), 3);

    // The same chain again with the chain cache cleared: the path is rebuilt, no CA job runs.
    v.cache().clear();
    assert_eq!(job_counts(&v, &input2, &opts2), (0, 1));
    assert_eq!(two_phase(&v, &input2, &opts2), cold);
}

/// Certificate(SEQ{tbs SEQ, alg SEQ, BIT STRING}) → the byte range of the tbs.
fn tbs_range(der: &[u8]) -> std::ops::Range<usize> {
    fn header(d: &[u8], at: usize) -> (usize, usize) {
        // (header length, content length)
        let l = d[at + 1] as usize;
        if l < 0x80 {
            (2, l)
        } else {
            let n = l & 0x7f;
            let len = d[at + 2..at + 2 + n]
                .iter()
                .fold(0usize, |a, b| a << 8 | *b as usize);
            (2 + n, len)
        }
    }
    let (oh, _) = header(der, 0);
    let (th, tl) = header(der, oh);
    oh..oh + th + tl
}

#[test]
fn a_tampered_ca_signature_never_hits_the_cache_and_fails() {
    let pki = Pki::shared();
    let v = pki.verifier();
    let line = pki.sign(&claims());
    let input = Invite::new([line.as_str()]).text();
    assert_valid(&v.verify(&input, &pki.opts()), "A");
    let known = v.sig_cache().len();
    let inter_pem = pki.inter.pem();
    let leaf = der_of(&pki.chain.leaf_pem);

    // 1. Same to-be-signed bytes, different signature bytes (the last byte of s).
    let mut bad_sig = leaf.clone();
    *bad_sig.last_mut().unwrap() ^= 0x01;
    // 2. Same signature over changed to-be-signed bytes (one byte of notAfter, 2026 → 2027).
    let mut bad_tbs = leaf.clone();
    let tbs = tbs_range(&bad_tbs);
    let at = bad_tbs[tbs.clone()]
        .windows(6)
        .position(|w| w == b"260101")
        .expect("notAfter 2026-01-01 in the tbs")
        + tbs.start;
    bad_tbs[at + 1] = b'7';
    assert_eq!(
        bad_tbs[tbs_range(&leaf).end..],
        leaf[tbs_range(&leaf).end..]
    );

    for (what, der) in [("signature", bad_sig), ("tbs", bad_tbs)] {
        let chain = format!("{}{inter_pem}", pem(&der));
        let opts = opts_with(&chain);
        let (hits0, _) = v.sig_cache().stats();
        let (ca_jobs, _) = job_counts(&v, &input, &opts);
        let (hits1, _) = v.sig_cache().stats();
        assert_eq!(
            ca_jobs, 1,
            "{what}: the tampered leaf's CA signature is a job"
        );
        assert_eq!(
            hits1 - hits0,
            1,
            "{what}: only the intermediate's signature is known"
        );
        let warm = v.verify(&input, &opts);
        assert_eq!(warm.status, Status::Invalid, "{what}");
        assert_eq!(
            outcome(&warm, "cert.chain"),
            stircheck::Outcome::Fail,
            "{what}"
        );
        let cold = pki
            .verifier()
            .with_sig_cache(0)
            .with_cert_cache(0)
            .verify(&input, &opts);
        assert_eq!(warm, cold, "{what}: same verdict as without the cache");
        assert_eq!(
            v.sig_cache().len(),
            known,
            "{what}: a failed signature is not stored"
        );
    }
}

#[test]
fn bounded_and_shared_across_threads() {
    let pki = Pki::shared();
    let v = pki.verifier().with_sig_cache(2);
    let leaves: Vec<Chain> = (0..3).map(|_| pki.leaf_with(|_| {})).collect();
    for chain in &leaves {
        let line = chain.sign(&claims());
        let input = Invite::new([line.as_str()]).text();
        assert_valid(&v.verify(&input, &opts_with(&chain.pem)), "A");
        assert!(v.sig_cache().len() <= 2, "bound respected");
    }
    assert_eq!(v.sig_cache().len(), 2);

    // A clone on another thread fills the same cache.
    let shared = pki.verifier();
    let clone = shared.clone();
    let chain = leaves[0].clone();
    std::thread::spawn(move || {
        let line = chain.sign(&claims());
        let input = Invite::new([line.as_str()]).text();
        assert_valid(&clone.verify(&input, &opts_with(&chain.pem)), "A");
    })
    .join()
    .unwrap();
    assert_eq!(shared.sig_cache().len(), 2);
    shared.clear_caches();
    assert!(shared.sig_cache().is_empty() && shared.cache().is_empty());
}

#[test]
fn real_corpus_chains_give_the_same_verdicts_with_and_without_the_cache() {
    if !realdata::corpus_present() {
        eprintln!("corpus not found: skipped");
        return;
    }
    let case = realdata::verizon();
    let inters: String = std::fs::read_dir(realdata::corpus_dir().join("certs/intermediates"))
        .expect("intermediates")
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "pem"))
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect();
    let leaves =
        stircheck::__private::cert::chain::pem_blocks(&realdata::read_text("certs/leaves.pem"));
    let with = Verifier::default();
    let without = Verifier::default().with_sig_cache(0).with_cert_cache(0);
    let mut valid_paths = 0;
    // The production Verizon chain first, then real leaves served with every real intermediate.
    let chains = std::iter::once(case.chain_pem.clone()).chain(
        leaves
            .iter()
            .step_by(37)
            .take(120)
            .map(|l| format!("{l}{inters}")),
    );
    for (i, chain) in chains.enumerate() {
        let mut opts = Options::at(case.iat);
        opts.certs.insert(case.x5u.clone(), chain.into_bytes());
        // Twice with the cache: cold, then with the chain cache cleared (CA signatures known).
        let a = with.verify(&case.identity, &opts);
        with.cache().clear();
        let b = with.verify(&case.identity, &opts);
        let c = without.verify(&case.identity, &opts);
        assert_eq!(a, c, "chain {i}: cold cache");
        assert_eq!(b, c, "chain {i}: warm cache");
        if c.check("cert.chain").is_some_and(|k| !k.is_fail()) {
            valid_paths += 1;
        }
    }
    let (hits, _) = with.sig_cache().stats();
    assert!(
        valid_paths >= 1 && hits >= 2,
        "{valid_paths} valid paths, {hits} hits"
    );
    assert!(without.sig_cache().is_empty());
}
