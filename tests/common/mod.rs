//! Test PKI generated in code (rcgen), PASSporT/Identity builders and a verification harness that
//! runs every verification through every crypto backend and the two-phase API.
//!
//! The PKI mirrors the SHAKEN shape: a self-signed root CA → an intermediate CA → an end-entity
//! certificate with a P-256 key, KeyUsage digitalSignature (critical), BasicConstraints CA:FALSE
//! (critical), a TNAuthList with an SPC, CN "SHAKEN <SPC>", O, C=US, the SHAKEN CP OID, SKI/AKI and
//! a CRL distribution point — so the clean leaf has no profile findings at all. Broken variants are
//! made by editing the leaf's `CertificateParams` (`Pki::leaf_with`) or by building other CAs.
//!
//! rcgen has no API for Certificate Policies or TNAuthList; both are written as DER by hand
//! (`policies_ext`, `tn_auth_*`) and attached as custom extensions.

#![allow(dead_code)]

pub mod cli;
#[path = "../support/tempdir.rs"]
pub mod tempdir;

use p256::ecdsa::{Signature, SigningKey, signature::Signer};
use p256::pkcs8::DecodePrivateKey;
use rcgen::{
    BasicConstraints, Certificate, CertificateParams, CrlDistributionPoint, CustomExtension,
    DistinguishedName, DnType, DnValue, IsCa, Issuer, KeyPair, KeyUsagePurpose, SignatureAlgorithm,
};
use serde_json::{Value, json};
use std::sync::{Arc, OnceLock};
use std::time::Duration;
use stircheck::__private::json::b64url_encode;
use stircheck::crypto::{self, Backend, RustCrypto};
use stircheck::sign;
use stircheck::verdict::{Outcome, Status, Verstat};
use stircheck::{Options, TrustStore, Verdict, Verifier};

/// "Now" for every test: 2025-06-01 12:00:00 UTC.
pub const NOW: i64 = 1_748_779_200;
/// SIP Date header for `NOW`.
pub const NOW_DATE: &str = "Sun, 01 Jun 2025 12:00:00 GMT";
pub const X5U: &str = "https://cert.example.com/sti/123A.pem";
pub const SPC: &str = "123A";
pub const ORG: &str = "Example Telecom Inc";
pub const ORIG: &str = "12155551212";
pub const DEST: &str = "12155551213";
pub const ORIGID: &str = "123e4567-e89b-42d3-a456-426614174000";
/// SHAKEN Certificate Policy 1.3.
pub const SHAKEN_CP: &str = "2.16.840.1.114569.1.1.3";

const OID_TN_AUTH_LIST: &[u64] = &[1, 3, 6, 1, 5, 5, 7, 1, 26];
const OID_CERT_POLICIES: &[u64] = &[2, 5, 29, 32];

/// Every check a full-form SHAKEN PASSporT gets, in the checklist's order.
pub const ALL_CHECKS: [&str; 18] = [
    "input",
    "identity.present",
    "identity.syntax",
    "passport.form",
    "passport.header",
    "x5u.url",
    "passport.claims",
    "call.orig",
    "call.dest",
    "time.iat",
    "cert.fetch",
    "cert.profile",
    "cert.chain",
    "cert.delegation",
    "cert.constraints",
    "cert.validity",
    "cert.revocation",
    "signature",
];

// ---------------------------------------------------------------------------------------------
// DER helpers (for what rcgen cannot express)

/// One DER TLV with a definite length.
pub fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    let n = content.len();
    if n < 0x80 {
        out.push(n as u8);
    } else if n <= 0xff {
        out.extend([0x81, n as u8]);
    } else {
        out.extend([0x82, (n >> 8) as u8, n as u8]);
    }
    out.extend_from_slice(content);
    out
}

/// TNAuthList with one SPC in the RFC 8226 form: `30 08 a0 06 16 04 <SPC>`.
pub fn tn_auth_spc(spc: &str) -> Vec<u8> {
    tlv(0x30, &tlv(0xa0, &tlv(0x16, spc.as_bytes())))
}

/// TNAuthList with the SPC IA5String directly in the SEQUENCE, without its `[0]` tag (seen in
/// real certificates).
pub fn tn_auth_untagged(spc: &str) -> Vec<u8> {
    tlv(0x30, &tlv(0x16, spc.as_bytes()))
}

/// TNAuthList holding only a telephone-number range (a delegate certificate, RFC 9060):
/// `range [1] EXPLICIT SEQUENCE { start IA5String, count INTEGER }`.
pub fn tn_auth_range(start: &str, count: u8) -> Vec<u8> {
    let count = if count >= 0x80 {
        vec![0, count]
    } else {
        vec![count]
    };
    let range = [tlv(0x16, start.as_bytes()), tlv(0x02, &count)].concat();
    tlv(0x30, &tlv(0xa1, &tlv(0x30, &range)))
}

pub fn tn_auth_ext(der: Vec<u8>) -> CustomExtension {
    CustomExtension::from_oid_content(OID_TN_AUTH_LIST, der)
}

/// Certificate Policies with the given policy OIDs (no qualifiers).
pub fn policies_ext(oids: &[&str]) -> CustomExtension {
    let infos: Vec<u8> = oids
        .iter()
        .flat_map(|o| {
            let oid = const_oid::ObjectIdentifier::new_unwrap(o);
            tlv(0x30, &tlv(0x06, oid.as_bytes()))
        })
        .collect();
    CustomExtension::from_oid_content(OID_CERT_POLICIES, tlv(0x30, &infos))
}

fn is_tn_auth(e: &CustomExtension) -> bool {
    e.oid_components().eq(OID_TN_AUTH_LIST.iter().copied())
}

fn is_policies(e: &CustomExtension) -> bool {
    e.oid_components().eq(OID_CERT_POLICIES.iter().copied())
}

/// Replace the leaf's TNAuthList (or add one).
pub fn set_tn_auth(p: &mut CertificateParams, der: Vec<u8>) {
    p.custom_extensions.retain(|e| !is_tn_auth(e));
    p.custom_extensions.push(tn_auth_ext(der));
}

pub fn remove_tn_auth(p: &mut CertificateParams) {
    p.custom_extensions.retain(|e| !is_tn_auth(e));
}

pub fn remove_policies(p: &mut CertificateParams) {
    p.custom_extensions.retain(|e| !is_policies(e));
}

// ---------------------------------------------------------------------------------------------
// Time

/// Set a certificate's validity to unix times (rcgen only builds calendar dates; `time` adds
/// std durations to them).
pub fn validity(p: &mut CertificateParams, not_before: i64, not_after: i64) {
    let epoch = rcgen::date_time_ymd(1970, 1, 1);
    p.not_before = epoch + Duration::from_secs(not_before as u64);
    p.not_after = epoch + Duration::from_secs(not_after as u64);
}

// ---------------------------------------------------------------------------------------------
// Certificates

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyAlg {
    P256,
    P384,
}

impl KeyAlg {
    fn rcgen(self) -> &'static SignatureAlgorithm {
        match self {
            KeyAlg::P256 => &rcgen::PKCS_ECDSA_P256_SHA256,
            KeyAlg::P384 => &rcgen::PKCS_ECDSA_P384_SHA384,
        }
    }
    pub fn generate(self) -> KeyPair {
        KeyPair::generate_for(self.rcgen()).expect("key generation")
    }
}

pub fn dn(cn: &str, o: &str) -> DistinguishedName {
    let mut d = DistinguishedName::new();
    d.push(
        DnType::CountryName,
        DnValue::PrintableString("US".try_into().expect("printable")),
    );
    d.push(DnType::OrganizationName, o);
    d.push(DnType::CommonName, cn);
    d
}

/// A CA: its parameters and key (to issue) and its certificate.
pub struct Ca {
    pub params: CertificateParams,
    pub key: KeyPair,
    pub cert: Certificate,
}

impl Ca {
    /// CA parameters: CA:TRUE, keyCertSign + cRLSign, valid 2020–2040.
    pub fn params(cn: &str) -> CertificateParams {
        let mut p = CertificateParams::default();
        p.distinguished_name = dn(cn, "Test STI-CA LLC");
        p.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        p.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
        p.not_before = rcgen::date_time_ymd(2020, 1, 1);
        p.not_after = rcgen::date_time_ymd(2040, 1, 1);
        p
    }

    /// A self-signed root.
    pub fn root(cn: &str, alg: KeyAlg) -> Ca {
        Ca::root_with(cn, alg, |_| {})
    }

    pub fn root_with(cn: &str, alg: KeyAlg, f: impl FnOnce(&mut CertificateParams)) -> Ca {
        let mut params = Ca::params(cn);
        f(&mut params);
        let key = alg.generate();
        let cert = params.self_signed(&key).expect("self-signed root");
        Ca { params, key, cert }
    }

    /// A self-signed root with a given key (e.g. `rsa_key()`, which ring cannot generate).
    pub fn root_from_key(cn: &str, key: KeyPair) -> Ca {
        let params = Ca::params(cn);
        let cert = params.self_signed(&key).expect("self-signed root");
        Ca { params, key, cert }
    }

    /// A CA issued by `issuer`, with `f` applied to its parameters.
    pub fn issued(
        cn: &str,
        alg: KeyAlg,
        issuer: &Ca,
        f: impl FnOnce(&mut CertificateParams),
    ) -> Ca {
        let mut params = Ca::params(cn);
        params.use_authority_key_identifier_extension = true;
        f(&mut params);
        let key = alg.generate();
        let cert = params.signed_by(&key, &issuer.issuer()).expect("issued CA");
        Ca { params, key, cert }
    }

    pub fn issuer(&self) -> Issuer<'_, &KeyPair> {
        Issuer::from_params(&self.params, &self.key)
    }

    pub fn pem(&self) -> String {
        self.cert.pem()
    }

    /// A trust store holding just this certificate.
    pub fn trust_store(&self) -> Arc<TrustStore> {
        Arc::new(TrustStore::from_bundles("test", &[self.pem().as_bytes()]).expect("trust store"))
    }
}

/// What an x5u URL serves (PEM, leaf first) and the key that signs PASSporTs for it.
#[derive(Clone)]
pub struct Chain {
    pub pem: String,
    pub key: SigningKey,
    /// The end-entity certificate alone.
    pub leaf_pem: String,
}

impl Chain {
    /// A full-form Identity header line for these claims, signed with this chain's key.
    pub fn sign(&self, c: &sign::Claims) -> String {
        sign::identity_header(&self.key, c).expect("sign")
    }
}

/// Standard end-entity parameters: everything ATIS-1000080 asks for, so no lint fires.
pub fn leaf_params() -> CertificateParams {
    let mut p = CertificateParams::default();
    p.distinguished_name = dn(&format!("SHAKEN {SPC}"), ORG);
    p.is_ca = IsCa::ExplicitNoCa; // BasicConstraints CA:FALSE (critical) + SKI
    p.key_usages = vec![KeyUsagePurpose::DigitalSignature]; // rcgen marks KeyUsage critical
    p.use_authority_key_identifier_extension = true;
    p.not_before = rcgen::date_time_ymd(2025, 1, 1);
    p.not_after = rcgen::date_time_ymd(2026, 1, 1);
    p.crl_distribution_points = vec![CrlDistributionPoint {
        uris: vec!["https://crl.example.com/sti-pa.crl".into()],
    }];
    p.custom_extensions = vec![tn_auth_ext(tn_auth_spc(SPC)), policies_ext(&[SHAKEN_CP])];
    p
}

/// A P-256 signing key for PASSporTs, from an rcgen P-256 key pair.
pub fn p256_key(kp: &KeyPair) -> SigningKey {
    SigningKey::from_pkcs8_der(kp.serialized_der()).expect("P-256 PKCS#8")
}

/// Issue an end-entity certificate from `issuer` with key type `alg` and `f` applied to the
/// standard leaf parameters. The returned PASSporT key is the leaf key when it is P-256, else an
/// unrelated P-256 key (a P-384 key cannot make ES256 signatures).
pub fn issue_leaf(
    issuer: &Issuer<'_, &KeyPair>,
    alg: KeyAlg,
    f: impl FnOnce(&mut CertificateParams),
) -> (String, SigningKey) {
    let mut p = leaf_params();
    f(&mut p);
    let kp = alg.generate();
    let cert = p.signed_by(&kp, issuer).expect("leaf");
    let key = match alg {
        KeyAlg::P256 => p256_key(&kp),
        KeyAlg::P384 => p256_key(&KeyAlg::P256.generate()),
    };
    (cert.pem(), key)
}

/// Root → intermediate → leaf, and a trust store holding the root.
pub struct Pki {
    pub root: Ca,
    pub inter: Ca,
    pub chain: Chain,
    pub trust: Arc<TrustStore>,
}

impl Pki {
    pub fn new() -> Pki {
        let root = Ca::root("Test SHAKEN Root CA", KeyAlg::P256);
        let inter = Ca::issued("Test SHAKEN Issuing CA", KeyAlg::P256, &root, |_| {});
        let trust = root.trust_store();
        let mut pki = Pki {
            root,
            inter,
            chain: Chain {
                pem: String::new(),
                key: p256_key(&KeyAlg::P256.generate()),
                leaf_pem: String::new(),
            },
            trust,
        };
        pki.chain = pki.leaf_with(|_| {});
        pki
    }

    /// One PKI shared by the tests that do not need their own (key generation is the slow part).
    pub fn shared() -> &'static Pki {
        static PKI: OnceLock<Pki> = OnceLock::new();
        PKI.get_or_init(Pki::new)
    }

    /// A P-256 leaf from the intermediate with `f` applied to the standard parameters; the
    /// chain is leaf + intermediate.
    pub fn leaf_with(&self, f: impl FnOnce(&mut CertificateParams)) -> Chain {
        self.leaf_from(&self.inter, KeyAlg::P256, f)
    }

    /// A leaf with key type `alg` issued by `ca`; the chain is leaf + `ca`.
    pub fn leaf_from(&self, ca: &Ca, alg: KeyAlg, f: impl FnOnce(&mut CertificateParams)) -> Chain {
        let (leaf_pem, key) = issue_leaf(&ca.issuer(), alg, f);
        Chain {
            pem: format!("{leaf_pem}{}", ca.pem()),
            key,
            leaf_pem,
        }
    }

    /// The standard Identity header line for `c`.
    pub fn sign(&self, c: &sign::Claims) -> String {
        self.chain.sign(c)
    }

    /// The Identity header line (ppt shaken, info = X5U) of a PASSporT with exactly these
    /// claims (any JSON, e.g. [`claims_value`] edited), signed by the standard leaf.
    pub fn sign_value(&self, claims: &Value) -> String {
        identity(
            &jws_v(&header_value("shaken"), claims, &self.chain.key),
            X5U,
            "shaken",
        )
    }

    pub fn verifier(&self) -> Verifier {
        Verifier::new(self.trust.clone())
    }

    /// Options at `NOW` with the standard chain served at `X5U`.
    pub fn opts(&self) -> Options {
        opts_with(&self.chain.pem)
    }
}

impl Default for Pki {
    fn default() -> Self {
        Pki::new()
    }
}

/// Options at `NOW` with `pem` served at `X5U`.
pub fn opts_with(pem: &str) -> Options {
    let mut o = Options::at(NOW);
    o.certs.insert(X5U.to_string(), pem.as_bytes().to_vec());
    o
}

// ---------------------------------------------------------------------------------------------
// PASSporTs and Identity headers

/// Standard SHAKEN claims: attest A, ORIG → DEST, signed at NOW.
pub fn claims() -> sign::Claims {
    sign::Claims {
        x5u: X5U.into(),
        attest: "A".into(),
        orig: ORIG.into(),
        dest: vec![DEST.into()],
        iat: NOW,
        origid: Some(ORIGID.into()),
    }
}

/// The standard JOSE header as a JSON value.
pub fn header_value(ppt: &str) -> Value {
    json!({ "alg": "ES256", "ppt": ppt, "typ": "passport", "x5u": X5U })
}

/// The standard SHAKEN claims as a JSON value (edit it, then `jws`).
pub fn claims_value() -> Value {
    json!({
        "attest": "A",
        "dest": { "tn": [DEST] },
        "iat": NOW,
        "orig": { "tn": ORIG },
        "origid": ORIGID,
    })
}

/// A JWS compact serialization of exactly these header and claims texts, ES256 (r‖s) with `key`.
pub fn jws(header: &str, claims: &str, key: &SigningKey) -> String {
    let input = format!(
        "{}.{}",
        b64url_encode(header.as_bytes()),
        b64url_encode(claims.as_bytes())
    );
    let sig: Signature = key.sign(input.as_bytes());
    format!("{input}.{}", b64url_encode(&sig.to_bytes()))
}

/// `jws` over JSON values.
pub fn jws_v(header: &Value, claims: &Value, key: &SigningKey) -> String {
    jws(&header.to_string(), &claims.to_string(), key)
}

/// `Identity: <token>;info=<x5u>;alg=ES256;ppt=<ppt>`.
pub fn identity(token: &str, info: &str, ppt: &str) -> String {
    format!("Identity: {token};info=<{info}>;alg=ES256;ppt={ppt}")
}

/// The value part of an `Identity: ...` line.
pub fn value_of(line: &str) -> &str {
    line.strip_prefix("Identity: ").expect("an Identity line")
}

/// The token (PASSporT) of an `Identity: ...` line.
pub fn token_of(line: &str) -> &str {
    value_of(line).split(';').next().expect("token")
}

/// A SIP INVITE around Identity header lines; From/PAI carry ORIG, To and the Request-URI DEST.
#[derive(Clone, Debug)]
pub struct Invite {
    pub request_uri: String,
    pub from: Option<String>,
    pub to: Option<String>,
    pub pai: Option<String>,
    pub date: Option<String>,
    pub identities: Vec<String>,
}

impl Invite {
    pub fn new<S: Into<String>>(identities: impl IntoIterator<Item = S>) -> Invite {
        Invite {
            request_uri: format!("sip:+{DEST}@ims.example.net;user=phone"),
            from: Some(format!(
                "\"Alice\" <sip:+{ORIG}@carrier.example.com;user=phone>;tag=a1"
            )),
            to: Some(format!("<sip:+{DEST}@ims.example.net;user=phone>")),
            pai: Some(format!("<sip:+{ORIG}@carrier.example.com;user=phone>")),
            date: None,
            identities: identities.into_iter().map(Into::into).collect(),
        }
    }

    pub fn text(&self) -> String {
        let mut s = format!("INVITE {} SIP/2.0\r\n", self.request_uri);
        s.push_str("Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK776asdhds\r\n");
        s.push_str("Max-Forwards: 70\r\n");
        if let Some(f) = &self.from {
            s.push_str(&format!("From: {f}\r\n"));
        }
        if let Some(t) = &self.to {
            s.push_str(&format!("To: {t}\r\n"));
        }
        if let Some(p) = &self.pai {
            s.push_str(&format!("P-Asserted-Identity: {p}\r\n"));
        }
        if let Some(d) = &self.date {
            s.push_str(&format!("Date: {d}\r\n"));
        }
        s.push_str("Call-ID: a84b4c76e66710@pc33.example.com\r\nCSeq: 314159 INVITE\r\n");
        for i in &self.identities {
            s.push_str(i);
            s.push_str("\r\n");
        }
        s.push_str("Content-Type: application/sdp\r\nContent-Length: 0\r\n\r\n");
        s
    }
}

// ---------------------------------------------------------------------------------------------
// Verification harness

/// A backend that can run nothing (every result `None`): the core must fall back to RustCrypto.
pub struct NoCrypto;

impl Backend for NoCrypto {
    fn verify(&self, _job: &crypto::CryptoJob) -> Option<bool> {
        None
    }
    fn name(&self) -> &'static str {
        "none"
    }
}

/// Verify `input` with a fresh verifier (empty cache) through every crypto backend, through the
/// two-phase API (prepare → host runs the jobs → finish) and through `finish` with all-`None`
/// results; assert that every path gives the same verdict, and return it.
pub fn verify(trust: &Arc<TrustStore>, input: &str, opts: &Options) -> Verdict {
    let fresh = || Verifier::new(trust.clone());
    let reference = fresh().verify(input, opts);
    for b in crypto::all_backends() {
        let v = fresh().verify_with(input, opts, b);
        assert_eq!(v, reference, "backend {} disagrees", b.name());
    }
    let v = fresh().verify_with(input, opts, &NoCrypto);
    assert_eq!(v, reference, "verify_with(no crypto) disagrees");
    // The CA-signature cache (issue 14): off, and warm (the path's CA signatures known from an
    // earlier call, the chain itself validated again) give the same verdict.
    let off = fresh().with_sig_cache(0);
    assert_eq!(
        off.verify(input, opts),
        reference,
        "without the CA-signature cache"
    );
    assert!(off.sig_cache().is_empty());
    let warm = fresh();
    warm.verify(input, opts);
    warm.cache().clear();
    assert_eq!(
        warm.verify(input, opts),
        reference,
        "with the CA-signature cache warm"
    );
    // Two-phase, host runs the jobs.
    let verifier = fresh();
    let pending = verifier.prepare(input, opts);
    let results: Vec<Option<bool>> = pending
        .jobs()
        .iter()
        .map(|j| RustCrypto.verify(j))
        .collect();
    assert_eq!(
        verifier.finish(pending, &results),
        reference,
        "two-phase disagrees"
    );
    // Two-phase, host could run nothing: one `None` per job ...
    let verifier = fresh();
    let pending = verifier.prepare(input, opts);
    let n = pending.jobs().len();
    assert_eq!(
        verifier.finish(pending, &vec![None; n]),
        reference,
        "finish(all None) disagrees"
    );
    // ... or an empty result list, not even `None`s.
    let verifier = fresh();
    let pending = verifier.prepare(input, opts);
    assert_eq!(
        verifier.finish(pending, &[]),
        reference,
        "finish(empty results) disagrees"
    );
    reference
}

/// `verify` with the shared PKI's trust store.
pub fn run(input: &str, opts: &Options) -> Verdict {
    verify(&Pki::shared().trust, input, opts)
}

pub fn ids(v: &Verdict) -> Vec<&'static str> {
    v.checks.iter().map(|c| c.id.as_str()).collect()
}

pub fn outcome(v: &Verdict, id: &str) -> Outcome {
    match v.check(id) {
        Some(c) => c.outcome,
        None => panic!("no check {id:?} in {:?}", ids(v)),
    }
}

pub fn detail<'a>(v: &'a Verdict, id: &str) -> &'a str {
    &v.check(id)
        .unwrap_or_else(|| panic!("no check {id:?} in {:?}", ids(v)))
        .detail
}

/// Readable dump for assertion messages.
pub fn dump(v: &Verdict) -> String {
    let mut s = format!(
        "status {:?} sip {:?} verstat {:?} attest {:?}\nreason: {}\n",
        v.status, v.sip_code, v.verstat, v.attest, v.reason
    );
    for c in &v.checks {
        s.push_str(&format!("  {:<16} {:?}: {}\n", c.id, c.outcome, c.detail));
    }
    s
}

/// Valid, TN-Validation-Passed, no SIP code, attestation `attest`, no failing check.
pub fn assert_valid(v: &Verdict, attest: &str) {
    assert_eq!(v.status, Status::Valid, "{}", dump(v));
    assert_eq!(v.sip_code, None, "{}", dump(v));
    assert_eq!(v.sip_reason, None, "{}", dump(v));
    assert_eq!(v.verstat, Verstat::Passed, "{}", dump(v));
    assert_eq!(v.attest.as_deref(), Some(attest), "{}", dump(v));
    assert!(v.first_failure().is_none(), "{}", dump(v));
}

/// Invalid because of `id` (the first failing check), with `code` and `verstat`; never an
/// attestation.
pub fn assert_invalid(v: &Verdict, id: &str, code: u16, verstat: Verstat) {
    assert_eq!(v.status, Status::Invalid, "{}", dump(v));
    assert_eq!(v.sip_code, Some(code), "{}", dump(v));
    assert!(v.sip_reason.is_some(), "{}", dump(v));
    assert_eq!(v.verstat, verstat, "{}", dump(v));
    assert_eq!(v.attest, None, "attest only when valid\n{}", dump(v));
    assert_eq!(
        v.first_failure().map(|c| c.id.as_str()),
        Some(id),
        "first failing check\n{}",
        dump(v)
    );
    assert_eq!(outcome(v, id), Outcome::Fail, "{}", dump(v));
    assert_eq!(
        v.reason,
        {
            let d = &v.first_failure().expect("a failure").detail;
            let more = v.checks.iter().filter(|c| c.is_fail()).count() - 1;
            match more {
                0 => d.to_string(),
                1 => format!("{d} (and 1 more problem)"),
                n => format!("{d} (and {n} more problems)"),
            }
        },
        "reason is the first failure's detail"
    );
}

/// Every check of a full-form SHAKEN PASSporT was recorded, in order (later checks still ran).
pub fn assert_all_checks_ran(v: &Verdict) {
    assert_eq!(ids(v), ALL_CHECKS, "{}", dump(v));
}

/// The signer is the standard leaf (SPC and organization from the certificate).
pub fn assert_signer(v: &Verdict) {
    let s = v
        .signer
        .as_ref()
        .unwrap_or_else(|| panic!("no signer\n{}", dump(v)));
    assert_eq!(s.spc.as_deref(), Some(SPC));
    assert_eq!(s.organization.as_deref(), Some(ORG));
    assert_eq!(s.common_name.as_deref(), Some("SHAKEN 123A"));
    assert_eq!(s.x5u, X5U);
}

/// A fixed RSA-2048 test key (made with `openssl genpkey -algorithm RSA`; ring, rcgen's backend
/// here, can sign with RSA but not generate RSA keys). Only for the test PKI.
const RSA_TEST_KEY: &str = "-----BEGIN PRIVATE KEY-----
MIIEvAIBADANBgkqhkiG9w0BAQEFAASCBKYwggSiAgEAAoIBAQDfIxpVojZExT1a
ozjftT14XPX6EUwNHpkIrixakh0XmdwPirO74bEQhYRtPGHgJr+bJHHnNlFtlThU
dhipiZSyQRSm6d9BZH3Q1gWwvEVauPFf5fWZWW+MljZQrmi4FGwVk/ejB5p7LF3B
qiXBAhUOc820pDMmNNrDsh2R7DTtmI+BjM37JBrk0+mN4HEAB15/55v7sprzynMS
zg9bvyYJ0HELm/nzfCX3g97DTpl8E3na2VbjGZuI+EDLU0DOLThZk4zRtLk7MjqX
pss1rUWWmkBOjhdTEDrWhZQPBS4VLBihdSx14nH4a5h9XdE34KhtfkU/GQJQ68bJ
y9V07CR1AgMBAAECggEADrhuntKeOOg4NXgKIvv+a6faVF56wWzQ1LlE1M7J24o7
cc0JMW5gs4HTbC9tF5AG2PHND99N/Og4uJ2338tjQ2U2uxI3t8Us5a+Q3Yl2G9eS
mOx/SNgVG1W3jJgM8YPrY3sI/bjdMJ4LK2ERr4t3HyZ1niKs+yrGed2QxNUr4rar
y/G8CuljJ5YVxRKTufvqIsu5P5g4aOOeaXxyBgYsYFeNUdKbOO5zodUWv4saFHAE
8SsjRFrRu2L/3Tzt+qvOm/RNwnFMJ2BQN2oLV6QB0MKsk67Wvife5H/RNqaqoD/V
dYdxmhidzun3stlAdZP4jpZ154QXvZiDxrohTT6L8QKBgQDwDew/9cty/1JWUi2H
pELoRprL6pfrVBA4bsPWW8i5zeYpfzqiFNDKu3U+hlFmGFO8CEJog2GLb0DhpH1x
XpL0Pf3yTi7rwqqLX3cg+IFMaF3CDnM2iONVPd9kyDVk+AHKYlCPfZfqgf2EzHYS
CO7an3Hr29+AM1czyDX0OMbSXQKBgQDt9YFZ6ALiZhlQBODXgK1kVF4wS8E/Q5fP
OazgICHcM6E7mFhmUKuee1dF/g5shrUXMOD6itHYIjMMmNvWRNXJUVLjrzAHhGdh
E6MryESbnGZGv4/xdUJ5/MrppWES3ddWmoMEjsOA42vwSydSTcw582jWcXcSo56e
PfT4sKco+QKBgCBfYErH1OXvNKVbc7RlHHjCfMGfI1mi/oT9uv8/ZXRZJf7Wn4uY
Dwgn+4mxB20jPreOzZXWkeMB39gOHLSbMmopqgNxM7ari+A7wY76tEUflfVDiZoD
H9UxAN1QepLhNyyZ0Y9oOoJvgUbVY97OwZdOBUjvX9akFdBv4YbL2VQpAoGAL6Qk
dpyV3z/zt2qSnXK8xEaD6QVxtjnRLgLtEp48STro/+Z7ZFioU318Np4rwxyhKvh1
QpQCeVQ3hkEgWmDDsJ+giccsRYUDsZLd60kYO1NvwqBdsEj6uzOaaHbc3Ysers8W
hhYTHD3sAVr6j2bWCZArICvtXAT4H9RltFihzvkCgYAlabeZwczNXFhMb6zMOjCP
YzPWlOOgIWRgH4xyBMuY6O7GrPpg1YEEpvzlsBXe0Mofj47hJp9RcXxwWjblVjI3
KRu+wFjOGqadYP1HoCSeR9i1YCX4OHGA4vm/lkcPTWMQbKnnxy4ccbPIqI4sFgyN
HcWoBK+9L9p7NQUeOWzl5g==
-----END PRIVATE KEY-----";

/// The RSA test key, signing with sha256WithRSAEncryption.
pub fn rsa_key() -> KeyPair {
    KeyPair::from_pkcs8_pem_and_sign_algo(RSA_TEST_KEY, &rcgen::PKCS_RSA_SHA256).expect("RSA key")
}

/// The DER inside a PEM text (its base64 lines joined).
pub fn der_of(pem_text: &str) -> Vec<u8> {
    use base64::Engine;
    let body: String = pem_text
        .lines()
        .filter(|l| !l.starts_with("-----"))
        .collect();
    base64::engine::general_purpose::STANDARD
        .decode(body)
        .expect("PEM body")
}

/// A certificate's DER as RFC 7468 PEM (64-column lines).
pub fn pem(der: &[u8]) -> String {
    use base64::Engine;
    let b64 = base64::engine::general_purpose::STANDARD.encode(der);
    let lines: Vec<&str> = b64
        .as_bytes()
        .chunks(64)
        .map(|c| std::str::from_utf8(c).unwrap())
        .collect();
    format!(
        "-----BEGIN CERTIFICATE-----\n{}\n-----END CERTIFICATE-----\n",
        lines.join("\n")
    )
}

/// A CRL signed by `ca` (thisUpdate 2025-05-01, nextUpdate 2025-07-01: current at [`NOW`])
/// revoking `serials` on 2025-05-15.
pub fn crl(ca: &Ca, serials: &[Vec<u8>]) -> rcgen::CertificateRevocationList {
    rcgen::CertificateRevocationListParams {
        this_update: rcgen::date_time_ymd(2025, 5, 1),
        next_update: rcgen::date_time_ymd(2025, 7, 1),
        crl_number: rcgen::SerialNumber::from(3u64),
        issuing_distribution_point: None,
        revoked_certs: serials
            .iter()
            .map(|s| rcgen::RevokedCertParams {
                serial_number: rcgen::SerialNumber::from_slice(s),
                revocation_time: rcgen::date_time_ymd(2025, 5, 15),
                reason_code: None,
                invalidity_date: None,
            })
            .collect(),
        key_identifier_method: rcgen::KeyIdMethod::Sha256,
    }
    .signed_by(&ca.issuer())
    .expect("CRL")
}

/// The serial of the first certificate in a PEM chain.
pub fn leaf_serial(pem: &str) -> Vec<u8> {
    match stircheck::__private::cert::chain::parse_chain(pem.as_bytes()).expect("chain") {
        stircheck::__private::cert::chain::Credential::Chain(c) => c[0].serial.clone(),
        stircheck::__private::cert::chain::Credential::KeyOnly(_) => panic!("not a chain"),
    }
}
