//! SHAKEN end-entity certificate profile (ATIS-1000080 §6.4.1, SHAKEN CP), split the way the
//! checklist splits it: a few hard requirements that make the credential unusable, and lints
//! that real certificates often miss (most production leaves fail at least one) — warnings only.

use super::parse::KeyError;
use super::parse::{
    OID_EJWT_CLAIM_CONSTRAINTS, OID_JWT_CLAIM_CONSTRAINTS, OID_TN_AUTH_LIST, ParsedCert,
};
use super::tnauth::SpcEncoding;
use crate::crypto::{Alg, KeyKind};
use const_oid::ObjectIdentifier;
use const_oid::db::rfc5280;
use std::fmt;

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

/// One way a leaf departs from the SHAKEN profile. Whether it is hard (the credential is
/// unusable) or a lint is decided where it is found: [`Profile::hard`] or [`Profile::lint`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Finding {
    /// The key is not P-256.
    KeyNotP256(KeyKind),
    /// The key is unusable.
    KeyUnusable(KeyError),
    /// No KeyUsage extension.
    NoKeyUsage,
    /// KeyUsage does not decode.
    KeyUsageUndecodable(String),
    /// KeyUsage lacks digitalSignature.
    NoDigitalSignature,
    /// KeyUsage allows more than digitalSignature.
    KeyUsageExtra,
    /// KeyUsage is not critical.
    KeyUsageNotCritical,
    /// No BasicConstraints extension.
    NoBasicConstraints,
    /// BasicConstraints does not decode.
    BasicConstraintsUndecodable(String),
    /// BasicConstraints says CA:TRUE.
    IsCa,
    /// BasicConstraints is not critical.
    BasicConstraintsNotCritical,
    /// No TNAuthList extension.
    NoTnAuthList,
    /// The TNAuthList does not decode.
    TnAuthListUndecodable(String),
    /// The TNAuthList holds neither an SPC nor numbers.
    TnAuthListEmpty,
    /// The TNAuthList is critical.
    TnAuthListCritical,
    /// The SPC lacks its [0] tag.
    SpcUntagged,
    /// The SPC uses an implicit [0] tag.
    SpcImplicit,
    /// More than one SPC (how many).
    SeveralSpcs(usize),
    /// A delegate certificate departs from ATIS-1000092 (the finding, worded by
    /// `cert::delegation`).
    Delegate(String),
    /// The SPC is not four digits/uppercase letters.
    SpcFormat(String),
    /// The subject CN is not "SHAKEN <SPC>".
    CommonName {
        /// The CN found (empty when none).
        found: String,
        /// The CN expected.
        want: String,
    },
    /// Not X.509 v3 (the version found).
    Version(u8),
    /// A serial number under 64 bits (its bit length).
    ShortSerial(usize),
    /// Signed with an algorithm other than ecdsa-with-SHA256.
    SignatureAlg(Alg),
    /// Signed with an algorithm this verifier does not know (its name).
    UnknownSignatureAlg(String),
    /// The ECDSA algorithm identifier carries a NULL parameter.
    SignatureAlgParams,
    /// No Certificate Policies extension.
    NoPolicies,
    /// Certificate Policies does not decode.
    PoliciesUndecodable(String),
    /// Not exactly one policy OID, the SHAKEN CP one.
    PolicyCount {
        /// How many policy OIDs.
        oids: usize,
        /// How many of them are SHAKEN CP OIDs.
        shaken: usize,
    },
    /// Certificate Policies is critical.
    PoliciesCritical,
    /// No CRL Distribution Points.
    NoCrlDp,
    /// No Subject Key Identifier.
    NoSki,
    /// No Authority Key Identifier.
    NoAki,
    /// The subject country is not US (the one found).
    Country(String),
    /// The subject has no O attribute.
    NoOrganization,
    /// A critical extension this verifier does not know (its name).
    UnknownCriticalExtension(String),
    /// A non-critical extension outside the profile (its name).
    ExtraExtension(String),
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use Finding::*;
        match self {
            KeyNotP256(k) => write!(
                f,
                "the key is {k:?}, but PASSporTs are signed with ES256, which needs a P-256 key"
            ),
            KeyUnusable(e) => write!(f, "the key cannot sign ES256 ({e})"),
            NoKeyUsage => write!(
                f,
                "no KeyUsage extension (ATIS-1000080 requires a critical one with digitalSignature)"
            ),
            KeyUsageUndecodable(e) => write!(f, "the KeyUsage extension does not decode ({e})"),
            NoDigitalSignature => write!(
                f,
                "KeyUsage does not include digitalSignature, so this key may not sign"
            ),
            KeyUsageExtra => write!(f, "KeyUsage has more than digitalSignature"),
            KeyUsageNotCritical => write!(f, "KeyUsage is not marked critical"),
            NoBasicConstraints => write!(f, "no BasicConstraints extension"),
            BasicConstraintsUndecodable(e) => write!(f, "BasicConstraints does not decode ({e})"),
            IsCa => write!(
                f,
                "BasicConstraints says CA:TRUE; a CA certificate must not sign PASSporTs"
            ),
            BasicConstraintsNotCritical => write!(f, "BasicConstraints is not marked critical"),
            NoTnAuthList => write!(
                f,
                "no TNAuthList extension: the certificate does not say which service provider (SPC) it belongs to"
            ),
            TnAuthListUndecodable(e) => write!(f, "the TNAuthList does not decode ({e})"),
            TnAuthListEmpty => write!(
                f,
                "the TNAuthList holds neither an SPC nor telephone numbers"
            ),
            TnAuthListCritical => write!(f, "TNAuthList is marked critical"),
            SpcUntagged => write!(
                f,
                "the SPC is encoded without its [0] tag (RFC 8226 requires the tagged form)"
            ),
            SpcImplicit => write!(
                f,
                "the SPC uses an implicit [0] tag (RFC 8226 uses explicit tags)"
            ),
            SeveralSpcs(n) => write!(
                f,
                "the TNAuthList holds {n} SPCs; SHAKEN certificates carry one"
            ),
            Delegate(d) => f.write_str(d),
            SpcFormat(spc) => write!(f, "SPC {spc:?} is not four digits/uppercase letters"),
            CommonName { found, want } => write!(f, "subject CN is {found:?}, expected {want:?}"),
            Version(v) => write!(f, "X.509 version {v} (SHAKEN requires v3)"),
            ShortSerial(bits) => write!(
                f,
                "serial number has {bits} bits; at least 64 random bits are required"
            ),
            SignatureAlg(a) => write!(
                f,
                "signed with {a:?}; ATIS-1000080 specifies ecdsa-with-SHA256"
            ),
            UnknownSignatureAlg(oid) => write!(f, "signed with {oid}"),
            SignatureAlgParams => write!(
                f,
                "the ECDSA signature algorithm identifier carries a NULL parameter (RFC 5758 says absent)"
            ),
            NoPolicies => write!(
                f,
                "no Certificate Policies extension (the SHAKEN CP OID is required)"
            ),
            PoliciesUndecodable(e) => write!(f, "Certificate Policies does not decode ({e})"),
            PolicyCount { oids, shaken } => write!(
                f,
                "Certificate Policies should hold exactly one SHAKEN CP OID, found {oids} OID(s), {shaken} SHAKEN"
            ),
            PoliciesCritical => write!(f, "Certificate Policies is marked critical"),
            NoCrlDp => write!(
                f,
                "no CRL Distribution Points extension (revocation cannot be located)"
            ),
            NoSki => write!(f, "no Subject Key Identifier"),
            NoAki => write!(f, "no Authority Key Identifier"),
            Country(c) => write!(f, "subject C is {c:?}, expected \"US\""),
            NoOrganization => write!(f, "subject has no O (organization) attribute"),
            UnknownCriticalExtension(n) => write!(
                f,
                "unknown critical extension {n}: a verifier must not accept it (RFC 5280 §4.2)"
            ),
            ExtraExtension(n) => write!(f, "extension {n} is not in the SHAKEN profile"),
        }
    }
}

impl std::error::Error for Finding {}

/// Findings for one end-entity certificate.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Profile {
    /// Hard failures (→ `cert.profile` fails, 437).
    pub hard: Vec<Finding>,
    /// Profile lints (→ `cert.profile` warns).
    pub lint: Vec<Finding>,
}

/// The SHAKEN profile findings for leaf `c`.
pub fn check_leaf(c: &ParsedCert) -> Profile {
    use Finding::*;
    let mut p = Profile::default();
    // Hard: ES256 needs a P-256 key.
    match &c.key {
        Ok(KeyKind::P256) => {}
        Ok(k) => p.hard.push(KeyNotP256(*k)),
        Err(e) => p.hard.push(KeyUnusable(e.clone())),
    }
    // Hard: may sign (KeyUsage digitalSignature). An absent KeyUsage allows any use (RFC 5280
    // §4.2.1.3), so that is a lint.
    match &c.key_usage {
        None => p.lint.push(NoKeyUsage),
        Some((_, Err(e))) => p.hard.push(KeyUsageUndecodable(e.clone())),
        Some((critical, Ok(ku))) => {
            if !ku.digital_signature() {
                p.hard.push(NoDigitalSignature);
            } else if ku.0.bits() != 1 << 0 && ku.0.bits().count_ones() > 1 {
                p.lint.push(KeyUsageExtra);
            }
            if !critical {
                p.lint.push(KeyUsageNotCritical);
            }
        }
    }
    // Hard: an end-entity certificate, not a CA.
    match &c.basic_constraints {
        None => p.lint.push(NoBasicConstraints),
        Some((_, Err(e))) => p.hard.push(BasicConstraintsUndecodable(e.clone())),
        Some((critical, Ok(bc))) => {
            if bc.ca {
                p.hard.push(IsCa);
            }
            if !critical {
                p.lint.push(BasicConstraintsNotCritical);
            }
        }
    }
    // Hard: TNAuthList present and decodable with an SPC or numbers (RFC 8226 §9).
    match &c.tn_auth {
        None => p.hard.push(NoTnAuthList),
        Some((_, Err(e))) => p.hard.push(TnAuthListUndecodable(e.to_string())),
        Some((critical, Ok(list))) => {
            if list.spc().is_none() && !list.has_numbers() {
                p.hard.push(TnAuthListEmpty);
            }
            if *critical {
                p.lint.push(TnAuthListCritical);
            }
            match list.spc_encoding {
                Some(SpcEncoding::Untagged) => p.lint.push(SpcUntagged),
                Some(SpcEncoding::Implicit) => p.lint.push(SpcImplicit),
                _ => {}
            }
            if list.spc_count() > 1 {
                p.lint.push(SeveralSpcs(list.spc_count()));
            }
            if list.has_numbers() {
                // A delegate certificate (ATIS-1000092): its own rules instead of the SP ones.
                p.lint.extend(
                    super::delegation::delegate_lints(list)
                        .into_iter()
                        .map(Delegate),
                );
            } else if let Some(spc) = list.spc() {
                if !spc
                    .bytes()
                    .all(|b| b.is_ascii_digit() || b.is_ascii_uppercase())
                    || spc.len() != 4
                {
                    p.lint.push(SpcFormat(spc.to_string()));
                }
                let want = format!("SHAKEN {spc}");
                if c.subject_cn.as_deref() != Some(want.as_str()) {
                    p.lint.push(CommonName {
                        found: c.subject_cn.clone().unwrap_or_default(),
                        want,
                    });
                }
            }
        }
    }
    // Lints.
    if c.version != 3 {
        p.lint.push(Version(c.version));
    }
    if c.serial_bits < 64 {
        p.lint.push(ShortSerial(c.serial_bits));
    }
    match &c.sig_alg {
        Ok(Alg::ES256) => {}
        Ok(a) => p.lint.push(SignatureAlg(*a)),
        Err(oid) => p.lint.push(UnknownSignatureAlg(oid.clone())),
    }
    if c.sig_alg_has_params {
        p.lint.push(SignatureAlgParams);
    }
    match &c.policies {
        None => p.lint.push(NoPolicies),
        Some((_, Err(e))) => p.lint.push(PoliciesUndecodable(e.clone())),
        Some((critical, Ok(oids))) => {
            let shaken = oids.iter().filter(|o| is_shaken_cp(o)).count();
            if shaken != 1 || oids.len() != 1 {
                p.lint.push(PolicyCount {
                    oids: oids.len(),
                    shaken,
                });
            }
            if *critical {
                p.lint.push(PoliciesCritical);
            }
        }
    }
    if !c.has_crl_dp {
        p.lint.push(NoCrlDp);
    }
    if c.ski.is_none() {
        p.lint.push(NoSki);
    }
    if c.aki.is_none() {
        p.lint.push(NoAki);
    }
    if c.subject_c.as_deref() != Some("US") {
        p.lint
            .push(Country(c.subject_c.clone().unwrap_or_default()));
    }
    if c.subject_o.is_none() {
        p.lint.push(NoOrganization);
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
                p.hard.push(UnknownCriticalExtension(name));
            } else {
                p.lint.push(ExtraExtension(name));
            }
        }
    }
    p
}
