//! Rich call data content obtained for a URL (`icn` logo, `jcl` jCard): what it is, judged from
//! its own bytes (a data: URL built from them must say the truth, whatever a server labelled
//! it), then passed through the fetch rules' body checks for rcd content (size, media type,
//! non-empty: `fetch_rules::accept_body`, the same rule every shell applies when it fetches).

use crate::fetch_rules::{self, FetchKind};
use std::collections::HashMap;

/// Content the shell obtained, by URL as written or canonical, and why it could not for others.
#[derive(Debug, Clone, Copy)]
pub struct Resources<'a> {
    /// Bytes per URL.
    pub content: &'a HashMap<String, Vec<u8>>,
    /// Why a URL could not be fetched (offline, HTTP error, refused body).
    pub errors: &'a HashMap<String, String>,
}

/// The media type `bytes` are, from their first bytes: PNG, JPEG, GIF, WebP, SVG or JSON.
pub fn sniff(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        return Some("image/png");
    }
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        return Some("image/jpeg");
    }
    if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        return Some("image/gif");
    }
    if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        return Some("image/webp");
    }
    let text = std::str::from_utf8(bytes).ok()?;
    let t = text.trim_start_matches('\u{feff}').trim_start();
    if (t.starts_with("<svg") || t.starts_with("<?xml")) && t.contains("<svg") {
        return Some("image/svg+xml");
    }
    if (t.starts_with('{') || t.starts_with('[')) && crate::json::parse_strict(t).is_ok() {
        return Some("application/json");
    }
    None
}

/// The content for `url` with its sniffed media type, or why there is none to check.
pub fn obtain<'a>(url: &str, res: Resources<'a>) -> Result<(&'a [u8], &'static str), String> {
    let kind = FetchKind::RcdContent;
    let checked = fetch_rules::check(kind, url)
        .map_err(|e| format!("the URL <{url}> is refused by the fetch rules ({e})"))?;
    let keys = [url, checked.canonical.as_str()];
    let Some(bytes) = keys.iter().find_map(|k| res.content.get(*k)) else {
        return Err(match keys.iter().find_map(|k| res.errors.get(*k)) {
            Some(e) => format!("the content at <{url}> could not be fetched: {e}"),
            None => format!("the content at <{url}> was not fetched or supplied"),
        });
    };
    let max = fetch_rules::max_body_bytes(kind);
    if bytes.len() > max {
        return Err(format!(
            "the content at <{url}> is larger than {} KiB",
            max / 1024
        ));
    }
    let Some(media) = sniff(bytes) else {
        return Err(format!(
            "the content at <{url}> is not a PNG, JPEG, GIF, WebP or SVG image nor JSON"
        ));
    };
    fetch_rules::accept_body(kind, Some(media), bytes)
        .map_err(|e| format!("the content at <{url}> is refused: {e}"))?;
    Ok((bytes.as_slice(), media))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_from_bytes() {
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\n...."), Some("image/png"));
        assert_eq!(sniff(&[0xFF, 0xD8, 0xFF, 0xE0]), Some("image/jpeg"));
        assert_eq!(sniff(b"GIF89a.."), Some("image/gif"));
        assert_eq!(sniff(b"RIFF\0\0\0\0WEBPVP8 "), Some("image/webp"));
        assert_eq!(
            sniff(b"<svg xmlns='http://www.w3.org/2000/svg'/>"),
            Some("image/svg+xml")
        );
        assert_eq!(sniff(br#"["vcard",[]]"#), Some("application/json"));
        assert_eq!(sniff(b"<html><body>hi</body></html>"), None);
        assert_eq!(sniff(b""), None);
    }

    #[test]
    fn obtain_applies_the_fetch_rules() {
        let mut content = HashMap::new();
        let mut errors = HashMap::new();
        content.insert(
            "https://cdn.example.com/a.png".to_string(),
            b"\x89PNG\r\n\x1a\nxx".to_vec(),
        );
        content.insert(
            "https://cdn.example.com/page".to_string(),
            b"<html></html>".to_vec(),
        );
        content.insert(
            "https://cdn.example.com/big.png".to_string(),
            [b"\x89PNG\r\n\x1a\n".as_slice(), &vec![0; 300 * 1024]].concat(),
        );
        errors.insert(
            "https://cdn.example.com/b.png".to_string(),
            "offline".to_string(),
        );
        let res = Resources {
            content: &content,
            errors: &errors,
        };
        assert_eq!(
            obtain("https://cdn.example.com/a.png", res).unwrap().1,
            "image/png"
        );
        assert!(
            obtain("http://cdn.example.com/a.png", res)
                .unwrap_err()
                .contains("refused by the fetch rules")
        );
        assert!(
            obtain("https://127.0.0.1/a.png", res)
                .unwrap_err()
                .contains("refused")
        );
        assert!(
            obtain("https://cdn.example.com/b.png", res)
                .unwrap_err()
                .ends_with("offline")
        );
        assert!(
            obtain("https://cdn.example.com/c.png", res)
                .unwrap_err()
                .contains("not fetched")
        );
        assert!(
            obtain("https://cdn.example.com/page", res)
                .unwrap_err()
                .contains("not a PNG")
        );
        assert!(
            obtain("https://cdn.example.com/big.png", res)
                .unwrap_err()
                .contains("larger")
        );
    }
}
