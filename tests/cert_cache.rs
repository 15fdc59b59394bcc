//! The parsed-certificate cache (issue 14): an intermediate seen before is not decoded again, two
//! different certificates never share an entry (a byte changed anywhere is a different
//! certificate), verdicts are identical with and without it, it is bounded and shared across
//! threads (and the verifier's clones).

mod common;

use common::*;
use std::sync::Arc;
use stircheck::verify::CertCache;
use stircheck::{Status, Verifier};

/// The byte offset of the leaf's notAfter year digit "6" of "260101" (in the to-be-signed part).
fn not_after_digit(der: &[u8]) -> usize {
    der.windows(6)
        .position(|w| w == b"260101")
        .expect("notAfter 2026-01-01")
        + 1
}

#[test]
fn different_certificates_never_share_an_entry() {
    let pki = Pki::shared();
    let leaf = der_of(&pki.chain.leaf_pem);
    let mut bad_sig = leaf.clone();
    *bad_sig.last_mut().unwrap() ^= 0x01;
    let mut bad_tbs = leaf.clone();
    bad_tbs[not_after_digit(&leaf)] = b'7';
    let inter = der_of(&pki.inter.pem());

    let cache = CertCache::new(16);
    let first: Vec<_> = [&leaf, &bad_sig, &bad_tbs, &inter]
        .iter()
        .map(|d| cache.parse_der(d).expect("parses"))
        .collect();
    assert_eq!(
        cache.stats(),
        (0, 4),
        "four different certificates, four misses"
    );
    assert_eq!(cache.len(), 4);
    for (c, d) in first.iter().zip([&leaf, &bad_sig, &bad_tbs, &inter]) {
        assert_eq!(&c.der, d, "each entry is the certificate asked for");
    }
    assert_ne!(first[0].signature, first[1].signature);
    assert_ne!(first[0].not_after, first[2].not_after);
    assert_ne!(first[0].sha256, first[1].sha256);

    // Asked again: the same parsed certificates, none decoded again.
    for (c, d) in first.iter().zip([&leaf, &bad_sig, &bad_tbs, &inter]) {
        assert!(Arc::ptr_eq(c, &cache.parse_der(d).unwrap()));
    }
    assert_eq!(cache.stats(), (4, 4));

    // What does not parse is an error every time and is not kept.
    let truncated = &leaf[..leaf.len() - 10];
    assert!(cache.parse_der(truncated).is_err());
    assert!(cache.parse_der(truncated).is_err());
    assert_eq!(cache.len(), 4);
}

#[test]
fn bounded() {
    let pki = Pki::shared();
    let ders: Vec<Vec<u8>> = (0..10)
        .map(|_| der_of(&pki.leaf_with(|_| {}).leaf_pem))
        .collect();
    let cache = CertCache::new(4);
    for d in &ders {
        cache.parse_der(d).unwrap();
        assert!(cache.len() <= 4);
    }
    assert_eq!(cache.len(), 4);
    // The most recent ones stayed.
    let (h0, _) = cache.stats();
    cache.parse_der(&ders[9]).unwrap();
    assert_eq!(cache.stats().0, h0 + 1);

    let off = CertCache::new(0);
    off.parse_der(&ders[0]).unwrap();
    off.parse_der(&ders[0]).unwrap();
    assert!(off.is_empty());
    assert_eq!(off.stats(), (0, 2));
}

#[test]
fn shared_across_threads_and_clones() {
    let pki = Pki::shared();
    let cache = Arc::new(CertCache::new(8));
    let inter = der_of(&pki.inter.pem());
    let threads: Vec<_> = (0..4)
        .map(|_| {
            let (cache, inter) = (cache.clone(), inter.clone());
            std::thread::spawn(move || {
                (0..50)
                    .map(|_| cache.parse_der(&inter).unwrap().sha256)
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    let digests: Vec<[u8; 32]> = threads
        .into_iter()
        .flat_map(|t| t.join().unwrap())
        .collect();
    assert!(digests.iter().all(|d| *d == digests[0]));
    assert_eq!(cache.len(), 1);
    let (hits, misses) = cache.stats();
    assert_eq!(hits + misses, 200);
    assert!(hits >= 196, "at most one miss per thread ({misses})");

    // A verifier's clone on another thread fills the cache the original reads.
    let v = pki.verifier();
    let clone = v.clone();
    let chain = pki.leaf_with(|_| {});
    let line = chain.sign(&claims());
    let opts = opts_with(&chain.pem);
    let (line2, opts2) = (line.clone(), opts.clone());
    std::thread::spawn(move || assert_valid(&clone.verify(&line2, &opts2), "A"))
        .join()
        .unwrap();
    assert_eq!(v.cert_cache().len(), 2, "the leaf and the intermediate");
    v.cache().clear();
    let (h0, _) = v.cert_cache().stats();
    assert_valid(&v.verify(&line, &opts), "A");
    assert_eq!(
        v.cert_cache().stats().0,
        h0 + 2,
        "both parsed on the other thread"
    );
    v.clear_caches();
    assert!(v.cert_cache().is_empty());
}

/// A known intermediate is taken from the cache whatever chain or URL it comes with; a new or
/// tampered leaf under it is decoded and judged on its own bytes, with the same verdict as a
/// verifier without caches.
#[test]
fn verdicts_are_identical_with_and_without_the_cache() {
    let pki = Pki::shared();
    let v = pki.verifier();
    let bare = || pki.verifier().with_cert_cache(0).with_sig_cache(0);
    let line = pki.sign(&claims());
    assert_valid(&v.verify(&line, &pki.opts()), "A");
    let leaf = der_of(&pki.chain.leaf_pem);
    let inter_pem = pki.inter.pem();

    let mut bad_sig = leaf.clone();
    *bad_sig.last_mut().unwrap() ^= 0x01;
    let mut bad_tbs = leaf.clone();
    bad_tbs[not_after_digit(&leaf)] = b'7';
    let other = pki.leaf_with(|_| {});
    let cases = [
        (
            "same chain",
            pki.chain.pem.clone(),
            line.clone(),
            Status::Valid,
        ),
        (
            "tampered signature",
            format!("{}{inter_pem}", pem(&bad_sig)),
            line.clone(),
            Status::Invalid,
        ),
        (
            "tampered tbs",
            format!("{}{inter_pem}", pem(&bad_tbs)),
            line.clone(),
            Status::Invalid,
        ),
        (
            "new leaf",
            other.pem.clone(),
            other.sign(&claims()),
            Status::Valid,
        ),
        (
            "key of another leaf",
            other.pem.clone(),
            line.clone(),
            Status::Invalid,
        ),
    ];
    for (what, chain, line, status) in cases {
        let opts = opts_with(&chain);
        v.cache().clear();
        let (h0, m0) = v.cert_cache().stats();
        let warm = v.verify(&line, &opts);
        let (h1, m1) = v.cert_cache().stats();
        assert_eq!(warm.status, status, "{what}");
        assert!(h1 > h0, "{what}: the intermediate came from the cache");
        assert_eq!(
            warm,
            bare().verify(&line, &opts),
            "{what}: same verdict without caches"
        );
        if what.starts_with("tampered") || what == "new leaf" {
            assert_eq!(m1 - m0, 1, "{what}: the leaf was decoded");
        }
    }
    assert!(Verifier::default().cert_cache().capacity() > 0);
}

/// A PEM block read before is taken from the cache without decoding; a block that differs in
/// any way (another certificate, or the same one wrapped differently) is read on its own, and
/// what is not a certificate is never kept.
#[test]
fn pem_blocks_and_der_bodies_are_keys_of_their_own() {
    use stircheck::__private::cert::chain::{Credential, parse_chain, parse_chain_cached};
    let pki = Pki::shared();
    let leaf = der_of(&pki.chain.leaf_pem);
    let cache = CertCache::new(16);
    let read = |bytes: &[u8]| match parse_chain_cached(bytes, &cache).expect("reads") {
        Credential::Chain(c) => c,
        Credential::KeyOnly(_) => panic!("a chain"),
    };
    let a = read(pki.chain.pem.as_bytes());
    assert_eq!((cache.len(), cache.stats()), (2, (0, 2)));
    let b = read(pki.chain.pem.as_bytes());
    assert_eq!(cache.stats(), (2, 2), "both blocks known");
    assert!(a.iter().zip(&b).all(|(x, y)| Arc::ptr_eq(x, y)));

    // The same leaf as bare DER, and as PEM wrapped at 76 columns (not valid RFC 7468: refused
    // both with and without the cache, and not kept).
    let der = read(&leaf);
    assert_eq!(der[0].der, a[0].der);
    assert_eq!(cache.len(), 3);
    let b64: String = pki
        .chain
        .leaf_pem
        .lines()
        .filter(|l| !l.starts_with("---"))
        .collect();
    let wide: Vec<&str> = b64
        .as_bytes()
        .chunks(76)
        .map(|c| std::str::from_utf8(c).unwrap())
        .collect();
    let wide = format!(
        "-----BEGIN CERTIFICATE-----\n{}\n-----END CERTIFICATE-----\n",
        wide.join("\n")
    );
    let uncached = parse_chain(wide.as_bytes()).map(|_| ()).unwrap_err();
    let cached = parse_chain_cached(wide.as_bytes(), &cache)
        .map(|_| ())
        .unwrap_err();
    assert_eq!(uncached, cached);
    assert_eq!(cache.len(), 3);

    // One base64 character changed in the leaf's signature: another certificate.
    let mut tampered = pki.chain.leaf_pem.clone().into_bytes();
    // The eighth base64 character from the end: never in the last quartet, whose padding bits
    // must be zero (changing one there can make the PEM unreadable instead of another
    // certificate), and still inside the signature, the DER's last ~70 bytes.
    let end = tampered.len() - "\n-----END CERTIFICATE-----\n".len();
    let at = (0..end)
        .rev()
        .filter(|&i| tampered[i].is_ascii_alphanumeric() || matches!(tampered[i], b'+' | b'/'))
        .nth(7)
        .expect("a base64 body");
    tampered[at] = if tampered[at] == b'A' { b'B' } else { b'A' };
    let t = read(&tampered);
    assert_ne!(t[0].signature, a[0].signature);
    assert_eq!(cache.len(), 4);

    // A bare public key is read every time and never kept.
    let spki = pem(&a[0].spki).replace("CERTIFICATE", "PUBLIC KEY");
    for _ in 0..2 {
        assert!(matches!(
            parse_chain_cached(spki.as_bytes(), &cache),
            Ok(Credential::KeyOnly(_))
        ));
    }
    assert_eq!(cache.len(), 4);
}
