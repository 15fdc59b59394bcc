//! `cert.revocation` (checklist row; ATIS-1000080 §6.4.1, RFC 5280 §6.3).
//!
//! CRLs come from two places: supplied by the operator (`Options::crls`: CLI `--crl`, API
//! `crls`) and fetched by the shell from each certificate's CRL distribution point
//! (`Options::crls_by_url`, with `crl_fetch_errors` for what could not be fetched).
//!
//! A CRL counts only when its signature verifies with the key of a certificate named as its
//! issuer that (a) holds KeyUsage cRLSign and (b) is a trust anchor or chains to one through a
//! validated path, valid at the verification time — a CRL signed by a self-made certificate
//! bearing a CA's name is refused. Every certificate of the path (but the anchor) is looked up in
//! the CRLs that cover it: direct CRLs of its issuer, the indirect CRL its distribution point
//! names by cRLIssuer (the STI-PA CRL), or — for certificates that name the STI-PA CRL's URL
//! without cRLIssuer (the v003 profile, seen in production) — the CRL fetched from that URL
//! whoever issued it, read as indirect; an Issuing Distribution Point narrows what a CRL covers.
//!
//! Outcomes: revoked → fail (437). A supplied CRL that cannot be read or verified and concerns
//! this path → fail: the operator asked for revocation to be checked against it and the answer
//! would otherwise silently be "not checked" (a forged CRL must never look like a pass). No
//! usable CRL for a certificate that needs one (the leaf, and any certificate naming a
//! distribution point), or only a CRL past its nextUpdate → warn, saying why (not fetched,
//! offline, refused URL, fetched but unusable): the checklist's "No CRL obtainable → warn".

use crate::cert::ParsedCert;
use crate::cert::crl::{ParsedCrl, parse_bundle};
use crate::cert::path::{self, Plan, signed_by};
use crate::check_id::CheckId;
use crate::crypto::CryptoJob;
use crate::limits::MAX_CRLS;
use crate::time::format_date as date;
use crate::trust::TrustStore;
use crate::verdict::{Check, CrlReport};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

const ID: CheckId = CheckId::CertRevocation;
/// Signer candidates tried per CRL (same-named certificates from the store, bundle and chain).
const MAX_SIGNERS: usize = 4;

/// Where a CRL came from.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Source {
    /// `Options::crls[i]`.
    Supplied(usize),
    /// `Options::crls_by_url[url]`: the body of a distribution point.
    Url(String),
}

impl Source {
    fn label(&self) -> &'static str {
        match self {
            Source::Supplied(_) => "supplied",
            Source::Url(_) => "distribution-point",
        }
    }
    fn url(&self) -> Option<String> {
        match self {
            Source::Url(u) => Some(u.clone()),
            Source::Supplied(_) => None,
        }
    }
    fn describe(&self) -> String {
        match self {
            Source::Supplied(i) => format!("supplied CRL #{}", i + 1),
            Source::Url(u) => format!("from <{u}>"),
        }
    }
}

/// One CRL (or unreadable CRL bytes) and its source.
#[derive(Clone)]
struct Item {
    source: Source,
    crl: Result<ParsedCrl, String>,
}

/// A certificate that may have signed a CRL, and the jobs that decide it.
struct Candidate {
    item: usize,
    signer: Arc<ParsedCert>,
    /// The CRL signature job, or why none could be made.
    sig_job: Result<usize, String>,
    /// Path from the signer to an anchor; `None` when the signer is an anchor itself.
    plan: Option<Plan>,
    /// Why this certificate may not sign CRLs at all.
    key_usage: Result<(), String>,
}

/// CRLs decided once: each item and whether (and by whom) it verified.
/// A CRL with what its signature check decided: verified (by whom, valid when) or why not.
type CrlDecision = (Item, Result<Signed, String>);
type Decided = Arc<(Vec<CrlDecision>, usize)>;

/// Verified CRLs keyed by everything the decision depends on (the CRL bytes and their sources,
/// the candidate signer certificates, the trust store), so a CRL shared by many calls is parsed
/// and verified once. Small and cleared when full: a run uses a handful of CRLs.
#[derive(Default)]
pub struct CrlCache {
    map: Mutex<HashMap<[u8; 32], Decided>>,
}

const CRL_CACHE_ENTRIES: usize = 64;

impl CrlCache {
    fn get(&self, key: &[u8; 32]) -> Option<Decided> {
        self.map
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(key)
            .cloned()
    }
    fn insert(&self, key: [u8; 32], v: Decided) {
        let mut m = self.map.lock().unwrap_or_else(|p| p.into_inner());
        if m.len() >= CRL_CACHE_ENTRIES {
            m.clear();
        }
        m.insert(key, v);
    }
}

/// CRLs waiting for their signature and signer-path jobs (or already decided, from the cache).
#[derive(Default)]
pub(super) struct Crls {
    items: Vec<Item>,
    candidates: Vec<Candidate>,
    fetch_errors: HashMap<String, String>,
    fetched: Vec<String>,
    dropped: usize,
    key: Option<[u8; 32]>,
    cached: Option<Decided>,
}

impl Crls {
    pub fn prepare(
        opts: &super::Options,
        chain_certs: impl Iterator<Item = Arc<ParsedCert>>,
        trust: &TrustStore,
        cache: &CrlCache,
        jobs: &mut Vec<CryptoJob>,
    ) -> Crls {
        let mut out = Crls {
            fetch_errors: opts.crl_fetch_errors.clone(),
            fetched: opts.crls_by_url.keys().cloned().collect(),
            ..Default::default()
        };
        if opts.crls.is_empty() && opts.crls_by_url.is_empty() {
            return out;
        }
        let mut urls: Vec<&String> = opts.crls_by_url.keys().collect();
        urls.sort();
        let sources: Vec<(Source, &[u8])> = opts
            .crls
            .iter()
            .enumerate()
            .map(|(i, b)| (Source::Supplied(i), b.as_slice()))
            .chain(
                urls.into_iter()
                    .map(|u| (Source::Url(u.clone()), opts.crls_by_url[u].as_slice())),
            )
            .collect();
        let chain: Vec<Arc<ParsedCert>> = chain_certs.collect();
        // Everything the decision depends on but the time (checked per use).
        let mut h = Sha256::new();
        h.update(trust.fingerprint);
        for (source, bytes) in &sources {
            h.update(format!("{source:?}|{}|", bytes.len()).as_bytes());
            h.update(bytes);
        }
        for c in &chain {
            h.update(c.sha256);
        }
        let key: [u8; 32] = h.finalize().into();
        out.key = Some(key);
        if let Some(hit) = cache.get(&key) {
            out.cached = Some(hit);
            return out;
        }
        let mut pool: Vec<Arc<ParsedCert>> = Vec::new();
        let add = |c: Arc<ParsedCert>, pool: &mut Vec<Arc<ParsedCert>>| {
            if !pool.iter().any(|p| p.sha256 == c.sha256) {
                pool.push(c);
            }
        };
        for (source, bytes) in sources {
            match parse_bundle(bytes) {
                Ok(b) => {
                    for crl in b.crls {
                        if out.items.len() >= MAX_CRLS {
                            out.dropped += 1;
                            continue;
                        }
                        out.items.push(Item {
                            source: source.clone(),
                            crl: Ok(crl),
                        });
                    }
                    for s in b.signers {
                        add(Arc::new(s), &mut pool);
                    }
                }
                Err(e) => out.items.push(Item {
                    source,
                    crl: Err(format!("it cannot be read: {e}")),
                }),
            }
        }
        for c in chain {
            add(c, &mut pool);
        }
        for (i, item) in out.items.iter().enumerate() {
            let Ok(crl) = &item.crl else { continue };
            if crl.unusable.is_some() {
                continue;
            }
            let mut seen: Vec<[u8; 32]> = Vec::new();
            let named = trust
                .by_subject(&crl.issuer_der)
                .chain(pool.iter().filter(|c| c.subject_der == crl.issuer_der));
            for signer in named {
                if seen.contains(&signer.sha256) || seen.len() >= MAX_SIGNERS {
                    continue;
                }
                seen.push(signer.sha256);
                let key_usage = may_sign_crls(signer);
                let sig_job = signed_by(&crl.tbs_raw, &crl.sig_alg, &crl.signature, signer)
                    .map(|j| {
                        jobs.push(j);
                        jobs.len() - 1
                    })
                    .map_err(|e| e.to_string());
                let plan = (!trust.contains(&signer.sha256)).then(|| {
                    let mut chain = vec![signer.clone()];
                    chain.extend(pool.iter().filter(|p| p.sha256 != signer.sha256).cloned());
                    path::plan(&chain, trust, jobs)
                });
                out.candidates.push(Candidate {
                    item: i,
                    signer: signer.clone(),
                    sig_job,
                    plan,
                    key_usage,
                });
            }
        }
        out
    }

    pub fn verified(
        self,
        results: &[bool],
        trust: &Arc<TrustStore>,
        now: i64,
        cache: &CrlCache,
    ) -> VerifiedCrls {
        let decided = match self.cached.clone() {
            Some(d) => d,
            None => {
                let key = self.key;
                let d: Decided = Arc::new(self.decide(results, trust, now));
                if let Some(k) = key {
                    cache.insert(k, d.clone());
                }
                d
            }
        };
        VerifiedCrls {
            decided,
            trust: trust.clone(),
            fetch_errors: self.fetch_errors,
            fetched: self.fetched,
        }
    }

    /// Each CRL with the job results: verified (by whom, valid when) or why not.
    fn decide(
        &self,
        results: &[bool],
        trust: &Arc<TrustStore>,
        now: i64,
    ) -> (Vec<CrlDecision>, usize) {
        let ok = |j: &Result<usize, String>| -> Result<(), String> {
            match j {
                Ok(i) if results.get(*i).copied().unwrap_or(false) => Ok(()),
                Ok(_) => Err("does not verify".into()),
                Err(e) => Err(e.clone()),
            }
        };
        let mut status: Vec<Result<Signed, String>> = self
            .items
            .iter()
            .map(|it| match &it.crl {
                Err(e) => Err(e.clone()),
                Ok(c) => Err(match &c.unusable {
                    Some(why) => format!("it may not be used: {why}"),
                    None => format!(
                        "no certificate named \"{}\" (its issuer) was found to check its signature: none in the trust store, with the CRL or in the x5u chain",
                        c.issuer
                    ),
                }),
            })
            .collect();
        // The most telling reason per CRL: a signature that verified but whose signer fails
        // (cRLSign, no path) says more than another namesake's key not verifying.
        let mut rank = vec![0u8; status.len()];
        for c in &self.candidates {
            if status[c.item].is_ok() {
                continue;
            }
            let s = &c.signer.subject;
            let r = if ok(&c.sig_job).is_ok() { 2 } else { 1 };
            if r < rank[c.item] {
                continue;
            }
            rank[c.item] = r;
            let verdict = match ok(&c.sig_job) {
                Err(e) => Err(format!("its signature by \"{s}\" {e}")),
                Ok(()) => match &c.key_usage {
                    Err(e) => Err(format!("its signer \"{s}\" may not sign CRLs: {e}")),
                    Ok(()) => match &c.plan {
                        None => Ok(Signed {
                            signer: s.clone(),
                            not_before: c.signer.not_before,
                            not_after: c.signer.not_after,
                        }),
                        Some(plan) => match path::resolve(plan, results, trust, &[now]) {
                            Ok(p) => Ok(Signed {
                                signer: s.clone(),
                                not_before: p.certs.iter().map(|c| c.not_before).max().unwrap_or(0),
                                not_after: p.certs.iter().map(|c| c.not_after).min().unwrap_or(0),
                            }),
                            Err(e) => Err(format!(
                                "its signer \"{s}\" does not chain to a trust anchor: {e}"
                            )),
                        },
                    },
                },
            };
            status[c.item] = verdict;
        }
        (
            self.items.iter().cloned().zip(status).collect(),
            self.dropped,
        )
    }
}

/// RFC 5280 §4.2.1.3 / §6.3.3(f): the CRL signer's KeyUsage must assert cRLSign. Strict: a
/// signer without KeyUsage is refused too (every STI CA certificate carries one).
fn may_sign_crls(c: &ParsedCert) -> Result<(), String> {
    match &c.key_usage {
        Some((_, Ok(ku))) if ku.crl_sign() => Ok(()),
        Some((_, Ok(_))) => Err("its KeyUsage lacks cRLSign".into()),
        Some((_, Err(e))) => Err(format!("its KeyUsage does not decode ({e})")),
        None => Err("it has no KeyUsage extension with cRLSign".into()),
    }
}

/// A CRL whose signature and signer verified; the signer path's validity window.
#[derive(Debug, Clone)]
struct Signed {
    signer: String,
    not_before: i64,
    not_after: i64,
}

pub(super) struct VerifiedCrls {
    decided: Decided,
    trust: Arc<TrustStore>,
    fetch_errors: HashMap<String, String>,
    fetched: Vec<String>,
}

/// How one CRL relates to the path being checked.
#[derive(Default, Clone)]
struct Use {
    applies: bool,
    relevant: bool,
    revoked: Option<String>,
    stale: bool,
    excluded: Option<String>,
}

impl VerifiedCrls {
    /// No CRL was supplied or fetched and no fetch failed: `check` then depends on the path
    /// alone (not on the time), so a cached chain can keep its answer.
    pub fn none_supplied(&self) -> bool {
        self.decided.0.is_empty()
            && self.decided.1 == 0
            && self.fetch_errors.is_empty()
            && self.fetched.is_empty()
    }

    /// The `cert.revocation` check for `path` (leaf first) at time `at`, and what each CRL (or
    /// distribution point) contributed, for the verdict's `revocation` list.
    pub fn check(&self, path: &[Arc<ParsedCert>], at: i64) -> (Check, Vec<CrlReport>) {
        let mut uses = vec![Use::default(); self.decided.0.len()];
        let mut uncovered: Vec<String> = Vec::new();
        let mut stale_only: Vec<String> = Vec::new();
        let mut missing: Vec<(String, String)> = Vec::new();
        let mut covered_subjects: Vec<String> = Vec::new();
        let mut not_needed: Vec<String> = Vec::new();
        for (pos, cert) in path.iter().enumerate() {
            if cert.is_self_issued() || self.trust.contains(&cert.sha256) {
                continue;
            }
            let dps = cert.dist_points();
            let dp_urls: Vec<String> = dps.iter().flat_map(|d| d.urls.clone()).collect();
            let dp_rules: Vec<&Result<(), String>> =
                dps.iter().flat_map(|d| d.url_rules.iter()).collect();
            let indirect: Vec<&Vec<u8>> =
                dps.iter().filter_map(|d| d.crl_issuer.as_ref()).collect();
            let direct = dps.is_empty() || dps.iter().any(|d| d.crl_issuer.is_none());
            // URLs of distribution points without cRLIssuer: SHAKEN certificates of the v003
            // profile (e.g. the production Verizon one) name the STI-PA CRL this way.
            let own_urls: Vec<&String> = dps
                .iter()
                .filter(|d| d.crl_issuer.is_none())
                .flat_map(|d| d.urls.iter())
                .collect();
            let mut fresh = false;
            let mut stale = false;
            let mut why_not: Vec<String> = Vec::new();
            for (i, (item, st)) in self.decided.0.iter().enumerate() {
                let crl = match &item.crl {
                    Ok(c) => c,
                    Err(e) => {
                        // Unreadable bytes: a supplied one concerns every path; a fetched one
                        // the certificates whose distribution point it came from.
                        if matches!(item.source, Source::Supplied(_))
                            || item.source.url().is_some_and(|u| dp_urls.contains(&u))
                        {
                            uses[i].relevant = true;
                            why_not.push(format!("the CRL {}: {e}", item.source.describe()));
                        }
                        continue;
                    }
                };
                // A CRL served at the certificate's own distribution point counts as that
                // certificate's CRL even when another authority (the STI-PA) issued it: read as an
                // indirect CRL, entries without certificateIssuer matching on the serial.
                let from_own_dp = crl.issuer_der != cert.issuer_der
                    && item.source.url().is_some_and(|u| own_urls.contains(&&u));
                let is_indirect = indirect.contains(&&crl.issuer_der) || from_own_dp;
                if !(is_indirect || direct && crl.issuer_der == cert.issuer_der) {
                    continue;
                }
                uses[i].relevant = true;
                match st {
                    Ok(s) if s.not_before <= at && at <= s.not_after => {}
                    Ok(s) => {
                        why_not.push(format!(
                            "the {} {} was signed by \"{}\", whose certificate path is not valid on {}",
                            crl.describe(),
                            item.source.describe(),
                            s.signer,
                            date(at)
                        ));
                        continue;
                    }
                    Err(e) => {
                        why_not.push(format!(
                            "the {} {}: {e}",
                            crl.describe(),
                            item.source.describe()
                        ));
                        continue;
                    }
                }
                if let Some(why) = crl.scope_excludes(cert, &dp_urls) {
                    uses[i].excluded.get_or_insert(why);
                    continue;
                }
                uses[i].applies = true;
                if let Some(t) = crl.revoked_at(cert, is_indirect).filter(|t| *t <= at) {
                    uses[i].revoked.get_or_insert(format!(
                        "\"{}\" was revoked on {} ({} {})",
                        cert.subject,
                        date(t),
                        crl.describe(),
                        item.source.describe()
                    ));
                }
                if crl.next_update.is_some_and(|n| n < at) {
                    uses[i].stale = true;
                    stale = true;
                } else {
                    fresh = true;
                }
            }
            for (u, rule) in dp_urls.iter().zip(&dp_rules) {
                if !self.fetched.contains(u) {
                    missing.push((u.clone(), self.unavailable(u, rule)));
                }
            }
            let needed = pos == 0 || !dps.is_empty();
            if fresh {
                covered_subjects.push(cert.subject.clone());
            } else if stale {
                stale_only.push(cert.subject.clone());
            } else if needed {
                let mut why: Vec<String> = dp_urls
                    .iter()
                    .zip(&dp_rules)
                    .filter(|(u, _)| !self.fetched.contains(u))
                    .map(|(u, rule)| format!("the CRL at <{u}> {}", self.unavailable(u, rule)))
                    .collect();
                why.extend(why_not);
                if dps.is_empty() {
                    why.push(
                        "it names no CRL distribution point and no supplied CRL covers it".into(),
                    );
                } else if why.is_empty() {
                    why.push("no CRL obtained covers it".into());
                }
                uncovered.push(format!("\"{}\": {}", cert.subject, why.join("; ")));
            } else {
                not_needed.push(cert.subject.clone());
            }
        }
        missing.dedup();
        let reports = self.reports(&uses, &missing);
        let check = self.outcome(
            &uses,
            &uncovered,
            &stale_only,
            &covered_subjects,
            &not_needed,
        );
        (check, reports)
    }

    /// Why the CRL at `url` (of a distribution point; `rule`: what the fetch rules say of it)
    /// was not used.
    fn unavailable(&self, url: &str, rule: &Result<(), String>) -> String {
        if let Some(e) = self.fetch_errors.get(url) {
            return format!("could not be fetched: {e}");
        }
        match rule {
            Err(e) => format!("is not fetched: refused by the URL rules ({e})"),
            Ok(()) => "was not fetched and was not supplied".into(),
        }
    }

    fn outcome(
        &self,
        uses: &[Use],
        uncovered: &[String],
        stale_only: &[String],
        covered: &[String],
        not_needed: &[String],
    ) -> Check {
        if let Some(r) = uses.iter().find_map(|u| u.revoked.clone()) {
            return Check::fail(ID, r);
        }
        // A supplied CRL that concerns this path but cannot be used: refuse to answer "fine".
        let bad_supplied: Vec<String> = self
            .decided
            .0
            .iter()
            .zip(uses)
            .filter(|((it, st), u)| {
                matches!(it.source, Source::Supplied(_)) && u.relevant && st.is_err()
            })
            .map(|((it, st), _)| {
                let what = match &it.crl {
                    Ok(c) => format!("the {} ({})", c.describe(), it.source.describe()),
                    Err(_) => format!("the {}", it.source.describe()),
                };
                format!("{what}: {}", st.as_ref().err().cloned().unwrap_or_default())
            })
            .collect();
        if !bad_supplied.is_empty() {
            return Check::fail(
                ID,
                format!(
                    "Revocation could not be established: {}",
                    bad_supplied.join("; ")
                ),
            );
        }
        let mut notes: Vec<String> = Vec::new();
        if self.decided.1 > 0 {
            notes.push(format!(
                "{} CRL(s) beyond the limit of {MAX_CRLS} were not read",
                self.decided.1
            ));
        }
        for (u, (it, _)) in uses.iter().zip(&self.decided.0) {
            if let (Some(why), false, Ok(c)) = (&u.excluded, u.applies, &it.crl) {
                notes.push(format!(
                    "the {} {} does not apply: {why}",
                    c.describe(),
                    it.source.describe()
                ));
            }
        }
        if !not_needed.is_empty() {
            notes.push(format!(
                "not looked up, as it names no CRL distribution point: {}",
                not_needed
                    .iter()
                    .map(|s| format!("\"{s}\""))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        let notes = if notes.is_empty() {
            String::new()
        } else {
            format!(" ({})", notes.join("; "))
        };
        if !uncovered.is_empty() {
            return Check::warn(
                ID,
                format!(
                    "revocation not checked for {}; the verdict does not cover a revoked certificate{notes}",
                    uncovered.join("; ")
                ),
            );
        }
        if !stale_only.is_empty() {
            let when: Vec<String> = self
                .decided
                .0
                .iter()
                .zip(uses)
                .filter(|(_, u)| u.stale && u.applies)
                .filter_map(|((it, _), _)| {
                    let c = it.crl.as_ref().ok()?;
                    Some(format!(
                        "{} {} (nextUpdate {})",
                        c.describe(),
                        it.source.describe(),
                        c.next_update.map(date).unwrap_or_default()
                    ))
                })
                .collect();
            return Check::warn(
                ID,
                format!(
                    "not on the CRL, but the CRL is past its nextUpdate, so a newer revocation may be missing: {}{notes}",
                    when.join(", ")
                ),
            );
        }
        let used: Vec<String> = self
            .decided
            .0
            .iter()
            .zip(uses)
            .filter(|(_, u)| u.applies)
            .filter_map(|((it, st), _)| {
                let c = it.crl.as_ref().ok()?;
                let by = st.as_ref().map(|s| s.signer.clone()).unwrap_or_default();
                Some(format!(
                    "{} {} (signed by \"{by}\", thisUpdate {})",
                    c.describe(),
                    it.source.describe(),
                    date(c.this_update)
                ))
            })
            .collect();
        Check::pass(
            ID,
            format!(
                "not revoked: {} checked against {}{notes}",
                covered
                    .iter()
                    .map(|s| format!("\"{s}\""))
                    .collect::<Vec<_>>()
                    .join(", "),
                used.join(", ")
            ),
        )
    }

    fn reports(&self, uses: &[Use], missing: &[(String, String)]) -> Vec<CrlReport> {
        let mut out = Vec::new();
        for ((it, st), u) in self.decided.0.iter().zip(uses) {
            if !u.relevant && matches!(it.source, Source::Url(_)) {
                continue;
            }
            let crl = it.crl.as_ref().ok();
            let (result, detail) = if let Some(r) = &u.revoked {
                ("revoked", r.clone())
            } else if u.applies && u.stale {
                ("stale", "past its nextUpdate".to_string())
            } else if u.applies {
                (
                    "not-revoked",
                    format!(
                        "signed by \"{}\"",
                        st.as_ref().map(|s| s.signer.as_str()).unwrap_or("")
                    ),
                )
            } else if let Err(e) = st {
                ("unusable", e.clone())
            } else if let Some(why) = &u.excluded {
                ("not-applicable", why.clone())
            } else {
                (
                    "not-applicable",
                    "it covers no certificate of this path".to_string(),
                )
            };
            out.push(CrlReport {
                url: it.source.url(),
                source: it.source.label(),
                issuer: crl.map(|c| c.issuer.clone()),
                this_update: crl.map(|c| c.this_update),
                next_update: crl.and_then(|c| c.next_update),
                result,
                detail,
            });
        }
        for (url, why) in missing {
            if out.iter().any(|r| r.url.as_deref() == Some(url)) {
                continue;
            }
            out.push(CrlReport {
                url: Some(url.clone()),
                source: "distribution-point",
                issuer: None,
                this_update: None,
                next_update: None,
                result: "unavailable",
                detail: format!("the CRL {why}"),
            });
        }
        out
    }
}
