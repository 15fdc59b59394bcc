//! SHAKEN end-entity certificate profile (ATIS-1000080 §6.4.1, SHAKEN CP), split the way the
//! checklist splits it: a few hard requirements that make the credential unusable, and lints
//! that real certificates often miss (most production leaves fail at least one) — warnings only.

use super::parse::{
    OID_EJWT_CLAIM_CONSTRAINTS, OID_JWT_CLAIM_CONSTRAINTS, OID_TN_AUTH_LIST, ParsedCert,
};
use super::tnauth::SpcEncoding;
use crate::crypto::{Alg, KeyKind};
use const_oid::ObjectIdentifier;
use const_oid::db::rfc5280;

/// SHAKEN Certificate Policy OIDs 2.16.840.1.114569.1.1.1 – .4 (CP 1.1 – 1.4).
fn is_shaken_cp(oid: &ObjectIdentifier) -> bool {
    let s = oid.to_string();
    matches!(
        s.as_str(),
        "2.16.840.1.114569.1.1.1"
            | "2.16.840.1.114569.1.1.2"
            | "2.16.840.1.114569.1.1.3"
            | "2.16.840.1.114569.1.1.4"
    )
}

/// Findings for one end-entity certificate.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Profile {
    /// Hard failures (→ `cert.profile` fails, 437).
    pub hard: Vec<String>,
    /// Profile lints (→ `cert.profile` warns).
    pub lint: Vec<String>,
}

pub fn check_leaf(c: &ParsedCert) -> Profile {
    let mut p = Profile::default();
    // Hard: ES256 needs a P-256 key.
    match &c.key {
        Ok(KeyKind::P256) => {}
        Ok(k) => p.hard.push(format!(
            "the key is {k:?}, but PASSporTs are signed with ES256, which needs a P-256 key"
        )),
        Err(e) => p.hard.push(format!("the key cannot sign ES256 ({e})")),
    }
    // Hard: may sign (KeyUsage digitalSignature). An absent KeyUsage allows any use (RFC 5280
    // §4.2.1.3), so that is a lint.
    match &c.key_usage {
        None => p.lint.push(
            "no KeyUsage extension (ATIS-1000080 requires a critical one with digitalSignature)"
                .into(),
        ),
        Some((_, Err(e))) => p
            .hard
            .push(format!("the KeyUsage extension does not decode ({e})")),
        Some((critical, Ok(ku))) => {
            if !ku.digital_signature() {
                p.hard.push(
                    "KeyUsage does not include digitalSignature, so this key may not sign".into(),
                );
            } else if ku.0.bits() != 1 << 0 && ku.0.bits().count_ones() > 1 {
                p.lint
                    .push("KeyUsage has more than digitalSignature".into());
            }
            if !critical {
                p.lint.push("KeyUsage is not marked critical".into());
            }
        }
    }
    // Hard: an end-entity certificate, not a CA.
    match &c.basic_constraints {
        None => p.lint.push("no BasicConstraints extension".into()),
        Some((_, Err(e))) => p
            .hard
            .push(format!("BasicConstraints does not decode ({e})")),
        Some((critical, Ok(bc))) => {
            if bc.ca {
                p.hard.push(
                    "BasicConstraints says CA:TRUE; a CA certificate must not sign PASSporTs"
                        .into(),
                );
            }
            if !critical {
                p.lint
                    .push("BasicConstraints is not marked critical".into());
            }
        }
    }
    // Hard: TNAuthList present and decodable with an SPC or numbers (RFC 8226 §9).
    match &c.tn_auth {
        None => p.hard.push("no TNAuthList extension: the certificate does not say which service provider (SPC) it belongs to".into()),
        Some((_, Err(e))) => p.hard.push(format!("the TNAuthList does not decode ({e})")),
        Some((critical, Ok(list))) => {
            if list.spc().is_none() && !list.has_numbers() {
                p.hard.push("the TNAuthList holds neither an SPC nor telephone numbers".into());
            }
            if *critical {
                p.lint.push("TNAuthList is marked critical".into());
            }
            match list.spc_encoding {
                Some(SpcEncoding::Untagged) => p.lint.push("the SPC is encoded without its [0] tag (RFC 8226 requires the tagged form)".into()),
                Some(SpcEncoding::Implicit) => p.lint.push("the SPC uses an implicit [0] tag (RFC 8226 uses explicit tags)".into()),
                _ => {}
            }
            if list.spc_count() > 1 {
                p.lint.push(format!("the TNAuthList holds {} SPCs; SHAKEN certificates carry one", list.spc_count()));
            }
            if list.has_numbers() {
                // A delegate certificate (ATIS-1000092): its own rules instead of the SP ones.
                p.lint.extend(super::delegation::delegate_lints(list));
            } else if let Some(spc) = list.spc() {
                if !spc.bytes().all(|b| b.is_ascii_digit() || b.is_ascii_uppercase()) || spc.len() != 4 {
                    p.lint.push(format!("SPC {spc:?} is not four digits/uppercase letters"));
                }
                let want = format!("SHAKEN {spc}");
                if c.subject_cn.as_deref() != Some(want.as_str()) {
                    p.lint.push(format!("subject CN is {:?}, expected {want:?}", c.subject_cn.as_deref().unwrap_or("")));
                }
            }
        }
    }
    // Lints.
    if c.version != 3 {
        p.lint
            .push(format!("X.509 version {} (SHAKEN requires v3)", c.version));
    }
    if c.serial_bits < 64 {
        p.lint.push(format!(
            "serial number has {} bits; at least 64 random bits are required",
            c.serial_bits
        ));
    }
    match &c.sig_alg {
        Ok(Alg::ES256) => {}
        Ok(a) => p.lint.push(format!(
            "signed with {a:?}; ATIS-1000080 specifies ecdsa-with-SHA256"
        )),
        Err(oid) => p.lint.push(format!("signed with {oid}")),
    }
    if c.sig_alg_has_params {
        p.lint.push("the ECDSA signature algorithm identifier carries a NULL parameter (RFC 5758 says absent)".into());
    }
    match &c.policies {
        None => p
            .lint
            .push("no Certificate Policies extension (the SHAKEN CP OID is required)".into()),
        Some((_, Err(e))) => p
            .lint
            .push(format!("Certificate Policies does not decode ({e})")),
        Some((critical, Ok(oids))) => {
            let shaken = oids.iter().filter(|o| is_shaken_cp(o)).count();
            if shaken != 1 || oids.len() != 1 {
                p.lint.push(format!("Certificate Policies should hold exactly one SHAKEN CP OID, found {} OID(s), {shaken} SHAKEN", oids.len()));
            }
            if *critical {
                p.lint
                    .push("Certificate Policies is marked critical".into());
            }
        }
    }
    if !c.has_crl_dp {
        p.lint
            .push("no CRL Distribution Points extension (revocation cannot be located)".into());
    }
    if c.ski.is_none() {
        p.lint.push("no Subject Key Identifier".into());
    }
    if c.aki.is_none() {
        p.lint.push("no Authority Key Identifier".into());
    }
    if c.subject_c.as_deref() != Some("US") {
        p.lint.push(format!(
            "subject C is {:?}, expected \"US\"",
            c.subject_c.as_deref().unwrap_or("")
        ));
    }
    if c.subject_o.is_none() {
        p.lint
            .push("subject has no O (organization) attribute".into());
    }
    let known = [
        rfc5280::ID_CE_KEY_USAGE,
        rfc5280::ID_CE_BASIC_CONSTRAINTS,
        rfc5280::ID_CE_CERTIFICATE_POLICIES,
        rfc5280::ID_CE_SUBJECT_KEY_IDENTIFIER,
        rfc5280::ID_CE_AUTHORITY_KEY_IDENTIFIER,
        rfc5280::ID_CE_CRL_DISTRIBUTION_POINTS,
        OID_TN_AUTH_LIST,
        OID_JWT_CLAIM_CONSTRAINTS,
        OID_EJWT_CLAIM_CONSTRAINTS,
    ];
    for (oid, critical) in &c.extensions {
        if !known.contains(oid) {
            let name = super::parse::oid_name(*oid);
            if *critical {
                p.hard.push(format!("unknown critical extension {name}: a verifier must not accept it (RFC 5280 §4.2)"));
            } else {
                p.lint
                    .push(format!("extension {name} is not in the SHAKEN profile"));
            }
        }
    }
    p
}
