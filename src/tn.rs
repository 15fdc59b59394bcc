//! Telephone-number canonicalization (RFC 8224 §8.3, as ATIS-1000082 E16 applies it): drop
//! visual separators and the leading `+`, keep digits, `*` and `#`.

/// Canonical form of a number a person or a header wrote, or `None` if it is not a number.
pub fn canonical(number: &str) -> Option<String> {
    let s = number.trim();
    let s = s.strip_prefix('+').unwrap_or(s);
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '0'..='9' | '*' | '#' => out.push(c),
            '-' | '.' | '(' | ')' | ' ' => {}
            _ => return None,
        }
    }
    if out.is_empty() || out.len() > 32 {
        None
    } else {
        Some(out)
    }
}

/// Is `tn` already canonical (what `orig.tn` / `dest.tn` must carry, RFC 8225 §5.2.1.1)?
pub fn is_canonical(tn: &str) -> bool {
    !tn.is_empty()
        && tn.len() <= 32
        && tn
            .bytes()
            .all(|b| b.is_ascii_digit() || b == b'*' || b == b'#')
}

/// The telephone number in a name-addr or URI (`"Bob" <sip:+1-215-555-1212@host;user=phone>`,
/// `tel:+12155551212`), canonicalized; `None` when the URI does not carry a TN.
///
/// A sip/sips user part counts when `user=phone` is present or when, after removing separators,
/// it is all digits (the common SHAKEN practice of `sip:+1215...@host`).
pub fn from_uri(value: &str) -> Option<String> {
    let uri = extract_uri(value);
    let lower = uri.to_ascii_lowercase();
    if lower.starts_with("tel:") {
        let num = uri[4..].split(';').next().unwrap_or("");
        return canonical(num);
    }
    let rest = if lower.starts_with("sip:") {
        &uri[4..]
    } else if lower.starts_with("sips:") {
        &uri[5..]
    } else {
        return None;
    };
    let (user, _host) = rest.split_once('@')?;
    // user part may carry parameters (e.g. ;verstat=...) before '@'.
    let user = user.split(';').next().unwrap_or("");
    let user = percent_decode_visual(user);
    canonical(&user)
}

/// The URI inside `<...>` if present, else the value up to the first `;` header parameter.
pub fn extract_uri(value: &str) -> &str {
    let v = value.trim();
    if let (Some(a), Some(b)) = (v.find('<'), v.find('>'))
        && a < b
    {
        return v[a + 1..b].trim();
    }
    v.split(';').next().unwrap_or(v).trim()
}

/// Decode the few percent-escapes that appear in phone-number user parts (e.g. `%2B` for `+`).
fn percent_decode_visual(s: &str) -> String {
    s.replace("%2B", "+")
        .replace("%2b", "+")
        .replace("%20", " ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonicalizes_common_forms() {
        assert_eq!(
            from_uri("<sip:+1-(215)-555-1212@example.com;user=phone>").as_deref(),
            Some("12155551212")
        );
        assert_eq!(
            from_uri("tel:+1.215.555.1212;verstat=TN-Validation-Passed").as_deref(),
            Some("12155551212")
        );
        assert_eq!(
            from_uri("\"Bob\" <sip:+12155551212;verstat=x@host>;tag=1").as_deref(),
            Some("12155551212")
        );
        assert_eq!(from_uri("<sip:alice@example.com>"), None);
        assert_eq!(from_uri("sip:anonymous@anonymous.invalid"), None);
        assert!(is_canonical("12155551212") && !is_canonical("+1215") && !is_canonical("1 215"));
    }
}
