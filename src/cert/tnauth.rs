//! TNAuthList (RFC 8226 §9): who the certificate speaks for — an SPC, or telephone numbers.
//!
//! `TNAuthorizationList ::= SEQUENCE OF TNEntry`, `TNEntry ::= CHOICE { spc [0] ServiceProviderCode,
//! range [1] TelephoneNumberRange, one [2] TelephoneNumber }` with EXPLICIT tags. Some real
//! certificates put the SPC IA5String directly in the sequence without the `[0]` tag, or use an
//! implicit `[0]`; both are accepted and flagged so the profile check can warn.

use der::asn1::Ia5String;
use der::asn1::{AnyRef, Ia5StringRef, PrintableStringRef};
use der::{Decode, Sequence, Tag, TagNumber, Tagged};
use serde::Serialize;

/// `TelephoneNumberRange ::= SEQUENCE { start TelephoneNumber, count INTEGER (2..MAX), ... }`
/// (the `...` lets later fields follow; none are defined).
#[derive(Sequence)]
struct TelephoneNumberRange {
    start: Ia5String,
    count: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum TnEntry {
    Spc { value: String },
    Range { start: String, count: u64 },
    One { value: String },
}

/// How the SPC was encoded, when it was not the RFC 8226 form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SpcEncoding {
    Explicit,
    Untagged,
    Implicit,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TnAuthList {
    pub entries: Vec<TnEntry>,
    /// Encoding of the first SPC entry, if any.
    pub spc_encoding: Option<SpcEncoding>,
}

impl TnAuthList {
    /// The first SPC (SHAKEN certificates carry exactly one).
    pub fn spc(&self) -> Option<&str> {
        self.entries.iter().find_map(|e| match e {
            TnEntry::Spc { value } => Some(value.as_str()),
            _ => None,
        })
    }
    pub fn spc_count(&self) -> usize {
        self.entries
            .iter()
            .filter(|e| matches!(e, TnEntry::Spc { .. }))
            .count()
    }
    /// TN or range entries make this a TN-scoped (delegate) credential.
    pub fn has_numbers(&self) -> bool {
        self.entries
            .iter()
            .any(|e| !matches!(e, TnEntry::Spc { .. }))
    }
    /// Is the canonical `tn` one of the listed numbers or inside a listed range?
    pub fn covers(&self, tn: &str) -> bool {
        self.entries.iter().any(|e| e.covers(tn))
    }
    /// The TN and range entries (what a delegate certificate vouches for).
    pub fn numbers(&self) -> impl Iterator<Item = &TnEntry> {
        self.entries
            .iter()
            .filter(|e| !matches!(e, TnEntry::Spc { .. }))
    }
}

/// The numbers of one TN or range entry as an inclusive interval among numbers of the same
/// length (a range never carries into a longer number: `999` + 5 stops at `999`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub digits: usize,
    pub lo: u128,
    pub hi: u128,
}

impl Span {
    pub fn contains(&self, other: &Span) -> bool {
        self.digits == other.digits && self.lo <= other.lo && other.hi <= self.hi
    }
}

/// `tn` as a number when it is 1–38 plain digits.
fn digits_value(tn: &str) -> Option<u128> {
    if tn.is_empty() || tn.len() > 38 || !tn.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    tn.parse().ok()
}

impl TnEntry {
    /// The interval this entry covers, for digit-only TNs and ranges (`None` for an SPC, a TN
    /// with `#`/`*`, or a range of count 0).
    pub fn span(&self) -> Option<Span> {
        match self {
            TnEntry::Spc { .. } => None,
            TnEntry::One { value } => digits_value(value).map(|n| Span {
                digits: value.len(),
                lo: n,
                hi: n,
            }),
            TnEntry::Range { start, count } => {
                let lo = digits_value(start)?;
                if *count == 0 {
                    return None;
                }
                let max = 10u128
                    .checked_pow(start.len() as u32)
                    .map_or(u128::MAX, |p| p - 1);
                Some(Span {
                    digits: start.len(),
                    lo,
                    hi: lo.saturating_add(*count as u128 - 1).min(max),
                })
            }
        }
    }

    /// Does this entry cover the canonical number `tn`?
    pub fn covers(&self, tn: &str) -> bool {
        match self {
            TnEntry::Spc { .. } => false,
            TnEntry::One { value } => value == tn,
            TnEntry::Range { .. } => match (self.span(), digits_value(tn)) {
                (Some(s), Some(n)) => s.digits == tn.len() && s.lo <= n && n <= s.hi,
                _ => false,
            },
        }
    }
}

/// Decode the extension value (the OCTET STRING contents).
pub fn decode(bytes: &[u8]) -> Result<TnAuthList, String> {
    let seq = AnyRef::from_der(bytes).map_err(|e| format!("not DER: {e}"))?;
    if seq.tag() != Tag::Sequence {
        return Err(format!(
            "expected a SEQUENCE of TNEntry, found {}",
            seq.tag()
        ));
    }
    let items: Vec<AnyRef<'_>> = seq.decode_as().map_err(|e| format!("bad SEQUENCE: {e}"))?;
    if items.is_empty() {
        return Err("the list is empty".into());
    }
    let mut entries = Vec::with_capacity(items.len());
    let mut spc_encoding = None;
    for item in items {
        let (entry, enc) = decode_entry(item)?;
        if spc_encoding.is_none() {
            spc_encoding = enc;
        }
        entries.push(entry);
    }
    Ok(TnAuthList {
        entries,
        spc_encoding,
    })
}

fn ia5(any: AnyRef<'_>) -> Result<String, String> {
    if any.tag() != Tag::Ia5String {
        return Err(format!("expected IA5String, found {}", any.tag()));
    }
    let s = Ia5StringRef::try_from(any).map_err(|e| e.to_string())?;
    Ok(s.as_str().to_owned())
}

fn decode_entry(item: AnyRef<'_>) -> Result<(TnEntry, Option<SpcEncoding>), String> {
    match item.tag() {
        Tag::Ia5String => Ok((
            TnEntry::Spc { value: ia5(item)? },
            Some(SpcEncoding::Untagged),
        )),
        // The untagged SPCs seen in real certificates are PrintableStrings (6 leaves in the
        // shared corpus, e.g. `30 06 13 04 "622K"`).
        Tag::PrintableString => {
            let s = PrintableStringRef::try_from(item).map_err(|e| format!("SPC: {e}"))?;
            Ok((
                TnEntry::Spc {
                    value: s.as_str().to_owned(),
                },
                Some(SpcEncoding::Untagged),
            ))
        }
        Tag::ContextSpecific {
            number,
            constructed,
        } => {
            let n = number;
            if n == TagNumber(0) {
                if constructed {
                    let inner = AnyRef::from_der(item.value()).map_err(|e| format!("SPC: {e}"))?;
                    Ok((
                        TnEntry::Spc { value: ia5(inner)? },
                        Some(SpcEncoding::Explicit),
                    ))
                } else {
                    let s = std::str::from_utf8(item.value())
                        .map_err(|_| "SPC is not text".to_string())?;
                    if !s.is_ascii() {
                        return Err("SPC is not IA5 text".into());
                    }
                    Ok((
                        TnEntry::Spc {
                            value: s.to_owned(),
                        },
                        Some(SpcEncoding::Implicit),
                    ))
                }
            } else if n == TagNumber(1) {
                let range = TelephoneNumberRange::from_der(item.value())
                    .map_err(|e| format!("range: {e}"))?;
                Ok((
                    TnEntry::Range {
                        start: range.start.to_string(),
                        count: range.count,
                    },
                    None,
                ))
            } else if n == TagNumber(2) {
                let inner = AnyRef::from_der(item.value()).map_err(|e| format!("TN: {e}"))?;
                Ok((TnEntry::One { value: ia5(inner)? }, None))
            } else {
                Err(format!("unknown TNEntry choice [{}]", n.value()))
            }
        }
        other => Err(format!("unexpected {other} in TNAuthList")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::Engine;

    fn b64(s: &str) -> Vec<u8> {
        base64::engine::general_purpose::STANDARD.decode(s).unwrap()
    }

    #[test]
    fn decodes_rfc8226_vectors() {
        // standards-notes §4.8: all three TNEntry forms.
        let l = decode(&b64(
            "MCugBxYFYm9ndXOhEjAQFgo1NzE1NTUxMjEyAgIDFKIMFgo3MDM1NTUxMjEy",
        ))
        .unwrap();
        assert_eq!(l.spc(), Some("bogus"));
        assert!(l.has_numbers());
        assert!(l.covers("7035551212"));
        assert!(l.covers("5715551212") && l.covers("5715551999") && !l.covers("5715552000"));
        let l = decode(&b64("MAigBhYEODE4SA==")).unwrap();
        assert_eq!(
            (l.spc(), l.spc_encoding),
            (Some("818H"), Some(SpcEncoding::Explicit))
        );
        assert!(
            decode(&b64("MAigxxYEODE4SA==")).is_err(),
            "vendor-doc typo must not decode"
        );
    }

    #[test]
    fn accepts_untagged_spc() {
        let l = decode(&[0x30, 0x06, 0x16, 0x04, b'7', b'0', b'4', b'J']).unwrap();
        assert_eq!(
            (l.spc(), l.spc_encoding),
            (Some("704J"), Some(SpcEncoding::Untagged))
        );
        // As real certificates encode it: an untagged PrintableString.
        let l = decode(&[0x30, 0x06, 0x13, 0x04, b'6', b'2', b'2', b'K']).unwrap();
        assert_eq!(
            (l.spc(), l.spc_encoding),
            (Some("622K"), Some(SpcEncoding::Untagged))
        );
        assert!(decode(&[0x30, 0x06, 0x13, 0x04, b'6', b'2', b'2', b'@']).is_err());
        assert!(decode(&[0x30, 0x00]).is_err());
        assert!(decode(&[0x16, 0x01, b'x']).is_err());
    }
}
