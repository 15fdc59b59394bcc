//! PASSporT (RFC 8225) as a JWS compact serialization: segments, decoded header and claims, and
//! the exact signing input (the received bytes — never re-serialized JSON, checklist row 56).

use crate::json::{B64Error, b64url_decode, parse_strict};
use serde_json::Value;
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    /// header.claims.signature
    Full,
    /// ..signature (header and claims rebuilt from SIP; not usable for SHAKEN)
    Compact,
}

/// Why a segment could not be turned into a JSON object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SegmentError {
    Base64(B64Error),
    NotUtf8,
    Json(String),
    NotObject,
}

impl fmt::Display for SegmentError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SegmentError::Base64(e) => write!(f, "{e}"),
            SegmentError::NotUtf8 => {
                write!(f, "it does not decode to UTF-8 text (corrupted base64?)")
            }
            SegmentError::Json(e) => write!(f, "it is not valid JSON ({e})"),
            SegmentError::NotObject => write!(f, "it is JSON but not an object"),
        }
    }
}

/// The structural problem of a token that is not a three-segment JWS.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormError {
    Segments(usize),
    EmptySegment(&'static str),
}

impl fmt::Display for FormError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FormError::Segments(n) => {
                write!(
                    f,
                    "the PASSporT has {n} dot-separated parts; a JWS has exactly 3 (header.claims.signature)"
                )
            }
            FormError::EmptySegment(which) => write!(f, "the PASSporT's {which} part is empty"),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Passport {
    pub form: Form,
    pub header_b64: String,
    pub claims_b64: String,
    pub signature_b64: String,
    pub header: Result<Value, SegmentError>,
    pub claims: Result<Value, SegmentError>,
    pub signature: Result<Vec<u8>, B64Error>,
    /// Raw decoded claims bytes, kept for display when they are not valid JSON.
    pub claims_raw: Option<Vec<u8>>,
}

impl Passport {
    /// `header_b64 "." claims_b64` exactly as received.
    pub fn signing_input(&self) -> Vec<u8> {
        let mut v = Vec::with_capacity(self.header_b64.len() + 1 + self.claims_b64.len());
        v.extend_from_slice(self.header_b64.as_bytes());
        v.push(b'.');
        v.extend_from_slice(self.claims_b64.as_bytes());
        v
    }
    pub fn header_obj(&self) -> Option<&serde_json::Map<String, Value>> {
        self.header.as_ref().ok().and_then(|v| v.as_object())
    }
    pub fn claims_obj(&self) -> Option<&serde_json::Map<String, Value>> {
        self.claims.as_ref().ok().and_then(|v| v.as_object())
    }
    pub fn header_str(&self, key: &str) -> Option<&str> {
        self.header_obj()?.get(key)?.as_str()
    }
}

pub fn decode(token: &str) -> Result<Passport, FormError> {
    let parts: Vec<&str> = token.split('.').collect();
    if parts.len() != 3 {
        return Err(FormError::Segments(parts.len()));
    }
    if parts[2].is_empty() {
        return Err(FormError::EmptySegment("signature"));
    }
    let form = match (parts[0].is_empty(), parts[1].is_empty()) {
        (true, true) => Form::Compact,
        (false, false) => Form::Full,
        (true, false) => return Err(FormError::EmptySegment("header")),
        (false, true) => return Err(FormError::EmptySegment("claims")),
    };
    let (header, claims, claims_raw) = if form == Form::Full {
        let raw = b64url_decode(parts[1]);
        let claims = match &raw {
            Ok(bytes) => object(bytes),
            Err(e) => Err(SegmentError::Base64(e.clone())),
        };
        (segment(parts[0]), claims, raw.ok())
    } else {
        (
            Err(SegmentError::NotObject),
            Err(SegmentError::NotObject),
            None,
        )
    };
    Ok(Passport {
        form,
        header_b64: parts[0].to_string(),
        claims_b64: parts[1].to_string(),
        signature_b64: parts[2].to_string(),
        header,
        claims,
        signature: b64url_decode(parts[2]),
        claims_raw,
    })
}

fn segment(b64: &str) -> Result<Value, SegmentError> {
    object(&b64url_decode(b64).map_err(SegmentError::Base64)?)
}

/// Decoded segment bytes as a JSON object.
fn object(bytes: &[u8]) -> Result<Value, SegmentError> {
    let text = std::str::from_utf8(bytes).map_err(|_| SegmentError::NotUtf8)?;
    let v = parse_strict(text).map_err(SegmentError::Json)?;
    if v.is_object() {
        Ok(v)
    } else {
        Err(SegmentError::NotObject)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_rfc8224_example() {
        let t = "eyJhbGciOiJFUzI1NiIsInR5cCI6InBhc3Nwb3J0IiwieDV1IjoiaHR0cHM6Ly9jZXJ0LmV4YW1wbGUub3JnL3Bhc3Nwb3J0LmNlciJ9.eyJkZXN0Ijp7InVyaSI6WyJzaXA6YWxpY2VAZXhhbXBsZS5jb20iXX0sImlhdCI6IjE0NDMyMDgzNDUiLCJvcmlnIjp7InRuIjoiMTIxNTU1NTEyMTIifX0.rq3pjT1hoRwakEGjHCnWSwUnshd0-zJ6F1VOgFWSjHBr8Qjpjlk-cpFYpFYsojNCpTzO3QfPOlckGaS6hEck7w";
        let p = decode(t).unwrap();
        assert_eq!(p.form, Form::Full);
        assert_eq!(
            p.header_str("x5u"),
            Some("https://cert.example.org/passport.cer")
        );
        assert_eq!(p.claims_obj().unwrap()["iat"], "1443208345");
        assert_eq!(p.signature.as_ref().unwrap().len(), 64);
    }

    #[test]
    fn reports_form_problems() {
        assert_eq!(decode("a.b").unwrap_err(), FormError::Segments(2));
        assert_eq!(decode("..c2ln").unwrap().form, Form::Compact);
        assert_eq!(
            decode(".e30.c2ln").unwrap_err(),
            FormError::EmptySegment("header")
        );
        let p = decode("e30.W10.c2ln").unwrap();
        assert_eq!(p.claims.unwrap_err(), SegmentError::NotObject);
    }
}
