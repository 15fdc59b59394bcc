//! Fetching for the CLI: x5u certificate chains and CRL distribution points. The core's URL rules
//! for each kind before any connection, a resolved-address check against special-purpose
//! ranges, no automatic redirects (each hop is checked by the same rules), a 3 s timeout and the
//! core's size bound for the kind. Each URL is fetched once per run.

use std::collections::HashMap;
use std::net::ToSocketAddrs;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;
use stircheck::limits::{MAX_CHAIN_BYTES, MAX_CRL_BYTES};

const TIMEOUT: Duration = Duration::from_secs(3);
const MAX_HOPS: usize = 3;

/// What is being fetched: decides the URL rule, the size bound and the Accept header.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum Kind {
    X5u,
    Crl,
}

impl Kind {
    fn check(self, url: &str) -> Result<(String, u16), String> {
        // The one place each kind's URL rule is called (a per-kind rule in the core replaces
        // `x5u::check` for CRLs when it lands).
        let parts = stircheck::x5u::check(url).map_err(|e| e.to_string())?;
        if self == Kind::Crl {
            stircheck::cert::crl::check_url(url)?;
        }
        Ok((parts.host, parts.port))
    }
    fn limit(self) -> usize {
        match self {
            Kind::X5u => MAX_CHAIN_BYTES,
            Kind::Crl => MAX_CRL_BYTES,
        }
    }
    fn accept(self) -> &'static str {
        match self {
            Kind::X5u => "application/pem-certificate-chain, application/x-pem-file, */*",
            Kind::Crl => "application/pkix-crl, application/x-pem-file, */*",
        }
    }
}

type Slot = Arc<OnceLock<Result<Arc<Vec<u8>>, String>>>;

/// A per-run cache of fetched bodies; concurrent requests for one URL share one fetch.
pub struct Fetcher {
    slots: Mutex<HashMap<(Kind, String), Slot>>,
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
            slots: Mutex::new(HashMap::new()),
            agent: config.into(),
        }
    }

    /// An x5u certificate chain.
    pub fn get(&self, url: &str) -> Result<Arc<Vec<u8>>, String> {
        self.get_kind(Kind::X5u, url)
    }

    /// A CRL from a distribution point.
    pub fn get_crl(&self, url: &str) -> Result<Arc<Vec<u8>>, String> {
        self.get_kind(Kind::Crl, url)
    }

    fn get_kind(&self, kind: Kind, url: &str) -> Result<Arc<Vec<u8>>, String> {
        let slot = {
            let mut map = self.slots.lock().unwrap_or_else(|p| p.into_inner());
            map.entry((kind, url.to_string())).or_default().clone()
        };
        slot.get_or_init(|| self.fetch(kind, url).map(Arc::new))
            .clone()
    }

    fn fetch(&self, kind: Kind, first: &str) -> Result<Vec<u8>, String> {
        let mut url = first.to_string();
        let limit = kind.limit();
        for _ in 0..=MAX_HOPS {
            let (host, port) = kind
                .check(&url)
                .map_err(|e| format!("refused by the URL rules: {e}"))?;
            check_resolved(&host, port)?;
            let mut resp = self
                .agent
                .get(&url)
                .header("Accept", kind.accept())
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
                url = resolve_location(&url, loc);
                continue;
            }
            if status != 200 {
                return Err(format!("the server answered HTTP {status}"));
            }
            return resp
                .body_mut()
                .with_config()
                .limit(limit as u64)
                .read_to_vec()
                .map_err(|e| match e {
                    ureq::Error::BodyExceedsLimit(_) => {
                        format!("the response is larger than {limit} bytes")
                    }
                    other => format!("reading the response failed ({other})"),
                });
        }
        Err(format!("more than {MAX_HOPS} redirects"))
    }
}
/// Refuse hosts whose DNS answers include a special-purpose address (SSRF guard, checklist row 42).
fn check_resolved(host: &str, port: u16) -> Result<(), String> {
    let h = host.trim_start_matches('[').trim_end_matches(']');
    let addrs = (h, port)
        .to_socket_addrs()
        .map_err(|e| format!("cannot resolve {host}: {e}"))?;
    for a in addrs {
        let special = match a.ip() {
            std::net::IpAddr::V4(v4) => stircheck::x5u::is_special_v4(&v4),
            std::net::IpAddr::V6(v6) => stircheck::x5u::is_special_v6(&v6),
        };
        if special {
            return Err(format!(
                "refused: {host} resolves to the special-purpose address {}",
                a.ip()
            ));
        }
    }
    Ok(())
}

fn resolve_location(base: &str, loc: &str) -> String {
    if loc.contains("://") {
        return loc.to_string();
    }
    let origin_end = base
        .find("://")
        .map(|i| i + 3)
        .and_then(|s| base[s..].find('/').map(|j| s + j))
        .unwrap_or(base.len());
    if loc.starts_with('/') {
        format!("{}{loc}", &base[..origin_end])
    } else {
        let dir_end = base
            .rfind('/')
            .filter(|i| *i >= origin_end)
            .unwrap_or(origin_end);
        format!("{}/{loc}", &base[..dir_end])
    }
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
        ] {
            assert!(f.get(url).unwrap_err().starts_with("refused"), "{url}");
            assert!(f.get_crl(url).unwrap_err().starts_with("refused"), "{url}");
        }
    }

    #[test]
    fn resolves_relative_redirects() {
        assert_eq!(
            resolve_location("https://a.example/x/y.pem", "/z.pem"),
            "https://a.example/z.pem"
        );
        assert_eq!(
            resolve_location("https://a.example/x/y.pem", "z.pem"),
            "https://a.example/x/z.pem"
        );
        assert_eq!(
            resolve_location("https://a.example/x", "https://b.example/c"),
            "https://b.example/c"
        );
    }
}
