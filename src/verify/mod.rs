//! The verification procedure: text + certificates + time → [`Verdict`], every check recorded.
//!
//! Sans-IO and two-phase, like a rustls connection: [`Verifier::prepare`] does all the parsing
//! and checking it can and returns a [`Pending`] that lists the signature checks as
//! [`CryptoJob`]s; [`Verifier::finish`] takes their results and completes the verdict.
//! [`Verifier::verify`] runs both with the build's default crypto backend.
//!
//! This module only sequences the checks; each check (and its skip) is one function named after
//! its id, in the module [`crate::CheckId`]'s documentation names: `message` (`input`,
//! `identity.present`), `passport` (`identity.syntax`, `passport.*`, `x5u.url`), `binding`
//! (`call.*`, `time.iat`), `cert_checks` (`cert.fetch`, `cert.profile`, `cert.chain`,
//! `cert.validity`, `cert.revocation`'s skip), `delegation` (`cert.delegation`,
//! `cert.constraints`), `revocation` (`cert.revocation`), `signature`,
//! `extensions` (`div`, `rcd`), `rcd` (`rcd.integrity`). `assemble` turns checks into the verdict; `cache` keeps
//! validated chains.

mod assemble;
mod binding;
mod cache;
mod cert_checks;
mod delegation;
mod extensions;
mod message;
mod passport;
mod rcd;
mod revocation;
mod signature;
mod work;

pub use crate::cert::cert_cache::CertCache;
pub use crate::cert::sig_cache::SigCache;
pub use cache::ChainCache;

use crate::cert::sig_cache::{self, SigKey};
use crate::crypto::{Backend, CryptoJob, Purpose, RustCrypto, default_backend};
use crate::identity;
use crate::passport::Form;
use crate::sip;
use crate::trust::TrustStore;
use crate::verdict::*;
use cert_checks::{Credential, Supplied};
use passport::Claims;
use std::collections::HashMap;
use std::sync::Arc;
use work::{IdWork, Work};

/// The default freshness window for `iat`, in seconds (ATIS-1000074 §5.3.2).
pub const DEFAULT_MAX_AGE: i64 = 60;

/// Per-call settings from the shell.
#[derive(Debug, Clone)]
pub struct Options {
    /// Verification time, unix seconds (the shell reads the clock, not the core).
    pub now: i64,
    /// Freshness window for `iat`, seconds.
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
    /// CRL bytes per distribution point URL (what the shell fetched for `cert::crl::crl_urls`);
    /// shared, since one CRL serves every call of a batch.
    pub crls_by_url: HashMap<String, Arc<Vec<u8>>>,
    /// Why the shell could not fetch a CRL distribution point.
    pub crl_fetch_errors: HashMap<String, String>,
    /// Rich call data content (`icn`, `jcl`) per URL, for `rcd.integrity` ([`Parsed::rcd_urls`]).
    pub resources: HashMap<String, Vec<u8>>,
    /// Why the shell could not fetch an rcd content URL.
    pub resource_fetch_errors: HashMap<String, String>,
}

impl Options {
    /// Defaults, verifying at `now`.
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
            crls_by_url: HashMap::new(),
            crl_fetch_errors: HashMap::new(),
            resources: HashMap::new(),
            resource_fetch_errors: HashMap::new(),
        }
    }
}

/// A verifier: trust anchors plus a cache of validated chains shared across calls (and threads).
/// Cloning is cheap and clones share the cache.
#[derive(Clone)]
pub struct Verifier {
    trust: Arc<TrustStore>,
    cache: Arc<ChainCache>,
    /// CA signatures (on certificates and CRLs) known to verify, shared like the chain cache.
    sig_cache: Arc<SigCache>,
    /// Certificates already parsed (an intermediate serves many leaves), shared the same way.
    certs: Arc<CertCache>,
    /// CRLs already parsed and verified (one STI-PA CRL serves every call of a batch).
    crl_cache: Arc<revocation::CrlCache>,
}

impl Default for Verifier {
    fn default() -> Self {
        Verifier::new(TrustStore::builtin())
    }
}

/// Work waiting for crypto results.
pub struct Pending {
    /// The signature checks the host should run, in order (CA signatures the verifier already
    /// knows to verify are left out).
    jobs: Vec<CryptoJob>,
    /// Where each planned job's result comes from, in planning order.
    route: Vec<Route>,
    /// Per host job: the CA-signature key to remember when it verifies.
    remember: Vec<Option<SigKey>>,
    work: Work,
}

/// Where a planned job's result comes from.
#[derive(Clone, Copy)]
enum Route {
    /// A CA signature the [`SigCache`] knows verifies.
    Known,
    /// The host's result for job `n` of [`Pending::jobs`].
    Host(usize),
}

impl Pending {
    /// The signature checks the host should run, in order.
    pub fn jobs(&self) -> &[CryptoJob] {
        &self.jobs
    }
}

impl Verifier {
    /// A verifier with these trust anchors and an empty chain cache.
    pub fn new(trust: Arc<TrustStore>) -> Verifier {
        Verifier {
            trust,
            cache: Arc::new(ChainCache::new(1024)),
            sig_cache: Arc::new(SigCache::new(sig_cache::DEFAULT_CAPACITY)),
            certs: Arc::default(),
            crl_cache: Arc::default(),
        }
    }

    /// This verifier with a CA-signature cache of `capacity` signatures instead of the default
    /// (0 turns it off: every CA signature is checked on every uncached chain).
    pub fn with_sig_cache(mut self, capacity: usize) -> Verifier {
        self.sig_cache = Arc::new(SigCache::new(capacity));
        self
    }

    /// The CA-signature cache shared by this verifier's clones.
    pub fn sig_cache(&self) -> &SigCache {
        &self.sig_cache
    }

    /// The parsed-certificate cache shared by this verifier's clones.
    pub fn cert_cache(&self) -> &CertCache {
        &self.certs
    }

    /// This verifier with a parsed-certificate cache of `capacity` certificates instead of the
    /// default (0 turns it off: every certificate of an uncached chain is parsed every time).
    pub fn with_cert_cache(mut self, capacity: usize) -> Verifier {
        self.certs = Arc::new(CertCache::new(capacity));
        self
    }

    /// Forget validated chains, CA signatures and parsed certificates (the parsed CRLs stay).
    pub fn clear_caches(&self) {
        self.cache.clear();
        self.sig_cache.clear();
        self.certs.clear();
    }

    /// Split the planned jobs into those the host must run and those whose CA signature is
    /// known to verify.
    fn route(&self, planned: Vec<CryptoJob>) -> (Vec<CryptoJob>, Vec<Route>, Vec<Option<SigKey>>) {
        let use_cache = self.sig_cache.capacity() > 0;
        let mut host = Vec::with_capacity(planned.len());
        let mut route = Vec::with_capacity(planned.len());
        let mut remember = Vec::with_capacity(planned.len());
        for job in planned {
            let key = (use_cache && job.purpose == Purpose::Certificate).then(|| SigKey::of(&job));
            if key.as_ref().is_some_and(|k| self.sig_cache.verified(k)) {
                route.push(Route::Known);
                continue;
            }
            route.push(Route::Host(host.len()));
            remember.push(key);
            host.push(job);
        }
        (host, route, remember)
    }

    /// The verifier's own trust store (an [`Options::trust`] replaces it per call).
    pub fn trust(&self) -> &Arc<TrustStore> {
        &self.trust
    }

    /// The chain cache shared by this verifier's clones.
    pub fn cache(&self) -> &ChainCache {
        &self.cache
    }

    /// Verify with the build's default crypto backend.
    pub fn verify(&self, input: &str, opts: &Options) -> Verdict {
        self.verify_with(input, opts, default_backend())
    }

    /// Verify, running the crypto jobs on `backend`.
    pub fn verify_with(&self, input: &str, opts: &Options, backend: &dyn Backend) -> Verdict {
        let pending = self.prepare(input, opts);
        let results: Vec<Option<bool>> = pending.jobs.iter().map(|j| backend.verify(j)).collect();
        self.finish(pending, &results)
    }

    /// Phase one: parse and check everything that needs no signature verification.
    pub fn prepare(&self, input: &str, opts: &Options) -> Pending {
        self.prepare_parsed(parse(input), opts)
    }

    /// Phase one for an input already [`parse`]d (a shell that asked it for
    /// [`Parsed::needed_certs`] first does not parse it twice).
    pub fn prepare_parsed(&self, parsed: Parsed, opts: &Options) -> Pending {
        let trust = opts.trust.clone().unwrap_or_else(|| self.trust.clone());
        let mut jobs = Vec::new();
        let Parsed { input, msg, reads } = parsed;
        let mut work = Work {
            trust: trust.clone(),
            now: opts.now,
            as_of_call: opts.as_of_call,
            max_age: opts.max_age,
            top: vec![input],
            call: None,
            ids: Vec::new(),
            crls: revocation::Crls::default(),
        };
        let Some(call) = msg else {
            return Pending {
                jobs,
                route: Vec::new(),
                remember: Vec::new(),
                work,
            };
        };
        for (index, read) in reads.into_iter().enumerate() {
            let w = self.prepare_identity(index, read, call.as_ref(), opts, &trust, &mut jobs);
            work.ids.push(w);
        }
        work.call = call;
        work.crls = revocation::Crls::prepare(
            opts,
            work.ids.iter().flat_map(|w| w.cert.certs()),
            &trust,
            &self.crl_cache,
            &mut jobs,
        );
        let roles: Vec<Role> = work.ids.iter().map(|w| w.result.role).collect();
        work.top.push(message::identity_present(&roles));
        let (jobs, route, remember) = self.route(jobs);
        Pending {
            jobs,
            route,
            remember,
            work,
        }
    }

    fn prepare_identity(
        &self,
        index: usize,
        mut read: Read,
        ctx: Option<&CallContext>,
        opts: &Options,
        trust: &Arc<TrustStore>,
        jobs: &mut Vec<CryptoJob>,
    ) -> IdWork {
        let mut at = opts.now;
        let mut cert = Credential::NotAttempted("the PASSporT could not be decoded");
        if read.full() {
            if opts.as_of_call {
                at = read.claims.iat.unwrap_or(opts.now);
            }
            let iat = binding::time_iat(ctx, &read.claims, at, opts.max_age, opts.as_of_call);
            read.checks.push(iat);
            // call.dest waits for `finish`: a verified div PASSporT may explain a retargeted call.
            cert = match &read.x5u {
                None => Credential::NotAttempted("there is no x5u"),
                Some(url) => {
                    let bytes = opts.certs.get(url).or(opts.default_chain.as_ref());
                    let supplied = match (bytes, opts.fetch_errors.get(url)) {
                        (Some(b), _) => Supplied::Bytes(b),
                        (None, Some(e)) => Supplied::FetchError(e),
                        (None, None) => Supplied::Missing,
                    };
                    Credential::load(url, supplied, &self.cache, &self.certs, trust, jobs)
                }
            };
        }
        read.checks.push(cert_checks::cert_fetch(&cert));
        read.checks.push(cert_checks::cert_profile(&cert));
        let sig = signature::signature_work(&read.decoded, &cert, jobs);
        let full = read.full();
        let (mut result, claims) = read.into_result(index);
        rcd::rcd_integrity(&mut result, opts);
        IdWork {
            result,
            claims,
            full,
            at,
            cert,
            sig,
        }
    }

    /// Phase two: take one result per job (`None` = the host could not run it; the built-in
    /// RustCrypto path runs it instead) and complete the verdict.
    pub fn finish(&self, pending: Pending, results: &[Option<bool>]) -> Verdict {
        let Pending {
            jobs,
            route,
            remember,
            work,
        } = pending;
        let host: Vec<bool> = jobs
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
        for (key, ok) in remember.into_iter().zip(&host) {
            if let (Some(key), true) = (key, ok) {
                self.sig_cache.remember(key);
            }
        }
        let results: Vec<bool> = route
            .iter()
            .map(|r| match r {
                Route::Known => true,
                Route::Host(i) => host[*i],
            })
            .collect();
        let Work {
            trust,
            now,
            as_of_call,
            max_age,
            top,
            call,
            mut ids,
            crls,
        } = work;
        let crls = crls.verified(&results, &trust, now, &self.crl_cache);
        for w in ids.iter_mut() {
            self.finish_identity(w, &results, &trust, &crls, now);
        }
        let (divs, retargets) = extensions::retargets(&ids, call.as_ref());
        for (pos, check) in divs {
            ids[pos].result.checks.push(check);
        }
        for (pos, w) in ids.iter_mut().enumerate() {
            if w.full {
                let dest =
                    binding::call_dest(call.as_ref(), &w.claims, retargets.get(&pos).copied());
                w.result.checks.push(dest);
            }
            w.result.checks.extend(extensions::rcd(w));
            // Checklist order, whatever order the checks were made in (stable: equal ids keep theirs).
            w.result.checks.sort_by_key(|c| c.id.order());
            let who = assemble::signed_by(w.result.signer.as_deref());
            assemble::judge_identity(&mut w.result, &who);
            rcd::settle(&mut w.result);
        }
        let results = ids.into_iter().map(|w| w.result).collect();
        let frame = assemble::Frame {
            trust: &trust,
            now,
            as_of_call,
            max_age,
        };
        let mut verdict = assemble::verdict(top, call, results, frame);
        verdict.rcd = rcd::call_rcd(&verdict);
        crate::summary::complete(verdict)
    }

    /// The checks that need the crypto results: the path, validity, revocation and signature.
    fn finish_identity(
        &self,
        w: &mut IdWork,
        results: &[bool],
        trust: &TrustStore,
        crls: &revocation::VerifiedCrls,
        now: i64,
    ) {
        let times: Vec<i64> = std::iter::once(w.at)
            .chain(w.claims.iat.filter(|i| *i != w.at))
            .collect();
        w.cert.resolve(results, trust, &times);
        if let Some((key, entry)) = w.cert.cache_entry() {
            self.cache.insert(key, entry, now);
        }
        let checks = &mut w.result.checks;
        checks.push(cert_checks::cert_chain(&w.cert));
        let orig = w.claims.orig_tn.as_deref();
        checks.push(delegation::cert_delegation(&w.cert, orig));
        checks.push(delegation::cert_constraints(
            &w.cert,
            w.result.claims.as_ref(),
        ));
        checks.push(cert_checks::cert_validity(&w.cert, w.at, w.claims.iat));
        let (revocation, crls_used) = cert_checks::cert_revocation(&w.cert, crls, w.at);
        checks.push(revocation);
        w.result.revocation = crls_used;
        checks.push(signature::signature(&w.sig, results));
        w.result.signer = w.cert.signer();
    }
}

/// An input read and its Identity headers decoded, before certificates, clock or crypto
/// ([`parse`]; then [`Verifier::prepare_parsed`]).
pub struct Parsed {
    /// The `input` check.
    input: Check,
    /// The call context, when the input could be read at all.
    msg: Option<Option<CallContext>>,
    reads: Vec<Read>,
}

/// Everything a shell fetches before verifying `text`, from one parse of it.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct NeededUrls {
    /// x5u URLs (`decode::needed_certs`).
    pub x5u: Vec<String>,
    /// Rich Call Data content URLs an `rcdi` digest covers (what [`Parsed::rcd_urls`] lists).
    pub rcd: Vec<String>,
}

impl Parsed {
    /// Whether a PASSporT here has `rcdi` digests this build cannot check (built without
    /// `rcd-integrity`: the page's first wasm module, which verifies such input with the full one).
    pub fn needs_integrity(&self) -> bool {
        !cfg!(feature = "rcd-integrity")
            && self
                .reads
                .iter()
                .filter_map(|r| r.decoded.as_ref().ok())
                .any(|p| matches!(&p.claims, Ok(c) if c.get("rcdi").is_some()))
    }

    /// The x5u and rcd content URLs the input needs (what [`crate::decode::needed_urls`]
    /// gives for the same text).
    pub fn needed_urls(&self) -> NeededUrls {
        let mut out = NeededUrls::default();
        for p in self.reads.iter().filter_map(|r| r.decoded.as_ref().ok()) {
            if let Some(u) = p.header_str("x5u")
                && !out.x5u.iter().any(|x| x == u)
            {
                out.x5u.push(u.to_string());
            }
        }
        out.rcd = self.rcd_urls(&Default::default());
        out
    }

    /// The content URLs the `rcdi` digests of these PASSporTs cover ([`crate::rcd::urls_from`]),
    /// with the URLs inside `content`'s fetched `jcl` jCards: what a shell fetches (kind `rcd`).
    pub fn rcd_urls(&self, content: &HashMap<String, Vec<u8>>) -> Vec<String> {
        crate::rcd::urls_from(self.claims(), content)
    }

    /// The claims of each PASSporT read that decodes (what [`Parsed::rcd_urls`] reads).
    pub fn claims(&self) -> impl Iterator<Item = &serde_json::Value> {
        self.reads
            .iter()
            .filter_map(|r| r.decoded.as_ref().ok()?.claims.as_ref().ok())
    }
}

/// Read `input` and decode its Identity headers: the first half of [`Verifier::prepare`].
pub fn parse(input: &str) -> Parsed {
    let parsed = sip::parse(input);
    let input = message::input(&parsed);
    match parsed {
        Err(_) => Parsed {
            input,
            msg: None,
            reads: Vec::new(),
        },
        Ok(m) => {
            let ctx = m.context.as_ref();
            let reads = m
                .identities
                .iter()
                .map(|raw| read_identity(raw, ctx))
                .collect();
            Parsed {
                input,
                msg: Some(m.context),
                reads,
            }
        }
    }
}

/// One Identity header as read: the checks that need neither certificates nor a clock
/// (`identity.syntax`, `passport.form`, `passport.header`, `x5u.url`, `passport.claims`,
/// `call.orig`), and what later checks need.
struct Read {
    header: identity::IdentityHeader,
    decoded: Result<crate::passport::Passport, crate::passport::FormError>,
    ppt: Option<String>,
    role: Role,
    checks: Vec<Check>,
    claims: Claims,
    x5u: Option<String>,
}

fn read_identity(raw: &sip::RawIdentity, ctx: Option<&CallContext>) -> Read {
    let header = identity::parse(&raw.value, raw.bare);
    let decoded = crate::passport::decode(&header.token);
    let header_ppt = decoded.as_ref().ok().and_then(|p| p.header_str("ppt"));
    let ppt = passport::effective_ppt(header.ppt.as_deref(), header_ppt);
    let role = passport::role_of(ppt.as_deref());
    let mut checks = vec![
        passport::identity_syntax(&header),
        passport::passport_form(&decoded, role),
    ];
    let mut claims = Claims::default();
    let mut x5u = None;
    if let Some(p) = decoded.as_ref().ok().filter(|p| p.form == Form::Full) {
        checks.push(passport::passport_header(p, &header));
        x5u = p.header_str("x5u").map(str::to_owned);
        checks.push(passport::x5u_url(x5u.as_deref(), &header));
        let (c, cl) = passport::passport_claims(p, role);
        checks.push(c);
        claims = cl;
        checks.push(binding::call_orig(ctx, &claims));
    }
    Read {
        header,
        decoded,
        ppt,
        role,
        checks,
        claims,
        x5u,
    }
}

impl Read {
    /// A full-form PASSporT: the per-call and certificate checks apply.
    fn full(&self) -> bool {
        matches!(&self.decoded, Ok(p) if p.form == Form::Full)
    }

    /// The identity's result (status and reason still to be judged) and its claims.
    fn into_result(self, index: usize) -> (IdentityResult, Claims) {
        let form = match &self.decoded {
            Ok(p) if p.form == Form::Full => "full",
            Ok(_) => "compact",
            Err(_) => "invalid",
        };
        // The decoded JSON moves into the result (no copy): the checks are done with it.
        let (header_json, claims_json) = match self.decoded {
            Ok(p) => match p.claims {
                Ok(c) => (p.header.ok(), Some(c)),
                Err(_) => (p.header.as_ref().ok().cloned(), raw_claims(&p)),
            },
            Err(_) => (None, None),
        };
        let result = IdentityResult {
            index,
            ppt: self.ppt,
            role: self.role,
            form,
            token: self.header.token,
            info: self.header.info,
            alg: self.header.alg,
            header: header_json,
            claims: claims_json,
            x5u: self.x5u,
            iat: self.claims.iat,
            status: IdentityStatus::Invalid,
            sip_code: None,
            reason: String::new(),
            checks: self.checks,
            signer: None,
            revocation: Vec::new(),
            rcd: None,
        };
        (result, self.claims)
    }
}

/// Each Identity header of `msg` with only the checks that need neither certificates nor a
/// clock (`decode`: what a header says, before any verification).
pub(crate) fn decode_identities(msg: &sip::Message) -> Vec<IdentityResult> {
    let ctx = msg.context.as_ref();
    msg.identities
        .iter()
        .enumerate()
        .map(|(index, raw)| {
            let read = read_identity(raw, ctx);
            let full = read.full();
            let (mut r, claims) = read.into_result(index);
            if full {
                r.checks.push(binding::call_dest(ctx, &claims, None));
            }
            r.status = IdentityStatus::Ignored;
            r.reason = "decoded only, not verified".into();
            r
        })
        .collect()
}

/// The claims as text when they are not valid JSON (so a corrupted header still shows what it has).
fn raw_claims(p: &crate::passport::Passport) -> Option<serde_json::Value> {
    p.claims_raw
        .as_ref()
        .map(|b| serde_json::Value::String(String::from_utf8_lossy(b).into_owned()))
}

#[allow(dead_code)]
fn _assert_send_sync() {
    fn is<T: Send + Sync>() {}
    is::<Verifier>();
}
