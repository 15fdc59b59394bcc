//! stircheck: a sans-IO STIR/SHAKEN verifier core.
