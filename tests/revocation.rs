//! `cert.revocation`: supplied CRLs are signature-checked and matched by issuer and serial.

mod common;

use common::*;
use rcgen::{CertificateRevocationListParams, KeyIdMethod, RevokedCertParams, SerialNumber};
use stircheck::__private::cert::chain::{Credential, parse_chain};
use stircheck::verdict::{Outcome, Status, Verstat};

fn leaf_serial(pki: &Pki) -> Vec<u8> {
    match parse_chain(pki.chain.pem.as_bytes()).expect("chain") {
        Credential::Chain(c) => c[0].serial.clone(),
        Credential::KeyOnly(_) => unreachable!(),
    }
}

/// A CRL issued by `ca` listing `serials`, valid 2025-05-01 → `next_update`.
fn crl(ca: &Ca, serials: &[Vec<u8>], next_update: (i32, u8, u8)) -> String {
    let params = CertificateRevocationListParams {
        this_update: rcgen::date_time_ymd(2025, 5, 1),
        next_update: rcgen::date_time_ymd(next_update.0, next_update.1, next_update.2),
        crl_number: SerialNumber::from(7u64),
        issuing_distribution_point: None,
        revoked_certs: serials
            .iter()
            .map(|s| RevokedCertParams {
                serial_number: SerialNumber::from_slice(s),
                revocation_time: rcgen::date_time_ymd(2025, 5, 15),
                reason_code: None,
                invalidity_date: None,
            })
            .collect(),
        key_identifier_method: KeyIdMethod::Sha256,
    };
    params
        .signed_by(&ca.issuer())
        .expect("CRL")
        .pem()
        .expect("PEM")
}

fn verify_with_crl(pki: &Pki, crl_pem: &str) -> stircheck::Verdict {
    let mut opts = pki.opts();
    opts.crls.push(crl_pem.as_bytes().to_vec());
    pki.verifier().verify(&pki.sign(&claims()), &opts)
}

fn revocation(v: &stircheck::Verdict) -> (Outcome, String) {
    let c = v
        .check("cert.revocation")
        .expect("cert.revocation is always reported");
    (c.outcome, c.detail.clone())
}

#[test]
fn revocation_without_crl_is_a_warning_not_a_failure() {
    let pki = Pki::shared();
    let v = pki.verifier().verify(&pki.sign(&claims()), &pki.opts());
    assert_eq!(v.status, Status::Valid);
    assert_eq!(revocation(&v).0, Outcome::Warn);
}

#[test]
fn revocation_passes_when_a_valid_crl_does_not_list_the_leaf() {
    let pki = Pki::shared();
    let v = verify_with_crl(pki, &crl(&pki.inter, &[vec![0x01, 0x02]], (2025, 7, 1)));
    assert_eq!(v.status, Status::Valid);
    let (o, d) = revocation(&v);
    assert_eq!(o, Outcome::Pass, "{d}");
}

#[test]
fn revoked_leaf_is_437_tn_validation_failed() {
    let pki = Pki::shared();
    let v = verify_with_crl(pki, &crl(&pki.inter, &[leaf_serial(pki)], (2025, 7, 1)));
    assert_eq!(v.status, Status::Invalid);
    assert_eq!(v.sip_code, Some(437));
    assert_eq!(v.verstat, Verstat::Failed);
    let (o, d) = revocation(&v);
    assert_eq!(o, Outcome::Fail);
    assert!(d.contains("revoked on 2025-05-15"), "{d}");
    // Every other check still ran and the signature itself is fine.
    assert_eq!(v.check("signature").unwrap().outcome, Outcome::Pass);
}

#[test]
fn crl_signed_by_an_impostor_is_ignored() {
    let pki = Pki::shared();
    // Same issuer name as the real intermediate, different key: the CRL must not count.
    let impostor = Ca::issued("Test SHAKEN Issuing CA", KeyAlg::P256, &pki.root, |_| {});
    let v = verify_with_crl(pki, &crl(&impostor, &[leaf_serial(pki)], (2025, 7, 1)));
    assert_eq!(
        v.status,
        Status::Valid,
        "an unverifiable CRL must not revoke"
    );
    let (o, d) = revocation(&v);
    assert_eq!(o, Outcome::Warn);
    assert!(d.contains("ignored"), "{d}");
}

#[test]
fn stale_crl_is_a_warning() {
    let pki = Pki::shared();
    let v = verify_with_crl(pki, &crl(&pki.inter, &[], (2025, 5, 20)));
    assert_eq!(v.status, Status::Valid);
    let (o, d) = revocation(&v);
    assert_eq!(o, Outcome::Warn);
    assert!(d.contains("nextUpdate"), "{d}");
}

#[test]
fn garbage_crl_is_reported_not_fatal() {
    let pki = Pki::shared();
    let v = verify_with_crl(
        pki,
        "-----BEGIN X509 CRL-----\nAAAA\n-----END X509 CRL-----\n",
    );
    assert_eq!(v.status, Status::Valid);
    assert_eq!(revocation(&v).0, Outcome::Warn);
}
