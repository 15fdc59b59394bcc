//! RFC 8785 JSON Canonicalization Scheme (JCS): the bytes an `rcdi` digest of a JSON value
//! (`/nam`, `/jcd`, a jCard from `jcl`) is computed over. Members sorted by UTF-16 code units,
//! ECMAScript number formatting, minimal string escapes, no whitespace. Done by the
//! `serde_json_canonicalizer` crate, which carries the RFC's own test vectors; the tests below
//! repeat the RFC 8785 §3.2.2 and §3.2.3 examples against our use of it.

use serde_json::Value;

/// The canonical UTF-8 bytes of `v`.
pub fn jcs(v: &Value) -> Vec<u8> {
    // Serializing a serde_json Value cannot fail (its numbers are finite, its keys strings).
    serde_json_canonicalizer::to_vec(v).unwrap_or_default()
}

/// Parse `bytes` as JSON (strictly: duplicate members refused) and canonicalize them; `None`
/// when they are not JSON.
pub fn jcs_of_bytes(bytes: &[u8]) -> Option<Vec<u8>> {
    let text = std::str::from_utf8(bytes).ok()?;
    let v = crate::json::parse_strict(text).ok()?;
    Some(jcs(&v))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn canon(text: &str) -> String {
        String::from_utf8(jcs_of_bytes(text.as_bytes()).expect("JSON")).unwrap()
    }

    #[test]
    fn rfc8785_section_3_2_2_example() {
        let input = r#"{
          "numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],
          "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
          "literals": [null, true, false]
        }"#;
        assert_eq!(
            canon(input),
            r#"{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\u000f\nA'B\"\\\\\"/"}"#
        );
    }

    #[test]
    fn rfc8785_section_3_2_3_sorting() {
        let input = r#"{
          "\u20ac": "Euro Sign",
          "\r": "Carriage Return",
          "\ufb33": "Hebrew Letter Dalet With Dagesh",
          "1": "One",
          "\ud83d\ude00": "Emoji: Grinning Face",
          "\u0080": "Control",
          "\u00f6": "Latin Small Letter O With Diaeresis"
        }"#;
        let out = canon(input);
        // Order of the values as written out (UTF-16 code-unit order of the names).
        let order = [
            "Carriage Return",
            "One",
            "Control",
            "Latin Small Letter O With Diaeresis",
            "Euro Sign",
            "Emoji: Grinning Face",
            "Hebrew Letter Dalet With Dagesh",
        ];
        let mut at = 0;
        for want in order {
            let i = out[at..]
                .find(want)
                .unwrap_or_else(|| panic!("{want} out of order in {out}"));
            at += i;
        }
    }

    #[test]
    fn strings_and_non_json() {
        assert_eq!(canon(r#""Acme Corp""#), r#""Acme Corp""#);
        assert_eq!(canon(r#"{"b":1, "a":[1.0, -0]}"#), r#"{"a":[1,0],"b":1}"#);
        assert_eq!(jcs_of_bytes(b"\x89PNG"), None);
        assert_eq!(jcs_of_bytes(br#"{"a":1,"a":2}"#), None);
    }
}
