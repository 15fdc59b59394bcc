//! What stircheck may fetch, for every kind of URL a verification needs (x5u certificate chains,
//! CRL distribution points, Rich Call Data content), and what a fetched body may be. The CLI, the
//! page and the worker all call these functions (the JS shells through wasm `checkUrl`,
//! `resolveRedirect`, `acceptBody`), so a URL gets one decision everywhere.
//!
//! The URL rules (ATIS-1000074 §5.3.1 as Asterisk describes it; the IANA special-purpose address
//! registries) are the same for every kind: `https` only, port 443 or 8443, no userinfo, query,
//! fragment or `;` parameters, and a host that is a public IP literal or a fully qualified,
//! plain-ASCII public name. They are judged on the text as written and are deliberately stricter
//! than the WHATWG URL parser: spellings a parser would silently rewrite into something else
//! (`https:\\host`, `https:/host`, `0x7f.1`, a tab in the host) are refused, not repaired.
//!
//! An accepted URL comes back with its canonical form, the one string shells fetch and cache
//! under: lower-case scheme and host, the default port dropped, one trailing dot of a name
//! dropped, unreserved percent-escapes decoded, the others upper-cased, dot segments removed.
//! Host names that *resolve* to private addresses cannot be judged here; the shells' egress
//! (`address::special` on the CLI's resolved addresses, workerd's public-only network) does that.

mod address;
mod body;
mod lifetime;

pub use address::{special, special_v4, special_v6};
pub use body::{
    BodyProblem, MAX_CRL_BYTES, MAX_RCD_BYTES, accept_body, accept_content_type, accept_header,
    max_body_bytes,
};
pub use lifetime::{
    CacheHeaders, MAX_TTL, MIN_TTL, NEGATIVE_TTL, advertised as advertised_lifetime, cache_lifetime,
};

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// Longest URL considered at all.
pub const MAX_URL_LEN: usize = 2048;
/// Ports a repository may use (ATIS-1000080 practice: 443, or 8443).
pub const ALLOWED_PORTS: [u16; 2] = [443, 8443];

/// What a URL is fetched for. The URL rules are the same for all; the body rules differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FetchKind {
    /// A PASSporT's `x5u`: a certificate chain.
    X5u,
    /// A certificate's CRL distribution point.
    Crl,
    /// Rich Call Data content named by a PASSporT (`icn` logo, `jcl` jCard).
    RcdContent,
}

impl FetchKind {
    /// The names the wasm API and the CLI use: `x5u`, `crl`, `rcd`.
    pub fn from_name(name: &str) -> Option<FetchKind> {
        match name {
            "x5u" => Some(FetchKind::X5u),
            "crl" => Some(FetchKind::Crl),
            "rcd" => Some(FetchKind::RcdContent),
            _ => None,
        }
    }

    /// The name the wasm API and the CLI use: `x5u`, `crl` or `rcd`.
    pub fn name(self) -> &'static str {
        match self {
            FetchKind::X5u => "x5u",
            FetchKind::Crl => "crl",
            FetchKind::RcdContent => "rcd",
        }
    }

    /// How a refusal is introduced: "x5u URL refused: ...".
    pub fn url_name(self) -> &'static str {
        match self {
            FetchKind::X5u => "x5u URL",
            FetchKind::Crl => "CRL distribution point URL",
            FetchKind::RcdContent => "rcd content URL",
        }
    }

    fn body_name(self) -> &'static str {
        match self {
            FetchKind::X5u => "certificate chain",
            FetchKind::Crl => "CRL",
            FetchKind::RcdContent => "rcd content",
        }
    }
}

/// Why a URL may not be fetched. The messages complete "the URL is refused because ...".
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UrlProblem {
    /// Longer than [`MAX_URL_LEN`].
    TooLong,
    /// Contains whitespace or control characters.
    Whitespace,
    /// Contains non-ASCII characters.
    NonAscii,
    /// Contains a backslash.
    Backslash,
    /// Does not start with a scheme and `//`.
    NoScheme,
    /// The scheme (given) is not `https`.
    NotHttps(String),
    /// No host.
    NoHost,
    /// Carries a user name or password.
    Userinfo,
    /// Has a query string.
    Query,
    /// Has a fragment.
    Fragment,
    /// The path has `;` parameters.
    PathParams,
    /// The path has this character unencoded.
    BadPathChar(char),
    /// A `%` not followed by two hex digits.
    BadPercent,
    /// The path has an encoded slash, backslash or control character (the escape given).
    EncodedDelimiter(String),
    /// The port (given) is not one of [`ALLOWED_PORTS`].
    Port(String),
    /// The bracketed host is not a valid IPv6 address.
    BadIpv6,
    /// The host is a special-purpose IP address.
    SpecialAddress {
        /// The host as written.
        host: String,
        /// The registry entry it falls in.
        range: &'static str,
    },
    /// The host is numeric but not a plain dotted-quad IPv4 address.
    NumericHost(String),
    /// The host is not a valid DNS name.
    BadName(String),
    /// The host contains an underscore.
    Underscore(String),
    /// The host is an internationalized (punycode) name.
    Idn(String),
    /// The host is a local name, not a public one.
    LocalName(String),
    /// A redirect with an empty Location.
    BadRedirect,
}

impl fmt::Display for UrlProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use UrlProblem::*;
        match self {
            TooLong => write!(f, "the URL is longer than {MAX_URL_LEN} characters"),
            Whitespace => write!(f, "the URL contains whitespace or control characters"),
            NonAscii => write!(
                f,
                "the URL contains non-ASCII characters (internationalized names and paths are not used for repositories)"
            ),
            Backslash => write!(f, "the URL contains a backslash"),
            NoScheme => write!(f, "the URL does not start with https://"),
            NotHttps(s) => write!(
                f,
                "the scheme is {s:?}; what stircheck fetches (certificates, CRLs, call-data content) must use https"
            ),
            NoHost => write!(f, "the URL has no host"),
            Userinfo => write!(f, "the URL carries a user name or password (userinfo)"),
            Query => write!(f, "the URL has a query string"),
            Fragment => write!(f, "the URL has a fragment"),
            PathParams => write!(f, "the URL path has parameters (';')"),
            BadPathChar(c) => write!(
                f,
                "the URL path contains {c:?}, which must be percent-encoded"
            ),
            BadPercent => write!(
                f,
                "the URL has a '%' that is not followed by two hex digits"
            ),
            EncodedDelimiter(e) => write!(
                f,
                "the URL path contains {e}, an encoded slash, backslash or control character"
            ),
            Port(p) => write!(f, "port {p} is not allowed; only 443 and 8443 are"),
            BadIpv6 => write!(f, "the host is not a valid IPv6 address"),
            SpecialAddress { host, range } => write!(
                f,
                "the host {host} is a special-purpose IP address: {range}"
            ),
            NumericHost(h) => write!(
                f,
                "the host {h} is numeric but not a plain dotted-quad IPv4 address (decimal, hex, octal and short forms are refused)"
            ),
            BadName(h) => write!(f, "the host {h:?} is not a valid DNS name"),
            Underscore(h) => write!(
                f,
                "the host {h:?} contains an underscore, which host names may not"
            ),
            Idn(h) => write!(
                f,
                "the host {h:?} is an internationalized (punycode) name; repositories use plain ASCII names"
            ),
            LocalName(h) => write!(f, "the host {h:?} is a local name, not a public repository"),
            BadRedirect => write!(f, "the redirect has an empty Location"),
        }
    }
}

impl std::error::Error for UrlProblem {}

/// An acceptable URL, in parts and as the canonical string shells fetch and cache under.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedUrl {
    /// What the URL is fetched for.
    pub kind: FetchKind,
    /// Lower-case name without a trailing dot, dotted-quad IPv4, or `[v6]` in RFC 5952 form.
    pub host: String,
    /// The host when it is an IP literal.
    pub ip: Option<IpAddr>,
    /// The port (443 or 8443).
    pub port: u16,
    /// Starts with `/`; dot segments removed, escapes normalised.
    pub path: String,
    /// `https://host[:8443]/path`.
    pub canonical: String,
}

/// Decides whether `url` may be fetched as `kind`, and gives its canonical form.
pub fn check(kind: FetchKind, url: &str) -> Result<CheckedUrl, UrlProblem> {
    let judged = judge(url)?;
    let (host, ip) = match judged.host {
        Host::V6(ip) => (format!("[{ip}]"), Some(IpAddr::V6(ip))),
        Host::V4(ip) => (ip.to_string(), Some(IpAddr::V4(ip))),
        Host::Name(name) => (name.to_ascii_lowercase(), None),
    };
    let path = normalize_path(judged.path)?;
    let port = judged.port;
    let port_part = if port == 443 {
        String::new()
    } else {
        format!(":{port}")
    };
    let canonical = format!("https://{host}{port_part}{path}");
    Ok(CheckedUrl {
        kind,
        host,
        ip,
        port,
        path,
        canonical,
    })
}

/// The decision [`check`] makes, without building the canonical form (a verification only
/// needs yes or no, and why not): the same rules, the same [`UrlProblem`] for a refusal.
/// The URL rules are the same for every [`FetchKind`], so none is asked for.
pub fn allowed(url: &str) -> Result<(), UrlProblem> {
    judge(url).map(|_| ())
}

/// An acceptable URL's parts as written (what [`check`] canonicalises).
struct Judged<'a> {
    host: Host<'a>,
    port: u16,
    /// The path as written (may be empty); its escapes and characters are valid.
    path: &'a str,
}

/// An acceptable host.
enum Host<'a> {
    V6(Ipv6Addr),
    V4(Ipv4Addr),
    /// A public DNS name as written, without one trailing dot (any case).
    Name(&'a str),
}

/// Every URL rule, in the order the refusals are reported.
fn judge(url: &str) -> Result<Judged<'_>, UrlProblem> {
    if url.len() > MAX_URL_LEN {
        return Err(UrlProblem::TooLong);
    }
    if url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(UrlProblem::Whitespace);
    }
    if !url.is_ascii() {
        return Err(UrlProblem::NonAscii);
    }
    if url.contains('\\') {
        return Err(UrlProblem::Backslash);
    }
    let (scheme, rest) = split_scheme(url)?;
    if !scheme.eq_ignore_ascii_case("https") {
        return Err(UrlProblem::NotHttps(scheme.to_string()));
    }
    let rest = rest.strip_prefix("//").ok_or(UrlProblem::NoScheme)?;
    if rest.contains('#') {
        return Err(UrlProblem::Fragment);
    }
    if rest.contains('?') {
        return Err(UrlProblem::Query);
    }
    let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    if authority.contains('@') {
        return Err(UrlProblem::Userinfo);
    }
    if path.contains(';') {
        return Err(UrlProblem::PathParams);
    }
    let (host_text, port_text) = split_host_port(authority)?;
    let port = parse_port(port_text)?;
    let host = check_host(host_text)?;
    scan_path(path, |_| {})?;
    Ok(Judged { host, port, path })
}

/// The target of a redirect answered by `from` (RFC 9110 §10.2.2: `location` may be relative),
/// checked by the same rules.
pub fn redirect(from: &CheckedUrl, location: &str) -> Result<CheckedUrl, UrlProblem> {
    let loc = location.trim_matches(|c: char| c == ' ' || c == '\t');
    if loc.is_empty() {
        return Err(UrlProblem::BadRedirect);
    }
    let target = if has_scheme(loc) {
        loc.to_string()
    } else if let Some(net_path) = loc.strip_prefix("//") {
        format!("https://{net_path}")
    } else {
        let origin = from
            .canonical
            .strip_suffix(from.path.as_str())
            .unwrap_or(&from.canonical);
        if loc.starts_with('/') {
            format!("{origin}{loc}")
        } else {
            let dir = &from.path[..from.path.rfind('/').map_or(0, |i| i + 1)];
            format!("{origin}{dir}{loc}")
        }
    };
    check(from.kind, &target)
}

fn has_scheme(s: &str) -> bool {
    match s.find(':') {
        Some(i) if i > 0 => {
            let scheme = &s[..i];
            scheme.as_bytes()[0].is_ascii_alphabetic()
                && scheme
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'))
                && !s[..i].contains('/')
        }
        _ => false,
    }
}

fn split_scheme(url: &str) -> Result<(&str, &str), UrlProblem> {
    match url.find(':') {
        Some(i) if has_scheme(url) => Ok((&url[..i], &url[i + 1..])),
        _ => Err(UrlProblem::NoScheme),
    }
}

fn split_host_port(authority: &str) -> Result<(&str, Option<&str>), UrlProblem> {
    if authority.is_empty() {
        return Err(UrlProblem::NoHost);
    }
    if authority.starts_with('[') {
        let end = authority.find(']').ok_or(UrlProblem::BadIpv6)?;
        let (host, after) = authority.split_at(end + 1);
        return match after {
            "" => Ok((host, None)),
            p => Ok((host, Some(p.strip_prefix(':').ok_or(UrlProblem::BadIpv6)?))),
        };
    }
    Ok(match authority.rsplit_once(':') {
        Some((h, p)) => (h, Some(p)),
        None => (authority, None),
    })
}

/// An empty port means the default (RFC 3986 §6.2.3); leading zeros are the same number.
fn parse_port(p: Option<&str>) -> Result<u16, UrlProblem> {
    let Some(p) = p.filter(|p| !p.is_empty()) else {
        return Ok(443);
    };
    let digits = p.trim_start_matches('0');
    match (p.bytes().all(|b| b.is_ascii_digit()) && digits.len() <= 5)
        .then(|| digits.parse::<u16>().ok())
        .flatten()
    {
        Some(n) if ALLOWED_PORTS.contains(&n) => Ok(n),
        _ => Err(UrlProblem::Port(p.to_string())),
    }
}

/// The host's rules, judged on the text as written (an ASCII URL): letter case never changes a
/// decision, so no lower-cased copy is made.
fn check_host(text: &str) -> Result<Host<'_>, UrlProblem> {
    if text.is_empty() {
        return Err(UrlProblem::NoHost);
    }
    if let Some(inner) = text.strip_prefix('[').and_then(|t| t.strip_suffix(']')) {
        let ip: Ipv6Addr = inner.parse().map_err(|_| UrlProblem::BadIpv6)?;
        if let Some(range) = special_v6(&ip) {
            let host = format!("[{ip}]");
            return Err(UrlProblem::SpecialAddress { host, range });
        }
        return Ok(Host::V6(ip));
    }
    // One trailing dot names the same host (an absolute DNS name); it is dropped.
    let name = text.strip_suffix('.').unwrap_or(text);
    if name.is_empty() || name.starts_with('.') || name.ends_with('.') || name.contains("..") {
        return Err(UrlProblem::BadName(text.to_string()));
    }
    if name.contains('_') {
        return Err(UrlProblem::Underscore(text.to_string()));
    }
    if !name
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.')
    {
        return Err(UrlProblem::BadName(text.to_string()));
    }
    // A name whose last label is a number is an IPv4 address to the WHATWG parser and to many
    // resolvers (2130706433, 0x7f.1, 0177.0.0.1, 127.1): only the plain dotted quad is accepted.
    let last = name.rsplit('.').next().unwrap_or("");
    if last.bytes().all(|b| b.is_ascii_digit()) || starts_with_ignore_case(last, "0x") {
        let ip = dotted_quad(name).ok_or_else(|| UrlProblem::NumericHost(text.to_string()))?;
        if let Some(range) = special_v4(&ip) {
            return Err(UrlProblem::SpecialAddress {
                host: ip.to_string(),
                range,
            });
        }
        return Ok(Host::V4(ip));
    }
    check_name(name, text)?;
    Ok(Host::Name(name))
}

/// `s` starts with the lower-case ASCII `prefix`, in any letter case.
fn starts_with_ignore_case(s: &str, prefix: &str) -> bool {
    s.as_bytes()
        .get(..prefix.len())
        .is_some_and(|p| p.eq_ignore_ascii_case(prefix.as_bytes()))
}

/// `name` is `suffix` or ends with `.suffix`, in any letter case.
fn is_or_under(name: &str, suffix: &str) -> bool {
    let (n, s) = (name.as_bytes(), suffix.as_bytes());
    n.len() >= s.len()
        && n[n.len() - s.len()..].eq_ignore_ascii_case(s)
        && (n.len() == s.len() || n[n.len() - s.len() - 1] == b'.')
}

/// `a.b.c.d`, each 0–255 in decimal without leading zeros.
fn dotted_quad(name: &str) -> Option<Ipv4Addr> {
    let parts: Vec<&str> = name.split('.').collect();
    if parts.len() != 4 {
        return None;
    }
    let mut octets = [0u8; 4];
    for (o, p) in octets.iter_mut().zip(&parts) {
        if p.is_empty() || p.len() > 3 || (p.len() > 1 && p.starts_with('0')) {
            return None;
        }
        *o = p.parse().ok()?;
    }
    Some(Ipv4Addr::from(octets))
}

/// Special-use names that never reach a public repository (RFC 6761, RFC 6762, RFC 8375,
/// RFC 7686, and `.internal`, which ICANN reserved for private use in 2024).
const LOCAL_SUFFIXES: [&str; 5] = ["localhost", "local", "internal", "home.arpa", "onion"];

fn check_name(name: &str, original: &str) -> Result<(), UrlProblem> {
    if name.len() > 253 {
        return Err(UrlProblem::BadName(original.to_string()));
    }
    for label in name.split('.') {
        if label.is_empty() || label.len() > 63 || label.starts_with('-') || label.ends_with('-') {
            return Err(UrlProblem::BadName(original.to_string()));
        }
        if starts_with_ignore_case(label, "xn--") {
            return Err(UrlProblem::Idn(original.to_string()));
        }
    }
    let local = LOCAL_SUFFIXES.iter().any(|s| is_or_under(name, s));
    if local || !name.contains('.') {
        return Err(UrlProblem::LocalName(original.to_string()));
    }
    Ok(())
}

/// RFC 3986 §6.2.2 normalisation of the path ([`scan_path`]'s pieces, then dot segments
/// removed).
fn normalize_path(path: &str) -> Result<String, UrlProblem> {
    let mut out = String::with_capacity(path.len() + 1);
    scan_path(path, |piece| match piece {
        PathPiece::Char(b) => out.push(b as char),
        PathPiece::Escape(hex) => {
            out.push('%');
            out.push_str(&hex.to_ascii_uppercase());
        }
    })?;
    if out.is_empty() {
        return Ok("/".to_string());
    }
    Ok(remove_dot_segments(&out))
}

/// One piece of a normalised path.
enum PathPiece<'a> {
    /// A character kept (or an unreserved one decoded from its escape).
    Char(u8),
    /// An escape kept: its two hex digits as written.
    Escape(&'a str),
}

/// The path's rules, giving its normalised pieces to `emit`: `%xx` checked (to be upper-cased),
/// unreserved characters decoded. Characters that are not allowed in a path, and escapes of
/// `/`, `\` or control characters (which servers decode inconsistently), are refused.
fn scan_path<'a>(path: &'a str, mut emit: impl FnMut(PathPiece<'a>)) -> Result<(), UrlProblem> {
    let bytes = path.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b == b'%' {
            let hex = path.get(i + 1..i + 3).ok_or(UrlProblem::BadPercent)?;
            if !hex.bytes().all(|h| h.is_ascii_hexdigit()) {
                return Err(UrlProblem::BadPercent);
            }
            let v = u8::from_str_radix(hex, 16).map_err(|_| UrlProblem::BadPercent)?;
            if v < 0x20 || v == 0x7f || v == b'/' || v == b'\\' {
                return Err(UrlProblem::EncodedDelimiter(format!(
                    "%{}",
                    hex.to_ascii_uppercase()
                )));
            }
            emit(if is_unreserved(v) {
                PathPiece::Char(v)
            } else {
                PathPiece::Escape(hex)
            });
            i += 3;
            continue;
        }
        if !(is_unreserved(b) || b"!$&'()*+,=:@/".contains(&b)) {
            return Err(UrlProblem::BadPathChar(b as char));
        }
        emit(PathPiece::Char(b));
        i += 1;
    }
    Ok(())
}

fn is_unreserved(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~')
}

/// RFC 3986 §5.2.4 for an absolute path: `.` dropped, `..` removes the segment before it.
fn remove_dot_segments(path: &str) -> String {
    let segments: Vec<&str> = path[1..].split('/').collect();
    let n = segments.len();
    let mut out: Vec<&str> = Vec::with_capacity(n);
    for (i, s) in segments.iter().enumerate() {
        let last = i + 1 == n;
        match *s {
            "." => {}
            ".." => {
                out.pop();
            }
            s => {
                out.push(s);
                continue;
            }
        }
        if last {
            out.push("");
        }
    }
    format!("/{}", out.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn canon(url: &str) -> String {
        check(FetchKind::X5u, url)
            .map(|c| c.canonical)
            .unwrap_or_else(|e| format!("refused: {e}"))
    }

    #[test]
    fn canonical_forms() {
        for (url, want) in [
            (
                "https://cr.example.com/a.pem",
                "https://cr.example.com/a.pem",
            ),
            (
                "HTTPS://CR.Example.COM:443/a.pem",
                "https://cr.example.com/a.pem",
            ),
            (
                "https://cr.example.com.:0443/a.pem",
                "https://cr.example.com/a.pem",
            ),
            (
                "https://cr.example.com:/a.pem",
                "https://cr.example.com/a.pem",
            ),
            (
                "https://cr.example.com:8443/x/./y/../a.pem",
                "https://cr.example.com:8443/x/a.pem",
            ),
            (
                "https://cr.example.com/%61%2e%70em",
                "https://cr.example.com/a.pem",
            ),
            (
                "https://cr.example.com/a%2a%3f",
                "https://cr.example.com/a%2A%3F",
            ),
            ("https://cr.example.com", "https://cr.example.com/"),
            ("https://cr.example.com/..", "https://cr.example.com/"),
            (
                "https://[2606:4700:0::1111]/c",
                "https://[2606:4700::1111]/c",
            ),
            ("https://8.8.8.8./c", "https://8.8.8.8/c"),
        ] {
            assert_eq!(canon(url), want, "{url}");
        }
    }

    /// `allowed` decides every URL of the shared list (tests/fixtures/urls.json) as `check`
    /// does, refusals with the same problem.
    #[test]
    fn allowed_decides_the_shared_list_like_check() {
        let text = include_str!("../../tests/fixtures/urls.json");
        let doc: serde_json::Value = serde_json::from_str(text).unwrap();
        let urls = doc["urls"].as_array().unwrap();
        assert!(urls.len() >= 80);
        for e in urls {
            let url = e["url"].as_str().unwrap();
            assert_eq!(
                allowed(url),
                check(FetchKind::X5u, url).map(|_| ()),
                "{url}"
            );
        }
        for url in [
            "https://CR.EXAMPLE.LOCAL/a",
            "https://a.Home.Arpa/a",
            "https://XN--bcher-kva.example/a",
            "https://0X7f.1/a",
            "https://LOCALHOST/a",
            "https://Example.COM./a",
            "https://example.com/%2f",
            "https://example.com/%2A",
        ] {
            assert_eq!(
                allowed(url),
                check(FetchKind::X5u, url).map(|_| ()),
                "{url}"
            );
        }
    }

    proptest::proptest! {
        /// Same decision and problem as `check` for URL-like text built from the pieces the
        /// rules look at (letter case, dots, escapes, ports, special names and addresses).
        #[test]
        fn allowed_matches_check(
            scheme in "(https|HTTPS|http|hTTps)",
            host in "(([a-zA-Z0-9_-]{0,4}|xn--a|XN--b|0x7F|127|10|8|local|LOCAL|onion|internal|home|arpa)[.]?){1,4}|\\[[0-9a-f:]{2,10}\\]",
            port in "(:|:443|:8443|:0443|:80|)",
            path in "(/|%2[fF]|%41|%7e|%0|[a-z.~!$]|/[.]{1,2}|@|\\^){0,6}",
        ) {
            let url = format!("{scheme}://{host}{port}{path}");
            proptest::prop_assert_eq!(allowed(&url), check(FetchKind::X5u, &url).map(|_| ()));
        }
    }

    #[test]
    fn redirects_resolve_against_the_canonical_url() {
        let from = check(FetchKind::Crl, "https://a.example.com:8443/x/y.crl").unwrap();
        let to = |l: &str| redirect(&from, l).map(|c| c.canonical);
        assert_eq!(to("/z.crl").unwrap(), "https://a.example.com:8443/z.crl");
        assert_eq!(to("z.crl").unwrap(), "https://a.example.com:8443/x/z.crl");
        assert_eq!(to("//b.example.com/c").unwrap(), "https://b.example.com/c");
        assert_eq!(
            to("https://b.example.com/c").unwrap(),
            "https://b.example.com/c"
        );
        assert!(matches!(
            to("http://b.example.com/c"),
            Err(UrlProblem::NotHttps(_))
        ));
        assert!(matches!(
            to("https://10.0.0.1/c"),
            Err(UrlProblem::SpecialAddress { .. })
        ));
        assert!(matches!(to(""), Err(UrlProblem::BadRedirect)));
        assert_eq!(redirect(&from, "/q").unwrap().kind, FetchKind::Crl);
    }
}
