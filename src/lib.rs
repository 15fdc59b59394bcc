//! stircheck: a sans-IO STIR/SHAKEN verifier core.
//!
//! Text, certificate bytes and the time go in; a [`Verdict`] with every check comes out. The
//! shells (CLI, wasm page, edge worker) do all IO. See `docs/js-api.md` and `DESIGN.md`.
//!
//! ```no_run
//! use stircheck::{Options, Verifier};
//! let verdict = Verifier::default().verify("Identity: …", &Options::at(1_700_000_000));
//! println!("{:?} {}", verdict.status, verdict.reason);
//! ```

#![forbid(unsafe_code)]
#![warn(missing_docs)]

#[cfg(feature = "advise")]
pub mod advise;
#[allow(missing_docs)] // internal: reached only through `__private`
mod cert;
mod check_id;
pub mod crypto;
pub mod decode;
#[cfg(feature = "demo")]
pub mod demo;
pub mod fetch_rules;
#[allow(missing_docs)] // internal: reached only through `__private`
mod identity;
#[allow(missing_docs)] // internal: reached only through `__private`
mod json;
pub mod limits;
mod lru;
#[allow(missing_docs)] // internal: reached only through `__private`
mod passport;
#[allow(missing_docs)] // internal: reached only through `__private`
mod paste;
#[allow(missing_docs)] // documented in src/rcd/mod.rs; pub for the shells and tests
pub mod rcd;
pub mod sbc;
#[cfg(feature = "advise")]
pub mod selfcheck;
#[cfg(feature = "demo")]
pub mod sign;
#[allow(missing_docs)] // internal: reached only through `__private`
mod sip;
#[allow(missing_docs)] // internal: reached only through `__private`
mod sip_line;
pub mod summary;
#[allow(missing_docs)] // internal: reached only through `__private`
mod text;
#[allow(missing_docs)] // internal: reached only through `__private`
mod time;
#[allow(missing_docs)] // internal: reached only through `__private`
mod tn;
pub mod trust;
pub mod verdict;
pub mod verify;
pub mod view;
#[cfg(feature = "host-glue")]
pub mod webhook;
pub mod x5u;

pub use check_id::CheckId;
pub use decode::{Decoded, decode};
pub use time::format_date;
pub use trust::TrustStore;
pub use verdict::{Check, Outcome, SipCode, Status, Verdict};
pub use verify::{Options, Pending, Verifier};

#[cfg(all(target_arch = "wasm32", feature = "host-glue"))]
#[allow(missing_docs)] // wasm-bindgen exports, documented in docs/js-api.md
pub mod sbc_wasm;
#[cfg(target_arch = "wasm32")]
#[allow(missing_docs)] // wasm-bindgen exports, documented in docs/js-api.md
pub mod wasm;

/// Internals that tests, benches and fuzz targets reach into (parsers, certificate layer). Not
/// part of the API: no stability promise.
#[doc(hidden)]
pub mod __private {
    #![allow(missing_docs)]
    pub mod cert {
        pub use crate::cert::*;
    }
    pub mod identity {
        pub use crate::identity::*;
    }
    pub mod json {
        pub use crate::json::*;
    }
    pub mod passport {
        pub use crate::passport::*;
    }
    pub mod paste {
        pub use crate::paste::*;
    }
    pub mod sip {
        pub use crate::sip::*;
    }
    pub mod text {
        pub use crate::text::*;
    }
    pub mod time {
        pub use crate::time::*;
    }
    pub mod tn {
        pub use crate::tn::*;
    }
}
