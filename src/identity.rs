//! The Identity header value (RFC 8224 §4): `token ;info=<absoluteURI> [;alg=ES256] [;ppt=x]`.

use std::fmt;

/// A problem with the header's own syntax, each mapped to the SIP code the checklist gives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SyntaxProblem {
    MissingInfo,
    InfoNotBracketed(String),
    InfoNotAbsolute(String),
    AlgNotEs256(String),
    Duplicate(String),
    EmptyParam,
    BadTokenChar(char),
}

impl SyntaxProblem {
    pub fn code(&self) -> crate::verdict::SipCode {
        use crate::verdict::SipCode::*;
        match self {
            SyntaxProblem::MissingInfo
            | SyntaxProblem::InfoNotBracketed(_)
            | SyntaxProblem::InfoNotAbsolute(_) => BadIdentityInfo,
            SyntaxProblem::AlgNotEs256(_) => UnsupportedCredential,
            _ => InvalidIdentityHeader,
        }
    }
}

impl fmt::Display for SyntaxProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SyntaxProblem::MissingInfo => write!(
                f,
                "the Identity header has no info parameter (the certificate URL)"
            ),
            SyntaxProblem::InfoNotBracketed(v) => {
                write!(f, "info must be a URI in angle brackets, got {v:?}")
            }
            SyntaxProblem::InfoNotAbsolute(v) => write!(f, "info {v:?} is not an absolute URI"),
            SyntaxProblem::AlgNotEs256(v) => {
                write!(f, "alg={v} is not supported; SHAKEN uses ES256 only")
            }
            SyntaxProblem::Duplicate(p) => write!(f, "the {p} parameter appears more than once"),
            SyntaxProblem::EmptyParam => write!(f, "the header has an empty parameter (';;')"),
            SyntaxProblem::BadTokenChar(c) => {
                write!(
                    f,
                    "the PASSporT contains {c:?}; only base64url characters and '.' are allowed"
                )
            }
        }
    }
}

/// The Identity header value, split. Problems are collected, not fatal, so every one is shown.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct IdentityHeader {
    pub token: String,
    pub info: Option<String>,
    pub alg: Option<String>,
    pub ppt: Option<String>,
    /// No parameters at all: a bare PASSporT (e.g. from a carrier API), nothing to check here.
    pub bare: bool,
    pub problems: Vec<SyntaxProblem>,
}

pub fn parse(value: &str, bare: bool) -> IdentityHeader {
    let parts = split_params(value);
    let token = parts.first().map(|s| s.trim()).unwrap_or("").to_string();
    let mut h = IdentityHeader {
        bare,
        ..Default::default()
    };
    if let Some(c) =
        crate::text::first_char_not(&token, |b| crate::text::is_b64url_byte(b) | (b == b'.'))
    {
        h.problems.push(SyntaxProblem::BadTokenChar(c));
    }
    h.token = token;
    for p in parts.iter().skip(1) {
        let p = p.trim();
        if p.is_empty() {
            h.problems.push(SyntaxProblem::EmptyParam);
            continue;
        }
        let (name, val) = p
            .split_once('=')
            .map(|(n, v)| (n.trim(), v.trim()))
            .unwrap_or((p, ""));
        let name = name.to_ascii_lowercase();
        let slot = match name.as_str() {
            "info" => &mut h.info,
            "alg" => &mut h.alg,
            "ppt" => &mut h.ppt,
            _ => continue, // generic-param: allowed and ignored
        };
        if slot.is_some() {
            h.problems.push(SyntaxProblem::Duplicate(name.clone()));
            continue;
        }
        let v = if name == "ppt" {
            val.trim_matches('"').to_string()
        } else {
            val.to_string()
        };
        *slot = Some(v);
    }
    if !bare {
        match h.info.clone() {
            None => h.problems.push(SyntaxProblem::MissingInfo),
            Some(v) => match v.strip_prefix('<').and_then(|s| s.strip_suffix('>')) {
                None => h.problems.push(SyntaxProblem::InfoNotBracketed(v)),
                Some(uri) => {
                    if !is_absolute_uri(uri) {
                        h.problems
                            .push(SyntaxProblem::InfoNotAbsolute(uri.to_string()));
                    }
                    h.info = Some(uri.to_string());
                }
            },
        }
    }
    if let Some(alg) = &h.alg
        && alg != "ES256"
    {
        h.problems.push(SyntaxProblem::AlgNotEs256(alg.clone()));
    }
    h
}

/// `scheme ":" hier-part` with an RFC 3986 scheme.
fn is_absolute_uri(s: &str) -> bool {
    let Some((scheme, rest)) = s.split_once(':') else {
        return false;
    };
    let mut chars = scheme.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        && !rest.is_empty()
        && !s
            .chars()
            .any(|c| c.is_whitespace() || c == '<' || c == '>' || c == '"')
}

/// Split on ';' outside angle brackets and quotes.
fn split_params(value: &str) -> Vec<&str> {
    crate::text::split_outside(value, ';')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_full_header() {
        let h = parse(
            "a.b.c;info=<https://x.example/c.pem>;alg=ES256;ppt=\"shaken\";foo=bar",
            false,
        );
        assert!(h.problems.is_empty(), "{:?}", h.problems);
        assert_eq!(h.info.as_deref(), Some("https://x.example/c.pem"));
        assert_eq!(h.ppt.as_deref(), Some("shaken"));
    }

    #[test]
    fn reports_every_problem() {
        let h = parse("a.b+c;alg=RS256;ppt=shaken;ppt=div", false);
        assert!(h.problems.contains(&SyntaxProblem::MissingInfo));
        assert!(
            h.problems
                .contains(&SyntaxProblem::AlgNotEs256("RS256".into()))
        );
        assert!(h.problems.contains(&SyntaxProblem::Duplicate("ppt".into())));
        assert!(h.problems.contains(&SyntaxProblem::BadTokenChar('+')));
        let h = parse("a.b.c;info=https://x/y", false);
        assert!(matches!(h.problems[0], SyntaxProblem::InfoNotBracketed(_)));
        let h = parse("a.b.c;info=<not a uri>", false);
        assert!(matches!(h.problems[0], SyntaxProblem::InfoNotAbsolute(_)));
        assert!(parse("a.b.c", true).problems.is_empty());
    }
}
