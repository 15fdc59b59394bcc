//! The RFC 4514 text of a distinguished name (subjects, issuers, cRLIssuer names): a leaf
//! module, so both certificate parsing and its CRL distribution points use it.

use const_oid::ObjectIdentifier;

/// The RFC 4514 text of `name`, exactly as x509-cert's `Display` writes it, but without its
/// linear search of const-oid's whole database for every attribute (issue 14: that search was
/// most of the cost of parsing a certificate). The attribute types names are made of are looked
/// up in the database once per process; any other attribute is written by x509-cert itself.
pub fn dn_string(name: &x509_cert::name::Name) -> String {
    use std::fmt::Write;
    use std::sync::OnceLock;
    static KNOWN: OnceLock<Vec<(ObjectIdentifier, String)>> = OnceLock::new();
    let known = KNOWN.get_or_init(|| {
        use const_oid::db::{DB, rfc3280, rfc4519};
        [
            rfc4519::CN,
            rfc4519::C,
            rfc4519::O,
            rfc4519::OU,
            rfc4519::L,
            rfc4519::ST,
            rfc4519::STREET,
            rfc4519::SERIAL_NUMBER,
            rfc4519::POSTAL_CODE,
            rfc4519::TITLE,
            rfc4519::DC,
            rfc4519::UID,
            rfc3280::EMAIL_ADDRESS,
        ]
        .into_iter()
        .filter_map(|oid| {
            // The shortest name, the first of equally short ones (as x509-cert picks it).
            let name =
                DB.find_names_for_oid(oid)
                    .fold(None, |best: Option<&str>, m| match best {
                        Some(b) if m.len() >= b.len() => Some(b),
                        _ => Some(m),
                    })?;
            Some((oid, name.to_ascii_uppercase()))
        })
        .collect()
    });
    let mut out = String::with_capacity(96);
    for (i, rdn) in name.as_ref().as_ref().iter().rev().enumerate() {
        for (j, atv) in rdn.as_ref().iter().enumerate() {
            out.push_str(match (i, j) {
                (0, 0) => "",
                (_, 0) => ",",
                _ => "+",
            });
            let key = known.iter().find(|(o, _)| *o == atv.oid).map(|(_, k)| k);
            match (key, directory_string(&atv.value)) {
                (Some(key), Some(val)) => {
                    out.push_str(key);
                    out.push('=');
                    escape_value(&mut out, val);
                }
                _ => {
                    let _ = write!(out, "{atv}");
                }
            }
        }
    }
    out
}

/// The text of an attribute value in the string types x509-cert's `Display` writes as text.
fn directory_string(v: &der::Any) -> Option<&str> {
    use der::asn1::{Ia5StringRef, PrintableStringRef, TeletexStringRef, Utf8StringRef};
    use der::{Tag, Tagged};
    match v.tag() {
        Tag::PrintableString => PrintableStringRef::try_from(v).ok().map(|s| s.as_str()),
        Tag::Utf8String => Utf8StringRef::try_from(v).ok().map(|s| s.as_str()),
        Tag::Ia5String => Ia5StringRef::try_from(v).ok().map(|s| s.as_str()),
        Tag::TeletexString => TeletexStringRef::try_from(v).ok().map(|s| s.as_str()),
        _ => None,
    }
}

/// RFC 4514 §2.4 escaping, as x509-cert applies it.
fn escape_value(out: &mut String, val: &str) {
    use std::fmt::Write;
    let mut chars = val.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            '#' if i == 0 => out.push_str("\\#"),
            ' ' if i == 0 || chars.peek().is_none() => out.push_str("\\ "),
            '"' | '+' | ',' | ';' | '<' | '>' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            '\x00'..='\x1f' | '\x7f' => {
                let _ = write!(out, "\\{:02x}", c as u8);
            }
            _ => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::dn_string;
    use std::str::FromStr;
    use x509_cert::Certificate;
    use x509_cert::name::Name;

    #[test]
    fn dn_string_is_x509_certs_display() {
        for text in [
            "CN=SHAKEN 123A,O=Example Telecom\\, Inc.,C=US",
            "CN=a+OU=b,O=\\#hash,L=Town ,ST=Some State,C=US",
            "UID=x,DC=example,DC=com",
            "2.5.4.45=#0403616263,CN=x",
        ] {
            let n = Name::from_str(text).expect(text);
            assert_eq!(dn_string(&n), n.to_string(), "{text}");
        }
    }

    /// Every real certificate's subject and issuer (../shared/corpus, when present).
    #[test]
    fn dn_string_matches_display_on_the_corpus() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/corpus/certs");
        let Ok(leaves) = std::fs::read(format!("{dir}/leaves.pem")) else {
            eprintln!("corpus not found: skipped");
            return;
        };
        let mut bundles = vec![leaves];
        for sub in ["intermediates", "roots"] {
            for e in std::fs::read_dir(format!("{dir}/{sub}"))
                .into_iter()
                .flatten()
            {
                bundles.push(std::fs::read(e.unwrap().path()).unwrap());
            }
        }
        let mut n = 0;
        for b in &bundles {
            for c in Certificate::load_pem_chain(b).unwrap_or_default() {
                let tbs = c.tbs_certificate();
                assert_eq!(dn_string(tbs.subject()), tbs.subject().to_string());
                assert_eq!(dn_string(tbs.issuer()), tbs.issuer().to_string());
                n += 1;
            }
        }
        assert!(n > 1000, "{n} certificates");
    }
}
