//! Strict JSON and base64url decoding for PASSporT segments.
//!
//! serde_json keeps the last of duplicated member names; RFC 7515 §5.2 lets a JWS consumer reject
//! them instead, and a verifier should (standards-notes §5.6), so objects are built by a visitor
//! that refuses duplicates.

use base64::Engine;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};
use std::fmt;

/// base64url without padding, rejecting non-canonical trailing bits.
const B64URL: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::URL_SAFE,
    GeneralPurposeConfig::new()
        .with_encode_padding(false)
        .with_decode_padding_mode(DecodePaddingMode::RequireNone),
);

/// Why a base64url segment did not decode.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum B64Error {
    Empty,
    BadChar(char),
    /// Characters of the alphabet that do not decode: why, in plain words (a copy error, usually).
    Malformed(&'static str),
}

impl fmt::Display for B64Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            B64Error::Empty => write!(f, "it is empty"),
            B64Error::BadChar(c) => {
                write!(f, "it contains {c:?}, which is not a base64url character")
            }
            B64Error::Malformed(why) => write!(f, "it is not valid base64url ({why})"),
        }
    }
}

/// The base64 crate's error in words a person pasting a header can act on (its own text names
/// offsets and bit patterns).
fn malformed_reason(e: &base64::DecodeError) -> &'static str {
    match e {
        base64::DecodeError::InvalidByte(..) => "a padding or stray character inside the text",
        base64::DecodeError::InvalidLength(_) => {
            "its length cannot be base64url: a character is missing or extra"
        }
        base64::DecodeError::InvalidLastSymbol { .. } => {
            "its last character cannot end base64url: the text was cut, changed or extended"
        }
        base64::DecodeError::InvalidPadding => "its padding is wrong",
    }
}

pub fn b64url_decode(s: &str) -> Result<Vec<u8>, B64Error> {
    if s.is_empty() {
        return Err(B64Error::Empty);
    }
    if let Some(c) = crate::text::first_char_not(s, crate::text::is_b64url_byte) {
        return Err(B64Error::BadChar(c));
    }
    B64URL
        .decode(s)
        .map_err(|e| B64Error::Malformed(malformed_reason(&e)))
}

pub fn b64url_encode(bytes: &[u8]) -> String {
    B64URL.encode(bytes)
}

/// Parse JSON text, rejecting duplicate member names at any depth.
pub fn parse_strict(text: &str) -> Result<Value, String> {
    let mut de = serde_json::Deserializer::from_str(text);
    let v = StrictValue
        .deserialize(&mut de)
        .map_err(|e| e.to_string())?;
    de.end().map_err(|e| e.to_string())?;
    Ok(v)
}

struct StrictValue;

impl<'de> DeserializeSeed<'de> for StrictValue {
    type Value = Value;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(StrictVisitor)
    }
}

struct StrictVisitor;

impl<'de> Visitor<'de> for StrictVisitor {
    type Value = Value;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(serde_json::Number::from_f64(v)
            .map(Value::Number)
            .unwrap_or(Value::Null))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut out = Vec::new();
        while let Some(v) = seq.next_element_seed(StrictValue)? {
            out.push(v);
        }
        Ok(Value::Array(out))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            if out.contains_key(&key) {
                return Err(de::Error::custom(format_args!(
                    "duplicate member name {key:?}"
                )));
            }
            let v = map.next_value_seed(StrictValue)?;
            out.insert(key, v);
        }
        Ok(Value::Object(out))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_duplicates_at_any_depth() {
        assert!(
            parse_strict(r#"{"a":1,"a":2}"#)
                .unwrap_err()
                .contains("duplicate")
        );
        assert!(parse_strict(r#"{"o":{"tn":"1","tn":"2"}}"#).is_err());
        assert_eq!(
            parse_strict(r#"{"a":[1,{"b":2}]}"#).unwrap()["a"][1]["b"],
            2
        );
        assert!(parse_strict(r#"{"a":1} x"#).is_err());
    }

    #[test]
    fn base64url_is_strict() {
        assert_eq!(b64url_decode("aGk").unwrap(), b"hi");
        assert!(b64url_decode("aGk=").is_err());
        assert!(matches!(b64url_decode("a+Gk"), Err(B64Error::BadChar('+'))));
        assert!(b64url_decode("aGl").is_err(), "non-canonical trailing bits");
        assert_eq!(b64url_decode(""), Err(B64Error::Empty));
    }
}
