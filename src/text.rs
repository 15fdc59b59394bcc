//! Small text helpers: splitting SIP header text on a separator that may also appear inside
//! `<...>` URIs or quotes, and turning messages into sentences.

/// Split `value` on `sep` where it is outside angle brackets and double quotes.
pub fn split_outside(value: &str, sep: char) -> Vec<&str> {
    if sep.is_ascii() {
        return split_outside_ascii(value, sep as u8);
    }
    split_outside_chars(value, sep)
}

fn split_outside_chars(value: &str, sep: char) -> Vec<&str> {
    let mut out = Vec::new();
    let (mut depth, mut quoted, mut start) = (0i32, false, 0usize);
    for (i, c) in value.char_indices() {
        match c {
            '"' => quoted = !quoted,
            '<' if !quoted => depth += 1,
            '>' if !quoted => depth -= 1,
            c if c == sep && !quoted && depth <= 0 => {
                out.push(&value[start..i]);
                start = i + sep.len_utf8();
            }
            _ => {}
        }
    }
    out.push(&value[start..]);
    out
}

/// [`split_outside`] for an ASCII separator, a byte at a time: the separator, quotes and angle
/// brackets are ASCII, and an ASCII byte is never part of a multi-byte UTF-8 character, so every
/// split lands on a character boundary.
fn split_outside_ascii(value: &str, sep: u8) -> Vec<&str> {
    let b = value.as_bytes();
    let special = |c: u8| c == sep || c == b'"' || c == b'<' || c == b'>';
    let mut out = Vec::with_capacity(4);
    let (mut depth, mut quoted, mut start, mut i) = (0i32, false, 0usize, 0usize);
    // Jump from one special byte to the next: a token is hundreds of bytes with none.
    while let Some(off) = b[i..].iter().position(|&c| special(c)) {
        let at = i + off;
        match b[at] {
            b'"' => quoted = !quoted,
            b'<' if !quoted => depth += 1,
            b'>' if !quoted => depth -= 1,
            c if c == sep && !quoted && depth <= 0 => {
                out.push(&value[start..at]);
                start = at + 1;
            }
            _ => {}
        }
        i = at + 1;
    }
    out.push(&value[start..]);
    out
}

/// The first character of `s` whose byte `ok` refuses (a non-ASCII character is always
/// refused: `ok` sees its first byte, which is never an ASCII one). Most texts have none, which
/// a branch-free pass over all bytes finds faster than a search that stops at the first.
pub fn first_char_not(s: &str, ok: impl Fn(u8) -> bool) -> Option<char> {
    let ok = |b: u8| b < 0x80 && ok(b);
    if s.bytes().fold(true, |all, b| all & ok(b)) {
        return None;
    }
    let i = s.bytes().position(|b| !ok(b))?;
    s[i..].chars().next()
}

/// A base64url alphabet byte (`A-Z a-z 0-9 - _`), without branches.
pub fn is_b64url_byte(b: u8) -> bool {
    ((b | 0x20).wrapping_sub(b'a') < 26) | (b.wrapping_sub(b'0') < 10) | (b == b'-') | (b == b'_')
}

/// A control character (C0, DEL or C1: `char::is_control`) anywhere in `s`. ASCII text, the
/// usual case, is checked byte by byte, folded without branches so it runs word-wide (C1
/// controls are never ASCII); other text char by char.
pub fn has_control(s: &str) -> bool {
    if s.is_ascii() {
        s.bytes()
            .fold(false, |any, b| any | (b < 0x20) | (b == 0x7f))
    } else {
        s.chars().any(char::is_control)
    }
}

/// `s.contains(char::is_whitespace)`, a byte at a time while the text is ASCII (a pasted header
/// is hundreds of base64url bytes; the char decoder costs several times more per byte).
pub fn has_whitespace(s: &str) -> bool {
    if s.is_ascii() {
        s.bytes().fold(false, |any, b| any | is_ascii_space(b))
    } else {
        s.contains(char::is_whitespace)
    }
}

/// `s` without any whitespace (`char::is_whitespace`); a plain copy when it has none.
pub fn strip_whitespace(s: &str) -> String {
    if has_whitespace(s) {
        s.chars().filter(|c| !c.is_whitespace()).collect()
    } else {
        s.to_owned()
    }
}

/// The ASCII bytes `char::is_whitespace` holds: space, TAB, LF, VT, FF, CR.
fn is_ascii_space(b: u8) -> bool {
    (b == b' ') | (b.wrapping_sub(b'\t') <= b'\r' - b'\t')
}

/// PASSporT claim and JOSE/Identity parameter names that texts start with. They are
/// case-sensitive protocol names ("Iat" is not a claim), so a sentence keeps their spelling.
const PROTOCOL_NAMES: [&str; 18] = [
    "alg", "attest", "crn", "dest", "div", "icn", "iat", "info", "jcl", "kid", "nam", "orig",
    "origid", "ppt", "rcd", "rcdi", "typ", "x5u",
];

/// `s` as the start of a sentence (error texts become sentences in check details): its first
/// character upper-cased, or, when it starts with a protocol name (`iat`, `orig.tn`, `x5u`),
/// "The " before it, keeping the name's spelling.
pub fn capitalize(s: &str) -> String {
    let word = s
        .split(|c: char| !(c.is_ascii_alphanumeric()))
        .next()
        .unwrap_or("");
    if PROTOCOL_NAMES.contains(&word) {
        return format!("The {s}");
    }
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn capitalize_keeps_protocol_names() {
        use super::capitalize;
        assert_eq!(capitalize("iat is a string"), "The iat is a string");
        assert_eq!(
            capitalize("orig.tn \"Bob\" is bad"),
            "The orig.tn \"Bob\" is bad"
        );
        assert_eq!(
            capitalize("x5u <https://a> is refused"),
            "The x5u <https://a> is refused"
        );
        assert_eq!(
            capitalize("the orig claim is missing"),
            "The orig claim is missing"
        );
        assert_eq!(capitalize("original text"), "Original text");
        assert_eq!(capitalize("é"), "É");
        assert_eq!(capitalize(""), "");
    }

    proptest::proptest! {
        /// The byte scan finds exactly what `char::is_control` finds, ASCII or not.
        #[test]
        fn has_control_is_char_is_control(s in r"(\PC|[\x00-\x1f\x7f\x{80}-\x{9f}]){0,40}") {
            proptest::prop_assert_eq!(super::has_control(&s), s.chars().any(char::is_control));
        }

        #[test]
        fn ascii_split_is_the_char_split(s in r#"[a;<>"é,\x{1F600} ]*"#) {
            for sep in [';', ','] {
                proptest::prop_assert_eq!(
                    super::split_outside_ascii(&s, sep as u8),
                    super::split_outside_chars(&s, sep)
                );
            }
        }

        #[test]
        fn whitespace_helpers_agree_on_any_text(s in r"\PC*|[a-z \t\n\x0B\x{A0}\x{2000}é]*") {
            proptest::prop_assert_eq!(super::has_whitespace(&s), s.contains(char::is_whitespace));
            let want: String = s.chars().filter(|c| !c.is_whitespace()).collect();
            proptest::prop_assert_eq!(super::strip_whitespace(&s), want);
        }
    }

    #[test]
    fn b64url_bytes_are_the_alphabet() {
        for b in 0..=255u8 {
            let want = b.is_ascii_alphanumeric() || b == b'-' || b == b'_';
            assert_eq!(super::is_b64url_byte(b), want, "{b:#x}");
        }
    }

    #[test]
    fn whitespace_helpers_agree_with_char_is_whitespace() {
        for s in [
            "",
            "abc",
            "a b",
            "a\u{b}b",
            "a\u{c}",
            "\r",
            "é",
            "éa b",
            "aé\u{a0}",
            "a\u{2028}",
            "\u{85}",
            "ab\u{3000}c",
            "x\u{1f600}y",
        ] {
            assert_eq!(
                super::has_whitespace(s),
                s.contains(char::is_whitespace),
                "{s:?}"
            );
            let want: String = s.chars().filter(|c| !c.is_whitespace()).collect();
            assert_eq!(super::strip_whitespace(s), want, "{s:?}");
        }
    }

    #[test]
    fn keeps_separators_inside_uris_and_quotes() {
        assert_eq!(
            super::split_outside("a;info=<https://x/y;z>;b=\"c;d\"", ';'),
            vec!["a", "info=<https://x/y;z>", "b=\"c;d\""]
        );
        assert_eq!(
            super::split_outside("<sip:a,b@x>, tel:+1", ','),
            vec!["<sip:a,b@x>", " tel:+1"]
        );
    }
}
