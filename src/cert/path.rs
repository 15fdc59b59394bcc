//! Certification path building to a trust anchor (RFC 5280 §6, in the spirit of rustls-webpki),
//! split in two so the CA signature checks can run as host crypto jobs:
//! [`plan`] finds every candidate issuer edge and lists one job per edge; [`resolve`] takes the
//! job results and picks a path. Anchors come only from the trust store — a root sent in the x5u
//! body is never trusted for being there (standards-notes §2.5).

use super::parse::{KeyError, ParsedCert};
use crate::crypto::{Alg, CryptoJob, KeyKind, Purpose, ecdsa_der_to_fixed};
use crate::limits::MAX_PATH_DEPTH;
use crate::trust::TrustStore;
use std::fmt;
use std::sync::Arc;

/// A certificate in the search: the x5u chain first (leaf at 0), then anchors.
#[derive(Debug, Clone)]
pub struct Node {
    pub cert: Arc<ParsedCert>,
    pub anchor: bool,
}

/// A possible "child was issued by parent" step and its signature job.
#[derive(Debug, Clone)]
pub struct Edge {
    pub child: usize,
    pub parent: usize,
    /// Index into the job list, or why no job could be made (unsupported algorithm/key).
    pub job: Result<usize, SignatureError>,
}

#[derive(Debug, Clone)]
pub struct Plan {
    pub nodes: Vec<Node>,
    pub edges: Vec<Edge>,
}

/// A validated path, leaf first, anchor last.
#[derive(Debug, Clone)]
pub struct ValidPath {
    pub certs: Vec<Arc<ParsedCert>>,
}

/// Build candidate edges from the leaf towards the anchors; push one job per edge onto `jobs`.
pub fn plan(chain: &[Arc<ParsedCert>], trust: &TrustStore, jobs: &mut Vec<CryptoJob>) -> Plan {
    let mut nodes: Vec<Node> = chain
        .iter()
        .map(|c| Node {
            cert: c.clone(),
            anchor: false,
        })
        .collect();
    let mut edges = Vec::new();
    let mut frontier = vec![0usize];
    let mut expanded = vec![false; nodes.len()];
    for _depth in 0..MAX_PATH_DEPTH {
        let mut next = Vec::new();
        for child in frontier {
            if child < expanded.len() && expanded[child] {
                continue;
            }
            if child < expanded.len() {
                expanded[child] = true;
            }
            if nodes[child].anchor {
                continue;
            }
            let c = nodes[child].cert.clone();
            // Candidate parents from the chain (other certs) ...
            for (i, parent) in chain.iter().enumerate() {
                if i != child
                    && issued_by(&c, parent)
                    && !edges
                        .iter()
                        .any(|e: &Edge| e.child == child && e.parent == i)
                {
                    edges.push(edge(child, i, &c, parent, jobs));
                    next.push(i);
                }
            }
            // ... and from the trust store.
            for a in trust.by_subject(&c.issuer_der) {
                if a.sha256 == c.sha256 || !issued_by(&c, a) {
                    // The certificate itself is an anchor (handled by `resolve`), or AKI/SKI differ.
                    continue;
                }
                let idx = match nodes
                    .iter()
                    .position(|n| n.anchor && n.cert.sha256 == a.sha256)
                {
                    Some(i) => i,
                    None => {
                        nodes.push(Node {
                            cert: a.clone(),
                            anchor: true,
                        });
                        nodes.len() - 1
                    }
                };
                edges.push(edge(child, idx, &c, a, jobs));
            }
        }
        if next.is_empty() {
            break;
        }
        frontier = next;
    }
    Plan { nodes, edges }
}

/// Name chaining, with key identifiers as a tie-breaker when both are present.
fn issued_by(child: &ParsedCert, parent: &ParsedCert) -> bool {
    if child.issuer_der != parent.subject_der && !child.issuer.eq_ignore_ascii_case(&parent.subject)
    {
        return false;
    }
    match (&child.aki, &parent.ski) {
        (Some(a), Some(s)) => a == s,
        _ => true,
    }
}

fn edge(
    child: usize,
    parent: usize,
    c: &ParsedCert,
    p: &ParsedCert,
    jobs: &mut Vec<CryptoJob>,
) -> Edge {
    Edge {
        child,
        parent,
        job: make_job(c, p).map(|j| {
            jobs.push(j);
            jobs.len() - 1
        }),
    }
}

/// Why a signature cannot even be checked (no job can be made for it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignatureError {
    /// The signature algorithm is not one this verifier implements (its name).
    UnsupportedAlgorithm(String),
    /// The issuer's key is unusable.
    IssuerKey(KeyError),
    /// The algorithm and the key type do not go together.
    Mismatch {
        /// The signature algorithm.
        alg: Alg,
        /// The issuer's key type.
        key: KeyKind,
    },
    /// An ECDSA signature that is not valid DER.
    BadDer,
}

impl fmt::Display for SignatureError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SignatureError::UnsupportedAlgorithm(oid) => {
                write!(f, "signature algorithm {oid} is not supported")
            }
            SignatureError::IssuerKey(e) => write!(f, "issuer key: {e}"),
            SignatureError::Mismatch { alg, key } => {
                write!(f, "a {alg:?} signature cannot come from a {key:?} key")
            }
            SignatureError::BadDer => write!(f, "the ECDSA signature is not valid DER"),
        }
    }
}

impl std::error::Error for SignatureError {}

/// The job "does `issuer`'s key verify `child`'s signature".
pub fn make_job(child: &ParsedCert, issuer: &ParsedCert) -> Result<CryptoJob, SignatureError> {
    signed_by(&child.tbs_raw, &child.sig_alg, &child.signature, issuer)
}

/// The job "does `issuer`'s key verify `signature` (DER for ECDSA) over `message`" — for
/// certificates and CRLs alike.
pub fn signed_by(
    message: &[u8],
    sig_alg: &Result<Alg, String>,
    signature: &[u8],
    issuer: &ParsedCert,
) -> Result<CryptoJob, SignatureError> {
    let alg = sig_alg
        .clone()
        .map_err(SignatureError::UnsupportedAlgorithm)?;
    let key = issuer.key.clone().map_err(SignatureError::IssuerKey)?;
    let ecdsa_alg = !matches!(alg, Alg::RS256);
    if ecdsa_alg == key.scalar_len().is_none() {
        return Err(SignatureError::Mismatch { alg, key });
    }
    let signature = match key.scalar_len() {
        Some(n) => ecdsa_der_to_fixed(signature, n).ok_or(SignatureError::BadDer)?,
        None => signature.to_vec(),
    };
    Ok(CryptoJob {
        alg,
        key,
        spki: issuer.spki.clone(),
        public_key: issuer.public_key.clone(),
        message: message.to_vec(),
        signature,
        purpose: Purpose::Certificate,
    })
}

/// Why an issuer may not act as a CA on a path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CaError {
    /// Its pathLenConstraint allows fewer intermediates than sit below it.
    PathLenExceeded(u8),
    /// BasicConstraints says CA:FALSE.
    NotCa,
    /// BasicConstraints does not decode.
    BadBasicConstraints(String),
    /// No BasicConstraints at all.
    NoBasicConstraints,
    /// KeyUsage is present without keyCertSign.
    NoKeyCertSign,
}

impl fmt::Display for CaError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CaError::PathLenExceeded(max) => write!(f, "its pathLenConstraint {max} is exceeded"),
            CaError::NotCa => write!(f, "BasicConstraints CA is FALSE"),
            CaError::BadBasicConstraints(e) => write!(f, "BasicConstraints does not decode ({e})"),
            CaError::NoBasicConstraints => write!(f, "it has no BasicConstraints CA:TRUE"),
            CaError::NoKeyCertSign => write!(f, "its KeyUsage lacks keyCertSign"),
        }
    }
}

impl std::error::Error for CaError {}

/// Why no path to a trust anchor was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathError {
    /// A candidate issuer's signature on a certificate cannot be checked.
    Uncheckable {
        /// Subject of the signed certificate.
        subject: String,
        /// Subject of the candidate issuer.
        issuer: String,
        /// Why no check was possible.
        why: SignatureError,
    },
    /// A candidate issuer's key does not verify the signature on a certificate.
    BadSignature {
        /// Subject of the signed certificate.
        subject: String,
        /// Subject of the candidate issuer.
        issuer: String,
    },
    /// The issuer verified the signature but may not issue certificates.
    NotCa {
        /// Subject of the issuer.
        issuer: String,
        /// What it lacks.
        why: CaError,
    },
    /// No issuer of the last reachable certificate is a trust anchor.
    Untrusted {
        /// The last certificate reached.
        subject: String,
        /// The issuer it names.
        issuer: String,
        /// The trust store's name.
        store: String,
        /// A self-issued root was sent in the x5u body (never trusted for being there).
        root_in_body: bool,
    },
}

impl PathError {
    /// How much a problem says about why the chain fails, given the same progress along the
    /// path: a verified signature from an issuer that may not sign certificates says more than a
    /// signature that does not verify, which says more than one that cannot be checked, which
    /// says more than "no issuer is a trust anchor".
    fn weight(&self) -> u8 {
        match self {
            PathError::NotCa { .. } => 3,
            PathError::BadSignature { .. } => 2,
            PathError::Uncheckable { .. } => 1,
            PathError::Untrusted { .. } => 0,
        }
    }
}

impl fmt::Display for PathError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PathError::Uncheckable {
                subject,
                issuer,
                why,
            } => write!(
                f,
                "cannot check the signature on \"{subject}\" by \"{issuer}\": {why}"
            ),
            PathError::BadSignature { subject, issuer } => write!(
                f,
                "the signature on \"{subject}\" does not verify with the key of \"{issuer}\""
            ),
            PathError::NotCa { issuer, why } => {
                write!(f, "\"{issuer}\" cannot act as a CA: {why}")
            }
            PathError::Untrusted {
                subject,
                issuer,
                store,
                root_in_body,
            } => {
                write!(
                    f,
                    "the chain ends at \"{subject}\", issued by \"{issuer}\", which is not a trust anchor in the {store}"
                )?;
                if *root_in_body {
                    write!(
                        f,
                        "; a root sent with the x5u chain is never trusted just for being there"
                    )?;
                }
                Ok(())
            }
        }
    }
}

impl std::error::Error for PathError {}

/// A problem met while searching, with how many certificates of its candidate path were
/// already linked by verified signatures.
struct Problem {
    depth: usize,
    error: PathError,
}

/// The most specific problem: the one on the candidate path that got furthest towards an
/// anchor, then the weightier kind ([`PathError::weight`]), then the first found.
fn most_specific(problems: Vec<Problem>) -> Option<PathError> {
    let mut best: Option<Problem> = None;
    for p in problems {
        let better = best
            .as_ref()
            .is_none_or(|b| (p.depth, p.error.weight()) > (b.depth, b.error.weight()));
        if better {
            best = Some(p);
        }
    }
    best.map(|p| p.error)
}

/// With the job results in hand, find a path leaf → anchor whose every edge verified and whose
/// every issuer is a CA allowed to sign certificates. Among valid paths prefer one whose
/// certificates are all within validity at `times`. Without a path, the most specific problem
/// met on the way (see [`PathError`]), else why no issuer is a trust anchor.
pub fn resolve(
    plan: &Plan,
    results: &[bool],
    trust: &TrustStore,
    times: &[i64],
) -> Result<ValidPath, PathError> {
    // Leaf that is itself an anchor.
    if trust.contains(&plan.nodes[0].cert.sha256) {
        return Ok(ValidPath {
            certs: vec![plan.nodes[0].cert.clone()],
        });
    }
    let mut found: Vec<Vec<usize>> = Vec::new();
    let mut problems: Vec<Problem> = Vec::new();
    let mut stack = vec![0usize];
    dfs(plan, results, &mut stack, &mut found, &mut problems);
    let pick = found
        .iter()
        .find(|p| {
            p.iter()
                .all(|&i| times.iter().all(|t| plan.nodes[i].cert.valid_at(*t)))
        })
        .or_else(|| found.first());
    match pick {
        Some(p) => Ok(ValidPath {
            certs: p.iter().map(|&i| plan.nodes[i].cert.clone()).collect(),
        }),
        None => Err(most_specific(problems).unwrap_or_else(|| untrusted(plan, trust))),
    }
}

fn dfs(
    plan: &Plan,
    results: &[bool],
    stack: &mut Vec<usize>,
    found: &mut Vec<Vec<usize>>,
    problems: &mut Vec<Problem>,
) {
    let child = *stack.last().expect("stack starts non-empty");
    if stack.len() > MAX_PATH_DEPTH || found.len() >= 4 {
        return;
    }
    for e in plan.edges.iter().filter(|e| e.child == child) {
        if stack.contains(&e.parent) {
            continue;
        }
        let c = &plan.nodes[e.child].cert;
        let p = &plan.nodes[e.parent].cert;
        let depth = stack.len();
        let error = match &e.job {
            Err(why) => Some(PathError::Uncheckable {
                subject: c.subject.clone(),
                issuer: p.subject.clone(),
                why: why.clone(),
            }),
            Ok(j) if !results.get(*j).copied().unwrap_or(false) => Some(PathError::BadSignature {
                subject: c.subject.clone(),
                issuer: p.subject.clone(),
            }),
            Ok(_) => may_issue(p, stack.len() - 1)
                .err()
                .map(|why| PathError::NotCa {
                    issuer: p.subject.clone(),
                    why,
                }),
        };
        if let Some(error) = error {
            problems.push(Problem { depth, error });
            continue;
        }
        stack.push(e.parent);
        if plan.nodes[e.parent].anchor {
            found.push(stack.clone());
        } else {
            dfs(plan, results, stack, found, problems);
        }
        stack.pop();
    }
}

/// CA:TRUE, keyCertSign when KeyUsage is present, and pathLenConstraint allowing
/// `intermediates_below` CA certificates beneath it.
fn may_issue(p: &ParsedCert, intermediates_below: usize) -> Result<(), CaError> {
    match &p.basic_constraints {
        Some((_, Ok(bc))) if bc.ca => {
            if let Some(max) = bc.path_len_constraint
                && intermediates_below > max as usize
            {
                return Err(CaError::PathLenExceeded(max));
            }
        }
        Some((_, Ok(_))) => return Err(CaError::NotCa),
        Some((_, Err(e))) => return Err(CaError::BadBasicConstraints(e.clone())),
        None => return Err(CaError::NoBasicConstraints),
    }
    if let Some((_, Ok(ku))) = &p.key_usage
        && !ku.key_cert_sign()
    {
        return Err(CaError::NoKeyCertSign);
    }
    Ok(())
}

fn untrusted(plan: &Plan, trust: &TrustStore) -> PathError {
    // Walk the chain by names to the last certificate we can reach, and name its issuer.
    let mut cur = 0usize;
    let mut seen = vec![0usize];
    while let Some(e) = plan
        .edges
        .iter()
        .find(|e| e.child == cur && !seen.contains(&e.parent))
    {
        cur = e.parent;
        seen.push(cur);
    }
    let last = &plan.nodes[cur].cert;
    let in_body_root = plan
        .nodes
        .iter()
        .any(|n| !n.anchor && n.cert.is_self_issued());
    PathError::Untrusted {
        subject: last.subject.clone(),
        issuer: last.issuer.clone(),
        store: trust.name.clone(),
        root_in_body: in_body_root,
    }
}
