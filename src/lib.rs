//! stircheck: a sans-IO STIR/SHAKEN verifier core.

pub mod advise;
