//! The verification procedure: text + certificates + time → [`Verdict`], every check recorded.
//!
//! Sans-IO and two-phase, like a rustls connection: [`Verifier::prepare`] does all the parsing
//! and checking it can and returns a [`Pending`] that lists the signature checks as
//! [`CryptoJob`]s; [`Verifier::finish`] takes their results and completes the verdict.
//! [`Verifier::verify`] runs both with the build's default crypto backend.

mod binding;
mod cache;
mod cert_checks;
mod extensions;
mod passport_checks;
mod revocation;

pub use cache::ChainCache;
pub use cert_checks::date as format_date;

use crate::cert::ParsedCert;
use crate::cert::chain::Credential;
use crate::cert::path::{self, Plan};
use crate::cert::profile::{self, Profile};
use crate::crypto::{Backend, CryptoJob, KeyKind, RustCrypto, default_backend};
use crate::identity;
use crate::passport;
use crate::sip::{self, InputKind};
use crate::trust::TrustStore;
use crate::verdict::*;
use cert_checks::Supplied;
use passport_checks::Claims;
use std::collections::HashMap;
use std::sync::Arc;

pub const DEFAULT_MAX_AGE: i64 = 60;
const SPEC_INPUT: &str = "RFC 3261 §7; RFC 8224 §4";
const SPEC_PRESENT: &str = "RFC 8224 §6.2 Step 1; ATIS-1000074 §5.3.2";

/// Per-call settings from the shell.
#[derive(Debug, Clone)]
pub struct Options {
    /// Verification time, unix seconds (the shell reads the clock, not the core).
    pub now: i64,
    pub max_age: i64,
    /// Verify as of each PASSporT's iat (a past call), not as of `now`.
    pub as_of_call: bool,
    /// Chain bytes per x5u URL.
    pub certs: HashMap<String, Vec<u8>>,
    /// Chain used for any x5u not in `certs` (CLI `--cert`).
    pub default_chain: Option<Vec<u8>>,
    /// Why the shell could not fetch an x5u.
    pub fetch_errors: HashMap<String, String>,
    /// Replaces the verifier's trust store for this call.
    pub trust: Option<Arc<TrustStore>>,
    /// CRL bundles (PEM `X509 CRL` blocks, optionally with the signer's certificate, or DER).
    pub crls: Vec<Vec<u8>>,
}

impl Options {
    pub fn at(now: i64) -> Options {
        Options {
            now,
            max_age: DEFAULT_MAX_AGE,
            as_of_call: false,
            certs: HashMap::new(),
            default_chain: None,
            fetch_errors: HashMap::new(),
            trust: None,
            crls: Vec::new(),
        }
    }
}

/// A verifier: trust anchors plus a cache of validated chains shared across calls (and threads).
/// Cloning is cheap and clones share the cache.
#[derive(Clone)]
pub struct Verifier {
    trust: Arc<TrustStore>,
    cache: Arc<ChainCache>,
}

impl Default for Verifier {
    fn default() -> Self {
        Verifier::new(TrustStore::builtin())
    }
}

/// Work waiting for crypto results.
pub struct Pending {
    jobs: Vec<CryptoJob>,
    work: Work,
}

impl Pending {
    pub fn jobs(&self) -> &[CryptoJob] {
        &self.jobs
    }
}

struct Work {
    trust: Arc<TrustStore>,
    opts_now: i64,
    as_of_call: bool,
    max_age: i64,
    top: Vec<Check>,
    call: Option<CallContext>,
    ids: Vec<IdWork>,
    crls: revocation::Crls,
}

struct IdWork {
    result: IdentityResult,
    claims: Claims,
    /// Time this identity is verified at.
    at: i64,
    cert: CertWork,
    sig: SigWork,
}

impl IdWork {
    /// Certificates this identity brought (candidate CRL signers).
    fn certs(&self) -> Vec<Arc<ParsedCert>> {
        match &self.cert {
            CertWork::Cached(e) => e.path.certs.clone(),
            CertWork::Plan { chain, .. } => chain.clone(),
            _ => Vec::new(),
        }
    }
}

enum CertWork {
    /// No usable credential; `cert.*` checks were recorded or will be skipped.
    None(&'static str),
    KeyOnly,
    Cached(Arc<cache::Entry>),
    Plan {
        chain: Vec<Arc<ParsedCert>>,
        plan: Plan,
        profile: Profile,
        key: cache::Key,
    },
}

enum SigWork {
    Skip(Check),
    Fail(Check),
    Job(usize),
}

impl Verifier {
    pub fn new(trust: Arc<TrustStore>) -> Verifier {
        Verifier {
            trust,
            cache: Arc::new(ChainCache::new(1024)),
        }
    }

    pub fn trust(&self) -> &Arc<TrustStore> {
        &self.trust
    }

    pub fn cache(&self) -> &ChainCache {
        &self.cache
    }

    /// Verify with the build's default crypto backend.
    pub fn verify(&self, input: &str, opts: &Options) -> Verdict {
        self.verify_with(input, opts, default_backend())
    }

    pub fn verify_with(&self, input: &str, opts: &Options, backend: &dyn Backend) -> Verdict {
        let pending = self.prepare(input, opts);
        let results: Vec<Option<bool>> = pending.jobs.iter().map(|j| backend.verify(j)).collect();
        self.finish(pending, &results)
    }

    /// Phase one: parse and check everything that needs no signature verification.
    pub fn prepare(&self, input: &str, opts: &Options) -> Pending {
        let trust = opts.trust.clone().unwrap_or_else(|| self.trust.clone());
        let mut jobs = Vec::new();
        let mut work = Work {
            trust: trust.clone(),
            opts_now: opts.now,
            as_of_call: opts.as_of_call,
            max_age: opts.max_age,
            top: Vec::new(),
            call: None,
            ids: Vec::new(),
            crls: revocation::Crls::default(),
        };
        let msg = match sip::parse(input) {
            Err(e) => {
                work.top.push(Check::fail(
                    "input",
                    SPEC_INPUT,
                    SipCode::InvalidIdentityHeader,
                    passport_checks::capitalize(&e.to_string()),
                ));
                return Pending { jobs, work };
            }
            Ok(m) => m,
        };
        let n = msg.identities.len();
        let input_detail = msg.detail();
        work.top.push(if msg.dropped_identities == 0 {
            Check::pass("input", SPEC_INPUT, input_detail)
        } else {
            Check::warn("input", SPEC_INPUT, input_detail)
        });
        work.call = msg.context.clone();
        let ctx = msg.context.as_ref();
        for (index, raw) in msg.identities.iter().enumerate() {
            let w = self.prepare_identity(index, raw, msg.kind, ctx, opts, &trust, &mut jobs);
            work.ids.push(w);
        }
        work.crls = revocation::Crls::prepare(
            &opts.crls,
            work.ids.iter().flat_map(|w| w.certs()),
            &trust,
            &mut jobs,
        );
        // Only a SHAKEN (or ppt-less base) PASSporT can attest the caller; div and rcd only
        // extend one (checklist `div` / `rcd`).
        let attesting = |r: Role| matches!(r, Role::Shaken | Role::Base);
        let supported = work.ids.iter().filter(|w| attesting(w.result.role)).count();
        let extensions_only = work
            .ids
            .iter()
            .any(|w| matches!(w.result.role, Role::Div | Role::Rcd));
        work.top.push(if supported > 0 {
            Check::pass(
                "identity.present",
                SPEC_PRESENT,
                format!(
                    "{supported} Identity header{} with a supported ppt",
                    if supported == 1 { "" } else { "s" }
                ),
            )
        } else if extensions_only {
            Check::fail(
                "identity.present",
                SPEC_PRESENT,
                SipCode::UseIdentityHeader,
                "Only div/rcd PASSporTs are present: none of them attests the caller (a SHAKEN PASSporT, ppt shaken, is needed)",
            )
        } else if n > 0 {
            Check::fail(
                "identity.present",
                SPEC_PRESENT,
                SipCode::UseIdentityHeader,
                "No Identity header has a ppt this verifier supports (shaken, div, rcd or none)",
            )
        } else {
            Check::fail(
                "identity.present",
                SPEC_PRESENT,
                SipCode::UseIdentityHeader,
                "The message has no Identity header: the call was not signed",
            )
        });
        Pending { jobs, work }
    }

    #[allow(clippy::too_many_arguments)]
    fn prepare_identity(
        &self,
        index: usize,
        raw: &sip::RawIdentity,
        _kind: InputKind,
        ctx: Option<&CallContext>,
        opts: &Options,
        trust: &Arc<TrustStore>,
        jobs: &mut Vec<CryptoJob>,
    ) -> IdWork {
        let h = identity::parse(&raw.value, raw.bare);
        let decoded = passport::decode(&h.token);
        let header_ppt = decoded
            .as_ref()
            .ok()
            .and_then(|p| p.header_str("ppt"))
            .map(str::to_owned);
        // The Identity header's ppt says what the header claims to be; a JOSE header that disagrees is
        // reported by `passport.header`. Without the parameter (bare JWS) the JOSE header decides.
        let ppt = match (h.ppt.clone(), header_ppt) {
            // Contradictory labels: judge it as the SHAKEN PASSporT one of them claims.
            (Some(a), Some(b)) if a != b && (a == "shaken" || b == "shaken") => {
                Some("shaken".to_string())
            }
            (Some(a), _) => Some(a),
            (None, b) => b,
        };
        let role = passport_checks::role_of(ppt.as_deref());
        let mut checks = vec![
            passport_checks::syntax(&h),
            passport_checks::form(&decoded, role),
        ];
        let mut claims = Claims::default();
        let mut x5u = None;
        let mut cert = CertWork::None("the PASSporT could not be decoded");
        let mut sig = SigWork::Skip(Check::skip(
            "signature",
            cert_checks::SPEC_SIGNATURE,
            "not checked: the PASSporT could not be decoded",
        ));
        let mut at = opts.now;
        if let Some(p) = decoded
            .as_ref()
            .ok()
            .filter(|p| p.form == passport::Form::Full)
        {
            checks.push(passport_checks::header(p, &h));
            x5u = p.header_str("x5u").map(str::to_owned);
            checks.push(passport_checks::x5u_url(x5u.as_deref(), &h));
            let (c, cl) = passport_checks::claims(p, role);
            checks.push(c);
            claims = cl;
            if opts.as_of_call {
                at = claims.iat.unwrap_or(opts.now);
            }
            checks.push(binding::orig(ctx, &claims));
            checks.push(binding::dest(ctx, &claims));
            let mut iat_check = binding::iat(ctx, &claims, at, opts.max_age, opts.as_of_call);
            if opts.as_of_call && claims.iat.is_none() {
                iat_check
                    .detail
                    .push_str("; the call time is unknown, so verification is as of now");
            }
            checks.push(iat_check);
            match &x5u {
                None => cert = CertWork::None("there is no x5u"),
                Some(url) => {
                    let (c, work, s) = self.prepare_cert(url, p, &claims, opts, trust, jobs);
                    checks.extend(c);
                    cert = work;
                    sig = s;
                }
            }
        } else if decoded.is_ok() {
            sig = SigWork::Skip(Check::skip(
                "signature",
                cert_checks::SPEC_SIGNATURE,
                "not checked: compact form cannot be verified here",
            ));
        }
        let form = match &decoded {
            Ok(p) if p.form == passport::Form::Full => "full",
            Ok(_) => "compact",
            Err(_) => "invalid",
        };
        // The decoded JSON moves into the result (no copy): the checks above are done with it.
        let (header_json, claims_json) = match decoded {
            Ok(p) => match p.claims {
                Ok(c) => (p.header.ok(), Some(c)),
                Err(_) => (p.header.as_ref().ok().cloned(), raw_claims(&p)),
            },
            Err(_) => (None, None),
        };
        let result = IdentityResult {
            index,
            ppt,
            role,
            form,
            token: h.token.clone(),
            info: h.info.clone(),
            alg: h.alg.clone(),
            header: header_json,
            claims: claims_json,
            x5u,
            iat: claims.iat,
            status: IdentityStatus::Invalid,
            sip_code: None,
            reason: String::new(),
            checks,
            signer: None,
        };
        IdWork {
            result,
            claims,
            at,
            cert,
            sig,
        }
    }

    /// `cert.fetch` and `cert.profile` now; plan path jobs (or reuse a cached path) and the
    /// signature job.
    fn prepare_cert(
        &self,
        url: &str,
        p: &passport::Passport,
        claims: &Claims,
        opts: &Options,
        trust: &Arc<TrustStore>,
        jobs: &mut Vec<CryptoJob>,
    ) -> (Vec<Check>, CertWork, SigWork) {
        let bytes = opts.certs.get(url).or(opts.default_chain.as_ref());
        let supplied = match (bytes, opts.fetch_errors.get(url)) {
            (Some(b), _) => Supplied::Bytes(b),
            (None, Some(e)) => Supplied::FetchError(e),
            (None, None) => Supplied::Missing,
        };
        let skip_sig = |why: &str| {
            SigWork::Skip(Check::skip(
                "signature",
                cert_checks::SPEC_SIGNATURE,
                format!("not checked: {why}"),
            ))
        };
        // Cache lookup before parsing: same bytes + same trust store = same validated path.
        let key = bytes.map(|b| cache::Key::new(&trust.fingerprint, url, b));
        if let Some(entry) = key.as_ref().and_then(|k| self.cache.get(k)) {
            let leaf = &entry.path.certs[0];
            let mut checks = vec![Check::pass(
                "cert.fetch",
                cert_checks::SPEC_FETCH,
                format!(
                    "{} certificate(s) for <{url}> (validated chain from cache)",
                    entry.chain_len
                ),
            )];
            checks.push(cert_checks::profile(
                leaf,
                &entry.profile,
                claims.orig_tn.as_deref(),
            ));
            // Same outcome and wording as an uncached verification (an unsupported leaf key
            // is not an RSA key).
            let sig = passport_signature(p, &leaf.spki, &leaf.public_key, &leaf.key, jobs);
            return (checks, CertWork::Cached(entry), sig);
        }
        let (fetch_check, cred) = cert_checks::fetch(url, supplied);
        let mut checks = vec![fetch_check];
        match cred {
            None | Some(Err(_)) => (
                checks,
                CertWork::None("no certificate was obtained"),
                skip_sig("no certificate was obtained"),
            ),
            Some(Ok(Credential::KeyOnly(spki_der))) => {
                checks.push(Check::fail("cert.profile", cert_checks::SPEC_PROFILE, SipCode::UnsupportedCredential, "A bare public key is not a certificate: it says nothing about who signed (no SPC, no issuer)"));
                let key = key_from_spki(&spki_der);
                let sig = match key {
                    Some((kind, raw)) => passport_signature(p, &spki_der, &raw, &Ok(kind), jobs),
                    None => skip_sig("the supplied public key is not an EC/RSA key"),
                };
                (checks, CertWork::KeyOnly, sig)
            }
            Some(Ok(Credential::Chain(certs))) => {
                let chain: Vec<Arc<ParsedCert>> = certs.into_iter().map(Arc::new).collect();
                let leaf = chain[0].clone();
                let prof = profile::check_leaf(&leaf);
                checks.push(cert_checks::profile(
                    &leaf,
                    &prof,
                    claims.orig_tn.as_deref(),
                ));
                let plan = path::plan(&chain, trust, jobs);
                let sig = passport_signature(p, &leaf.spki, &leaf.public_key, &leaf.key, jobs);
                let key = key.expect("bytes were supplied");
                (
                    checks,
                    CertWork::Plan {
                        chain,
                        plan,
                        profile: prof,
                        key,
                    },
                    sig,
                )
            }
        }
    }

    /// Phase two: take one result per job (`None` = the host could not run it; the built-in
    /// RustCrypto path runs it instead) and complete the verdict.
    pub fn finish(&self, pending: Pending, results: &[Option<bool>]) -> Verdict {
        let Pending { jobs, work } = pending;
        let results: Vec<bool> = jobs
            .iter()
            .enumerate()
            .map(|(i, j)| {
                results
                    .get(i)
                    .copied()
                    .flatten()
                    .unwrap_or_else(|| RustCrypto.verify(j).unwrap_or(false))
            })
            .collect();
        let Work {
            trust,
            opts_now,
            as_of_call,
            max_age,
            top,
            call,
            mut ids,
            crls,
        } = work;
        let crls = crls.verified(&results);
        for w in ids.iter_mut() {
            self.finish_identity(w, &results, &trust, &crls);
        }
        extensions::apply(&mut ids, call.as_ref());
        for w in ids.iter_mut() {
            let r = &mut w.result;
            if r.role == Role::Unsupported {
                r.status = IdentityStatus::Ignored;
                r.reason = format!(
                    "ignored: ppt {:?} is not supported",
                    r.ppt.as_deref().unwrap_or("")
                );
                continue;
            }
            let d = decide(&r.checks, || summary(r));
            r.status = if d.valid {
                IdentityStatus::Valid
            } else {
                IdentityStatus::Invalid
            };
            r.sip_code = d.code.map(SipCode::code);
            r.reason = d.reason;
        }
        crate::summary::complete(build_verdict(
            top, call, ids, &trust, opts_now, as_of_call, max_age,
        ))
    }

    fn finish_identity(
        &self,
        w: &mut IdWork,
        results: &[bool],
        trust: &TrustStore,
        crls: &revocation::VerifiedCrls,
    ) {
        let times: Vec<i64> = std::iter::once(w.at)
            .chain(w.claims.iat.filter(|i| *i != w.at))
            .collect();
        let checks = &mut w.result.checks;
        let x5u = w.result.x5u.clone().unwrap_or_default();
        match std::mem::replace(&mut w.cert, CertWork::None("")) {
            CertWork::None(why) => {
                if !checks.iter().any(|c| c.id == "cert.fetch") {
                    checks.push(Check::skip(
                        "cert.fetch",
                        cert_checks::SPEC_FETCH,
                        format!("not attempted: {why}"),
                    ));
                }
                for id in ["cert.profile", "cert.chain", "cert.validity"] {
                    if !checks.iter().any(|c| c.id == id) {
                        let spec = match id {
                            "cert.profile" => cert_checks::SPEC_PROFILE,
                            "cert.chain" => cert_checks::SPEC_CHAIN,
                            _ => cert_checks::SPEC_VALIDITY,
                        };
                        checks.push(Check::skip(id, spec, format!("not checked: {why}")));
                    }
                }
                checks.push(Check::skip(
                    "cert.revocation",
                    cert_checks::SPEC_REVOCATION,
                    format!("not checked: {why}"),
                ));
            }
            CertWork::KeyOnly => {
                checks.push(Check::fail(
                    "cert.chain",
                    cert_checks::SPEC_CHAIN,
                    SipCode::UnsupportedCredential,
                    "A bare public key has no certificate path to a trust anchor",
                ));
                checks.push(Check::skip(
                    "cert.validity",
                    cert_checks::SPEC_VALIDITY,
                    "not checked: no certificate",
                ));
                checks.push(Check::skip(
                    "cert.revocation",
                    cert_checks::SPEC_REVOCATION,
                    "not checked: no certificate",
                ));
            }
            CertWork::Cached(entry) => {
                checks.push(cert_checks::chain(&Ok(entry.path.clone())));
                checks.push(cert_checks::validity(&entry.path.certs, w.at, w.claims.iat));
                checks.push(crls.check(&entry.path.certs, w.at));
                w.result.signer = Some(entry.signer.clone());
            }
            CertWork::Plan {
                chain,
                plan,
                profile,
                key,
            } => {
                let path = path::resolve(&plan, results, trust, &times);
                checks.push(cert_checks::chain(&path));
                let certs_for_validity: &[Arc<ParsedCert>] = match &path {
                    Ok(p) => &p.certs,
                    Err(_) => &chain,
                };
                checks.push(cert_checks::validity(
                    certs_for_validity,
                    w.at,
                    w.claims.iat,
                ));
                checks.push(crls.check(certs_for_validity, w.at));
                let signer = cert_checks::signer(&chain, path.as_ref().ok(), &x5u);
                if let Ok(p) = path {
                    self.cache.insert(
                        key,
                        cache::Entry {
                            path: p,
                            profile,
                            chain_len: chain.len(),
                            signer: signer.clone(),
                        },
                    );
                }
                w.result.signer = Some(signer);
            }
        }
        let key_only = matches!(w.cert, CertWork::KeyOnly)
            || checks
                .iter()
                .any(|c| c.id == "cert.chain" && c.detail.starts_with("A bare public key"));
        checks.push(
            match std::mem::replace(&mut w.sig, SigWork::Skip(Check::skip("signature", "", ""))) {
                SigWork::Skip(c) | SigWork::Fail(c) => c,
                SigWork::Job(j) => cert_checks::signature_result(results[j], key_only),
            },
        );
    }
}

/// The `signature` failure for a leaf whose key type cannot verify ES256 at all.
fn unsupported_key(e: &str) -> Check {
    Check::fail(
        "signature",
        cert_checks::SPEC_SIGNATURE,
        SipCode::UnsupportedCredential,
        format!("The certificate key cannot verify ES256: {e}"),
    )
}

/// The PASSporT's ES256 job with this key, or why the signature fails before any crypto.
fn passport_signature(
    p: &passport::Passport,
    spki: &[u8],
    public_key: &[u8],
    key: &Result<KeyKind, String>,
    jobs: &mut Vec<CryptoJob>,
) -> SigWork {
    match key {
        Ok(kind) => match cert_checks::signature_job(
            &p.signature,
            p.signing_input(),
            spki,
            public_key,
            *kind,
        ) {
            Ok(j) => {
                jobs.push(j);
                SigWork::Job(jobs.len() - 1)
            }
            Err(c) => SigWork::Fail(c),
        },
        Err(e) => SigWork::Fail(unsupported_key(e)),
    }
}

/// The claims as text when they are not valid JSON (so a corrupted header still shows what it has).
fn raw_claims(p: &passport::Passport) -> Option<serde_json::Value> {
    p.claims_raw
        .as_ref()
        .map(|b| serde_json::Value::String(String::from_utf8_lossy(b).into_owned()))
}

fn key_from_spki(der: &[u8]) -> Option<(KeyKind, Vec<u8>)> {
    use der::Decode;
    let spki = spki::SubjectPublicKeyInfoOwned::from_der(der).ok()?;
    let raw = spki.subject_public_key.raw_bytes().to_vec();
    let curve = spki
        .algorithm
        .parameters
        .as_ref()
        .and_then(|p| p.decode_as::<const_oid::ObjectIdentifier>().ok());
    use const_oid::db::rfc5912::*;
    let kind = match (spki.algorithm.oid, curve) {
        (ID_EC_PUBLIC_KEY, Some(SECP_256_R_1)) => KeyKind::P256,
        (ID_EC_PUBLIC_KEY, Some(SECP_384_R_1)) => KeyKind::P384,
        (ID_EC_PUBLIC_KEY, Some(SECP_521_R_1)) => KeyKind::P521,
        (RSA_ENCRYPTION, _) => KeyKind::Rsa,
        _ => return None,
    };
    Some((kind, raw))
}

fn summary(r: &IdentityResult) -> String {
    let attest = r
        .claims
        .as_ref()
        .and_then(|c| c.get("attest"))
        .and_then(|a| a.as_str());
    let who = match &r.signer {
        Some(s) => {
            let spc = s
                .spc
                .as_deref()
                .map(|x| format!("SPC {x}"))
                .unwrap_or_else(|| "an unknown SPC".into());
            match &s.organization {
                Some(o) => format!("{spc} ({o})"),
                None => spc,
            }
        }
        None => "a supplied key".into(),
    };
    match (r.role, attest) {
        (Role::Shaken, Some(a)) => format!(
            "Signed by {who} with attestation {a}; the signature, certificate and call details check out"
        ),
        (Role::Div, _) => format!("Diversion PASSporT signed by {who} verifies"),
        _ => format!("Signed by {who}; every check passed"),
    }
}

/// Pick the identity that decides the call (SHAKEN first) and assemble the verdict.
fn build_verdict(
    mut top: Vec<Check>,
    call: Option<CallContext>,
    ids: Vec<IdWork>,
    trust: &TrustStore,
    opts_now: i64,
    as_of_call: bool,
    max_age: i64,
) -> Verdict {
    let results: Vec<IdentityResult> = ids.into_iter().map(|w| w.result).collect();
    let rank = |r: &IdentityResult| match r.role {
        Role::Shaken => 0,
        Role::Base => 1,
        Role::Div => 2,
        Role::Rcd => 3,
        Role::Unsupported => 9,
    };
    let best_rank = results.iter().map(rank).min().unwrap_or(9);
    // Among equally ranked headers, a valid one decides (RFC 8224 §6.2.2: fail only when none validates).
    let decider = results
        .iter()
        .filter(|r| rank(r) == best_rank && best_rank < 2)
        .min_by_key(|r| (r.status != IdentityStatus::Valid, r.index));
    let trust_info = trust.info();
    let input_failed = top.iter().any(|c| c.is_fail() && c.id == "input");
    let Some(d) = decider else {
        let (status, verstat, reason, code) = if input_failed {
            let c = top.iter().find(|c| c.is_fail()).expect("input failed");
            (
                Status::Invalid,
                Verstat::NoValidation,
                c.detail.clone(),
                Some(SipCode::InvalidIdentityHeader),
            )
        } else {
            let c = top
                .iter()
                .find(|c| c.id == "identity.present")
                .expect("always recorded");
            (
                Status::NoIdentity,
                Verstat::NoValidation,
                c.detail.clone(),
                Some(SipCode::UseIdentityHeader),
            )
        };
        return Verdict {
            status,
            attest: None,
            verstat,
            sip_code: code.map(SipCode::code),
            sip_reason: code.map(SipCode::phrase),
            reason,
            checks: top,
            identities: results,
            signer: None,
            trust: trust_info,
            verified_at: opts_now,
            as_of_call,
            max_age,
            call,
            outcome: crate::summary::CallOutcome::Unsigned,
            summary: crate::summary::Summary::empty(),
        };
    };
    top.extend(d.checks.iter().cloned());
    let valid = d.status == IdentityStatus::Valid;
    let dec = decide(&top, || d.reason.clone());
    let attest = if valid {
        d.claims
            .as_ref()
            .and_then(|c| c.get("attest"))
            .and_then(|a| a.as_str())
            .map(str::to_owned)
    } else {
        None
    };
    let verified_at = if as_of_call {
        d.iat.unwrap_or(opts_now)
    } else {
        opts_now
    };
    let code = dec.code;
    Verdict {
        status: if valid {
            Status::Valid
        } else {
            Status::Invalid
        },
        attest,
        verstat: dec.verstat,
        sip_code: code.map(SipCode::code),
        sip_reason: code.map(SipCode::phrase),
        reason: dec.reason,
        checks: top,
        signer: d.signer.clone(),
        identities: results,
        trust: trust_info,
        verified_at,
        as_of_call,
        max_age,
        call,
        outcome: crate::summary::CallOutcome::Unsigned,
        summary: crate::summary::Summary::empty(),
    }
}

#[allow(dead_code)]
fn _assert_send_sync() {
    fn is<T: Send + Sync>() {}
    is::<Verifier>();
}
