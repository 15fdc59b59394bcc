//! Finding the Identity header or PASSporT in whatever was pasted (checklist row `input`).
//!
//! People paste what they have: a header copied from a ticket or e-mail (wrapped without
//! indentation, quoted, with typographic quotes or non-breaking spaces), a log line
//! (`2026-… INFO sip: Identity: eyJ…`), a webhook body (JSON with `StirPassportToken` or
//! `identity`, a form-encoded `StirPassportToken=…&From=…`), URL-encoded or HTML-escaped text,
//! or a Wireshark copy of the SIP message. [`prepare`] undoes those layers so `sip::parse` reads
//! what a SIP stack would have received; [`scan`] is the last resort that picks JWS-shaped tokens
//! out of any text. Each step that changed something is recorded, so the `input` check can say
//! what was found and how.
//!
//! Call context from structured bodies: when a JSON object or form body carries the token *and*
//! `From`/`To` (Twilio's webhook parameters; ATIS-1000082's `from.tn`/`to.tn`) beside it, those
//! are the call's own numbers, so they are used for `call.orig`/`call.dest`. Only siblings of
//! the token, and only values that are telephone numbers: a `From` elsewhere in the document, or
//! a `client:alice` caller, is not evidence about this PASSporT's call and is ignored.
//!
//! Bounded: `sip::parse` checks the input size before calling in; every step here only shrinks
//! the text or copies bounded parts of it, JSON nesting is limited by serde_json (128) and
//! [`MAX_DEPTH`], and at most [`MAX_FOUND`] values are collected.

use std::borrow::Cow;

/// Nesting of JSON objects/arrays walked, and of encoded texts inside texts.
pub const MAX_DEPTH: usize = 16;
/// Values collected from one paste (the SIP limit of 16 Identity headers applies after).
pub const MAX_FOUND: usize = 64;

/// Where the token was found, when it was not plain SIP text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Source {
    JsonBody,
    FormBody,
    FreeText,
}

impl Source {
    pub fn describe(self) -> &'static str {
        match self {
            Source::JsonBody => "a JSON body",
            Source::FormBody => "a form-encoded body",
            Source::FreeText => "free text",
        }
    }
}

/// What was undone to read the paste (shown in the `input` check's detail).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cleanup {
    Bom,
    OddSpaces,
    TypographicQuotes,
    LoneCr,
    LiteralEscapes,
    JsonString,
    HtmlEscaped,
    UrlEncoded,
    Wireshark,
    WiresharkTruncated,
    Preamble(usize),
    LogPrefix(usize),
    Quotes(usize),
    Wrapped(usize),
}

impl Cleanup {
    pub fn describe(&self) -> String {
        let lines = |n: &usize| format!("{n} line{}", if *n == 1 { "" } else { "s" });
        match self {
            Cleanup::Bom => "removing a byte-order mark".into(),
            Cleanup::OddSpaces => "replacing non-breaking and zero-width spaces".into(),
            Cleanup::TypographicQuotes => "straightening typographic quotes".into(),
            Cleanup::LoneCr => "reading bare CR line ends".into(),
            Cleanup::LiteralEscapes => "turning literal \\r\\n into line breaks".into(),
            Cleanup::JsonString => "reading a JSON string".into(),
            Cleanup::HtmlEscaped => "decoding HTML escapes".into(),
            Cleanup::UrlEncoded => "decoding URL encoding".into(),
            Cleanup::Wireshark => "reading a Wireshark copy".into(),
            Cleanup::WiresharkTruncated => {
                "noting that Wireshark shortened a field ([truncated]): copy the field's value instead".into()
            }
            Cleanup::Preamble(n) => format!("skipping {} before the message", lines(n)),
            Cleanup::LogPrefix(n) => format!("removing log prefixes on {}", lines(n)),
            Cleanup::Quotes(n) => format!("removing quotes on {}", lines(n)),
            Cleanup::Wrapped(n) => format!("joining {} wrapped without indentation", lines(n)),
        }
    }
}

/// Identity values and call numbers read out of a JSON or form body.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Extracted {
    /// Identity header values or bare PASSporTs, in order, deduplicated.
    pub values: Vec<String>,
    /// Texts inside the body that are themselves SIP messages or header lines.
    pub texts: Vec<String>,
    /// The calling / called number beside the token, canonical.
    pub from: Option<String>,
    pub to: Option<String>,
    /// The key the (first) token was under, e.g. `StirPassportToken`.
    pub key: Option<String>,
}

/// The paste, made readable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Prepared<'a> {
    /// Text for the SIP reader.
    Text(Cow<'a, str>),
    /// Values from a structured body.
    Body(Source, Extracted),
}

/// Undo the layers around a paste. Plain SIP text comes back borrowed and unchanged.
pub fn prepare<'a>(text: &'a str, cleanups: &mut Vec<Cleanup>) -> Prepared<'a> {
    prepare_at(Cow::Borrowed(text), cleanups, 0)
}

fn prepare_at<'a>(text: Cow<'a, str>, cleanups: &mut Vec<Cleanup>, depth: usize) -> Prepared<'a> {
    let text = characters(text, cleanups);
    let t = text.trim();
    if depth < 2
        && (t.starts_with('{') || t.starts_with('['))
        && let Ok(v) = serde_json::from_str::<serde_json::Value>(t)
    {
        let mut e = Extracted::default();
        walk_json(&v, &mut e, 0);
        return Prepared::Body(Source::JsonBody, e);
    }
    // A JSON string literal: `"eyJ…;ppt=\"shaken\""`, as copied out of a JSON document.
    if depth < 2
        && t.len() > 1
        && t.starts_with('"')
        && t.ends_with('"')
        && let Ok(serde_json::Value::String(inner)) = serde_json::from_str(t)
    {
        cleanups.push(Cleanup::JsonString);
        return prepare_at(Cow::Owned(inner), cleanups, depth + 1);
    }
    if depth < 2 && has_html_entities(t) {
        cleanups.push(Cleanup::HtmlEscaped);
        let decoded = html_unescape(t);
        return prepare_at(Cow::Owned(decoded), cleanups, depth + 1);
    }
    if let Some(e) = form_body(t) {
        return Prepared::Body(Source::FormBody, e);
    }
    if depth < 2 && looks_url_encoded(t) {
        cleanups.push(Cleanup::UrlEncoded);
        let decoded = percent_encoding::percent_decode_str(t)
            .decode_utf8_lossy()
            .into_owned();
        return prepare_at(Cow::Owned(decoded), cleanups, depth + 1);
    }
    let text = literal_escapes(text, cleanups);
    Prepared::Text(lines(text, cleanups))
}

// ---------------------------------------------------------------------------------------------
// Characters

fn is_odd_space(c: char) -> bool {
    matches!(
        c,
        '\u{a0}' | '\u{2000}'..='\u{200a}' | '\u{202f}' | '\u{205f}' | '\u{3000}'
    )
}
fn is_zero_width(c: char) -> bool {
    matches!(c, '\u{200b}'..='\u{200d}' | '\u{2060}' | '\u{feff}')
}
fn typographic_quote(c: char) -> Option<char> {
    match c {
        '\u{201c}' | '\u{201d}' | '\u{201e}' | '\u{00ab}' | '\u{00bb}' => Some('"'),
        '\u{2018}' | '\u{2019}' | '\u{201a}' => Some('\''),
        _ => None,
    }
}

/// BOMs and zero-width characters removed, odd spaces made spaces, typographic quotes straight,
/// bare CR line ends made LF.
fn characters<'a>(text: Cow<'a, str>, cleanups: &mut Vec<Cleanup>) -> Cow<'a, str> {
    let lone_cr = |t: &str| {
        let b = t.as_bytes();
        t.match_indices('\r')
            .any(|(i, _)| b.get(i + 1) != Some(&b'\n'))
    };
    let mut text = text;
    if !text.is_ascii() {
        let (mut bom, mut space, mut quote) = (false, false, false);
        let mut out = String::with_capacity(text.len());
        for c in text.chars() {
            if is_zero_width(c) {
                bom = true;
            } else if is_odd_space(c) {
                space = true;
                out.push(' ');
            } else if let Some(q) = typographic_quote(c) {
                quote = true;
                out.push(q);
            } else {
                out.push(c);
            }
        }
        if bom || space || quote {
            for (flag, c) in [
                (bom, Cleanup::Bom),
                (space, Cleanup::OddSpaces),
                (quote, Cleanup::TypographicQuotes),
            ] {
                if flag {
                    cleanups.push(c);
                }
            }
            text = Cow::Owned(out);
        }
    }
    if lone_cr(&text) {
        cleanups.push(Cleanup::LoneCr);
        text = Cow::Owned(text.replace("\r\n", "\n").replace('\r', "\n"));
    }
    text
}

/// A log that printed the message as one line with escapes (`INVITE …\r\nVia: …\r\n…`).
fn literal_escapes<'a>(text: Cow<'a, str>, cleanups: &mut Vec<Cleanup>) -> Cow<'a, str> {
    // Both escapes start with a backslash: text without one (most pastes) needs no search.
    if !text.contains('\\')
        || text.trim().contains('\n')
        || !(text.contains("\\r\\n") || text.matches("\\n").count() > 1)
    {
        return text;
    }
    cleanups.push(Cleanup::LiteralEscapes);
    Cow::Owned(
        text.replace("\\r\\n", "\n")
            .replace("\\n", "\n")
            .replace("\\\"", "\""),
    )
}

// ---------------------------------------------------------------------------------------------
// Lines

/// Header names this reader uses; a log line is cut to the first of these it carries.
const LOG_HEADERS: [&str; 4] = ["p-asserted-identity:", "identity:", "from:", "to:"];
/// Words that end a log prefix like `INFO:`, never SIP header names.
const LOG_WORDS: [&str; 14] = [
    "info", "debug", "warn", "warning", "error", "trace", "notice", "verbose", "log", "sip", "msg",
    "fatal", "crit", "critical",
];

fn is_quote(c: char) -> bool {
    matches!(c, '"' | '\'' | '`')
}

/// The name of a `Name: value` line as a SIP header (letter first), if it is one.
fn sip_header_name(line: &str) -> Option<&str> {
    crate::sip_line::header_name(line)
}

fn is_start_line(line: &str) -> bool {
    crate::sip_line::is_start_line(line)
}

/// The line without a log prefix, if it had one.
fn strip_log_prefix(line: &str) -> Option<&str> {
    let trimmed = line.trim_start();
    if is_start_line(trimmed) {
        return None;
    }
    if let Some(name) = sip_header_name(trimmed)
        && !LOG_WORDS.iter().any(|w| name.eq_ignore_ascii_case(w))
    {
        return None; // a real header line
    }
    if !line.contains(':') && !line.contains("SIP/2.0") {
        return None; // neither a header nor a start line can follow
    }
    let lower = line.to_ascii_lowercase();
    let boundary = |i: usize| {
        i > 0 && !lower.as_bytes()[i - 1].is_ascii_alphanumeric() && lower.as_bytes()[i - 1] != b'-'
    };
    let mut best: Option<usize> = None;
    for h in LOG_HEADERS {
        let mut from = 0;
        while let Some(pos) = lower[from..].find(h) {
            let i = from + pos;
            from = i + h.len();
            if !boundary(i) {
                continue;
            }
            let rest = line[i + h.len()..]
                .trim_start()
                .trim_start_matches(is_quote);
            let plausible = match h {
                "identity:" => rest.starts_with("eyJ") || rest.starts_with('.'),
                _ => {
                    let r = rest.to_ascii_lowercase();
                    r.contains("sip:") || r.contains("tel:") || r.starts_with('<')
                }
            };
            if plausible {
                best = Some(best.map_or(i, |b: usize| b.min(i)));
                break;
            }
        }
    }
    if let Some(i) = best {
        return Some(&line[i..]);
    }
    // A start line after a prefix: "… INFO sip: INVITE sip:+1…@host SIP/2.0".
    let words: Vec<(usize, &str)> = word_offsets(line);
    if words.len() > 3 {
        let n = words.len();
        let candidate = &line[words[n - 3].0..];
        if is_start_line(candidate.trim_end()) {
            return Some(candidate);
        }
    }
    if let Some(i) = lower.find("sip/2.0 ") {
        let candidate = &line[i..];
        if i > 0 && is_start_line(candidate.trim_end()) {
            return Some(candidate);
        }
    }
    None
}

fn word_offsets(line: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in line.char_indices() {
        match (c.is_whitespace(), start) {
            (true, Some(s)) => {
                out.push((s, &line[s..i]));
                start = None;
            }
            (false, None) => start = Some(i),
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push((s, &line[s..]));
    }
    out
}

/// The line without quotes around it (`"Identity: …"`, `'eyJ…',`), if it had them. Quotes that
/// belong to the header (`ppt="shaken"`, `"Alice" <sip:…>`) are kept: only a quote at an end
/// that has no partner inside the line, or a pair around the whole line, is removed.
fn strip_quotes(line: &str) -> Option<&str> {
    let t = line.trim();
    // `"…",` as in a list in code.
    let t = match t.strip_suffix(',') {
        Some(x) if x.ends_with(is_quote) => x,
        _ => t,
    };
    let first = t.chars().next()?;
    let last = t.chars().last()?;
    let count = |q: char| t.chars().filter(|c| *c == q).count();
    if is_quote(first) {
        if t.len() > 1 && last == first {
            let inner = &t[1..t.len() - 1];
            // `"Bob"` alone (a display name) stays: a quoted paste holds a header or a token.
            if !inner.contains(':') && !inner.contains('.') {
                return None;
            }
            return Some(inner);
        }
        return (count(first) % 2 == 1).then(|| &t[1..]);
    }
    (is_quote(last) && count(last) % 2 == 1).then(|| &t[..t.len() - 1])
}

/// A Wireshark packet-details copy: `Session Initiation Protocol`, `Request-Line:`, `Message Header`.
fn is_wireshark(text: &str) -> bool {
    text.lines().any(|l| {
        let l = l.trim();
        l.starts_with("Session Initiation Protocol")
            || l.starts_with("Request-Line: ")
            || l.starts_with("Status-Line: ")
            || l == "Message Header"
    })
}

/// One Wireshark tree line as a SIP line, or `None` to drop it.
fn wireshark_line<'a>(line: &'a str, truncated: &mut bool) -> Option<&'a str> {
    let mut l = line.trim();
    l = l.strip_suffix("\\r\\n").unwrap_or(l).trim_end();
    if let Some(rest) = l.strip_prefix("[truncated]") {
        *truncated = true;
        l = rest.trim_start();
    }
    if l.starts_with("Session Initiation Protocol")
        || l == "Message Header"
        || l.starts_with("Message Body")
        || l.starts_with('[')
    {
        return None;
    }
    for p in ["Request-Line: ", "Status-Line: "] {
        if let Some(rest) = l.strip_prefix(p) {
            return Some(rest);
        }
    }
    Some(l)
}

/// Line-level repairs: Wireshark layout, text before the message, log prefixes, quotes, and
/// lines of a header wrapped without indentation (joined back).
fn lines<'a>(text: Cow<'a, str>, cleanups: &mut Vec<Cleanup>) -> Cow<'a, str> {
    let wireshark = is_wireshark(&text);
    let mut truncated = false;
    let mut out: Vec<Cow<'_, str>> = Vec::new();
    let (mut log, mut quoted, mut wrapped) = (0usize, 0usize, 0usize);
    let mut changed = false;
    let mut started_ws = !wireshark;
    for raw in text.lines() {
        let mut line: Cow<'_, str> = Cow::Borrowed(raw);
        if wireshark {
            let t = raw.trim();
            if !started_ws {
                if t.starts_with("Session Initiation Protocol")
                    || t.starts_with("Request-Line: ")
                    || t.starts_with("Status-Line: ")
                {
                    started_ws = true;
                } else {
                    continue;
                }
            }
            match wireshark_line(raw, &mut truncated) {
                Some(l) => line = Cow::Owned(l.to_string()),
                None => continue,
            }
        }
        if line.trim_start().starts_with("```") {
            changed = true;
            continue;
        }
        if let Some(q) = strip_quotes(&line) {
            let q = q.to_string();
            line = Cow::Owned(q);
            quoted += 1;
        }
        if let Some(s) = strip_log_prefix(&line) {
            let s = s.to_string();
            line = Cow::Owned(s);
            log += 1;
            if let Some(q) = strip_quotes(&line) {
                let q = q.to_string();
                line = Cow::Owned(q);
            }
        }
        // `Identity: "eyJ…;info=<…>"`: quotes around the value.
        if let Some(v) = quoted_identity_value(&line) {
            line = Cow::Owned(v);
            quoted += 1;
        }
        if joins_previous(&line, out.last().map(|l| l.as_ref())) {
            let prev = out
                .last_mut()
                .expect("joins_previous needs a previous line");
            prev.to_mut().push_str(line.trim());
            wrapped += 1;
            continue;
        }
        out.push(line);
    }
    // Text before the first line a SIP reader can start from ("Here is the header:").
    let start = out
        .iter()
        .position(|l| is_start_line(l.trim()) || sip_header_name(l).is_some());
    let mut preamble = 0;
    if let Some(s) = start.filter(|s| *s > 0)
        && out[..s].iter().all(|l| !looks_like_token_piece(l))
    {
        preamble = out[..s].iter().filter(|l| !l.trim().is_empty()).count();
        out.drain(..s);
    }
    if log > 0 {
        // Log lines between header lines are not the end of the headers.
        out.retain(|l| !l.trim().is_empty());
    }
    if wireshark {
        cleanups.push(Cleanup::Wireshark);
    }
    if truncated {
        cleanups.push(Cleanup::WiresharkTruncated);
    }
    for (n, c) in [
        (preamble, Cleanup::Preamble(preamble)),
        (log, Cleanup::LogPrefix(log)),
        (quoted, Cleanup::Quotes(quoted)),
        (wrapped, Cleanup::Wrapped(wrapped)),
    ] {
        if n > 0 {
            cleanups.push(c);
        }
    }
    if !(wireshark || changed || preamble > 0 || log > 0 || quoted > 0 || wrapped > 0) {
        return text;
    }
    let mut s = String::with_capacity(text.len());
    for l in &out {
        s.push_str(l);
        s.push('\n');
    }
    Cow::Owned(s)
}

/// `Identity: "value"` → `Identity: value` (also `y:`).
fn quoted_identity_value(line: &str) -> Option<String> {
    let name = sip_header_name(line)?;
    if !matches!(name.to_ascii_lowercase().as_str(), "identity" | "y") {
        return None;
    }
    let (n, v) = line.split_once(':')?;
    let v = v.trim();
    let stripped = strip_quotes(v)?;
    Some(format!("{n}: {stripped}"))
}

/// A piece of base64url / header parameters with no spaces: what wrapping leaves on a line.
fn looks_like_token_piece(line: &str) -> bool {
    let t = line.trim();
    !t.is_empty()
        && !crate::text::has_whitespace(t)
        && t.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_.;=<>:/\"%+~?&#@!$'()*,[]".contains(&b))
}

/// Does `line` continue the previous line's header without indentation (a hard wrap)?
/// Only an Identity header (whose value has no spaces) or a header with an unclosed `<`.
fn joins_previous(line: &str, prev: Option<&str>) -> bool {
    let Some(prev) = prev else { return false };
    if line.starts_with([' ', '\t']) || !looks_like_token_piece(line) || is_start_line(line.trim())
    {
        return false;
    }
    if sip_header_name(line).is_some() {
        return false;
    }
    let Some(name) = sip_header_name(prev) else {
        return false;
    };
    let value = prev.split_once(':').map(|(_, v)| v).unwrap_or("");
    matches!(name.to_ascii_lowercase().as_str(), "identity" | "y")
        || value.matches('<').count() > value.matches('>').count()
}

// ---------------------------------------------------------------------------------------------
// Structured bodies

/// Keys that name an Identity header or PASSporT in webhook and API bodies.
fn is_token_key(k: &str) -> bool {
    matches!(
        k.to_ascii_lowercase().replace(['_', '-'], "").as_str(),
        "stirpassporttoken"
            | "identity"
            | "identityheader"
            | "identities"
            | "passport"
            | "passporttoken"
            | "stiridentity"
            | "shakenpassport"
    )
}

/// A JWS compact serialization (`eyJ….….…`, the header is a JSON object) or an Identity header
/// value starting with one.
pub fn looks_like_identity(s: &str) -> bool {
    let s = s.trim();
    let s = strip_identity_name(s);
    let token = s.split(';').next().unwrap_or("");
    let token = crate::text::strip_whitespace(token);
    token.starts_with("eyJ")
        && token.split('.').count() == 3
        && token
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b))
}

fn strip_identity_name(s: &str) -> &str {
    for p in ["Identity:", "identity:", "IDENTITY:"] {
        if let Some(r) = s.strip_prefix(p) {
            return r.trim_start();
        }
    }
    s
}

/// Does this text hold SIP lines with an Identity header (a message inside a JSON string)?
fn holds_sip_identity(s: &str) -> bool {
    s.contains('\n')
        && s.lines()
            .any(|l| sip_header_name(l.trim()).is_some_and(|n| n.eq_ignore_ascii_case("identity")))
}

fn push_value(e: &mut Extracted, v: &str, key: Option<&str>) {
    let v = strip_identity_name(v.trim());
    let v = strip_quotes(v).unwrap_or(v).trim();
    if v.is_empty() || e.values.len() + e.texts.len() >= MAX_FOUND {
        return;
    }
    if !e.values.iter().any(|x| x == v) {
        e.values.push(v.to_string());
        if e.key.is_none() {
            e.key = key.map(str::to_owned);
        }
    }
}

/// A canonical TN from a `From`/`To` value: `+12155551212`, a tel/sip URI, or ATIS `{ "tn": … }`.
fn number_of(v: &serde_json::Value) -> Option<String> {
    use serde_json::Value;
    match v {
        Value::String(s) => number_text(s),
        Value::Object(o) => o.get("tn").and_then(number_of),
        Value::Array(a) => a.first().and_then(number_of),
        _ => None,
    }
}

fn number_text(s: &str) -> Option<String> {
    let s = s.trim();
    crate::tn::from_uri(s).or_else(|| {
        let digits = s.strip_prefix('+').unwrap_or(s);
        (digits.len() >= 7 && digits.bytes().all(|b| b.is_ascii_digit()))
            .then(|| crate::tn::canonical(s))
            .flatten()
    })
}

fn walk_json(v: &serde_json::Value, e: &mut Extracted, depth: usize) {
    use serde_json::Value;
    if depth > MAX_DEPTH {
        return;
    }
    match v {
        Value::String(s) => {
            if looks_like_identity(s) {
                push_value(e, s, None);
            } else if holds_sip_identity(s) && e.texts.len() < MAX_FOUND {
                e.texts.push(s.clone());
            }
        }
        Value::Array(a) => a.iter().for_each(|x| walk_json(x, e, depth + 1)),
        Value::Object(o) => {
            // Only a token directly in this object makes its From / To the call's numbers.
            let before = e.values.len() + e.texts.len();
            let mut direct = false;
            for (k, x) in o {
                match x {
                    Value::String(s) if is_token_key(k) && !s.trim().is_empty() => {
                        if holds_sip_identity(s) {
                            e.texts.push(s.clone());
                        } else {
                            push_value(e, s, Some(k));
                        }
                        direct = true;
                    }
                    Value::Array(a) if is_token_key(k) => {
                        for s in a.iter().filter_map(|s| s.as_str()) {
                            push_value(e, s, Some(k));
                        }
                        direct = true;
                    }
                    Value::String(s) if looks_like_identity(s) => {
                        push_value(e, s, Some(k));
                        direct = true;
                    }
                    _ => walk_json(x, e, depth + 1),
                }
            }
            let found = e.values.len() + e.texts.len() > before;
            if direct && found && e.from.is_none() && e.to.is_none() {
                let get = |name: &str| {
                    o.iter()
                        .find(|(k, _)| k.eq_ignore_ascii_case(name))
                        .and_then(|(_, v)| number_of(v))
                };
                e.from = get("from");
                e.to = get("to");
            }
        }
        _ => {}
    }
}

/// `StirPassportToken=eyJ…&From=%2B1…&To=%2B1…`: one line of `key=value` pairs.
fn form_body(t: &str) -> Option<Extracted> {
    if t.is_empty() || !t.contains('=') || crate::text::has_whitespace(t) {
        return None;
    }
    let key_ok = |k: &str| {
        !k.is_empty()
            && k.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"_.-[]".contains(&b))
    };
    let pairs: Vec<&str> = t.split('&').collect();
    let all_pairs = pairs
        .iter()
        .all(|p| p.split_once('=').is_some_and(|(k, _)| key_ok(k)));
    let known = pairs
        .iter()
        .any(|p| p.split_once('=').is_some_and(|(k, _)| is_token_key(k)));
    if !all_pairs || !(known || pairs.len() >= 2) {
        return None;
    }
    let mut e = Extracted::default();
    let mut from = None;
    let mut to = None;
    for (k, v) in form_urlencoded::parse(t.as_bytes()) {
        if is_token_key(&k) || looks_like_identity(&v) {
            if holds_sip_identity(&v) {
                e.texts.push(v.into_owned());
            } else {
                push_value(&mut e, &v, Some(&k));
            }
        } else if k.eq_ignore_ascii_case("from") {
            from = number_text(&v);
        } else if k.eq_ignore_ascii_case("to") {
            to = number_text(&v);
        }
    }
    if e.values.is_empty() && e.texts.is_empty() {
        return None;
    }
    e.from = from;
    e.to = to;
    Some(e)
}

/// `%3B`, `%3C`, `%3D`… where an Identity header or SIP text has `;`, `<`, `=`.
fn looks_url_encoded(t: &str) -> bool {
    if !t.contains('%') {
        return false;
    }
    let lower = t.to_ascii_lowercase();
    [
        "%3b", "%3c", "%3e", "%3d", "%3a", "%2f", "%22", "%0a", "%0d", "%20", "%7b",
    ]
    .iter()
    .filter(|m| lower.contains(*m))
    .count()
        >= 2
}

fn has_html_entities(t: &str) -> bool {
    t.contains('&')
        && [
            "&lt;", "&gt;", "&quot;", "&#34;", "&#39;", "&#x3c;", "&#x3C;", "&#60;", "&apos;",
        ]
        .iter()
        .any(|e| t.contains(e))
}

/// The entities escaping tools write for `< > " ' &` and spaces, plus numeric references. No
/// crate is needed for this handful (a full HTML5 entity table is far more than a header needs).
fn html_unescape(t: &str) -> String {
    let mut out = String::with_capacity(t.len());
    let mut rest = t;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let end = rest
            .char_indices()
            .take(12)
            .find(|(_, c)| *c == ';')
            .map(|(i, _)| i);
        let decoded = end.and_then(|e| {
            let name = &rest[1..e];
            let c = match name {
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "amp" => Some('&'),
                "nbsp" => Some(' '),
                n if n.starts_with("#x") || n.starts_with("#X") => u32::from_str_radix(&n[2..], 16)
                    .ok()
                    .and_then(char::from_u32),
                n if n.starts_with('#') => n[1..].parse::<u32>().ok().and_then(char::from_u32),
                _ => None,
            };
            c.map(|c| (c, e + 1))
        });
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

// ---------------------------------------------------------------------------------------------
// Last resort

/// JWS-shaped tokens (`eyJ….….…`, with any `;info=<…>;…` parameters that follow) anywhere in
/// the text, in order, deduplicated, at most [`MAX_FOUND`].
pub fn scan(text: &str) -> Vec<String> {
    let b = text.as_bytes();
    let is_b64 = |c: u8| c.is_ascii_alphanumeric() || c == b'-' || c == b'_';
    let mut out: Vec<String> = Vec::new();
    let mut from = 0;
    while let Some(pos) = text[from..].find("eyJ") {
        let start = from + pos;
        from = start + 3;
        if start > 0 && (is_b64(b[start - 1]) || b[start - 1] == b'.') {
            continue;
        }
        let mut end = start;
        let mut dots = 0;
        while end < b.len() && (is_b64(b[end]) || b[end] == b'.') {
            dots += usize::from(b[end] == b'.');
            end += 1;
        }
        from = end.max(from);
        if dots != 2 || b[end - 1] == b'.' {
            continue;
        }
        // Header parameters: up to whitespace, a quote or '&', '<…>' and `="…"` kept whole.
        if end < b.len() && b[end] == b';' {
            let (mut depth, mut quoted) = (0i32, false);
            while end < b.len() {
                let c = b[end];
                if quoted {
                    if c.is_ascii_whitespace() {
                        break;
                    }
                    quoted = c != b'"';
                    end += 1;
                    continue;
                }
                match c {
                    b'<' => depth += 1,
                    b'>' => depth -= 1,
                    b'"' if depth <= 0 && b[end - 1] == b'=' => quoted = true,
                    _ if depth <= 0 && (c.is_ascii_whitespace() || b"\"'&,`".contains(&c)) => {
                        break;
                    }
                    _ => {}
                }
                end += 1;
            }
            from = end.max(from);
        }
        let found = text[start..end].trim_end_matches([';', ')', ']', '}', '.']);
        if !out.iter().any(|x| x == found) {
            out.push(found.to_string());
        }
        if out.len() >= MAX_FOUND {
            break;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text_of(t: &str) -> (String, Vec<Cleanup>) {
        let mut c = Vec::new();
        match prepare(t, &mut c) {
            Prepared::Text(s) => (s.into_owned(), c),
            Prepared::Body(..) => panic!("not a body"),
        }
    }

    #[test]
    fn plain_sip_text_is_borrowed_unchanged() {
        let t = "INVITE sip:+1@x SIP/2.0\r\nFrom: \"Alice\" <sip:+1@x>\r\nTo: \"Bob\"\r\nIdentity: a.b.c;ppt=\"shaken\"\r\n\r\nv=0\r\n";
        let mut c = Vec::new();
        assert!(
            matches!(prepare(t, &mut c), Prepared::Text(Cow::Borrowed(_))),
            "{c:?}"
        );
        assert!(c.is_empty());
    }

    #[test]
    fn strips_log_prefixes_and_quotes_and_joins_wraps() {
        let (t, c) = text_of(
            "2026-12-01T10:00:00Z INFO sip: Identity: eyJa.eyJb\nc2ln;info=<https:\n//x.example/c.pem>;ppt=\"shaken\"",
        );
        assert_eq!(
            t,
            "Identity: eyJa.eyJbc2ln;info=<https://x.example/c.pem>;ppt=\"shaken\"\n"
        );
        assert!(
            c.contains(&Cleanup::LogPrefix(1)) && c.contains(&Cleanup::Wrapped(2)),
            "{c:?}"
        );
        let (t, _) = text_of("'Identity: eyJa.eyJb.c;ppt=\"shaken\"'");
        assert_eq!(t.trim(), "Identity: eyJa.eyJb.c;ppt=\"shaken\"");
        let (t, _) = text_of("Identity: \"eyJa.eyJb.c;ppt=\"shaken\"\"");
        assert_eq!(t.trim(), "Identity: eyJa.eyJb.c;ppt=\"shaken\"");
        let (t, _) = text_of("“eyJa.eyJb.c”");
        assert_eq!(t.trim(), "eyJa.eyJb.c");
    }

    #[test]
    fn reads_json_and_form_bodies() {
        let mut c = Vec::new();
        let Prepared::Body(Source::JsonBody, e) = prepare(
            r#"{"CallSid":"CA1","From":"+12155551212","To":"+12155551213","StirPassportToken":"eyJa.eyJb.c"}"#,
            &mut c,
        ) else {
            panic!("json")
        };
        assert_eq!(e.values, ["eyJa.eyJb.c"]);
        assert_eq!(
            (e.from.as_deref(), e.to.as_deref()),
            (Some("12155551212"), Some("12155551213"))
        );
        assert_eq!(e.key.as_deref(), Some("StirPassportToken"));
        let Prepared::Body(Source::JsonBody, e) = prepare(
            r#"{"verificationRequest":{"from":{"tn":"12155551212"},"to":{"tn":["12155551213"]},"time":1,"identity":"eyJa.eyJb.c;info=<https://x/y>"}}"#,
            &mut c,
        ) else {
            panic!("json")
        };
        assert_eq!(e.values, ["eyJa.eyJb.c;info=<https://x/y>"]);
        assert_eq!(e.to.as_deref(), Some("12155551213"));
        let Prepared::Body(Source::FormBody, e) = prepare(
            "AccountSid=AC1&From=%2B12155551212&To=%2B12155551213&StirPassportToken=eyJa.eyJb.c",
            &mut c,
        ) else {
            panic!("form")
        };
        assert_eq!(e.values, ["eyJa.eyJb.c"]);
        assert_eq!(e.from.as_deref(), Some("12155551212"));
    }

    #[test]
    fn decodes_url_and_html_escapes() {
        let (t, c) = text_of("eyJa.eyJb.c%3Binfo%3D%3Chttps%3A%2F%2Fx%2Fy%3E");
        assert_eq!(t.trim(), "eyJa.eyJb.c;info=<https://x/y>");
        assert!(c.contains(&Cleanup::UrlEncoded));
        let (t, _) =
            text_of("Identity: eyJa.eyJb.c;info=&lt;https://x/y&gt;;ppt=&quot;shaken&quot;");
        assert_eq!(
            t.trim(),
            "Identity: eyJa.eyJb.c;info=<https://x/y>;ppt=\"shaken\""
        );
        assert_eq!(html_unescape("&amp;&#60;&#x3E;&bogus;&"), "&<>&bogus;&");
        assert_eq!(
            html_unescape("&ééééééé;&#xD800;&#99999999;"),
            "&ééééééé;&#xD800;&#99999999;"
        );
    }

    #[test]
    fn scans_tokens_out_of_free_text() {
        assert_eq!(
            scan("token=eyJa.eyJb.c2ln and eyJx.eyJy.eg;info=<https://x/y z>;ppt=\"shaken\", done"),
            [
                "eyJa.eyJb.c2ln",
                "eyJx.eyJy.eg;info=<https://x/y z>;ppt=\"shaken\""
            ]
        );
        assert!(scan("hello eyJ there, eyJa.b").is_empty());
    }
}
