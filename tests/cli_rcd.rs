//! `stircheck verify` and rich call data (RFC 9795): the logo an `rcdi` digest covers supplied
//! with `--resource URL=FILE` verifies the brand (text report and JSON); changed bytes do not;
//! `--offline` fetches nothing and says so (rcd.integrity warns); the exit code follows the
//! SHAKEN verdict only; `--batch` rows carry the verified brand.

mod common;

use common::*;
use serde_json::Value;
use std::process::Command;
use stircheck::sign::{self, RcdClaims, Tamper};

const BIN: &str = env!("CARGO_BIN_EXE_stircheck");
const ICN: &str = "https://brand.example.com/acme/logo.png";
const LOGO: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR acme logo";

#[path = "support/tempdir.rs"]
mod tempdir;
use tempdir::Dir;

fn branded(tamper: Option<Tamper>) -> String {
    let rcd = RcdClaims {
        nam: Some("Acme Pharmacy".into()),
        icn: Some(ICN.into()),
        crn: Some("Your prescription is ready".into()),
        resources: [(ICN.to_string(), LOGO.to_vec())].into(),
        tamper,
        ..Default::default()
    };
    sign::identity_header_with_rcd(&Pki::shared().chain.key, &claims(), &rcd).expect("signs")
}

/// `verify` on `input` (none: `extra` has `--batch`) with the standard chain and trust, `--offline`, plus `extra`.
fn run(dir: &Dir, input: &str, extra: &[&str]) -> (Option<i32>, String, String) {
    let pki = Pki::shared();
    let chain = dir.file("chain.pem", pki.chain.pem.as_bytes());
    let root = dir.file("root.pem", pki.root.pem().as_bytes());
    let mut cmd = Command::new(BIN);
    cmd.arg("verify");
    if !input.is_empty() {
        cmd.arg(dir.file("in.txt", input.as_bytes()));
    }
    let out = cmd
        .args(["--cert", &chain, "--trust", &root, "--offline"])
        .args(["--at", &NOW.to_string()])
        .args(extra)
        .output()
        .expect("run stircheck");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn json(dir: &Dir, input: &str, extra: &[&str]) -> (Option<i32>, Value) {
    let mut args = vec!["--json"];
    args.extend_from_slice(extra);
    let (code, out, err) = run(dir, input, &args);
    (
        code,
        serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out} {err}")),
    )
}

fn integrity(v: &Value) -> (String, String) {
    let c = v["identities"][0]["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "rcd.integrity")
        .expect("rcd.integrity");
    (
        c["outcome"].as_str().unwrap().into(),
        c["detail"].as_str().unwrap().into(),
    )
}

#[test]
fn resource_supplies_the_logo_and_the_brand_is_verified() {
    let dir = Dir::new("cli_rcd", "ok");
    let logo = dir.file("logo.png", LOGO);
    let res = format!("{ICN}={logo}");
    let (code, v) = json(&dir, &branded(None), &["--resource", &res]);
    assert_eq!(code, Some(0));
    assert_eq!(integrity(&v).0, "pass", "{}", integrity(&v).1);
    assert_eq!(v["rcd"]["verified"], true, "{}", v["rcd"]["reason"]);
    assert_eq!(v["rcd"]["nam"], "Acme Pharmacy");
    assert_eq!(v["rcd"]["icn"]["content_type"], "image/png");
    assert!(v["rcd"]["icn"]["data"].is_string());
    let (code, text, _) = run(&dir, &branded(None), &["--resource", &res]);
    assert_eq!(code, Some(0));
    assert!(
        text.contains("  Brand:      \"Acme Pharmacy\" (verified), with a verified logo; call reason \"Your prescription is ready\""),
        "{text}"
    );
}

#[test]
fn offline_fetches_nothing_and_says_why() {
    let dir = Dir::new("cli_rcd", "offline");
    let (code, v) = json(&dir, &branded(None), &[]);
    assert_eq!(code, Some(0), "the SHAKEN verdict decides the exit code");
    let (outcome, detail) = integrity(&v);
    assert_eq!(outcome, "warn");
    assert!(detail.contains("--offline"), "{detail}");
    assert_eq!(v["rcd"]["verified"], false);
    assert!(v["rcd"]["icn"]["data"].is_null());
    let (_, text, _) = run(&dir, &branded(None), &[]);
    let brand = text
        .lines()
        .find(|l| l.starts_with("  Brand:"))
        .expect("a Brand line");
    assert!(
        brand.contains("Branded name not verified: it could not be checked"),
        "{brand}"
    );
    assert!(
        !brand.contains("Acme Pharmacy"),
        "an unverified name is not shown: {brand}"
    );
}

#[test]
fn changed_logo_bytes_or_a_wrong_name_digest_are_not_verified() {
    let dir = Dir::new("cli_rcd", "tampered");
    let other = dir.file("other.png", b"\x89PNG\r\n\x1a\n another logo");
    let res = format!("{ICN}={other}");
    let (code, v) = json(&dir, &branded(None), &["--resource", &res]);
    assert_eq!(code, Some(0));
    assert_eq!(v["status"], "valid");
    assert_eq!(integrity(&v).0, "fail");
    assert_eq!(v["rcd"]["verified"], false);
    let logo = dir.file("logo.png", LOGO);
    let res = format!("{ICN}={logo}");
    let (code, text, _) = run(&dir, &branded(Some(Tamper::Nam)), &["--resource", &res]);
    assert_eq!(code, Some(0));
    assert!(text.starts_with("VERIFIED:"), "{text}");
    assert!(
        text.contains(
            "  Brand:      Branded name not verified: the /nam digest does not match its value"
        ),
        "{text}"
    );
    assert!(text.contains("FAIL  rcd.integrity"), "{text}");
}

#[test]
fn batch_rows_carry_the_verified_brand() {
    let dir = Dir::new("cli_rcd", "batch");
    let logo = dir.file("logo.png", LOGO);
    let res = format!("{ICN}={logo}");
    let plain = Pki::shared().sign(&claims());
    let lines = format!(
        "{}\n{}\n{plain}\n",
        branded(None),
        branded(Some(Tamper::Nam))
    );
    let file = dir.file("batch.txt", lines.as_bytes());
    let (code, out, err) = run(&dir, "", &["--batch", &file, "--resource", &res]);
    assert_eq!(code, Some(0), "{err}");
    let rows: Vec<Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(rows[0]["brand"], "Acme Pharmacy");
    assert_eq!(rows[0]["failed_check"], Value::Null);
    assert_eq!(rows[1]["brand"], Value::Null, "tampered: not shown");
    assert_eq!(rows[1]["status"], "valid");
    assert_eq!(rows[2]["brand"], Value::Null);
    let summary = &rows[3]["summary"];
    assert_eq!(summary["brands"][ORIG]["Acme Pharmacy"], 1, "{summary}");
}

#[test]
fn a_logo_inside_a_fetched_jcard_is_fetched_in_a_second_round() {
    use stircheck::rcd::digest::{Alg, format};
    let dir = Dir::new("cli_rcd", "jcl");
    let pki = Pki::shared();
    let jcl = "https://brand.example.com/acme/card.json";
    let inner = "https://brand.example.com/acme/inner.png";
    let card = format!(r#"["vcard",[["fn",{{}},"text","Acme"],["logo",{{}},"uri","{inner}"]]]"#);
    let mut c = claims_value();
    c["rcd"] = serde_json::json!({"nam": "Acme", "jcl": jcl});
    c["rcdi"] = serde_json::json!({
        "/jcl": format(Alg::Sha256, card.as_bytes()),
        "/jcl/1/1/3": format(Alg::Sha256, LOGO),
    });
    let token = jws(
        &header_value("shaken").to_string(),
        &c.to_string(),
        &pki.chain.key,
    );
    let input = identity(&token, X5U, "shaken");
    let card_file = dir.file("card.json", card.as_bytes());
    let logo_file = dir.file("inner.png", LOGO);
    let (r1, r2) = (format!("{jcl}={card_file}"), format!("{inner}={logo_file}"));
    let (code, v) = json(&dir, &input, &["--resource", &r1, "--resource", &r2]);
    assert_eq!(code, Some(0));
    assert_eq!(integrity(&v).0, "pass", "{}", integrity(&v).1);
    assert_eq!(v["rcd"]["verified"], true);
    assert_eq!(v["rcd"]["jcl"]["verified"], true);
    // Only the jCard supplied: the logo inside it is not fetched (--offline), and that is said.
    let (_, v) = json(&dir, &input, &["--resource", &r1]);
    let (outcome, detail) = integrity(&v);
    assert_eq!(outcome, "warn");
    assert!(
        detail.contains(inner) && detail.contains("--offline"),
        "{detail}"
    );
}
