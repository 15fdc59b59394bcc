//! Size bounds applied before any parsing, so hostile input costs little (checklist row 7).

/// Whole pasted input (a SIP message with a body fits easily).
pub const MAX_INPUT_BYTES: usize = 256 * 1024;
/// One (unfolded) header line.
pub const MAX_HEADER_BYTES: usize = 16 * 1024;
/// Identity headers considered in one message.
pub const MAX_IDENTITY_HEADERS: usize = 16;
/// A certificate chain as served at an x5u URL.
pub const MAX_CHAIN_BYTES: usize = 64 * 1024;
/// Certificates in one chain.
pub const MAX_CHAIN_CERTS: usize = 8;
/// Depth of a certification path (leaf + intermediates + anchor).
pub const MAX_PATH_DEPTH: usize = 6;
/// A trust store bundle.
pub const MAX_TRUST_BYTES: usize = 4 * 1024 * 1024;
/// CRL distribution point URLs fetched for one chain.
pub const MAX_CRL_URLS: usize = 8;
/// A private key file (`sign --key`).
pub const MAX_KEY_BYTES: usize = 16 * 1024;
/// CRLs considered in one verification (supplied and fetched together).
pub const MAX_CRLS: usize = 16;
