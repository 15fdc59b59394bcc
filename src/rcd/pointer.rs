//! JSON Pointers (RFC 6901), the keys of an `rcdi` claim: `/nam`, `/icn`, `/jcd/1/2/3`.
//! Evaluated strictly: a pointer starts with `/`, `~` escapes only `~0` and `~1`, an array index
//! is a decimal without leading zeros, and `-` (past the end) names nothing. Bounded in length
//! and depth, since the keys come from the caller's PASSporT.

use serde_json::Value;
use std::fmt;

/// Longest pointer read, in bytes.
pub const MAX_POINTER_BYTES: usize = 256;
/// Most reference tokens in a pointer.
pub const MAX_TOKENS: usize = 16;

/// Why a pointer names nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PointerError {
    /// Longer than [`MAX_POINTER_BYTES`] or deeper than [`MAX_TOKENS`].
    TooLong,
    /// Not empty and not starting with `/`.
    NoSlash,
    /// A `~` not followed by `0` or `1`.
    BadEscape,
    /// No member or element at this step.
    Missing(String),
    /// A step into a string, number, boolean or null.
    NotContainer(String),
}

impl fmt::Display for PointerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PointerError::TooLong => write!(
                f,
                "the JSON pointer is longer than {MAX_POINTER_BYTES} bytes or {MAX_TOKENS} steps"
            ),
            PointerError::NoSlash => write!(f, "a JSON pointer must start with \"/\""),
            PointerError::BadEscape => {
                write!(f, "the JSON pointer has a \"~\" that is not ~0 or ~1")
            }
            PointerError::Missing(t) => write!(f, "there is no {t:?} there"),
            PointerError::NotContainer(t) => {
                write!(f, "{t:?} steps into a value that is not an object or array")
            }
        }
    }
}

impl std::error::Error for PointerError {}

/// The reference tokens of `pointer`, unescaped.
pub fn tokens(pointer: &str) -> Result<Vec<String>, PointerError> {
    if pointer.len() > MAX_POINTER_BYTES {
        return Err(PointerError::TooLong);
    }
    if pointer.is_empty() {
        return Ok(Vec::new());
    }
    let rest = pointer.strip_prefix('/').ok_or(PointerError::NoSlash)?;
    let raw: Vec<&str> = rest.split('/').collect();
    if raw.len() > MAX_TOKENS {
        return Err(PointerError::TooLong);
    }
    raw.into_iter().map(unescape).collect()
}

fn unescape(t: &str) -> Result<String, PointerError> {
    let mut out = String::with_capacity(t.len());
    let mut chars = t.chars();
    while let Some(c) = chars.next() {
        if c == '~' {
            match chars.next() {
                Some('0') => out.push('~'),
                Some('1') => out.push('/'),
                _ => return Err(PointerError::BadEscape),
            }
        } else {
            out.push(c);
        }
    }
    Ok(out)
}

/// The value `pointer` names in `root`.
pub fn resolve<'a>(root: &'a Value, pointer: &str) -> Result<&'a Value, PointerError> {
    walk(root, &tokens(pointer)?)
}

/// The value the (already split) `tokens` name in `root`.
pub fn walk<'a>(root: &'a Value, tokens: &[String]) -> Result<&'a Value, PointerError> {
    let mut at = root;
    for t in tokens {
        at = match at {
            Value::Object(m) => m.get(t).ok_or_else(|| PointerError::Missing(t.clone()))?,
            Value::Array(a) => {
                let ok = !t.is_empty()
                    && t.bytes().all(|b| b.is_ascii_digit())
                    && (t == "0" || !t.starts_with('0'));
                let i = ok
                    .then(|| t.parse::<usize>().ok())
                    .flatten()
                    .ok_or_else(|| PointerError::Missing(t.clone()))?;
                a.get(i).ok_or_else(|| PointerError::Missing(t.clone()))?
            }
            _ => return Err(PointerError::NotContainer(t.clone())),
        };
    }
    Ok(at)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn rfc6901_rules() {
        let doc = json!({"nam": "Acme", "a/b": 1, "m~n": 2, "jcd": ["vcard", [["fn", {}, "text", "Acme"]]]});
        assert_eq!(resolve(&doc, "/nam").unwrap(), "Acme");
        assert_eq!(resolve(&doc, "/a~1b").unwrap(), 1);
        assert_eq!(resolve(&doc, "/m~0n").unwrap(), 2);
        assert_eq!(resolve(&doc, "/jcd/1/0/3").unwrap(), "Acme");
        assert_eq!(resolve(&doc, "").unwrap(), &doc);
        assert_eq!(resolve(&doc, "nam"), Err(PointerError::NoSlash));
        assert_eq!(resolve(&doc, "/m~2n"), Err(PointerError::BadEscape));
        assert!(matches!(
            resolve(&doc, "/jcd/01"),
            Err(PointerError::Missing(_))
        ));
        assert!(matches!(
            resolve(&doc, "/jcd/-"),
            Err(PointerError::Missing(_))
        ));
        assert!(matches!(
            resolve(&doc, "/jcd/9"),
            Err(PointerError::Missing(_))
        ));
        assert!(matches!(
            resolve(&doc, "/nam/x"),
            Err(PointerError::NotContainer(_))
        ));
        assert_eq!(resolve(&doc, &"/x".repeat(17)), Err(PointerError::TooLong));
        assert_eq!(
            resolve(&doc, &format!("/{}", "x".repeat(300))),
            Err(PointerError::TooLong)
        );
    }
}
