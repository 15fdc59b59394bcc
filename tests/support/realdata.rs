//! Real data from `../shared/corpus` for the backend cross-check test and the benchmarks: the
//! production Verizon header with its real chain, the libstirshaken fixtures, and the RFC 8224
//! example with its key. Read in place at run time; nothing is copied into the repository.
#![allow(dead_code)]

use serde_json::Value;
use std::path::PathBuf;

/// `../shared/corpus` beside the repository (or `$STIRCHECK_CORPUS`).
pub fn corpus_dir() -> PathBuf {
    if let Some(d) = std::env::var_os("STIRCHECK_CORPUS") {
        return PathBuf::from(d);
    }
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/corpus"))
}

pub fn corpus_present() -> bool {
    corpus_dir().join("headers.jsonl").is_file()
}

pub fn read_text(rel: &str) -> String {
    let p = corpus_dir().join(rel);
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("cannot read {}: {e}", p.display()))
}

pub fn headers() -> Vec<Value> {
    read_text("headers.jsonl")
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).expect("headers.jsonl line is JSON"))
        .collect()
}

/// A header to verify, with the chain (PEM, leaf first) and the time to verify at.
#[derive(Clone)]
pub struct RealCase {
    pub identity: String,
    pub x5u: String,
    pub chain_pem: String,
    pub iat: i64,
}

/// The production Verizon header (attest A) with its real chain: the leaf named by `cert_sha256`
/// (its `position` in `certs/leaves.pem`) and the intermediates from `chain_in_corpus`. The root
/// is not sent (it is in the built-in trust store, as in production).
pub fn verizon() -> RealCase {
    let h = headers()
        .into_iter()
        .find(|h| {
            h["kind"] == "production"
                && h["cert_sha256"].is_string()
                && h["x5u"]
                    .as_str()
                    .is_some_and(|u| u.contains("sti.verizon.com"))
        })
        .expect("the Verizon production header is in headers.jsonl");
    let sha = h["cert_sha256"].as_str().unwrap();
    let entry: Value = read_text("certs/index.jsonl")
        .lines()
        .find(|l| l.contains(sha))
        .map(|l| serde_json::from_str(l).expect("index line is JSON"))
        .expect("the Verizon leaf is in certs/index.jsonl");
    let position = entry["position"].as_u64().expect("leaf position") as usize;
    let bundle = entry["bundle"].as_str().unwrap_or("leaves.pem");
    let leaves =
        stircheck::__private::cert::chain::pem_blocks(&read_text(&format!("certs/{bundle}")));
    let mut chain = leaves[position].clone();
    for f in h["chain_in_corpus"].as_array().expect("chain_in_corpus") {
        let f = f.as_str().unwrap();
        if f.starts_with("intermediates/") {
            chain.push_str(&read_text(&format!("certs/{f}")));
        }
    }
    RealCase {
        identity: h["identity"].as_str().unwrap().to_owned(),
        x5u: h["x5u"].as_str().unwrap().to_owned(),
        chain_pem: chain,
        iat: h["iat"].as_i64().expect("numeric iat"),
    }
}
