//! JWT claim constraints carried by STIR certificates: which PASSporT claims a certificate lets
//! its key sign.
//!
//! Two extensions say it. RFC 8226 §8 `JWTClaimConstraints` (id-pe 27) lists claims that must be
//! present (`mustInclude`) and, per claim, the values allowed (`permittedValues`); RFC 9118
//! `EnhancedJWTClaimConstraints` (id-pe 33) adds claims that must be absent (`mustExclude`). A
//! number holder's provider puts them in a delegate certificate (or the CA above it) to limit
//! what its customer may assert — e.g. only attestation A, or never an `rcd` brand. Both modules
//! use EXPLICIT tags; the structures are small, so they are decoded with `der`'s derive.

use super::parse::{OID_EJWT_CLAIM_CONSTRAINTS, OID_JWT_CLAIM_CONSTRAINTS, ParsedCert};
use const_oid::ObjectIdentifier;
use der::Sequence;
use der::asn1::Ia5String;
use serde::Serialize;
use serde_json::Value;
use std::fmt;

/// RFC 8226 §8 JWTClaimConstraints.
#[derive(Sequence)]
struct JwtClaimConstraintsDer {
    #[asn1(context_specific = "0", optional = "true")]
    must_include: Option<Vec<Ia5String>>,
    #[asn1(context_specific = "1", optional = "true")]
    permitted_values: Option<Vec<PermittedValuesDer>>,
}

/// RFC 9118 EnhancedJWTClaimConstraints.
#[derive(Sequence)]
struct EnhancedJwtClaimConstraintsDer {
    #[asn1(context_specific = "0", optional = "true")]
    must_include: Option<Vec<Ia5String>>,
    #[asn1(context_specific = "1", optional = "true")]
    permitted_values: Option<Vec<PermittedValuesDer>>,
    #[asn1(context_specific = "2", optional = "true")]
    must_exclude: Option<Vec<Ia5String>>,
}

/// `JWTClaimPermittedValues` / `JWTClaimValues`: a claim name and the UTF8String values allowed.
#[derive(Sequence)]
struct PermittedValuesDer {
    claim: Ia5String,
    values: Vec<String>,
}

/// Which extension the constraints came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum ConstraintsKind {
    /// RFC 8226 §8 (1.3.6.1.5.5.7.1.27).
    #[serde(rename = "JWTClaimConstraints")]
    Jwt,
    /// RFC 9118 (1.3.6.1.5.5.7.1.33).
    #[serde(rename = "EnhancedJWTClaimConstraints")]
    Enhanced,
}

impl ConstraintsKind {
    pub fn name(self) -> &'static str {
        match self {
            ConstraintsKind::Jwt => "JWTClaimConstraints",
            ConstraintsKind::Enhanced => "EnhancedJWTClaimConstraints",
        }
    }
}

/// The values one claim may take.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Permitted {
    pub claim: String,
    pub values: Vec<String>,
}

/// Decoded claim constraints of one certificate extension.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ClaimConstraints {
    pub kind: ConstraintsKind,
    pub must_include: Vec<String>,
    pub permitted_values: Vec<Permitted>,
    pub must_exclude: Vec<String>,
}

/// Why a constraints extension could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConstraintsError {
    /// Not DER of the expected structure.
    Der(String),
    /// Every component is absent (the ASN.1 requires at least one).
    Empty,
    /// A `SEQUENCE SIZE (1..MAX)` that is empty.
    EmptyList(&'static str),
}

impl fmt::Display for ConstraintsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConstraintsError::Der(e) => write!(f, "not valid DER for the extension ({e})"),
            ConstraintsError::Empty => write!(f, "it holds no constraint at all"),
            ConstraintsError::EmptyList(what) => write!(f, "its {what} list is empty"),
        }
    }
}

impl std::error::Error for ConstraintsError {}

fn names(v: Option<Vec<Ia5String>>, what: &'static str) -> Result<Vec<String>, ConstraintsError> {
    match v {
        None => Ok(Vec::new()),
        Some(v) if v.is_empty() => Err(ConstraintsError::EmptyList(what)),
        Some(v) => Ok(v.into_iter().map(|s| s.to_string()).collect()),
    }
}

fn permitted(v: Option<Vec<PermittedValuesDer>>) -> Result<Vec<Permitted>, ConstraintsError> {
    match v {
        None => Ok(Vec::new()),
        Some(v) if v.is_empty() => Err(ConstraintsError::EmptyList("permittedValues")),
        Some(v) => v
            .into_iter()
            .map(|p| {
                if p.values.is_empty() {
                    return Err(ConstraintsError::EmptyList("permitted values of a claim"));
                }
                Ok(Permitted {
                    claim: p.claim.to_string(),
                    values: p.values,
                })
            })
            .collect(),
    }
}

impl ClaimConstraints {
    /// Decode an RFC 8226 `JWTClaimConstraints` extension value.
    pub fn decode_jwt(bytes: &[u8]) -> Result<ClaimConstraints, ConstraintsError> {
        use der::Decode;
        let d = JwtClaimConstraintsDer::from_der(bytes)
            .map_err(|e| ConstraintsError::Der(e.to_string()))?;
        let c = ClaimConstraints {
            kind: ConstraintsKind::Jwt,
            must_include: names(d.must_include, "mustInclude")?,
            permitted_values: permitted(d.permitted_values)?,
            must_exclude: Vec::new(),
        };
        c.non_empty()
    }

    /// Decode an RFC 9118 `EnhancedJWTClaimConstraints` extension value.
    pub fn decode_enhanced(bytes: &[u8]) -> Result<ClaimConstraints, ConstraintsError> {
        use der::Decode;
        let d = EnhancedJwtClaimConstraintsDer::from_der(bytes)
            .map_err(|e| ConstraintsError::Der(e.to_string()))?;
        let c = ClaimConstraints {
            kind: ConstraintsKind::Enhanced,
            must_include: names(d.must_include, "mustInclude")?,
            permitted_values: permitted(d.permitted_values)?,
            must_exclude: names(d.must_exclude, "mustExclude")?,
        };
        c.non_empty()
    }

    /// The DER of these constraints as an EnhancedJWTClaimConstraints (RFC 9118) extension
    /// value, or as a JWTClaimConstraints (RFC 8226) one for `ConstraintsKind::Jwt` (which
    /// cannot say mustExclude). Used by the demo PKI; names must be IA5 (ASCII) text.
    pub fn to_der(&self) -> Result<Vec<u8>, ConstraintsError> {
        use der::Encode;
        let bad = |e: der::Error| ConstraintsError::Der(e.to_string());
        let ia5 = |v: &[String]| -> Result<Option<Vec<Ia5String>>, ConstraintsError> {
            if v.is_empty() {
                return Ok(None);
            }
            v.iter()
                .map(|n| Ia5String::new(n).map_err(bad))
                .collect::<Result<Vec<_>, _>>()
                .map(Some)
        };
        let permitted = if self.permitted_values.is_empty() {
            None
        } else {
            Some(
                self.permitted_values
                    .iter()
                    .map(|p| {
                        Ok(PermittedValuesDer {
                            claim: Ia5String::new(&p.claim).map_err(bad)?,
                            values: p.values.clone(),
                        })
                    })
                    .collect::<Result<Vec<_>, ConstraintsError>>()?,
            )
        };
        let c = self.clone().non_empty()?;
        match c.kind {
            ConstraintsKind::Enhanced => EnhancedJwtClaimConstraintsDer {
                must_include: ia5(&c.must_include)?,
                permitted_values: permitted,
                must_exclude: ia5(&c.must_exclude)?,
            }
            .to_der()
            .map_err(bad),
            ConstraintsKind::Jwt => {
                if !c.must_exclude.is_empty() {
                    return Err(ConstraintsError::Der(
                        "JWTClaimConstraints has no mustExclude (use EnhancedJWTClaimConstraints)"
                            .into(),
                    ));
                }
                JwtClaimConstraintsDer {
                    must_include: ia5(&c.must_include)?,
                    permitted_values: permitted,
                }
                .to_der()
                .map_err(bad)
            }
        }
    }

    fn non_empty(self) -> Result<ClaimConstraints, ConstraintsError> {
        if self.must_include.is_empty()
            && self.permitted_values.is_empty()
            && self.must_exclude.is_empty()
        {
            Err(ConstraintsError::Empty)
        } else {
            Ok(self)
        }
    }

    /// Everything the PASSporT `claims` object does wrong against these constraints, in the
    /// order mustInclude, permittedValues, mustExclude. Empty = satisfied.
    pub fn violations(&self, claims: &serde_json::Map<String, Value>) -> Vec<Violation> {
        let mut out = Vec::new();
        for name in &self.must_include {
            if !claims.contains_key(name) {
                out.push(Violation::Missing {
                    claim: name.clone(),
                });
            }
        }
        for p in &self.permitted_values {
            // RFC 8226 §8: a listed claim that is present must carry one of its values; one
            // that is absent is only an error when mustInclude also names it (checked above).
            if let Some(v) = claims.get(&p.claim) {
                let text = claim_text(v);
                if !p.values.contains(&text) {
                    out.push(Violation::NotPermitted {
                        claim: p.claim.clone(),
                        value: text,
                        allowed: p.values.clone(),
                    });
                }
            }
        }
        for name in &self.must_exclude {
            if claims.contains_key(name) {
                out.push(Violation::Excluded {
                    claim: name.clone(),
                });
            }
        }
        out
    }
}

/// One broken constraint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Violation {
    Missing {
        claim: String,
    },
    NotPermitted {
        claim: String,
        value: String,
        allowed: Vec<String>,
    },
    Excluded {
        claim: String,
    },
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Violation::Missing { claim } => {
                write!(
                    f,
                    "claim \"{claim}\" must be included (mustInclude) but is missing"
                )
            }
            Violation::NotPermitted {
                claim,
                value,
                allowed,
            } => {
                let list: Vec<String> = allowed.iter().map(|a| format!("{a:?}")).collect();
                write!(
                    f,
                    "claim \"{claim}\" is {value:?}, not one of the permitted values {}",
                    list.join(", ")
                )
            }
            Violation::Excluded { claim } => {
                write!(
                    f,
                    "claim \"{claim}\" must not be present (mustExclude) but is"
                )
            }
        }
    }
}

/// How a claim value compares with a permitted UTF8String: a JSON string by its text, anything
/// else by its canonical JSON (members sorted, no spaces — the RFC 8225 §9 form).
pub fn claim_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => canonical_json(other),
    }
}

fn canonical_json(v: &Value) -> String {
    match v {
        Value::Object(m) => {
            let mut keys: Vec<&String> = m.keys().collect();
            keys.sort();
            let parts: Vec<String> = keys
                .into_iter()
                .map(|k| format!("{}:{}", Value::String(k.clone()), canonical_json(&m[k])))
                .collect();
            format!("{{{}}}", parts.join(","))
        }
        Value::Array(a) => {
            let parts: Vec<String> = a.iter().map(canonical_json).collect();
            format!("[{}]", parts.join(","))
        }
        other => other.to_string(),
    }
}

/// Constraints found on one certificate, for the signer card.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CertConstraints {
    /// Subject of the certificate that carries them.
    pub certificate: String,
    #[serde(flatten)]
    pub constraints: ClaimConstraints,
}

/// The claim-constraint extensions of a certificate, decoded (or why not), in extension order.
/// Certificates without either extension cost nothing: the OIDs are looked up in the list the
/// parser already made; only then is the extension value read again from the DER.
pub fn of_cert(
    c: &ParsedCert,
) -> Vec<(ConstraintsKind, Result<ClaimConstraints, ConstraintsError>)> {
    let wanted = |oid: &ObjectIdentifier| {
        if *oid == OID_JWT_CLAIM_CONSTRAINTS {
            Some(ConstraintsKind::Jwt)
        } else if *oid == OID_EJWT_CLAIM_CONSTRAINTS {
            Some(ConstraintsKind::Enhanced)
        } else {
            None
        }
    };
    if !c.extensions.iter().any(|(oid, _)| wanted(oid).is_some()) {
        return Vec::new();
    }
    use der::Decode;
    let cert = match x509_cert::Certificate::from_der(&c.der) {
        Ok(cert) => cert,
        Err(e) => {
            return vec![(
                ConstraintsKind::Jwt,
                Err(ConstraintsError::Der(e.to_string())),
            )];
        }
    };
    let Some(exts) = cert.tbs_certificate().extensions() else {
        return Vec::new();
    };
    exts.iter()
        .filter_map(|e| {
            let kind = wanted(&e.extn_id)?;
            let bytes = e.extn_value.as_bytes();
            Some((
                kind,
                match kind {
                    ConstraintsKind::Jwt => ClaimConstraints::decode_jwt(bytes),
                    ConstraintsKind::Enhanced => ClaimConstraints::decode_enhanced(bytes),
                },
            ))
        })
        .collect()
}

/// Every readable constraint on the path (leaf first), for display.
pub fn of_path(path: &[std::sync::Arc<ParsedCert>]) -> Vec<CertConstraints> {
    path.iter()
        .flat_map(|c| {
            of_cert(c).into_iter().filter_map(|(_, r)| {
                r.ok().map(|constraints| CertConstraints {
                    certificate: c.subject.clone(),
                    constraints,
                })
            })
        })
        .collect()
}

/// A short description: `must include attest; attest one of "A"; must exclude rcd`.
pub fn describe(c: &ClaimConstraints) -> String {
    let mut parts = Vec::new();
    if !c.must_include.is_empty() {
        parts.push(format!("must include {}", c.must_include.join(", ")));
    }
    for p in &c.permitted_values {
        let v: Vec<String> = p.values.iter().map(|x| format!("{x:?}")).collect();
        parts.push(format!("{} one of {}", p.claim, v.join(", ")));
    }
    if !c.must_exclude.is_empty() {
        parts.push(format!("must exclude {}", c.must_exclude.join(", ")));
    }
    parts.join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::Engine;
    use serde_json::json;

    fn b64(s: &str) -> Vec<u8> {
        base64::engine::general_purpose::STANDARD.decode(s).unwrap()
    }

    fn obj(v: Value) -> serde_json::Map<String, Value> {
        v.as_object().unwrap().clone()
    }

    #[test]
    fn decodes_the_rfc8226_vector() {
        // standards-notes §4.8 (pyasn1-modules test of RFC 8226).
        let c = ClaimConstraints::decode_jwt(&b64(
            "MD2gBzAFFgNmb2+hMjAwMBkWA2ZvbzASDARmb28xDARmb28yDARmb28zMBMWA2JhcjAMDARiYXIxDARiYXIy",
        ))
        .unwrap();
        assert_eq!(c.kind, ConstraintsKind::Jwt);
        assert_eq!(c.must_include, ["foo"]);
        assert_eq!(c.permitted_values.len(), 2);
        assert_eq!(c.permitted_values[0].claim, "foo");
        assert_eq!(c.permitted_values[0].values, ["foo1", "foo2", "foo3"]);
        assert_eq!(c.permitted_values[1].values, ["bar1", "bar2"]);
        assert!(c.must_exclude.is_empty());
        assert!(c.violations(&obj(json!({"foo": "foo2"}))).is_empty());
        let v = c.violations(&obj(json!({"foo": "foo9", "bar": "bar1"})));
        assert_eq!(v.len(), 1);
        assert!(v[0].to_string().contains("\"foo\"") && v[0].to_string().contains("foo9"));
        let v = c.violations(&obj(json!({"bar": "x"})));
        assert!(matches!(&v[0], Violation::Missing { claim } if claim == "foo"));
        assert!(matches!(&v[1], Violation::NotPermitted { claim, .. } if claim == "bar"));
    }

    #[test]
    fn decodes_the_rfc9118_example_extension() {
        // The 1.3.6.1.5.5.7.1.33 value of the certificate in standards-notes §4.10.
        let der = b64(
            "MECgDjAMFgpjb25maWRlbmNloSAwHjAcFgpjb25maWRlbmNlMA4MBGhpZ2gMBm1lZGl1baIMMAoWCHByaW9yaXR5",
        );
        let c = ClaimConstraints::decode_enhanced(&der).unwrap();
        assert_eq!(c.must_include, ["confidence"]);
        assert_eq!(c.permitted_values[0].values, ["high", "medium"]);
        assert_eq!(c.must_exclude, ["priority"]);
        assert!(c.violations(&obj(json!({"confidence": "high"}))).is_empty());
        let v = c.violations(&obj(json!({"confidence": "low", "priority": "1"})));
        assert_eq!(v.len(), 2);
        assert!(v[1].to_string().contains("mustExclude"));
        // The same bytes are not a JWTClaimConstraints ([2] is not part of it).
        assert!(ClaimConstraints::decode_jwt(&der).is_err());
    }

    #[test]
    fn encodes_what_it_decodes() {
        let der = b64(
            "MECgDjAMFgpjb25maWRlbmNloSAwHjAcFgpjb25maWRlbmNlMA4MBGhpZ2gMBm1lZGl1baIMMAoWCHByaW9yaXR5",
        );
        let c = ClaimConstraints::decode_enhanced(&der).unwrap();
        assert_eq!(c.to_der().unwrap(), der);
        let jwt = b64(
            "MD2gBzAFFgNmb2+hMjAwMBkWA2ZvbzASDARmb28xDARmb28yDARmb28zMBMWA2JhcjAMDARiYXIxDARiYXIy",
        );
        assert_eq!(
            ClaimConstraints::decode_jwt(&jwt)
                .unwrap()
                .to_der()
                .unwrap(),
            jwt
        );
    }

    #[test]
    fn rejects_empty_and_garbage() {
        assert_eq!(
            ClaimConstraints::decode_enhanced(&[0x30, 0x00]),
            Err(ConstraintsError::Empty)
        );
        // mustInclude [0] with an empty SEQUENCE OF.
        assert_eq!(
            ClaimConstraints::decode_jwt(&[0x30, 0x04, 0xa0, 0x02, 0x30, 0x00]),
            Err(ConstraintsError::EmptyList("mustInclude"))
        );
        assert!(matches!(
            ClaimConstraints::decode_jwt(&[0x04, 0x01, 0x00]),
            Err(ConstraintsError::Der(_))
        ));
    }

    #[test]
    fn non_string_claims_compare_as_canonical_json() {
        assert_eq!(
            claim_text(&json!({"tn": ["2", "1"], "a": 1})),
            r#"{"a":1,"tn":["2","1"]}"#
        );
        assert_eq!(claim_text(&json!(17)), "17");
        assert_eq!(claim_text(&json!("A")), "A");
    }
}
