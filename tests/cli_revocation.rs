//! `stircheck verify` and revocation: CRL distribution points supplied with `--resource URL=FILE`,
//! `--crl` files (garbage and forged ones are not a pass), `--offline` saying why revocation was
//! not checked, and the production Verizon header naming its STI-PA distribution point.
//! (The CLI refuses non-https and special addresses, so no local server can stand in for a
//! distribution point: fetching itself is covered by the core's URL rules and `fetch.rs` tests.)

mod common;

use common::cli::{BIN, PkiFiles};
use common::*;
use serde_json::Value;
use std::process::Command;
use stircheck::__private::cert::chain::{Credential, parse_chain};

#[path = "support/realdata.rs"]
mod realdata;

const DP: &str = "https://crl.example.com/sti-pa.crl";

fn files(name: &str) -> PkiFiles {
    PkiFiles::new("clirev", name, Pki::shared())
}

/// DER CRL signed by `ca` revoking `serials`.
fn crl_der(ca: &Ca, serials: &[Vec<u8>]) -> Vec<u8> {
    crl(ca, serials).der().to_vec()
}

/// Run `verify --json` on the standard PKI's header with `extra` flags: (exit code, verdict).
fn verify(files: &PkiFiles, extra: &[&str]) -> (Option<i32>, Value, String) {
    let input = files.file("in.txt", Pki::shared().sign(&claims()));
    let out = files
        .verify()
        .args([&input, "--json"])
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
    let dir = files("revoked");
    let crl = dir.file(
        "dp.crl",
        crl_der(&pki.inter, &[leaf_serial(&pki.chain.pem)]),
    );
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
    let dir = files("clean");
    let crl = dir.file("dp.crl", crl_der(&pki.inter, &[vec![7]]));
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
    let dir = files("offline");
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
    let dir = files("garbage");
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
    let dir = files("forged");
    let forger = Ca::root("Test SHAKEN Issuing CA", KeyAlg::P256);
    let pem = format!("{}{}", crl(&forger, &[]).pem().expect("PEM"), forger.pem());
    let crl = dir.file("forged.pem", pem.as_bytes());
    let (code, v, _) = verify(&dir, &["--offline", "--crl", &crl]);
    assert_eq!(code, Some(1));
    let (o, d) = revocation_check(&v);
    assert_eq!(o, "fail");
    assert!(d.contains("does not chain to a trust anchor"), "{d}");
    // The genuine CRL passes.
    let good = dir.file("good.crl", crl_der(&pki.inter, &[]));
    let (code, v, _) = verify(&dir, &["--offline", "--crl", &good]);
    assert_eq!(code, Some(0));
    assert_eq!(revocation_check(&v).0, "pass");
}

#[test]
fn resource_argument_errors_exit_2() {
    let dir = files("args");
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

#[test]
fn verizon_production_header_names_its_crl_distribution_point_offline() {
    // The corpus is part of the test data (as in tests/corpus.rs): missing, this fails.
    let vz = realdata::verizon();
    let dir = files("verizon");
    let input = dir.file("vz.txt", &vz.identity);
    let chain = dir.file("vz-chain.pem", &vz.chain_pem);
    // Its root is in the built-in trust store, as in production.
    let out = Command::new(BIN)
        .args(["verify", &input, "--json", "--as-of-call", "--offline"])
        .args(["--cert", &chain])
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

#[test]
fn batch_applies_the_cert_chains_crl_to_every_input() {
    let pki = Pki::shared();
    let dir = files("batch");
    let lines: String = (0..150).map(|_| pki.sign(&claims()) + "\n").collect();
    let input = dir.file("batch.txt", lines);
    let run = |crl: &[u8]| -> Vec<Value> {
        let crl = dir.file("dp.crl", crl);
        let out = dir
            .verify()
            .args(["--batch", &input, "--threads", "2", "--offline"])
            .args(["--resource", &format!("{DP}={crl}")])
            .output()
            .expect("run stircheck");
        String::from_utf8(out.stdout)
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).expect("JSON line"))
            .collect()
    };
    // The CRL (read once for the --cert chain) revokes the leaf: every row says so, in order.
    let rows = run(&crl_der(&pki.inter, &[leaf_serial(&pki.chain.pem)]));
    assert_eq!(rows.len(), 151);
    for (i, r) in rows[..150].iter().enumerate() {
        assert_eq!(r["record"], i as u64 + 1);
        assert_eq!(r["status"], "invalid", "row {i}");
        assert_eq!(r["failed_check"], "cert.revocation", "row {i}");
    }
    assert_eq!(
        rows[150]["summary"]["failed_checks"]["cert.revocation"],
        150
    );
    // A CRL not listing it: every row is valid.
    let rows = run(&crl_der(&pki.inter, &[vec![7]]));
    assert_eq!(rows[150]["summary"]["valid"], 150);
}
