//! `stircheck verify` and revocation: CRL distribution points supplied with `--resource URL=FILE`,
//! `--crl` files (garbage and forged ones are not a pass), `--offline` saying why revocation was
//! not checked, and the production Verizon header naming its STI-PA distribution point.
//! (The CLI refuses non-https and special addresses, so no local server can stand in for a
//! distribution point: fetching itself is covered by the core's URL rules and `fetch.rs` tests.)

mod common;

use common::*;
use rcgen::{CertificateRevocationListParams, KeyIdMethod, RevokedCertParams, SerialNumber};
use serde_json::Value;
use std::path::PathBuf;
use std::process::Command;
use stircheck::__private::cert::chain::{Credential, parse_chain};

const BIN: &str = env!("CARGO_BIN_EXE_stircheck");
const DP: &str = "https://crl.example.com/sti-pa.crl";

#[path = "support/tempdir.rs"]
mod tempdir;
use tempdir::Dir;

fn leaf_serial(pki: &Pki) -> Vec<u8> {
    match parse_chain(pki.chain.pem.as_bytes()).expect("chain") {
        Credential::Chain(c) => c[0].serial.clone(),
        Credential::KeyOnly(_) => unreachable!(),
    }
}

/// DER CRL signed by `ca` (2025-05-01 → 2025-07-01) revoking `serials`.
fn crl_der(ca: &Ca, serials: &[Vec<u8>]) -> Vec<u8> {
    crl(ca, serials).der().to_vec()
}

fn crl_pem(ca: &Ca, serials: &[Vec<u8>]) -> String {
    crl(ca, serials).pem().expect("PEM")
}

fn crl(ca: &Ca, serials: &[Vec<u8>]) -> rcgen::CertificateRevocationList {
    CertificateRevocationListParams {
        this_update: rcgen::date_time_ymd(2025, 5, 1),
        next_update: rcgen::date_time_ymd(2025, 7, 1),
        crl_number: SerialNumber::from(3u64),
        issuing_distribution_point: None,
        revoked_certs: serials
            .iter()
            .map(|s| RevokedCertParams {
                serial_number: SerialNumber::from_slice(s),
                revocation_time: rcgen::date_time_ymd(2025, 5, 15),
                reason_code: None,
                invalidity_date: None,
            })
            .collect(),
        key_identifier_method: KeyIdMethod::Sha256,
    }
    .signed_by(&ca.issuer())
    .expect("CRL")
}

/// Run `verify --json` on the standard PKI's header with `extra` flags: (exit code, verdict).
fn verify(dir: &Dir, extra: &[&str]) -> (Option<i32>, Value, String) {
    let pki = Pki::shared();
    let input = dir.file("in.txt", pki.sign(&claims()).as_bytes());
    let chain = dir.file("chain.pem", pki.chain.pem.as_bytes());
    let root = dir.file("root.pem", pki.root.pem().as_bytes());
    let out = Command::new(BIN)
        .args([
            "verify", &input, "--json", "--cert", &chain, "--trust", &root,
        ])
        .args(["--at", &NOW.to_string()])
        .args(extra)
        .output()
        .expect("run stircheck");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let v = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
    (out.status.code(), v, stderr)
}

fn revocation_check(v: &Value) -> (String, String) {
    let c = v["checks"]
        .as_array()
        .expect("checks")
        .iter()
        .find(|c| c["id"] == "cert.revocation")
        .expect("cert.revocation");
    (
        c["outcome"].as_str().unwrap().to_string(),
        c["detail"].as_str().unwrap().to_string(),
    )
}

#[test]
fn resource_crl_at_the_distribution_point_revoking_the_leaf_is_437() {
    let pki = Pki::shared();
    let dir = Dir::new("clirev", "revoked");
    let crl = dir.file("dp.crl", &crl_der(&pki.inter, &[leaf_serial(pki)]));
    let (code, v, err) = verify(&dir, &["--offline", "--resource", &format!("{DP}={crl}")]);
    assert_eq!(code, Some(1), "{err}");
    assert_eq!(v["sip_code"], 437);
    assert_eq!(v["verstat"], "TN-Validation-Failed");
    let (o, d) = revocation_check(&v);
    assert_eq!(o, "fail");
    assert!(d.contains("revoked on 2025-05-15") && d.contains(DP), "{d}");
    assert_eq!(v["revocation"][0]["url"], DP);
    assert_eq!(v["revocation"][0]["result"], "revoked");
}

#[test]
fn resource_crl_not_listing_the_leaf_passes() {
    let pki = Pki::shared();
    let dir = Dir::new("clirev", "clean");
    let crl = dir.file("dp.crl", &crl_der(&pki.inter, &[vec![7]]));
    let (code, v, err) = verify(&dir, &["--offline", "--resource", &format!("{DP}={crl}")]);
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(revocation_check(&v).0, "pass");
    let r = &v["revocation"][0];
    assert_eq!(r["source"], "distribution-point");
    assert_eq!(r["this_update"], 1_746_057_600);
    assert_eq!(r["next_update"], 1_751_328_000);
}

#[test]
fn offline_says_why_revocation_was_not_checked() {
    let dir = Dir::new("clirev", "offline");
    let (code, v, err) = verify(&dir, &["--offline"]);
    assert_eq!(
        code,
        Some(0),
        "a warning does not make the call invalid: {err}"
    );
    let (o, d) = revocation_check(&v);
    assert_eq!(o, "warn");
    assert!(
        d.contains(DP) && d.contains("--offline") && d.contains("--resource"),
        "{d}"
    );
    assert_eq!(v["revocation"][0]["result"], "unavailable");
}

#[test]
fn garbage_crl_file_is_not_a_pass() {
    let dir = Dir::new("clirev", "garbage");
    let crl = dir.file("bad.crl", b"this is not a CRL\n");
    let (code, v, err) = verify(&dir, &["--offline", "--crl", &crl]);
    assert_eq!(code, Some(1), "{err}");
    assert_eq!(v["status"], "invalid");
    let (o, d) = revocation_check(&v);
    assert_eq!(o, "fail");
    assert!(d.contains("cannot be read"), "{d}");
}

#[test]
fn forged_crl_file_with_a_self_signed_namesake_is_not_a_pass() {
    let pki = Pki::shared();
    let dir = Dir::new("clirev", "forged");
    let forger = Ca::root("Test SHAKEN Issuing CA", KeyAlg::P256);
    let pem = format!("{}{}", crl_pem(&forger, &[]), forger.pem());
    let crl = dir.file("forged.pem", pem.as_bytes());
    let (code, v, _) = verify(&dir, &["--offline", "--crl", &crl]);
    assert_eq!(code, Some(1));
    let (o, d) = revocation_check(&v);
    assert_eq!(o, "fail");
    assert!(d.contains("does not chain to a trust anchor"), "{d}");
    // The genuine CRL passes.
    let good = dir.file("good.crl", &crl_der(&pki.inter, &[]));
    let (code, v, _) = verify(&dir, &["--offline", "--crl", &good]);
    assert_eq!(code, Some(0));
    assert_eq!(revocation_check(&v).0, "pass");
}

#[test]
fn resource_argument_errors_exit_2() {
    let dir = Dir::new("clirev", "args");
    for bad in ["no-equals-sign", "=file", &format!("{DP}=")] {
        let (code, _, err) = verify(&dir, &["--resource", bad]);
        assert_eq!(code, Some(2), "{bad}");
        assert!(err.contains("URL=FILE"), "{err}");
    }
    let (code, _, err) = verify(&dir, &["--resource", &format!("{DP}=/dev/zero")]);
    assert_eq!(code, Some(2));
    assert!(err.contains("larger than the 1 MiB limit"), "{err}");
    let (code, _, err) = verify(&dir, &["--resource", &format!("{DP}=/nonexistent/x.crl")]);
    assert_eq!(code, Some(2));
    assert!(err.contains("cannot read"), "{err}");
}

// ---------------------------------------------------------------------------------------------
// The production Verizon header (../shared/corpus)

fn corpus() -> Option<PathBuf> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    p.join("headers.jsonl").exists().then_some(p)
}

/// The Verizon header, its leaf (from leaves.pem by index position) + intermediates, its root.
fn verizon(c: &std::path::Path) -> (String, i64, String, Vec<u8>) {
    let headers = std::fs::read_to_string(c.join("headers.jsonl")).unwrap();
    let h: Value = headers
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .find(|h| {
            h["kind"] == "production"
                && h["x5u"]
                    .as_str()
                    .is_some_and(|u| u.contains("sti.verizon.com"))
                && h["cert_sha256"].is_string()
        })
        .expect("the Verizon header is in the corpus");
    let sha = h["cert_sha256"].as_str().unwrap();
    let index = std::fs::read_to_string(c.join("certs/index.jsonl")).unwrap();
    let pos = index
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .find(|e| e["sha256"] == sha)
        .and_then(|e| e["position"].as_u64())
        .expect("leaf position") as usize;
    let leaves = std::fs::read_to_string(c.join("certs/leaves.pem")).unwrap();
    let leaf = stircheck::__private::cert::chain::pem_blocks(&leaves)
        .into_iter()
        .nth(pos)
        .expect("leaf PEM");
    let mut chain = leaf;
    let mut root = Vec::new();
    for f in h["chain_in_corpus"].as_array().unwrap() {
        let f = f.as_str().unwrap();
        let bytes = std::fs::read(c.join("certs").join(f)).unwrap();
        if f.starts_with("roots/") {
            root = bytes;
        } else {
            chain.push_str(&String::from_utf8(bytes).unwrap());
        }
    }
    let token = h["identity"].as_str().expect("identity text").to_string();
    (token, h["iat"].as_i64().unwrap(), chain, root)
}

#[test]
fn verizon_production_header_names_its_crl_distribution_point_offline() {
    let Some(c) = corpus() else {
        eprintln!("skipped: ../shared/corpus is absent");
        return;
    };
    let (token, _, chain, root) = verizon(&c);
    let dir = Dir::new("clirev", "verizon");
    let input = dir.file("vz.txt", token.as_bytes());
    let chain = dir.file("chain.pem", chain.as_bytes());
    let root = dir.file("root.pem", &root);
    let out = Command::new(BIN)
        .args(["verify", &input, "--json", "--as-of-call", "--offline"])
        .args(["--cert", &chain, "--trust", &root])
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).expect("verdict JSON");
    assert_eq!(v["status"], "valid", "{}", v["reason"]);
    assert_eq!(out.status.code(), Some(0));
    let sti_pa = "https://authenticate-api.iconectiv.com/download/v1/crl";
    let (o, d) = revocation_check(&v);
    assert_eq!(o, "warn");
    assert!(
        d.contains("revocation not checked") && d.contains(sti_pa),
        "{d}"
    );
    assert!(d.contains("fetching is off (--offline)"), "{d}");
    let r = v["revocation"].as_array().expect("revocation list");
    assert!(
        r.iter().any(|e| e["url"] == sti_pa
            && e["result"] == "unavailable"
            && e["detail"].as_str().unwrap().contains("--offline")),
        "{r:?}"
    );
    // The v003 form: the STI-PA CRL's URL without a cRLIssuer.
    let leaf = match parse_chain(std::fs::read(&chain).unwrap().as_slice()).unwrap() {
        Credential::Chain(c) => c,
        Credential::KeyOnly(_) => unreachable!(),
    };
    let dps = stircheck::__private::cert::crl::distribution_points(&leaf[0]);
    assert_eq!(dps[0].urls, vec![sti_pa]);
    assert_eq!(dps[0].crl_issuer, None);
}
