//! `cert.revocation` on a test PKI generated in code: supplied CRLs (`Options::crls`) and CRLs
//! from each certificate's distribution point (`Options::crls_by_url`), direct and indirect
//! (STI-PA style, cRLIssuer), the signer chaining to an anchor with cRLSign, nextUpdate, and the
//! verdict's `revocation` list.

mod common;

use common::*;
use rcgen::{
    CertificateRevocationListParams, CrlDistributionPoint, CrlIssuingDistributionPoint,
    CustomExtension, KeyIdMethod, KeyUsagePurpose, RevokedCertParams, SerialNumber,
};
use std::sync::Arc;
use stircheck::__private::cert::ParsedCert;
use stircheck::__private::cert::chain::{Credential, parse_chain};
use stircheck::__private::cert::crl::{crl_urls_for_chain, distribution_points};
use stircheck::verdict::{Outcome, Status, Verstat};
use stircheck::{Options, Verdict, Verifier};

/// The distribution point the standard test leaf names.
const DP: &str = "https://crl.example.com/sti-pa.crl";
/// The indirect (STI-PA style) distribution point of `indirect_pki` leaves.
const STI_PA_DP: &str = "https://authenticate.example.com/download/v1/crl";

fn serial_of(chain_pem: &str) -> Vec<u8> {
    match parse_chain(chain_pem.as_bytes()).expect("chain") {
        Credential::Chain(c) => c[0].serial.clone(),
        Credential::KeyOnly(_) => unreachable!(),
    }
}

fn parsed(pem: &str) -> ParsedCert {
    match parse_chain(pem.as_bytes()).expect("cert") {
        Credential::Chain(mut c) => c.remove(0),
        Credential::KeyOnly(_) => unreachable!(),
    }
}

struct CrlSpec<'a> {
    serials: &'a [Vec<u8>],
    next_update: (i32, u8, u8),
    idp: Option<&'a str>,
}

fn spec(serials: &[Vec<u8>]) -> CrlSpec<'_> {
    CrlSpec {
        serials,
        next_update: (2025, 7, 1),
        idp: None,
    }
}

/// A CRL signed by `ca`, valid 2025-05-01 → `next_update`, revoking `serials` on 2025-05-15.
fn crl_params(s: &CrlSpec) -> CertificateRevocationListParams {
    CertificateRevocationListParams {
        this_update: rcgen::date_time_ymd(2025, 5, 1),
        next_update: rcgen::date_time_ymd(s.next_update.0, s.next_update.1, s.next_update.2),
        crl_number: SerialNumber::from(7u64),
        issuing_distribution_point: s.idp.map(|u| CrlIssuingDistributionPoint {
            distribution_point: CrlDistributionPoint {
                uris: vec![u.to_string()],
            },
            scope: None,
        }),
        revoked_certs: s
            .serials
            .iter()
            .map(|sn| RevokedCertParams {
                serial_number: SerialNumber::from_slice(sn),
                revocation_time: rcgen::date_time_ymd(2025, 5, 15),
                reason_code: None,
                invalidity_date: None,
            })
            .collect(),
        key_identifier_method: KeyIdMethod::Sha256,
    }
}

fn crl_pem(ca: &Ca, s: &CrlSpec) -> String {
    crl_params(s)
        .signed_by(&ca.issuer())
        .expect("CRL")
        .pem()
        .expect("PEM")
}

fn crl_der(ca: &Ca, s: &CrlSpec) -> Vec<u8> {
    crl_params(s)
        .signed_by(&ca.issuer())
        .expect("CRL")
        .der()
        .to_vec()
}

fn run(pki: &Pki, chain: &Chain, opts: Options) -> Verdict {
    pki.verifier().verify(&chain.sign(&claims()), &opts)
}

fn with_supplied(pki: &Pki, crl: &str) -> Verdict {
    let mut o = pki.opts();
    o.crls.push(crl.as_bytes().to_vec());
    run(pki, &pki.chain, o)
}

fn with_dp(pki: &Pki, chain: &Chain, url: &str, body: Vec<u8>) -> Verdict {
    let mut o = opts_with(&chain.pem);
    o.crls_by_url.insert(url.to_string(), Arc::new(body));
    run(pki, chain, o)
}

fn revocation(v: &Verdict) -> (Outcome, String) {
    let c = v
        .check("cert.revocation")
        .expect("cert.revocation is always reported");
    (c.outcome, c.detail.to_string())
}

fn assert_revoked(v: &Verdict) {
    assert_eq!(v.status, Status::Invalid, "{}", v.reason);
    assert_eq!(v.sip_code, Some(437));
    assert_eq!(v.verstat, Verstat::Failed);
    let (o, d) = revocation(v);
    assert_eq!(o, Outcome::Fail, "{d}");
    assert!(d.contains("was revoked on 2025-05-15"), "{d}");
    // Every other check still ran and the signature itself is fine.
    assert_eq!(v.check("signature").unwrap().outcome, Outcome::Pass);
}

// ---------------------------------------------------------------------------------------------
// The distribution points the shells fetch

#[test]
fn crl_urls_lists_each_allowed_distribution_point_once() {
    let pki = Pki::shared();
    assert_eq!(crl_urls_for_chain(pki.chain.pem.as_bytes()), vec![DP]);
    // Two certificates naming one URL → one fetch; an http or loopback URL is never listed.
    let both = pki.leaf_with(|p| {
        p.crl_distribution_points = vec![CrlDistributionPoint {
            uris: vec![
                "http://crl.example.com/a.crl".into(),
                "https://127.0.0.1/a.crl".into(),
                DP.into(),
            ],
        }]
    });
    let inter_with_dp = Ca::issued("Test SHAKEN Issuing CA", KeyAlg::P256, &pki.root, |p| {
        p.crl_distribution_points = vec![CrlDistributionPoint {
            uris: vec![DP.into()],
        }]
    });
    let chain = format!("{}{}", both.leaf_pem, inter_with_dp.pem());
    assert_eq!(crl_urls_for_chain(chain.as_bytes()), vec![DP]);
    assert!(crl_urls_for_chain(b"not a chain").is_empty());
}

#[test]
fn a_refused_distribution_point_is_named_with_its_reason() {
    let pki = Pki::shared();
    let chain = pki.leaf_with(|p| {
        p.crl_distribution_points = vec![CrlDistributionPoint {
            uris: vec!["http://crl.example.com/a.crl".into()],
        }]
    });
    let v = run(pki, &chain, opts_with(&chain.pem));
    let (o, d) = revocation(&v);
    assert_eq!(o, Outcome::Warn);
    assert!(
        d.contains("refused by the URL rules") && d.contains("https"),
        "{d}"
    );
}

// ---------------------------------------------------------------------------------------------
// No CRL obtainable → warn with why

#[test]
fn no_crl_warns_naming_the_distribution_point() {
    let pki = Pki::shared();
    let v = run(pki, &pki.chain, pki.opts());
    assert_eq!(v.status, Status::Valid);
    let (o, d) = revocation(&v);
    assert_eq!(o, Outcome::Warn);
    assert!(d.contains("not checked") && d.contains(DP), "{d}");
    assert_eq!(v.revocation.len(), 1);
    let r = &v.revocation[0];
    assert_eq!(
        (r.url.as_deref(), r.source, r.result),
        (Some(DP), "distribution-point", "unavailable")
    );
}

#[test]
fn fetch_error_for_the_distribution_point_is_the_warning_reason() {
    let pki = Pki::shared();
    let mut o = pki.opts();
    o.crl_fetch_errors
        .insert(DP.into(), "fetching is off (--offline)".into());
    let v = run(pki, &pki.chain, o);
    assert_eq!(v.status, Status::Valid);
    let (o, d) = revocation(&v);
    assert_eq!(o, Outcome::Warn);
    assert!(
        d.contains("could not be fetched: fetching is off (--offline)"),
        "{d}"
    );
    assert!(v.revocation[0].detail.contains("--offline"));
}

// ---------------------------------------------------------------------------------------------
// Supplied CRLs

#[test]
fn supplied_crl_not_listing_the_leaf_passes_and_is_reported() {
    let pki = Pki::shared();
    let v = with_supplied(pki, &crl_pem(&pki.inter, &spec(&[vec![1, 2]])));
    assert_eq!(v.status, Status::Valid);
    let (o, d) = revocation(&v);
    assert_eq!(o, Outcome::Pass, "{d}");
    assert!(d.contains("signed by \"CN=Test SHAKEN Issuing CA"), "{d}");
    let used = v
        .revocation
        .iter()
        .find(|r| r.source == "supplied")
        .expect("the supplied CRL is reported");
    assert_eq!(used.result, "not-revoked");
    assert_eq!(used.this_update, Some(1_746_057_600)); // 2025-05-01
    assert_eq!(used.next_update, Some(1_751_328_000)); // 2025-07-01
    assert!(
        used.issuer
            .as_deref()
            .unwrap()
            .contains("Test SHAKEN Issuing CA")
    );
}

#[test]
fn supplied_crl_revoking_the_leaf_is_437() {
    let pki = Pki::shared();
    let v = with_supplied(
        pki,
        &crl_pem(&pki.inter, &spec(&[serial_of(&pki.chain.pem)])),
    );
    assert_revoked(&v);
    assert!(v.revocation.iter().any(|r| r.result == "revoked"));
}

#[test]
fn crl_signed_by_another_key_with_the_issuers_name_fails() {
    let pki = Pki::shared();
    // Same name as the real intermediate, different key, not supplied: the signature cannot be
    // verified by any certificate bearing that name, so revocation is not established.
    let impostor = Ca::issued("Test SHAKEN Issuing CA", KeyAlg::P256, &pki.root, |_| {});
    let v = with_supplied(pki, &crl_pem(&impostor, &spec(&[])));
    assert_eq!(v.status, Status::Invalid);
    let (o, d) = revocation(&v);
    assert_eq!(o, Outcome::Fail);
    assert!(d.contains("does not verify"), "{d}");
}

/// REVIEW 7: a forged CRL with a self-signed certificate bearing the CA's name (in the same
/// bundle, with cRLSign) must not pass.
#[test]
fn forged_crl_with_a_self_signed_namesake_signer_is_refused() {
    let pki = Pki::shared();
    for name in ["Test SHAKEN Issuing CA", "Test SHAKEN Root CA"] {
        let forger = Ca::root(name, KeyAlg::P256);
        let bundle = format!("{}{}", crl_pem(&forger, &spec(&[])), forger.pem());
        let v = with_supplied(pki, &bundle);
        let (o, d) = revocation(&v);
        assert_eq!(o, Outcome::Fail, "{name}: {d}");
        assert!(
            d.contains("does not chain to a trust anchor"),
            "{name}: {d}"
        );
        assert_ne!(v.status, Status::Valid);
    }
}

#[test]
fn crl_signer_without_crl_sign_is_refused() {
    let pki = Pki::shared();
    let ca = Ca::issued("Test No-cRLSign CA", KeyAlg::P256, &pki.root, |p| {
        p.key_usages = vec![KeyUsagePurpose::KeyCertSign]
    });
    let chain = pki.leaf_from(&ca, KeyAlg::P256, |_| {});
    // rcgen refuses to sign a CRL for such an issuer: sign with its key under parameters that
    // claim cRLSign (the certificate itself still lacks it).
    let mut claimed = ca.params.clone();
    claimed.key_usages.push(KeyUsagePurpose::CrlSign);
    let crl = crl_params(&spec(&[]))
        .signed_by(&rcgen::Issuer::from_params(&claimed, &ca.key))
        .expect("CRL")
        .pem()
        .expect("PEM");
    let mut o = opts_with(&chain.pem);
    o.crls.push(crl.into_bytes());
    let v = run(pki, &chain, o);
    let (o, d) = revocation(&v);
    assert_eq!(o, Outcome::Fail, "{d}");
    assert!(
        d.contains("may not sign CRLs") && d.contains("cRLSign"),
        "{d}"
    );
}

#[test]
fn stale_supplied_crl_is_a_warning() {
    let pki = Pki::shared();
    let s = CrlSpec {
        next_update: (2025, 5, 20),
        ..spec(&[])
    };
    let v = with_supplied(pki, &crl_pem(&pki.inter, &s));
    assert_eq!(v.status, Status::Valid);
    let (o, d) = revocation(&v);
    assert_eq!(o, Outcome::Warn);
    assert!(
        d.contains("past its nextUpdate") && d.contains("2025-05-20"),
        "{d}"
    );
}

#[test]
fn garbage_supplied_crl_is_a_failure_with_the_reason() {
    let pki = Pki::shared();
    for garbage in [
        "-----BEGIN X509 CRL-----\nAAAA\n-----END X509 CRL-----\n",
        "hello",
        "",
    ] {
        let v = with_supplied(pki, garbage);
        assert_eq!(v.status, Status::Invalid, "{garbage:?}");
        let (o, d) = revocation(&v);
        assert_eq!(o, Outcome::Fail, "{garbage:?}");
        assert!(
            d.contains("supplied CRL #1") && d.contains("cannot be read"),
            "{d}"
        );
    }
}

#[test]
fn supplied_crl_of_an_unrelated_ca_is_noted_not_fatal() {
    let pki = Pki::shared();
    let other = Ca::root("Unrelated Root", KeyAlg::P256);
    let mut o = pki.opts();
    o.crls.push(crl_pem(&other, &spec(&[])).into_bytes());
    o.crls.push(crl_pem(&pki.inter, &spec(&[])).into_bytes());
    let v = run(pki, &pki.chain, o);
    assert_eq!(v.status, Status::Valid);
    assert_eq!(revocation(&v).0, Outcome::Pass);
}

// ---------------------------------------------------------------------------------------------
// CRLs from the distribution point

#[test]
fn distribution_point_crl_revoking_the_leaf_is_437() {
    let pki = Pki::shared();
    let v = with_dp(
        pki,
        &pki.chain,
        DP,
        crl_der(&pki.inter, &spec(&[serial_of(&pki.chain.pem)])),
    );
    assert_revoked(&v);
    let d = revocation(&v).1;
    assert!(
        d.contains(DP),
        "the verdict says where the CRL came from: {d}"
    );
}

#[test]
fn distribution_point_crl_not_listing_the_leaf_passes() {
    let pki = Pki::shared();
    let v = with_dp(pki, &pki.chain, DP, crl_der(&pki.inter, &spec(&[vec![9]])));
    assert_eq!(v.status, Status::Valid);
    let (o, d) = revocation(&v);
    assert_eq!(o, Outcome::Pass, "{d}");
    assert_eq!(v.revocation.len(), 1);
    let r = &v.revocation[0];
    assert_eq!(
        (r.url.as_deref(), r.source, r.result),
        (Some(DP), "distribution-point", "not-revoked")
    );
    assert_eq!(r.this_update, Some(1_746_057_600));
    // The identity carries the same list.
    assert_eq!(v.identities[0].revocation, v.revocation);
    // PEM and base64 DER bodies read the same.
    let pem = crl_pem(&pki.inter, &spec(&[vec![9]]));
    assert_eq!(
        revocation(&with_dp(pki, &pki.chain, DP, pem.into_bytes())).0,
        Outcome::Pass
    );
    use base64::Engine;
    let b64 = base64::engine::general_purpose::STANDARD.encode(crl_der(&pki.inter, &spec(&[])));
    assert_eq!(
        revocation(&with_dp(pki, &pki.chain, DP, b64.into_bytes())).0,
        Outcome::Pass
    );
}

#[test]
fn distribution_point_crl_from_an_unrelated_signer_is_not_a_pass() {
    let pki = Pki::shared();
    // Signed by an untrusted CA that bears the issuer's name, with its certificate alongside.
    let stranger = Ca::root("Test SHAKEN Issuing CA", KeyAlg::P256);
    let body = format!("{}{}", crl_pem(&stranger, &spec(&[])), stranger.pem());
    let v = with_dp(pki, &pki.chain, DP, body.into_bytes());
    let (o, d) = revocation(&v);
    assert_eq!(o, Outcome::Warn, "{d}");
    assert!(
        d.contains("not checked") && d.contains("does not chain to a trust anchor"),
        "{d}"
    );
    assert_eq!(v.revocation[0].result, "unusable");
    // Garbage at the distribution point: a warning with the reason, too.
    let v = with_dp(pki, &pki.chain, DP, b"<html>not found</html>".to_vec());
    let (o, d) = revocation(&v);
    assert_eq!(o, Outcome::Warn);
    assert!(d.contains("cannot be read"), "{d}");
}

#[test]
fn distribution_point_crl_past_next_update_is_a_warning() {
    let pki = Pki::shared();
    let s = CrlSpec {
        next_update: (2025, 5, 20),
        ..spec(&[])
    };
    let v = with_dp(pki, &pki.chain, DP, crl_der(&pki.inter, &s));
    assert_eq!(v.status, Status::Valid);
    let (o, d) = revocation(&v);
    assert_eq!(o, Outcome::Warn);
    assert!(d.contains("nextUpdate"), "{d}");
    assert_eq!(v.revocation[0].result, "stale");
}

#[test]
fn issuing_distribution_point_must_match_the_certificates() {
    let pki = Pki::shared();
    let elsewhere = CrlSpec {
        idp: Some("https://crl.example.com/other.crl"),
        ..spec(&[])
    };
    let v = with_dp(pki, &pki.chain, DP, crl_der(&pki.inter, &elsewhere));
    let (o, d) = revocation(&v);
    assert_eq!(o, Outcome::Warn, "{d}");
    assert!(
        d.contains("is not the certificate's distribution point"),
        "{d}"
    );
    let leaf = [serial_of(&pki.chain.pem)];
    let here = CrlSpec {
        idp: Some(DP),
        ..spec(&leaf)
    };
    assert_revoked(&with_dp(pki, &pki.chain, DP, crl_der(&pki.inter, &here)));
}

// ---------------------------------------------------------------------------------------------
// Indirect CRL (STI-PA style): the distribution point names a cRLIssuer

/// CRL Distribution Points with one DistributionPoint { fullName URI, cRLIssuer DirName }.
fn indirect_dp_ext(url: &str, issuer_name_der: &[u8]) -> CustomExtension {
    let full_name = tlv(0xa0, &tlv(0x86, url.as_bytes()));
    let dp_name = tlv(0xa0, &full_name);
    let crl_issuer = tlv(0xa2, &tlv(0xa4, issuer_name_der));
    let dp = tlv(0x30, &[dp_name, crl_issuer].concat());
    CustomExtension::from_oid_content(&[2, 5, 29, 31], tlv(0x30, &dp))
}

/// The STI-PA CRL signer (cRLSign only, issued by the test root) and a leaf whose distribution
/// point names it as cRLIssuer.
fn indirect_pki(pki: &Pki) -> (Ca, Chain) {
    let sti_pa = Ca::issued("STI-PA CRL", KeyAlg::P256, &pki.root, |p| {
        p.key_usages = vec![KeyUsagePurpose::CrlSign]
    });
    let name = parsed(&sti_pa.pem()).subject_der;
    let chain = pki.leaf_with(|p| {
        p.crl_distribution_points.clear();
        p.custom_extensions.push(indirect_dp_ext(STI_PA_DP, &name));
    });
    (sti_pa, chain)
}

#[test]
fn indirect_sti_pa_style_crl_works() {
    let pki = Pki::shared();
    let (sti_pa, chain) = indirect_pki(pki);
    let dps = distribution_points(&parsed(&chain.leaf_pem));
    assert_eq!(dps.len(), 1);
    assert_eq!(dps[0].urls, vec![STI_PA_DP]);
    assert!(
        dps[0]
            .crl_issuer_name
            .as_deref()
            .unwrap()
            .contains("STI-PA CRL")
    );

    // The STI-PA serves bare DER; its signer's certificate is supplied (a certificate-only
    // bundle), and chains to the anchor.
    let verify = |serials: &[Vec<u8>]| {
        let mut o = opts_with(&chain.pem);
        o.crls_by_url
            .insert(STI_PA_DP.into(), Arc::new(crl_der(&sti_pa, &spec(serials))));
        o.crls.push(sti_pa.pem().into_bytes());
        run(pki, &chain, o)
    };
    let v = verify(&[serial_of(&chain.pem)]);
    assert_revoked(&v);
    let v = verify(&[vec![1]]);
    assert_eq!(v.status, Status::Valid, "{}", v.reason);
    let (o, d) = revocation(&v);
    assert_eq!(o, Outcome::Pass, "{d}");
    assert!(d.contains("STI-PA CRL"), "{d}");

    // A CRL of the leaf's issuer does not stand in for the named cRLIssuer.
    let mut o = opts_with(&chain.pem);
    o.crls.push(crl_pem(&pki.inter, &spec(&[])).into_bytes());
    let v = run(pki, &chain, o);
    assert_eq!(revocation(&v).0, Outcome::Warn);
}

#[test]
fn indirect_crl_signer_must_chain_and_hold_crl_sign() {
    let pki = Pki::shared();
    let (_, chain) = indirect_pki(pki);
    // A self-made "STI-PA CRL" signer.
    let fake = Ca::root("STI-PA CRL", KeyAlg::P256);
    let mut o = opts_with(&chain.pem);
    o.crls_by_url.insert(
        STI_PA_DP.into(),
        Arc::new(format!("{}{}", crl_pem(&fake, &spec(&[])), fake.pem()).into_bytes()),
    );
    let v = run(pki, &chain, o);
    let (o, d) = revocation(&v);
    assert_eq!(o, Outcome::Warn, "{d}");
    assert!(d.contains("does not chain to a trust anchor"), "{d}");
}

// ---------------------------------------------------------------------------------------------
// The two-phase API and the chain cache see the same answer

#[test]
fn revocation_is_the_same_on_a_chain_cache_hit() {
    let pki = Pki::shared();
    let verifier = Verifier::new(pki.trust.clone());
    let header = pki.sign(&claims());
    let mut o = pki.opts();
    o.crls_by_url.insert(
        DP.into(),
        Arc::new(crl_der(&pki.inter, &spec(&[serial_of(&pki.chain.pem)]))),
    );
    let first = verifier.verify(&header, &o);
    let second = verifier.verify(&header, &o);
    assert_revoked(&first);
    assert_revoked(&second);
    assert_eq!(first.revocation, second.revocation);
}

/// SHAKEN v003 certificates name the STI-PA CRL's URL without cRLIssuer: the CRL served there
/// counts for them (entries matched by serial), a CRL of that authority supplied without the URL
/// does not.
#[test]
fn crl_at_the_certificates_own_distribution_point_counts_whoever_issued_it() {
    let pki = Pki::shared();
    let sti_pa = Ca::issued("STI-PA CRL", KeyAlg::P256, &pki.root, |p| {
        p.key_usages = vec![KeyUsagePurpose::CrlSign]
    });
    let leaf = [serial_of(&pki.chain.pem)];
    let verify = |by_url: bool, serials: &[Vec<u8>]| {
        let mut o = pki.opts();
        let body = crl_der(&sti_pa, &spec(serials));
        if by_url {
            o.crls_by_url.insert(DP.into(), Arc::new(body));
        } else {
            o.crls.push(body);
        }
        o.crls.push(sti_pa.pem().into_bytes());
        run(pki, &pki.chain, o)
    };
    assert_revoked(&verify(true, &leaf));
    let v = verify(true, &[vec![3]]);
    assert_eq!(revocation(&v).0, Outcome::Pass, "{}", revocation(&v).1);
    let v = verify(false, &leaf);
    assert_eq!(v.status, Status::Valid);
    assert_eq!(revocation(&v).0, Outcome::Warn);
}

/// A CRL is parsed and verified once per verifier: a second call with the same CRL bytes asks
/// for no CRL jobs, and a changed CRL is decided afresh.
#[test]
fn verified_crls_are_cached_per_verifier() {
    let pki = Pki::shared();
    let verifier = Verifier::new(pki.trust.clone());
    let header = pki.sign(&claims());
    let plain = pki.opts();
    // Warm the chain cache, so only CRL jobs can differ.
    verifier.verify(&header, &plain);
    let base_jobs = verifier.prepare(&header, &plain).jobs().len();
    let mut o = pki.opts();
    o.crls_by_url
        .insert(DP.into(), Arc::new(crl_der(&pki.inter, &spec(&[vec![5]]))));
    assert!(verifier.prepare(&header, &o).jobs().len() > base_jobs);
    assert_eq!(revocation(&verifier.verify(&header, &o)).0, Outcome::Pass);
    assert_eq!(verifier.prepare(&header, &o).jobs().len(), base_jobs);
    assert_eq!(revocation(&verifier.verify(&header, &o)).0, Outcome::Pass);
    // New bytes (the leaf now listed): not served from the cache.
    o.crls_by_url.insert(
        DP.into(),
        Arc::new(crl_der(&pki.inter, &spec(&[serial_of(&pki.chain.pem)]))),
    );
    assert_revoked(&verifier.verify(&header, &o));
}
