//! Certification path building to a trust anchor (RFC 5280 §6, in the spirit of rustls-webpki),
//! split in two so the CA signature checks can run as host crypto jobs:
//! [`plan`] finds every candidate issuer edge and lists one job per edge; [`resolve`] takes the
//! job results and picks a path. Anchors come only from the trust store — a root sent in the x5u
//! body is never trusted for being there (standards-notes §2.5).

use super::parse::ParsedCert;
use crate::crypto::{CryptoJob, Purpose, ecdsa_der_to_fixed};
use crate::limits::MAX_PATH_DEPTH;
use crate::trust::TrustStore;
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
    pub job: Result<usize, String>,
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
            for i in 0..chain.len() {
                if i != child
                    && issued_by(&c, &nodes[i].cert)
                    && !edges
                        .iter()
                        .any(|e: &Edge| e.child == child && e.parent == i)
                {
                    edges.push(edge(child, i, &c, &nodes[i].cert, jobs));
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

/// The job "does `issuer`'s key verify `child`'s signature".
pub fn make_job(child: &ParsedCert, issuer: &ParsedCert) -> Result<CryptoJob, String> {
    signed_by(&child.tbs_raw, &child.sig_alg, &child.signature, issuer)
}

/// The job "does `issuer`'s key verify `signature` (DER for ECDSA) over `message`" — for
/// certificates and CRLs alike.
pub fn signed_by(
    message: &[u8],
    sig_alg: &Result<crate::crypto::Alg, String>,
    signature: &[u8],
    issuer: &ParsedCert,
) -> Result<CryptoJob, String> {
    let alg = sig_alg
        .clone()
        .map_err(|oid| format!("signature algorithm {oid} is not supported"))?;
    let key = issuer.key.clone().map_err(|e| format!("issuer key: {e}"))?;
    let ecdsa_alg = !matches!(alg, crate::crypto::Alg::RS256);
    if ecdsa_alg == key.scalar_len().is_none() {
        return Err(format!(
            "a {alg:?} signature cannot come from a {key:?} key"
        ));
    }
    let signature = match key.scalar_len() {
        Some(n) => {
            ecdsa_der_to_fixed(signature, n).ok_or("the ECDSA signature is not valid DER")?
        }
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

/// Why no path was found: the most informative problem seen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoPath(pub String);

/// With the job results in hand, find a path leaf → anchor whose every edge verified and whose
/// every issuer is a CA allowed to sign certificates. Among valid paths prefer one whose
/// certificates are all within validity at `times`.
pub fn resolve(
    plan: &Plan,
    results: &[bool],
    trust: &TrustStore,
    times: &[i64],
) -> Result<ValidPath, NoPath> {
    // Leaf that is itself an anchor.
    if trust.contains(&plan.nodes[0].cert.sha256) {
        return Ok(ValidPath {
            certs: vec![plan.nodes[0].cert.clone()],
        });
    }
    let mut found: Vec<Vec<usize>> = Vec::new();
    let mut problems: Vec<String> = Vec::new();
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
        None => Err(NoPath(
            problems
                .into_iter()
                .next()
                .unwrap_or_else(|| untrusted_message(plan, trust)),
        )),
    }
}

fn dfs(
    plan: &Plan,
    results: &[bool],
    stack: &mut Vec<usize>,
    found: &mut Vec<Vec<usize>>,
    problems: &mut Vec<String>,
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
        match &e.job {
            Err(why) => {
                problems.push(format!(
                    "cannot check the signature on \"{}\" by \"{}\": {why}",
                    c.subject, p.subject
                ));
                continue;
            }
            Ok(j) if !results.get(*j).copied().unwrap_or(false) => {
                problems.push(format!(
                    "the signature on \"{}\" does not verify with the key of \"{}\"",
                    c.subject, p.subject
                ));
                continue;
            }
            Ok(_) => {}
        }
        if let Err(why) = may_issue(p, stack.len() - 1) {
            problems.push(format!("\"{}\" cannot act as a CA: {why}", p.subject));
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
fn may_issue(p: &ParsedCert, intermediates_below: usize) -> Result<(), String> {
    match &p.basic_constraints {
        Some((_, Ok(bc))) if bc.ca => {
            if let Some(max) = bc.path_len_constraint {
                if intermediates_below > max as usize {
                    return Err(format!("its pathLenConstraint {max} is exceeded"));
                }
            }
        }
        Some((_, Ok(_))) => return Err("BasicConstraints CA is FALSE".into()),
        Some((_, Err(e))) => return Err(format!("BasicConstraints does not decode ({e})")),
        None => return Err("it has no BasicConstraints CA:TRUE".into()),
    }
    if let Some((_, Ok(ku))) = &p.key_usage {
        if !ku.key_cert_sign() {
            return Err("its KeyUsage lacks keyCertSign".into());
        }
    }
    Ok(())
}

fn untrusted_message(plan: &Plan, trust: &TrustStore) -> String {
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
    let mut msg = format!(
        "the chain ends at \"{}\", issued by \"{}\", which is not a trust anchor in the {}",
        last.subject, last.issuer, trust.name
    );
    if in_body_root {
        msg.push_str("; a root sent with the x5u chain is never trusted just for being there");
    }
    msg
}
