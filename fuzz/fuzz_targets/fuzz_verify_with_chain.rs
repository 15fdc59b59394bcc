//! Arbitrary Identity/PASSporT text verified against a fixed real chain (the production Verizon
//! leaf and its intermediate from ../shared/corpus) and the built-in trust store, which holds its
//! root: every PASSporT whose x5u passes the URL rules reaches chain parsing, the profile checks,
//! path building, the crypto jobs, `finish` and the chain cache. Each input runs three times:
//! with the real crypto backend; with every job reported as verified (so the "valid" branches and
//! the cache insert are reached too), as of the call's iat; and again on that verifier (a cache hit).
#![no_main]

use libfuzzer_sys::fuzz_target;
use serde_json::Value;
use std::path::PathBuf;
use std::sync::OnceLock;
use stircheck::{Options, TrustStore, Verifier};

struct Fixed {
    chain: Vec<u8>,
    iat: i64,
}

fn corpus_dir() -> PathBuf {
    match std::env::var_os("STIRCHECK_CORPUS") {
        Some(d) => PathBuf::from(d),
        None => PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/corpus")),
    }
}

fn read(rel: &str) -> String {
    let p = corpus_dir().join(rel);
    std::fs::read_to_string(&p).unwrap_or_else(|e| {
        panic!(
            "fuzz_verify_with_chain needs the corpus ({}): {e}; set STIRCHECK_CORPUS",
            p.display()
        )
    })
}

fn fixed() -> &'static Fixed {
    static F: OnceLock<Fixed> = OnceLock::new();
    F.get_or_init(|| {
        let h: Value = read("headers.jsonl")
            .lines()
            .filter_map(|l| serde_json::from_str::<Value>(l).ok())
            .find(|h| {
                h["kind"] == "production"
                    && h["cert_sha256"].is_string()
                    && h["x5u"]
                        .as_str()
                        .is_some_and(|u| u.contains("sti.verizon.com"))
            })
            .expect("the Verizon production header is in headers.jsonl");
        let sha = h["cert_sha256"].as_str().unwrap();
        let entry: Value = read("certs/index.jsonl")
            .lines()
            .find(|l| l.contains(sha))
            .and_then(|l| serde_json::from_str(l).ok())
            .expect("the Verizon leaf is in certs/index.jsonl");
        let pos = entry["position"].as_u64().expect("leaf position") as usize;
        let leaves = stircheck::__private::cert::chain::pem_blocks(&read("certs/leaves.pem"));
        let mut chain = leaves[pos].clone();
        for f in h["chain_in_corpus"].as_array().expect("chain_in_corpus") {
            let f = f.as_str().unwrap();
            if f.starts_with("intermediates/") {
                chain.push_str(&read(&format!("certs/{f}")));
            }
        }
        Fixed {
            chain: chain.into_bytes(),
            iat: h["iat"].as_i64().expect("numeric iat"),
        }
    })
}

fuzz_target!(|data: &[u8]| {
    let f = fixed();
    let text = String::from_utf8_lossy(data);
    let trust = TrustStore::builtin();

    let mut opts = Options::at(f.iat);
    opts.default_chain = Some(f.chain.clone());
    let _ = Verifier::new(trust.clone()).verify(&text, &opts);

    opts.now = f.iat + 365 * 86_400;
    opts.as_of_call = true;
    let v = Verifier::new(trust);
    let pending = v.prepare(&text, &opts);
    let ok = vec![Some(true); pending.jobs().len()];
    let verdict = v.finish(pending, &ok);
    let _ = serde_json::to_string(&verdict);
    let _ = v.verify(&text, &opts);
});
