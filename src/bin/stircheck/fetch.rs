//! Fetching for the CLI: x5u certificate chains, CRL distribution points and rich call data
//! content (`icn`, `jcl`), decided by the
//! core's `fetch_rules` (one rule set for every kind): the URL rules before any connection and at
//! every redirect hop (no automatic redirects), the resolved addresses checked against the
//! special-purpose ranges, the kind's Accept header, body bound and media types; a 3 s timeout.
//! Each canonical URL is fetched once per run, concurrent requests sharing the fetch.

use std::collections::HashMap;
use std::net::ToSocketAddrs;
use std::sync::{Arc, OnceLock, RwLock};
use std::time::Duration;
use stircheck::fetch_rules::{self, CheckedUrl, FetchKind};

const TIMEOUT: Duration = Duration::from_secs(3);
const MAX_HOPS: usize = 3;

type Slot = Arc<OnceLock<Result<Arc<Vec<u8>>, String>>>;

/// A per-run cache of fetched bodies by kind and canonical URL. Every input of a batch asks it
/// again (on every verifier thread), so a known URL costs a read lock, not the write lock.
pub struct Fetcher {
    slots: RwLock<HashMap<FetchKind, HashMap<String, Slot>>>,
    agent: ureq::Agent,
}

impl Fetcher {
    pub fn new() -> Fetcher {
        let config = ureq::Agent::config_builder()
            .timeout_global(Some(TIMEOUT))
            .max_redirects(0)
            .http_status_as_error(false)
            .user_agent(concat!("stircheck/", env!("CARGO_PKG_VERSION")))
            .build();
        Fetcher {
            slots: RwLock::new(HashMap::new()),
            agent: config.into(),
        }
    }

    /// An x5u certificate chain.
    pub fn get(&self, url: &str) -> Result<Arc<Vec<u8>>, String> {
        self.get_kind(FetchKind::X5u, url)
    }

    /// A CRL from a distribution point.
    pub fn get_crl(&self, url: &str) -> Result<Arc<Vec<u8>>, String> {
        self.get_kind(FetchKind::Crl, url)
    }

    /// Rich call data content (an `icn` logo, a `jcl` jCard) an `rcdi` digest covers.
    pub fn get_rcd(&self, url: &str) -> Result<Arc<Vec<u8>>, String> {
        self.get_kind(FetchKind::RcdContent, url)
    }

    fn get_kind(&self, kind: FetchKind, url: &str) -> Result<Arc<Vec<u8>>, String> {
        let checked =
            fetch_rules::check(kind, url).map_err(|e| format!("refused by the URL rules: {e}"))?;
        let known = self
            .slots
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .get(&kind)
            .and_then(|m| m.get(&checked.canonical))
            .cloned();
        let slot = match known {
            Some(s) => s,
            None => self
                .slots
                .write()
                .unwrap_or_else(|p| p.into_inner())
                .entry(kind)
                .or_default()
                .entry(checked.canonical.clone())
                .or_default()
                .clone(),
        };
        slot.get_or_init(|| self.fetch(checked).map(Arc::new))
            .clone()
    }

    fn fetch(&self, first: CheckedUrl) -> Result<Vec<u8>, String> {
        let kind = first.kind;
        let limit = fetch_rules::max_body_bytes(kind);
        let mut url = first;
        for _ in 0..=MAX_HOPS {
            check_resolved(&url)?;
            let mut resp = self
                .agent
                .get(&url.canonical)
                .header("Accept", fetch_rules::accept_header(kind))
                .call()
                .map_err(|e| match e {
                    ureq::Error::Timeout(_) => "timed out after 3 s".to_string(),
                    other => format!("the request failed ({other})"),
                })?;
            let status = resp.status().as_u16();
            if (300..400).contains(&status) {
                let loc = resp
                    .headers()
                    .get("location")
                    .and_then(|v| v.to_str().ok())
                    .ok_or("redirect without a Location")?;
                url = fetch_rules::redirect(&url, loc)
                    .map_err(|e| format!("redirect refused by the URL rules: {e}"))?;
                continue;
            }
            if status != 200 {
                return Err(format!("the server answered HTTP {status}"));
            }
            let content_type = resp
                .headers()
                .get("content-type")
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned);
            fetch_rules::accept_content_type(kind, content_type.as_deref())
                .map_err(|e| e.to_string())?;
            let body = resp
                .body_mut()
                .with_config()
                .limit(limit as u64)
                .read_to_vec()
                .map_err(|e| match e {
                    ureq::Error::BodyExceedsLimit(_) => {
                        format!("the response is larger than {limit} bytes")
                    }
                    other => format!("reading the response failed ({other})"),
                })?;
            fetch_rules::accept_body(kind, content_type.as_deref(), &body)
                .map_err(|e| e.to_string())?;
            return Ok(body);
        }
        Err(format!("more than {MAX_HOPS} redirects"))
    }
}

/// Refuse hosts whose DNS answers include a special-purpose address (SSRF guard, checklist row 42).
fn check_resolved(url: &CheckedUrl) -> Result<(), String> {
    let h = url.host.trim_start_matches('[').trim_end_matches(']');
    let addrs = (h, url.port)
        .to_socket_addrs()
        .map_err(|e| format!("cannot resolve {}: {e}", url.host))?;
    for a in addrs {
        if let Some(range) = fetch_rules::special(&a.ip()) {
            return Err(format!(
                "refused: {} resolves to {}, a special-purpose address ({range})",
                url.host,
                a.ip()
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_before_connecting() {
        let f = Fetcher::new();
        for url in [
            "http://cr.example.com/a.pem",
            "https://127.0.0.1/a.pem",
            "https://cr.example.com:22/a.pem",
            "https://x.internal/a.crl",
        ] {
            assert!(f.get(url).unwrap_err().starts_with("refused"), "{url}");
            assert!(f.get_crl(url).unwrap_err().starts_with("refused"), "{url}");
        }
    }
}
