//! Trust anchors: the STI-CA roots a chain must end at (checklist "Trust anchors").
//!
//! The STI-PA list is not public, so the built-in store is a dated snapshot of publicly known
//! STI-CA roots (trust/README.md says where each came from). Operators replace it with their own
//! PEM bundle(s) or an STI-PA trust-list JSON (`{"trustList": [PEM, ...]}`).

use crate::cert::chain::pem_blocks;
use crate::cert::parse::ParsedCert;
use crate::limits::MAX_TRUST_BYTES;
use crate::verdict::{AnchorInfo, TrustInfo};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, OnceLock};

/// Date of the built-in snapshot (the SHAKEN PKI report it was taken from).
pub const SNAPSHOT_DATE: &str = "2025-08-18";
const SNAPSHOT_NAME: &str =
    "built-in STI-CA root snapshot (public roots trusted by the STI-PA on 2025-08-18)";

const SNAPSHOT: &[&str] = &[
    include_str!("../trust/Comcast_SHAKEN_Root_CA_b1132c5f.pem"),
    include_str!("../trust/GBSDTech_SHAKEN_Root_CA_6d2bee73.pem"),
    include_str!("../trust/Martini_Security_SHAKEN_R1_6077e368.pem"),
    include_str!("../trust/Martini_Security_SHAKEN_ROOT_R2_853ca0c6.pem"),
    include_str!("../trust/Metaswitch_STI_CA_SHAKEN_Root_c27184f7.pem"),
    include_str!("../trust/NetNumber_SHAKEN_Root_CA_1_2dd1386c.pem"),
    include_str!("../trust/NetNumber_SHAKEN_Root_CA_7ac80e84.pem"),
    include_str!("../trust/Neustar_Certified_Caller_ID_Root_CA_4a77c17c.pem"),
    include_str!("../trust/Neustar_Certified_Caller_ID_SHAKEN_Root_CA_4c728d18.pem"),
    include_str!("../trust/Peeringhub_Inc_Root_CA_0ad4adc0.pem"),
    include_str!("../trust/SHAKEN_ROOT___somos_com_c704a027.pem"),
    include_str!("../trust/SHAKEN_Ribbon_Root_CA_7c2799d3.pem"),
    include_str!("../trust/SHAKEN_Root_CA_ee1cf83b.pem"),
    include_str!("../trust/SHAKEN_Sansay_Root_CA_US_8356d251.pem"),
    include_str!("../trust/TMOBILE_PROD_ROOT_STIRSHAKEN_EC_d54b8c44.pem"),
    include_str!("../trust/Telonium_SHAKEN_ROOT_G1_37e1a126.pem"),
    include_str!("../trust/Telonium_STI_CA_Root1_96c66865.pem"),
    include_str!("../trust/Telonium_STI_CA_Root2_a58b2799.pem"),
    include_str!("../trust/TransNexus__Inc__SHAKEN_Root_CA2_a26e04fc.pem"),
];

/// Why a trust store cannot be loaded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TrustError {
    /// Over the size limit (its size).
    TooLarge(usize),
    /// No certificate in it.
    NoCertificates,
    /// An STI-PA JSON list that does not parse.
    BadJson(String),
    /// Anchor `index` does not parse.
    BadCert {
        /// Its position, from 0.
        index: usize,
        /// Why.
        error: String,
    },
}

impl fmt::Display for TrustError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TrustError::TooLarge(n) => write!(
                f,
                "the trust store is {n} bytes, over the {MAX_TRUST_BYTES}-byte limit"
            ),
            TrustError::NoCertificates => write!(f, "the trust store holds no PEM certificate"),
            TrustError::BadJson(e) => write!(f, "the trust list JSON is not usable ({e})"),
            TrustError::BadCert { index, error } => {
                write!(f, "trust anchor #{} is not usable: {error}", index + 1)
            }
        }
    }
}

impl std::error::Error for TrustError {}

/// A set of trust anchors, indexed by subject for path building.
#[derive(Debug)]
pub struct TrustStore {
    /// A name shown in verdicts.
    pub name: String,
    /// `builtin`, or where it came from.
    pub source: &'static str,
    /// When the snapshot was taken, if known.
    pub date: Option<String>,
    /// The anchors.
    pub anchors: Vec<Arc<ParsedCert>>,
    /// Anchors whose subject is this DER name.
    by_subject: HashMap<Vec<u8>, Vec<usize>>,
    /// Digest over the anchors' DER, so cached validations are tied to the store that made them.
    pub fingerprint: [u8; 32],
    /// What every verdict reports about this store (built once, shared by every verdict).
    info: Arc<TrustInfo>,
}

impl TrustStore {
    /// The built-in snapshot (parsed once per process).
    pub fn builtin() -> Arc<TrustStore> {
        static STORE: OnceLock<Arc<TrustStore>> = OnceLock::new();
        STORE
            .get_or_init(|| {
                let certs = SNAPSHOT
                    .iter()
                    .filter_map(|pem| parse_pem_certs(pem).ok())
                    .flatten()
                    .collect();
                Arc::new(TrustStore::new(
                    SNAPSHOT_NAME.into(),
                    "built-in",
                    Some(SNAPSHOT_DATE.into()),
                    certs,
                ))
            })
            .clone()
    }

    /// An operator's store from PEM bundles or STI-PA trust-list JSON documents.
    pub fn from_bundles(name: &str, bundles: &[&[u8]]) -> Result<TrustStore, TrustError> {
        let total: usize = bundles.iter().map(|b| b.len()).sum();
        if total > MAX_TRUST_BYTES {
            return Err(TrustError::TooLarge(total));
        }
        let mut certs = Vec::new();
        for b in bundles {
            let text = String::from_utf8_lossy(b);
            let t = text.trim_start();
            if t.starts_with('{') {
                let v: serde_json::Value =
                    serde_json::from_str(t).map_err(|e| TrustError::BadJson(e.to_string()))?;
                let list = v
                    .get("trustList")
                    .and_then(|l| l.as_array())
                    .ok_or_else(|| TrustError::BadJson("no \"trustList\" array".into()))?;
                for pem in list {
                    let pem = pem.as_str().ok_or_else(|| {
                        TrustError::BadJson("trustList entry is not a string".into())
                    })?;
                    certs.extend(parse_pem_certs(pem).map_err(|e| offset(e, certs.len()))?);
                }
            } else {
                certs.extend(parse_pem_certs(&text).map_err(|e| offset(e, certs.len()))?);
            }
        }
        if certs.is_empty() {
            return Err(TrustError::NoCertificates);
        }
        Ok(TrustStore::new(name.into(), "custom", None, certs))
    }

    fn new(
        name: String,
        source: &'static str,
        date: Option<String>,
        certs: Vec<ParsedCert>,
    ) -> TrustStore {
        let mut anchors: Vec<Arc<ParsedCert>> = Vec::new();
        let mut h = Sha256::new();
        for c in certs {
            if anchors.iter().any(|a| a.sha256 == c.sha256) {
                continue;
            }
            h.update(c.sha256);
            anchors.push(Arc::new(c));
        }
        let mut by_subject: HashMap<Vec<u8>, Vec<usize>> = HashMap::new();
        for (i, a) in anchors.iter().enumerate() {
            by_subject.entry(a.subject_der.clone()).or_default().push(i);
        }
        let info = Arc::new(TrustInfo {
            source,
            name: name.clone(),
            date: date.clone(),
            anchors: anchors
                .iter()
                .map(|a| AnchorInfo {
                    subject: a.subject.clone(),
                    sha256: a.sha256_hex(),
                    not_after: a.not_after,
                })
                .collect(),
        });
        TrustStore {
            name,
            source,
            date,
            anchors,
            by_subject,
            fingerprint: h.finalize().into(),
            info,
        }
    }

    /// Anchors whose subject is `issuer_der` (exact DER match).
    pub fn by_subject(&self, issuer_der: &[u8]) -> impl Iterator<Item = &Arc<ParsedCert>> {
        self.by_subject
            .get(issuer_der)
            .into_iter()
            .flatten()
            .map(|i| &self.anchors[*i])
    }

    /// Whether an anchor has this SHA-256.
    pub fn contains(&self, sha256: &[u8; 32]) -> bool {
        self.anchors.iter().any(|a| &a.sha256 == sha256)
    }

    /// What verdicts report about this store.
    pub fn info(&self) -> Arc<TrustInfo> {
        self.info.clone()
    }
}

fn offset(e: TrustError, base: usize) -> TrustError {
    match e {
        TrustError::BadCert { index, error } => TrustError::BadCert {
            index: index + base,
            error,
        },
        other => other,
    }
}

fn parse_pem_certs(text: &str) -> Result<Vec<ParsedCert>, TrustError> {
    let mut out = Vec::new();
    for block in pem_blocks(text) {
        let (label, der) =
            der::pem::decode_vec(block.as_bytes()).map_err(|e| TrustError::BadCert {
                index: out.len(),
                error: format!("bad PEM: {e}"),
            })?;
        if label != "CERTIFICATE" && label != "TRUSTED CERTIFICATE" {
            continue;
        }
        out.push(ParsedCert::from_der(&der).map_err(|e| TrustError::BadCert {
            index: out.len(),
            error: e.to_string(),
        })?);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_snapshot_loads_every_root() {
        let t = TrustStore::builtin();
        assert_eq!(t.anchors.len(), SNAPSHOT.len());
        assert!(t.anchors.iter().all(|a| a.is_self_issued()));
        assert_eq!(t.info().date.as_deref(), Some(SNAPSHOT_DATE));
    }

    #[test]
    fn custom_store_errors_are_clear() {
        assert_eq!(
            TrustStore::from_bundles("x", &[b"nothing here"]).unwrap_err(),
            TrustError::NoCertificates
        );
        let e = TrustStore::from_bundles("x", &[b"{\"trustList\": 3}"]).unwrap_err();
        assert!(e.to_string().contains("trustList"));
        let json = serde_json::json!({ "trustList": [SNAPSHOT[0], SNAPSHOT[1]] }).to_string();
        assert_eq!(
            TrustStore::from_bundles("stipa", &[json.as_bytes()])
                .unwrap()
                .anchors
                .len(),
            2
        );
    }
}
