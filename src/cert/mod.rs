//! Certificates: parsing, TNAuthList, the SHAKEN profile, reading x5u content, and paths.

pub mod cert_cache;
pub mod chain;
pub mod constraints;
pub mod crl;
pub mod delegation;
pub mod dist_point;
pub mod dn;
pub mod parse;
pub mod path;
pub mod profile;
pub mod sig_cache;
pub mod tnauth;

pub use parse::ParsedCert;
