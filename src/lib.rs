//! stircheck: a sans-IO STIR/SHAKEN verifier core.
//!
//! Text, certificate bytes and the time go in; a [`Verdict`] with every check comes out. The
//! shells (CLI, wasm page, edge worker) do all IO. See `docs/js-api.md` and `DESIGN.md`.

pub mod advise;
pub mod cert;
pub mod check_id;
pub mod crypto;
pub mod decode;
pub mod demo;
pub mod fetch_rules;
pub mod identity;
pub mod json;
pub mod limits;
pub mod passport;
pub mod paste;
pub mod sbc;
pub mod selfcheck;
pub mod sign;
pub mod sip;
pub mod summary;
pub mod text;
pub mod time;
pub mod tn;
pub mod trust;
pub mod verdict;
pub mod verify;
pub mod view;
pub mod webhook;
pub mod x5u;

pub use check_id::CheckId;
pub use trust::TrustStore;
pub use verdict::{Check, Outcome, Status, Verdict};
pub use verify::{Options, Pending, Verifier};

#[cfg(target_arch = "wasm32")]
pub mod sbc_wasm;
#[cfg(target_arch = "wasm32")]
pub mod wasm;
