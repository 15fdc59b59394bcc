//! The shape of one line of a SIP message: a start line (request or status line) or a
//! `Name: value` header line. Shared by the SIP reader (`sip`) and the paste cleaner (`paste`),
//! which must agree on what a SIP line looks like.

/// Which start line a line is (RFC 3261 §7.1, §7.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineKind {
    /// `METHOD request-uri SIP/2.0`
    Request,
    /// `SIP/2.0 code reason`
    Response,
}

/// Whether `line` is a SIP request line or status line.
pub fn is_start_line(line: &str) -> bool {
    start_line_kind(line).is_some()
}

/// The kind of start line `line` is, if it is one.
pub fn start_line_kind(line: &str) -> Option<LineKind> {
    // No allocation: this runs on every line of every input, most of which are header lines
    // whose first word is neither `SIP/2.0` nor an upper-case method.
    // A start line begins with `SIP/2.0` or an upper-case method: reject anything else from
    // its first byte, before scanning a long token line for whitespace.
    let t = line.trim_start();
    if !t
        .bytes()
        .next()
        .is_some_and(|b| b.is_ascii_uppercase() || b == b's')
    {
        return None;
    }
    let mut parts = t.split_whitespace();
    let first = parts.next()?;
    let response = first.eq_ignore_ascii_case("SIP/2.0");
    if !response && !first.bytes().all(|b| b.is_ascii_uppercase()) {
        return None;
    }
    let second = parts.next()?;
    if response && second.len() == 3 && second.bytes().all(|b| b.is_ascii_digit()) {
        return Some(LineKind::Response);
    }
    let third = parts.next()?;
    (parts.next().is_none()
        && third.eq_ignore_ascii_case("SIP/2.0")
        && first.bytes().all(|b| b.is_ascii_uppercase()))
    .then_some(LineKind::Request)
}

/// The header name of a `Name: value` line, if the line has that shape. Header names start
/// with a letter (a timestamp `10:12:09` is not a header), and `x://` is a URL, not a header.
pub fn header_name(line: &str) -> Option<&str> {
    let (name, rest) = line.split_once(':')?;
    let name = name.trim_end();
    let is_token = name.starts_with(|c: char| c.is_ascii_alphabetic())
        && !rest.starts_with("//")
        && name.len() <= 64
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_.!%*+`'~".contains(&b));
    // "https" would make a URL look like a header; a base64url token never contains ':'.
    (is_token && !name.eq_ignore_ascii_case("https") && !name.eq_ignore_ascii_case("http"))
        .then_some(name)
}
