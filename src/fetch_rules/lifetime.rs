//! How long a shell may keep a fetched body before fetching it again, for every kind of URL
//! (x5u chains, CRLs, rcd content). One rule for the worker's caches (wasm `cacheLifetime`) and
//! any native cache: the server's own HTTP caching headers (RFC 9111 §4.2.1), clamped to
//! [`MIN_TTL`, `MAX_TTL`] so a missing or tiny max-age does not mean a fetch per call and a huge
//! one does not pin a replaced certificate or CRL for days; and never past the moment the
//! content stops being usable (a chain's earliest notAfter, a CRL's nextUpdate), after which a
//! new one is expected. Content already past that moment is kept only [`NEGATIVE_TTL`].

use crate::time::parse_http_date;

/// Shortest lifetime of a good body (also when the server says no-store / max-age=0).
pub const MIN_TTL: i64 = 3600;
/// Longest lifetime of a good body, whatever the server says.
pub const MAX_TTL: i64 = 86400;
/// Failures, and bodies already past their usable time, are kept this long (seconds).
pub const NEGATIVE_TTL: i64 = 60;

/// The caching headers of a response, as sent (absent = `None`).
#[derive(Debug, Clone, Copy, Default)]
pub struct CacheHeaders<'a> {
    /// `Cache-Control`.
    pub cache_control: Option<&'a str>,
    /// `Expires`.
    pub expires: Option<&'a str>,
    /// `Date`.
    pub date: Option<&'a str>,
}

/// The lifetime the response itself asks for: `s-maxage`, then `max-age`, then
/// `Expires − Date` (or − `now` without a Date). `no-store` / `no-cache` and an invalid
/// `Expires` ("already expired", RFC 9111 §5.3) count as 0. `None` when the headers are silent.
pub fn advertised(h: &CacheHeaders<'_>, now: i64) -> Option<i64> {
    let mut s_maxage = None;
    let mut max_age = None;
    for part in h.cache_control.unwrap_or("").split(',') {
        let (k, v) = match part.split_once('=') {
            Some((k, v)) => (k.trim(), Some(v.trim().trim_matches('"'))),
            None => (part.trim(), None),
        };
        let k = k.to_ascii_lowercase();
        let secs = v.filter(|v| !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit()));
        let secs = secs.map(|v| v.parse::<i64>().unwrap_or(i64::MAX));
        match k.as_str() {
            "no-store" | "no-cache" => return Some(0),
            "s-maxage" if s_maxage.is_none() => s_maxage = secs,
            "max-age" if max_age.is_none() => max_age = secs,
            _ => {}
        }
    }
    if let Some(s) = s_maxage.or(max_age) {
        return Some(s);
    }
    let expires = h.expires?;
    let Some(exp) = parse_http_date(expires) else {
        return Some(0);
    };
    let base = h.date.and_then(parse_http_date).unwrap_or(now);
    Some(exp.saturating_sub(base).max(0))
}

/// Seconds to keep a good body fetched at `now`: the advertised lifetime clamped to
/// [`MIN_TTL`, `MAX_TTL`], then cut at `usable_until` (earliest notAfter / nextUpdate, unix s);
/// [`NEGATIVE_TTL`] when that moment has already passed. Always > 0.
pub fn cache_lifetime(h: &CacheHeaders<'_>, now: i64, usable_until: Option<i64>) -> i64 {
    let ttl = advertised(h, now)
        .unwrap_or(MIN_TTL)
        .clamp(MIN_TTL, MAX_TTL);
    match usable_until {
        Some(t) if t <= now => NEGATIVE_TTL,
        Some(t) => ttl.min(t - now),
        None => ttl,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_800_000_000;

    fn cc(v: &str) -> CacheHeaders<'_> {
        CacheHeaders {
            cache_control: Some(v),
            ..Default::default()
        }
    }

    #[test]
    fn advertised_lifetime() {
        assert_eq!(advertised(&cc("public, max-age=7200"), NOW), Some(7200));
        assert_eq!(
            advertised(&cc("max-age=60, s-maxage=9000"), NOW),
            Some(9000)
        );
        assert_eq!(advertised(&cc("max-age=\"120\""), NOW), Some(120));
        assert_eq!(advertised(&cc("no-store"), NOW), Some(0));
        assert_eq!(advertised(&cc("no-cache, max-age=9999"), NOW), Some(0));
        assert_eq!(advertised(&cc("MAX-AGE=30"), NOW), Some(30));
        assert_eq!(advertised(&cc("max-age=abc"), NOW), None);
        let h = CacheHeaders {
            cache_control: None,
            expires: Some("Thu, 01 Jan 2026 01:23:20 GMT"),
            date: Some("Thu, 01 Jan 2026 00:00:00 GMT"),
        };
        assert_eq!(advertised(&h, NOW), Some(5000));
        let bad = CacheHeaders {
            expires: Some("garbage"),
            ..Default::default()
        };
        assert_eq!(advertised(&bad, NOW), Some(0));
        assert_eq!(advertised(&CacheHeaders::default(), NOW), None);
    }

    #[test]
    fn clamped_and_cut_at_usable_until() {
        let far = Some(NOW + 10 * 86400);
        assert_eq!(cache_lifetime(&cc("max-age=7200"), NOW, far), 7200);
        assert_eq!(cache_lifetime(&cc("max-age=5"), NOW, far), MIN_TTL);
        assert_eq!(cache_lifetime(&cc("no-store"), NOW, far), MIN_TTL);
        assert_eq!(cache_lifetime(&cc("max-age=9999999"), NOW, far), MAX_TTL);
        assert_eq!(
            cache_lifetime(&cc("max-age=7200"), NOW, Some(NOW + 600)),
            600
        );
        assert_eq!(
            cache_lifetime(&cc("max-age=7200"), NOW, Some(NOW - 10)),
            NEGATIVE_TTL
        );
        assert_eq!(cache_lifetime(&CacheHeaders::default(), NOW, None), MIN_TTL);
    }
}
