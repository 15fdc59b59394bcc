//! x5u URL rules (ATIS-1000074 §5.3.1 as Asterisk describes it; RFC 6890 special-purpose
//! addresses): https only, port 443 or 8443, no userinfo, query, fragment or path parameters,
//! and no IP-literal host in a special-purpose range. Shells apply the same rules before fetching.

use std::fmt;
use std::net::{Ipv4Addr, Ipv6Addr};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UrlProblem {
    NotHttps(String),
    Malformed(&'static str),
    Userinfo,
    Query,
    Fragment,
    PathParams,
    Port(String),
    SpecialAddress(String),
    LocalName(String),
}

impl fmt::Display for UrlProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            UrlProblem::NotHttps(s) => write!(
                f,
                "the scheme is {s:?}; SHAKEN certificate URLs must use https"
            ),
            UrlProblem::Malformed(why) => write!(f, "the URL is malformed ({why})"),
            UrlProblem::Userinfo => write!(f, "the URL carries a user name or password"),
            UrlProblem::Query => write!(f, "the URL has a query string"),
            UrlProblem::Fragment => write!(f, "the URL has a fragment"),
            UrlProblem::PathParams => write!(f, "the URL path has parameters (';')"),
            UrlProblem::Port(p) => write!(f, "port {p} is not allowed; only 443 and 8443 are"),
            UrlProblem::SpecialAddress(h) => {
                write!(
                    f,
                    "the host {h} is a special-purpose IP address (loopback, private, link-local, ...)"
                )
            }
            UrlProblem::LocalName(h) => {
                write!(f, "the host {h:?} is a local name, not a public repository")
            }
        }
    }
}

/// The parts of an acceptable x5u URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct X5uUrl {
    pub host: String,
    pub port: u16,
    pub path: String,
}

pub fn check(url: &str) -> Result<X5uUrl, UrlProblem> {
    if url.len() > 2048 {
        return Err(UrlProblem::Malformed("longer than 2048 characters"));
    }
    if url.chars().any(|c| !c.is_ascii_graphic()) {
        return Err(UrlProblem::Malformed(
            "contains spaces or non-ASCII characters",
        ));
    }
    if url.contains('\\') {
        return Err(UrlProblem::Malformed("contains a backslash"));
    }
    let (scheme, rest) = url
        .split_once("://")
        .ok_or(UrlProblem::Malformed("no scheme"))?;
    if !scheme.eq_ignore_ascii_case("https") {
        return Err(UrlProblem::NotHttps(scheme.to_string()));
    }
    if rest.contains('#') {
        return Err(UrlProblem::Fragment);
    }
    if rest.contains('?') {
        return Err(UrlProblem::Query);
    }
    let (authority, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, "/"),
    };
    if authority.contains('@') {
        return Err(UrlProblem::Userinfo);
    }
    if path.contains(';') {
        return Err(UrlProblem::PathParams);
    }
    let (host, port) = split_host_port(authority)?;
    let port = match port {
        None => 443,
        Some(p) => match p.parse::<u16>() {
            Ok(n @ (443 | 8443)) => n,
            _ => return Err(UrlProblem::Port(p.to_string())),
        },
    };
    check_host(&host)?;
    Ok(X5uUrl {
        host,
        port,
        path: path.to_string(),
    })
}

fn split_host_port(authority: &str) -> Result<(String, Option<&str>), UrlProblem> {
    if authority.is_empty() {
        return Err(UrlProblem::Malformed("no host"));
    }
    if let Some(rest) = authority.strip_prefix('[') {
        let (h, after) = rest
            .split_once(']')
            .ok_or(UrlProblem::Malformed("unclosed IPv6 bracket"))?;
        let port = match after {
            "" => None,
            p => Some(
                p.strip_prefix(':')
                    .ok_or(UrlProblem::Malformed("junk after IPv6 address"))?,
            ),
        };
        return Ok((format!("[{h}]"), port));
    }
    match authority.rsplit_once(':') {
        Some((h, p)) => Ok((h.to_ascii_lowercase(), Some(p))),
        None => Ok((authority.to_ascii_lowercase(), None)),
    }
}

fn check_host(host: &str) -> Result<(), UrlProblem> {
    if let Some(v6) = host.strip_prefix('[').and_then(|h| h.strip_suffix(']')) {
        let ip: Ipv6Addr = v6
            .parse()
            .map_err(|_| UrlProblem::Malformed("bad IPv6 address"))?;
        return if is_special_v6(&ip) {
            Err(UrlProblem::SpecialAddress(host.to_string()))
        } else {
            Ok(())
        };
    }
    if host.is_empty() || host.starts_with('.') || host.contains("..") {
        return Err(UrlProblem::Malformed("bad host name"));
    }
    if !host
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.')
    {
        return Err(UrlProblem::Malformed("bad character in host name"));
    }
    if let Ok(ip) = host.parse::<Ipv4Addr>() {
        return if is_special_v4(&ip) {
            Err(UrlProblem::SpecialAddress(host.to_string()))
        } else {
            Ok(())
        };
    }
    // Numeric-looking hosts that are not dotted quads (2130706433, 0x7f.1, 127.1) are IPv4 to
    // some resolvers: refuse them rather than guess.
    let last = host.trim_end_matches('.').rsplit('.').next().unwrap_or("");
    if last.bytes().all(|b| b.is_ascii_digit()) || last.starts_with("0x") {
        return Err(UrlProblem::Malformed(
            "numeric host that is not a plain IPv4 address",
        ));
    }
    let h = host.trim_end_matches('.');
    if h == "localhost"
        || h.ends_with(".localhost")
        || h.ends_with(".local")
        || h.ends_with(".internal")
        || !h.contains('.')
    {
        return Err(UrlProblem::LocalName(host.to_string()));
    }
    Ok(())
}

/// RFC 6890 (and successors) special-purpose IPv4 blocks.
pub fn is_special_v4(ip: &Ipv4Addr) -> bool {
    let [a, b, c, _] = ip.octets();
    a == 0
        || a == 10
        || a == 127
        || (a == 100 && (64..128).contains(&b))
        || (a == 169 && b == 254)
        || (a == 172 && (16..32).contains(&b))
        || (a == 192 && b == 0 && (c == 0 || c == 2))
        || (a == 192 && b == 88 && c == 99)
        || (a == 192 && b == 168)
        || (a == 198 && (b == 18 || b == 19))
        || (a == 198 && b == 51 && c == 100)
        || (a == 203 && b == 0 && c == 113)
        || a >= 224
}

pub fn is_special_v6(ip: &Ipv6Addr) -> bool {
    if let Some(v4) = ip.to_ipv4_mapped() {
        return is_special_v4(&v4);
    }
    let s = ip.segments();
    ip.is_unspecified()
        || ip.is_loopback()
        || (s[0] & 0xfe00) == 0xfc00 // unique local
        || (s[0] & 0xffc0) == 0xfe80 // link-local
        || (s[0] & 0xff00) == 0xff00 // multicast
        || (s[0] == 0x0064 && s[1] == 0xff9b) // NAT64
        || (s[0] == 0x0100 && s[1] == 0 && s[2] == 0 && s[3] == 0) // discard
        || (s[0] == 0x2001 && s[1] < 0x0200) // IETF protocol assignments (incl. Teredo)
        || (s[0] == 0x2001 && s[1] == 0x0db8) // documentation
        || s[0] == 0x2002 // 6to4
        || (s[0] == 0 && s[1] == 0 && s[2] == 0 && s[3] == 0 && s[4] == 0 && s[5] == 0) // IPv4-compatible
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_normal_repository_urls() {
        assert_eq!(
            check("https://cr.example.com/certs/a.pem").unwrap().port,
            443
        );
        assert_eq!(
            check("https://cr.example.com:8443/a.pem").unwrap().port,
            8443
        );
        assert!(check("https://8.8.8.8/a.pem").is_ok());
    }

    #[test]
    fn refuses_ssrf_and_non_ats_forms() {
        for (url, want) in [
            ("http://cr.example.com/a.pem", "scheme"),
            ("https://127.0.0.1/a.pem", "special"),
            ("https://10.0.0.1/a.pem", "special"),
            ("https://169.254.169.254/latest", "special"),
            ("https://[::1]/a.pem", "special"),
            ("https://[::ffff:10.0.0.1]/a.pem", "special"),
            ("https://[fe80::1]/a.pem", "special"),
            ("https://user:pw@cr.example.com/a.pem", "user"),
            ("https://cr.example.com:22/a.pem", "port"),
            ("https://cr.example.com/a.pem?x=1", "query"),
            ("https://cr.example.com/a.pem#f", "fragment"),
            ("https://cr.example.com/a;b.pem", "parameters"),
            ("https://2130706433/a.pem", "numeric"),
            ("https://localhost/a.pem", "local"),
            ("https://intranet/a.pem", "local"),
        ] {
            let e = check(url).unwrap_err().to_string();
            assert!(e.contains(want), "{url}: {e}");
        }
    }
}
