//! x5u URL rules: the [`FetchKind::X5u`] case of [`crate::fetch_rules`], which holds the rules
//! for every kind of URL. Kept as its own name because the checks, the signer and the CLI ask
//! about x5u URLs specifically.

pub use crate::fetch_rules::{CheckedUrl as X5uUrl, FetchKind, UrlProblem};
use std::net::{Ipv4Addr, Ipv6Addr};

/// Whether `url` may be fetched as an x5u; `X5uUrl::canonical` is the form to fetch and cache.
pub fn check(url: &str) -> Result<X5uUrl, UrlProblem> {
    crate::fetch_rules::check(FetchKind::X5u, url)
}

/// Whether `url` may be fetched as an x5u, without building its canonical form (what a
/// verification asks: [`crate::fetch_rules::allowed`]).
pub fn allowed(url: &str) -> Result<(), UrlProblem> {
    crate::fetch_rules::allowed(url)
}

/// Whether a (resolved) IPv4 address is in a special-purpose range.
pub fn is_special_v4(ip: &Ipv4Addr) -> bool {
    crate::fetch_rules::special_v4(ip).is_some()
}

/// Whether a (resolved) IPv6 address is in a special-purpose range.
pub fn is_special_v6(ip: &Ipv6Addr) -> bool {
    crate::fetch_rules::special_v6(ip).is_some()
}
