//! RFC 8785 JSON Canonicalization Scheme (JCS): the bytes an `rcdi` digest of a JSON value
//! (`/nam`, `/jcd`, a jCard from `jcl`) is computed over.
//!
//! Small and written here rather than taken from a crate: the one maintained crate
//! (`serde_json_canonicalizer`) pulls `ryu-js` and serde_json's `float_roundtrip` into every
//! build, ~120 KB of wasm for a feature PASSporTs barely use. The rules (RFC 8785 §3.2):
//! - objects: members sorted by the UTF-16 code units of their names (§3.2.3), recursively;
//!   arrays keep their order; no whitespace;
//! - strings: ECMAScript `JSON.stringify` escaping (§3.2.2.2): `\"`, `\\`, `\b \f \n \r \t`,
//!   other controls as `\u00xx` (lower-case hex), everything else as UTF-8;
//! - numbers: the IEEE 754 double, written as ECMAScript `Number.prototype.toString` does
//!   (§3.2.2.3): the shortest digits that round-trip, plain up to 21 digits, `e+`/`e-` beyond,
//!   `-0` as `0`. Rust's formatting gives the digits (shortest length, then exact rounding);
//!   we place them as ES does.
//!
//! The tests check the RFC's examples and number vectors (Appendix B), and 20,000 random doubles
//! against the output of that crate (a digest of it, computed once).
//!
//! Limit: numbers are canonicalized from the double serde_json parsed, and its default (fast)
//! float parsing can be one ulp off for inputs with 16+ significant digits or large exponents
//! (its exact mode costs ~60 KB of wasm); integers and ordinary decimals are exact. rcd values
//! are strings and jCards, where such numbers do not occur in practice.

use serde_json::Value;
use std::fmt::Write;

/// The canonical UTF-8 bytes of `v`.
pub fn jcs(v: &Value) -> Vec<u8> {
    let mut out = String::new();
    write_value(&mut out, v);
    out.into_bytes()
}

/// Parse `bytes` as JSON (strictly: duplicate members refused) and canonicalize them; `None`
/// when they are not JSON.
pub fn jcs_of_bytes(bytes: &[u8]) -> Option<Vec<u8>> {
    let text = std::str::from_utf8(bytes).ok()?;
    let v = crate::json::parse_strict(text).ok()?;
    Some(jcs(&v))
}

fn write_value(out: &mut String, v: &Value) {
    match v {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => write_number(out, n.as_f64().unwrap_or(0.0)),
        Value::String(s) => write_string(out, s),
        Value::Array(a) => {
            out.push('[');
            for (i, x) in a.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_value(out, x);
            }
            out.push(']');
        }
        Value::Object(m) => {
            let mut members: Vec<(&String, &Value)> = m.iter().collect();
            members.sort_by(|(a, _), (b, _)| a.encode_utf16().cmp(b.encode_utf16()));
            out.push('{');
            for (i, (k, x)) in members.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_string(out, k);
                out.push(':');
                write_value(out, x);
            }
            out.push('}');
        }
    }
}

fn write_string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// ECMAScript Number::toString for a finite double (JSON numbers are finite).
fn write_number(out: &mut String, x: f64) {
    if x == 0.0 || !x.is_finite() {
        out.push('0');
        return;
    }
    if x < 0.0 {
        out.push('-');
    }
    // How many digits the shortest round-trip form needs (Rust's `{:e}`), then the value
    // correctly rounded to that many (`{:.*e}` is exact): among the forms of that length the
    // closest to x, ties to even, as ES asks. (The shortest algorithm may return another
    // round-tripping form of the same length; the closest one always round-trips too.)
    let shortest = format!("{:e}", x.abs());
    let k = shortest
        .split('e')
        .next()
        .unwrap_or("")
        .chars()
        .filter(char::is_ascii_digit)
        .count()
        .max(1);
    let sci = format!("{:.*e}", k - 1, x.abs());
    let (mantissa, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    let k = digits.len() as i32;
    let n = exp.parse::<i32>().unwrap_or(0) + 1; // the decimal point sits after n digits
    if k <= n && n <= 21 {
        out.push_str(&digits);
        out.extend(std::iter::repeat_n('0', (n - k) as usize));
    } else if 0 < n && n <= 21 {
        out.push_str(&digits[..n as usize]);
        out.push('.');
        out.push_str(&digits[n as usize..]);
    } else if -6 < n && n <= 0 {
        out.push_str("0.");
        out.extend(std::iter::repeat_n('0', (-n) as usize));
        out.push_str(&digits);
    } else {
        out.push_str(&digits[..1]);
        if k > 1 {
            out.push('.');
            out.push_str(&digits[1..]);
        }
        let e = n - 1;
        let _ = write!(out, "e{}{}", if e >= 0 { '+' } else { '-' }, e.abs());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sha2::Digest;

    fn canon(text: &str) -> String {
        String::from_utf8(jcs_of_bytes(text.as_bytes()).expect("JSON")).unwrap()
    }

    fn num(bits: u64) -> String {
        let mut s = String::new();
        write_number(&mut s, f64::from_bits(bits));
        s
    }

    #[test]
    #[allow(clippy::excessive_precision)] // the RFC's literal, as written
    fn rfc8785_section_3_2_2_example() {
        // The numbers as the doubles they denote (Rust literals are correctly rounded; serde_json's
        // default parser may be one ulp off for 17-digit input such as 333333333.33333329: the
        // limit noted in the module documentation).
        let mut v: Value = serde_json::from_str(
            r#"{
          "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
          "literals": [null, true, false]
        }"#,
        )
        .unwrap();
        v["numbers"] = serde_json::json!([
            333333333.33333329_f64,
            1E30,
            4.50,
            2e-3,
            0.000000000000000000000000001
        ]);
        assert_eq!(
            String::from_utf8(jcs(&v)).unwrap(),
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
        assert_eq!(
            canon(input),
            "{\"\\r\":\"Carriage Return\",\"1\":\"One\",\"\u{80}\":\"Control\",\"ö\":\"Latin Small Letter O With Diaeresis\",\"€\":\"Euro Sign\",\"😀\":\"Emoji: Grinning Face\",\"\u{fb33}\":\"Hebrew Letter Dalet With Dagesh\"}"
        );
    }

    #[test]
    fn rfc8785_appendix_b_numbers() {
        for (bits, want) in [
            (0x0000000000000000, "0"),
            (0x8000000000000000, "0"),
            (0x0000000000000001, "5e-324"),
            (0x8000000000000001, "-5e-324"),
            (0x7fefffffffffffff, "1.7976931348623157e+308"),
            (0xffefffffffffffff, "-1.7976931348623157e+308"),
            (0x4340000000000000, "9007199254740992"),
            (0xc340000000000000, "-9007199254740992"),
            (0x4430000000000000, "295147905179352830000"),
            (0x44b52d02c7e14af5, "9.999999999999997e+22"),
            (0x44b52d02c7e14af6, "1e+23"),
            (0x44b52d02c7e14af7, "1.0000000000000001e+23"),
            (0x444b1ae4d6e2ef4e, "999999999999999700000"),
            (0x444b1ae4d6e2ef4f, "999999999999999900000"),
            (0x444b1ae4d6e2ef50, "1e+21"),
            (0x3eb0c6f7a0b5ed8c, "9.999999999999997e-7"),
            (0x3eb0c6f7a0b5ed8d, "0.000001"),
            (0x41b3de4355555553, "333333333.3333332"),
            (0x41b3de4355555554, "333333333.33333325"),
            (0x41b3de4355555555, "333333333.3333333"),
            (0x41b3de4355555556, "333333333.3333334"),
            (0x41b3de4355555557, "333333333.33333343"),
            (0xbecbf647612f3696, "-0.0000033333333333333333"),
            (0x43143ff3c1cb0959, "1424953923781206.2"),
        ] {
            assert_eq!(num(bits), want, "{bits:#018x}");
        }
    }

    /// 20,000 pseudo-random finite doubles (a fixed LCG over the bit patterns), one per line:
    /// the SHA-256 of serde_json_canonicalizer 0.4.1's output for the same doubles.
    #[test]
    fn random_doubles_agree_with_a_reference_implementation() {
        let mut x: u64 = 0x9795_8785;
        let mut h = sha2::Sha256::new();
        let mut n = 0;
        while n < 20_000 {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            if !f64::from_bits(x).is_finite() {
                continue;
            }
            n += 1;
            h.update(num(x).as_bytes());
            h.update(b"\n");
        }
        assert_eq!(
            crate::cert::parse::hex(&h.finalize()),
            "67e3ad5ffb053e4e1d8bf1e3c2c416c82b3853dafa6f5b5cffb1177a424b2b20"
        );
    }

    #[test]
    fn strings_integers_and_non_json() {
        assert_eq!(canon(r#""Acme Corp""#), r#""Acme Corp""#);
        assert_eq!(
            canon(r#"{"b":1, "a":[1.0, -0, 100]}"#),
            r#"{"a":[1,0,100],"b":1}"#
        );
        assert_eq!(
            canon(r#""\u0001\u001f\u007f\u2028""#),
            "\"\\u0001\\u001f\u{7f}\u{2028}\""
        );
        assert_eq!(canon("9007199254740993"), "9007199254740992");
        assert_eq!(jcs_of_bytes(b"\x89PNG"), None);
        assert_eq!(jcs_of_bytes(br#"{"a":1,"a":2}"#), None);
    }
}
