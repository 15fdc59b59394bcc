//! Turning pasted text into Identity header values and the call context around them.
//!
//! Accepts a SIP request or response, a block of header lines, `Identity:`/`y:` lines, a bare
//! Identity header value or a bare JWS (checklist row `input`). Folded header lines are unfolded,
//! names compared case-insensitively, CRLF or LF.

use crate::limits::{MAX_HEADER_BYTES, MAX_IDENTITY_HEADERS, MAX_INPUT_BYTES};
use crate::paste::{self, Cleanup, Prepared};
use crate::sip_line::{self, LineKind};
use crate::text::{has_whitespace, strip_whitespace};
use crate::tn;
use crate::verdict::CallContext;
use std::borrow::Cow;
use std::fmt;

impl From<LineKind> for InputKind {
    fn from(k: LineKind) -> InputKind {
        match k {
            LineKind::Request => InputKind::SipRequest,
            LineKind::Response => InputKind::SipResponse,
        }
    }
}

/// What kind of text was pasted; shown to the user so they can tell we read it as intended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum InputKind {
    SipRequest,
    SipResponse,
    HeaderBlock,
    HeaderValue,
    BareJws,
    /// A JSON body (a webhook or API request) carrying the token.
    JsonBody,
    /// A form-encoded body (`StirPassportToken=…&From=…`).
    FormBody,
    /// Text in which a token was found (a log, a note), not SIP lines.
    FreeText,
}

impl InputKind {
    pub fn describe(self) -> &'static str {
        match self {
            InputKind::SipRequest => "a SIP request",
            InputKind::SipResponse => "a SIP response",
            InputKind::HeaderBlock => "SIP header lines",
            InputKind::HeaderValue => "an Identity header value",
            InputKind::BareJws => "a bare PASSporT (JWS)",
            InputKind::JsonBody => "a JSON body",
            InputKind::FormBody => "a form-encoded body",
            InputKind::FreeText => "free text",
        }
    }
}

/// Why the text could not be read at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InputError {
    Empty,
    TooLarge(usize),
    HeaderTooLong {
        name: String,
        len: usize,
    },
    NotRecognized,
    /// A JSON or form body without any Identity header or PASSporT in it.
    NoToken(InputKind),
    Binary,
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            InputError::Empty => write!(f, "the input is empty"),
            InputError::TooLarge(n) => write!(
                f,
                "the input is {n} bytes, over the {MAX_INPUT_BYTES}-byte limit"
            ),
            InputError::HeaderTooLong { name, len } => {
                write!(
                    f,
                    "the {name} header is {len} bytes, over the {MAX_HEADER_BYTES}-byte limit"
                )
            }
            InputError::NotRecognized => write!(
                f,
                "no Identity header or PASSporT was found: this is not a SIP message, a SIP header, an Identity header value or a PASSporT (eyJ…)"
            ),
            InputError::NoToken(kind) => write!(
                f,
                "no Identity header or PASSporT was found in this {}",
                kind.describe().trim_start_matches("a ")
            ),
            InputError::Binary => write!(f, "the input contains control characters; paste text"),
        }
    }
}

/// One Identity header field as found (value unfolded, surrounding whitespace removed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawIdentity {
    pub value: String,
    /// The value came without any header parameters (a bare JWS).
    pub bare: bool,
}

/// The parsed input.
#[derive(Debug, Clone, PartialEq)]
pub struct Message {
    pub kind: InputKind,
    pub identities: Vec<RawIdentity>,
    /// Identity headers beyond the limit, not examined.
    pub dropped_identities: usize,
    /// SIP context when the input had any of From/To/PAI/Date/R-URI.
    pub context: Option<CallContext>,
    /// The key of a JSON/form body the token was under (`StirPassportToken`).
    pub found_key: Option<String>,
    /// The call's From/To came from a structured body, beside the token (see `paste`).
    pub context_from_body: bool,
    /// What was undone to read the paste (quotes, log prefixes, wrapping, encodings).
    pub cleanups: Vec<Cleanup>,
}

impl Message {
    fn new(kind: InputKind) -> Message {
        Message {
            kind,
            identities: Vec::new(),
            dropped_identities: 0,
            context: None,
            found_key: None,
            context_from_body: false,
            cleanups: Vec::new(),
        }
    }

    /// The `input` check's detail: what was read, where the token was found, what was undone.
    pub fn detail(&self) -> String {
        let n = self.identities.len();
        let headers = format!("{n} Identity header{}", if n == 1 { "" } else { "s" });
        let mut s = match self.kind {
            InputKind::JsonBody | InputKind::FormBody | InputKind::FreeText => {
                let key = self
                    .found_key
                    .as_deref()
                    .map(|k| format!(" (under {k:?})"))
                    .unwrap_or_default();
                format!("found {headers} in {}{key}", self.kind.describe())
            }
            _ => format!("read as {} with {headers}", self.kind.describe()),
        };
        if self.context_from_body {
            s.push_str(", with the call's From/To beside it");
        }
        if !self.cleanups.is_empty() {
            let done: Vec<String> = self.cleanups.iter().map(Cleanup::describe).collect();
            s.push_str(", after ");
            s.push_str(&done.join(", "));
        }
        if self.dropped_identities > 0 {
            s.push_str(&format!(
                "; {} further Identity headers were ignored (limit {MAX_IDENTITY_HEADERS})",
                self.dropped_identities
            ));
        }
        s
    }

    /// Add Identity values (bare JWS when without parameters), within the limits.
    fn add_values<'a>(
        &mut self,
        values: impl IntoIterator<Item = &'a str>,
    ) -> Result<(), InputError> {
        for v in values {
            let v = strip_whitespace(v);
            if v.is_empty() {
                continue;
            }
            if v.len() > MAX_HEADER_BYTES {
                return Err(InputError::HeaderTooLong {
                    name: "Identity".into(),
                    len: v.len(),
                });
            }
            if self.identities.len() == MAX_IDENTITY_HEADERS {
                self.dropped_identities += 1;
            } else {
                let bare = !v.contains(';');
                self.identities.push(RawIdentity { value: v, bare });
            }
        }
        Ok(())
    }
}

/// Read a paste: undo its wrapping (`paste::prepare`), read it as SIP, and when that finds no
/// Identity header, look for tokens anywhere in it (`paste::scan`).
pub fn parse(text: &str) -> Result<Message, InputError> {
    parse_at(text, 0)
}

fn parse_at(text: &str, depth: usize) -> Result<Message, InputError> {
    if text.len() > MAX_INPUT_BYTES {
        return Err(InputError::TooLarge(text.len()));
    }
    if has_control(text) {
        return Err(InputError::Binary);
    }
    let mut cleanups = Vec::new();
    let mut m = match paste::prepare(text, &mut cleanups) {
        // Text that came back unchanged was checked for control characters above.
        Prepared::Text(Cow::Borrowed(t)) => read_text(t, false)?,
        Prepared::Text(t) => read_text(&t, true)?,
        Prepared::Body(source, e) => from_body(source, e, depth)?,
    };
    cleanups.append(&mut m.cleanups);
    m.cleanups = cleanups;
    Ok(m)
}

/// SIP text, else tokens found in it. `decoded`: the paste clean-up changed the text, which
/// may have made control characters (`%00`, `&#1;`).
fn read_text(text: &str, decoded: bool) -> Result<Message, InputError> {
    if decoded && has_control(text) {
        return Err(InputError::Binary); // decoding %00 or &#1; made control characters
    }
    let plain = parse_plain(text);
    match &plain {
        Ok(m) if !m.identities.is_empty() => return plain,
        Ok(_) | Err(InputError::NotRecognized) => {}
        Err(_) => return plain,
    }
    let tokens = paste::scan(text);
    if tokens.is_empty() {
        return plain;
    }
    let mut m = plain.unwrap_or_else(|_| Message::new(InputKind::FreeText));
    if m.context.is_none() {
        m.kind = InputKind::FreeText;
    }
    m.add_values(tokens.iter().map(String::as_str))?;
    Ok(m)
}

/// A JSON or form body: its Identity values, SIP messages inside it, and From/To beside the token.
fn from_body(
    source: paste::Source,
    e: paste::Extracted,
    depth: usize,
) -> Result<Message, InputError> {
    let kind = match source {
        paste::Source::JsonBody => InputKind::JsonBody,
        paste::Source::FormBody => InputKind::FormBody,
        paste::Source::FreeText => InputKind::FreeText,
    };
    let mut m = Message::new(kind);
    m.found_key = e.key.clone();
    if depth == 0 {
        for t in &e.texts {
            let Ok(inner) = parse_at(t, depth + 1) else {
                continue;
            };
            m.add_values(inner.identities.iter().map(|r| r.value.as_str()))?;
            m.dropped_identities += inner.dropped_identities;
            if m.context.is_none() {
                m.context = inner.context;
            }
        }
    }
    m.add_values(e.values.iter().map(String::as_str))?;
    if m.identities.is_empty() {
        return Err(InputError::NoToken(kind));
    }
    if m.context.is_none() && (e.from.is_some() || e.to.is_some()) {
        m.context = Some(CallContext {
            from: e.from.as_ref().map(|t| format!("<tel:+{t}>")),
            to: e.to.as_ref().map(|t| format!("<tel:+{t}>")),
            orig_tn: e.from.clone(),
            dest_tn: e.to.clone(),
            ..Default::default()
        });
        m.context_from_body = true;
    }
    Ok(m)
}

/// The SIP reader proper: a SIP message, header lines, or a bare value.
fn parse_plain(text: &str) -> Result<Message, InputError> {
    let text = text.trim_start_matches('\u{feff}').trim();
    if text.is_empty() {
        return Err(InputError::Empty);
    }
    let lines: Vec<&str> = text.lines().collect();
    let first = lines[0].trim();
    if let Some(kind) = sip_line::start_line_kind(first).map(InputKind::from) {
        let request_uri = (kind == InputKind::SipRequest)
            .then(|| first.split_whitespace().nth(1).unwrap_or("").to_string());
        return header_block(&lines[1..], kind, request_uri);
    }
    if sip_line::header_name(first).is_some() {
        return header_block(&lines, InputKind::HeaderBlock, None);
    }
    bare_value(text)
}

/// A control character other than CR, LF and TAB (C0, DEL or C1). ASCII text, the usual case, is
/// checked byte by byte (the same set: C1 controls are never ASCII).
fn has_control(text: &str) -> bool {
    let bad = |c: char| c.is_control() && !matches!(c, '\r' | '\n' | '\t');
    if text.is_ascii() {
        // C0 other than TAB, LF, CR, and DEL; folded without branches so it runs word-wide.
        let bad_byte = |b: u8| (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r')) || b == 0x7f;
        text.bytes().fold(false, |any, b| any | bad_byte(b))
    } else {
        text.chars().any(bad)
    }
}

/// Is this a SIP request or status line?
fn header_block(
    lines: &[&str],
    kind: InputKind,
    request_uri: Option<String>,
) -> Result<Message, InputError> {
    // Unfold: a line starting with whitespace continues the previous header.
    let mut headers: Vec<(String, String)> = Vec::new();
    for line in lines {
        if line.trim().is_empty() {
            break; // end of headers; a body follows
        }
        if line.starts_with([' ', '\t'])
            && let Some((_, v)) = headers.last_mut()
        {
            v.push(' ');
            v.push_str(line.trim());
            continue;
        }
        match sip_line::header_name(line) {
            Some(name) => {
                let value = line.split_once(':').map(|(_, v)| v.trim()).unwrap_or("");
                headers.push((name.to_ascii_lowercase(), value.to_string()));
            }
            // A stray line (log prefix, comment): not a header; ignore it.
            None => continue,
        }
    }
    let mut identities = Vec::new();
    let mut dropped = 0;
    let mut ctx = CallContext {
        request_uri,
        ..Default::default()
    };
    for (name, value) in &headers {
        if value.len() > MAX_HEADER_BYTES {
            return Err(InputError::HeaderTooLong {
                name: name.clone(),
                len: value.len(),
            });
        }
        match name.as_str() {
            "identity" | "y" => {
                for v in split_header_values(value) {
                    let v = strip_whitespace(v);
                    if v.is_empty() {
                        continue;
                    }
                    if identities.len() == MAX_IDENTITY_HEADERS {
                        dropped += 1;
                    } else {
                        identities.push(RawIdentity {
                            value: v,
                            bare: false,
                        });
                    }
                }
            }
            "from" | "f" => set_once(&mut ctx.from, value),
            "to" | "t" => set_once(&mut ctx.to, value),
            "p-asserted-identity" => {
                // PAI may list a sip and a tel URI; prefer the one that carries a TN.
                let best = split_header_values(value)
                    .into_iter()
                    .find(|v| tn::from_uri(v).is_some());
                set_once(&mut ctx.pai, best.unwrap_or(value));
            }
            "date" => set_once(&mut ctx.date, value),
            _ => {}
        }
    }
    ctx.orig_tn = ctx
        .pai
        .as_deref()
        .and_then(tn::from_uri)
        .or_else(|| ctx.from.as_deref().and_then(tn::from_uri));
    ctx.dest_tn = ctx
        .to
        .as_deref()
        .and_then(tn::from_uri)
        .or_else(|| ctx.request_uri.as_deref().and_then(tn::from_uri));
    ctx.date_unix = ctx.date.as_deref().and_then(parse_http_date);
    let has_context = ctx.from.is_some()
        || ctx.to.is_some()
        || ctx.pai.is_some()
        || ctx.date.is_some()
        || ctx.request_uri.is_some();
    if identities.is_empty() && !has_context && kind == InputKind::HeaderBlock {
        // "Name: value" that is not SIP at all, e.g. "hello: world" — still read as headers, but
        // a lone bare value with a colon in it is more likely junk.
        if headers.is_empty() {
            return Err(InputError::NotRecognized);
        }
    }
    Ok(Message {
        identities,
        dropped_identities: dropped,
        context: has_context.then_some(ctx),
        ..Message::new(kind)
    })
}

fn set_once(slot: &mut Option<String>, value: &str) {
    if slot.is_none() {
        *slot = Some(value.to_string());
    }
}

/// Split a header value on commas that are outside `<...>` and quotes.
fn split_header_values(value: &str) -> Vec<&str> {
    let mut out: Vec<&str> = crate::text::split_outside(value, ',')
        .into_iter()
        .map(str::trim)
        .collect();
    out.retain(|s| !s.is_empty());
    out
}

fn bare_value(text: &str) -> Result<Message, InputError> {
    // Line breaks inside a wrapped token are removed below; spaces inside a line are words
    // ("see eyJ… above"), not a token.
    let token_text = text.split(';').next().unwrap_or("");
    if token_text.lines().any(|l| has_whitespace(l.trim())) {
        return Err(InputError::NotRecognized);
    }
    let v = strip_whitespace(text);
    if v.len() > MAX_HEADER_BYTES {
        return Err(InputError::HeaderTooLong {
            name: "Identity".into(),
            len: v.len(),
        });
    }
    let token = v.split(';').next().unwrap_or("");
    let looks_like_jws = token.split('.').count() == 3
        && token.bytes().fold(true, |all, b| {
            all & (crate::text::is_b64url_byte(b) | matches!(b, b'.' | b'=' | b'+' | b'/'))
        });
    if !looks_like_jws {
        return Err(InputError::NotRecognized);
    }
    let bare = !v.contains(';');
    Ok(Message {
        identities: vec![RawIdentity { value: v, bare }],
        ..Message::new(if bare {
            InputKind::BareJws
        } else {
            InputKind::HeaderValue
        })
    })
}

pub use crate::time::parse_http_date;

#[cfg(test)]
mod tests {
    use super::*;

    const INVITE: &str = "INVITE sip:+12155551213@example.net;user=phone SIP/2.0\r\n\
Via: SIP/2.0/UDP 192.0.2.1\r\n\
From: \"Alice\" <sip:+1-215-555-1212@example.com;user=phone>;tag=1\r\n\
t: <tel:+12155551213>\r\n\
Date: Fri, 25 Sep 2015 19:12:25 GMT\r\n\
Identity: eyJh.eyJi\r\n\
\x20.c2ln;info=<https://cert.example.org/passport.cer>;\r\n\
\tppt=shaken\r\n\
y: a.b.c;info=<https://x.example/c>\r\n\
\r\n\
v=0\r\n";

    #[test]
    fn reads_a_sip_request_with_folding_and_compact_names() {
        let m = parse(INVITE).unwrap();
        assert_eq!(m.kind, InputKind::SipRequest);
        assert_eq!(m.identities.len(), 2);
        assert_eq!(
            m.identities[0].value,
            "eyJh.eyJi.c2ln;info=<https://cert.example.org/passport.cer>;ppt=shaken"
        );
        let c = m.context.unwrap();
        assert_eq!(c.orig_tn.as_deref(), Some("12155551212"));
        assert_eq!(c.dest_tn.as_deref(), Some("12155551213"));
        assert_eq!(c.date_unix, Some(1443208345));
    }

    #[test]
    fn reads_bare_values_and_rejects_junk() {
        assert_eq!(parse("a.b.c").unwrap().kind, InputKind::BareJws);
        assert_eq!(
            parse("  a.b.c;info=<https://x/y>\n").unwrap().kind,
            InputKind::HeaderValue
        );
        assert_eq!(parse("hello world"), Err(InputError::NotRecognized));
        assert_eq!(parse("   "), Err(InputError::Empty));
        assert_eq!(parse("a\u{0}b"), Err(InputError::Binary));
        let m = parse("From: <sip:+12155551212@x>\nTo: <sip:+12155551213@x>").unwrap();
        assert!(m.identities.is_empty() && m.context.is_some());
    }

    #[test]
    fn bounds_sizes() {
        let big = "x".repeat(MAX_INPUT_BYTES + 1);
        assert!(matches!(parse(&big), Err(InputError::TooLarge(_))));
        let long = format!("Identity: {}.b.c", "a".repeat(MAX_HEADER_BYTES));
        assert!(matches!(
            parse(&long),
            Err(InputError::HeaderTooLong { .. })
        ));
        let many: String = (0..20)
            .map(|_| "Identity: a.b.c;info=<https://x/y>\n")
            .collect();
        let m = parse(&many).unwrap();
        assert_eq!(
            (m.identities.len(), m.dropped_identities),
            (MAX_IDENTITY_HEADERS, 4)
        );
    }
}
