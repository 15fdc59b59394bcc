//! Small text helpers: splitting SIP header text on a separator that may also appear inside
//! `<...>` URIs or quotes, and turning messages into sentences.

/// Split `value` on `sep` where it is outside angle brackets and double quotes.
pub fn split_outside(value: &str, sep: char) -> Vec<&str> {
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

/// `s` with its first character upper-cased (error texts become sentences in check details).
pub fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
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
