//! The RFC 4514 text of a distinguished name (subjects, issuers, cRLIssuer names): a leaf
//! module, so both certificate parsing and its CRL distribution points use it.

use const_oid::ObjectIdentifier;

/// The attribute types written by name: RFC 4514 §2.3 names a type by its registered short name
/// when it is known and by its dotted-decimal OID otherwise. These are the types names are made of
/// (every subject and issuer of the 19,366 certificates in ../shared/corpus uses only these); the
/// names are const-oid's, as x509-cert's `Display` picks them (a test checks each against const-oid's
/// database). Any other type is written as `OID=#hex`, as x509-cert writes a type its database lacks:
/// so the page's wasm module does not carry const-oid's whole OID-name database (issue 14).
const NAMED_TYPES: [(ObjectIdentifier, &str); 13] = {
    use const_oid::db::{rfc3280, rfc4519};
    [
        (rfc4519::CN, "CN"),
        (rfc4519::C, "C"),
        (rfc4519::O, "O"),
        (rfc4519::OU, "OU"),
        (rfc4519::L, "L"),
        (rfc4519::ST, "ST"),
        (rfc4519::STREET, "STREET"),
        (rfc4519::SERIAL_NUMBER, "SERIALNUMBER"),
        (rfc4519::POSTAL_CODE, "POSTALCODE"),
        (rfc4519::TITLE, "TITLE"),
        (rfc4519::DC, "DC"),
        (rfc4519::UID, "UID"),
        (rfc3280::EMAIL_ADDRESS, "EMAIL"),
    ]
};

/// The RFC 4514 text of `name`: x509-cert's `Display` with the type names limited to
/// [`NAMED_TYPES`] (the same text for every name made of those types), and without its linear
/// search of const-oid's whole database for every attribute (issue 14: that search was most of the
/// cost of parsing a certificate).
pub fn dn_string(name: &x509_cert::name::Name) -> String {
    use std::fmt::Write;
    let mut out = String::with_capacity(96);
    for (i, rdn) in name.as_ref().as_ref().iter().rev().enumerate() {
        for (j, atv) in rdn.as_ref().iter().enumerate() {
            out.push_str(match (i, j) {
                (0, 0) => "",
                (_, 0) => ",",
                _ => "+",
            });
            let key = NAMED_TYPES
                .iter()
                .find(|(o, _)| *o == atv.oid)
                .map(|(_, k)| k);
            match (key, directory_string(&atv.value)) {
                (Some(key), Some(val)) => {
                    out.push_str(key);
                    out.push('=');
                    escape_value(&mut out, val);
                }
                // x509-cert's form for a type without a name or a value that is not text.
                _ => {
                    let _ = write!(out, "{}=#", atv.oid);
                    for b in der::Encode::to_der(&atv.value).unwrap_or_default() {
                        let _ = write!(out, "{b:02x}");
                    }
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
    use super::{NAMED_TYPES, dn_string};
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

    /// Each name is the one x509-cert's `Display` takes from const-oid's database: the shortest,
    /// upper-cased.
    #[test]
    fn named_types_are_const_oids_shortest_names() {
        for (oid, name) in NAMED_TYPES {
            let shortest = const_oid::db::DB
                .find_names_for_oid(oid)
                .fold(None, |best: Option<&str>, m| match best {
                    Some(b) if m.len() >= b.len() => Some(b),
                    _ => Some(m),
                })
                .expect("in the database");
            assert_eq!(shortest.to_ascii_uppercase(), name, "{oid}");
        }
    }

    /// A text-valued type outside the table is written as dotted decimal and hex (RFC 4514
    /// §2.3-2.4), where x509-cert would look a name up (`SN=Smith`).
    #[test]
    fn other_types_are_dotted_decimal() {
        let n = Name::from_str("SN=Smith,CN=x").unwrap();
        assert_eq!(n.to_string(), "SN=Smith,CN=x");
        assert_eq!(dn_string(&n), "2.5.4.4=#0c05536d697468,CN=x");
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
