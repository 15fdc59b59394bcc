//! `stircheck verify` and rich call data (RFC 9795): the logo an `rcdi` digest covers supplied
//! with `--resource URL=FILE` verifies the brand (text report and JSON); changed bytes do not;
//! `--offline` fetches nothing and says so (rcd.integrity warns); the exit code follows the
//! SHAKEN verdict only; `--batch` rows carry the verified brand.

mod common;

use common::cli::PkiFiles;
use common::*;
use serde_json::Value;
use stircheck::sign::{self, RcdClaims, Tamper};

const ICN: &str = "https://brand.example.com/acme/logo.png";
const LOGO: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR acme logo";

fn files(name: &str) -> PkiFiles {
    PkiFiles::new("cli_rcd", name, Pki::shared())
}

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
fn run(dir: &PkiFiles, input: &str, extra: &[&str]) -> (Option<i32>, String, String) {
    let mut cmd = dir.verify();
    if !input.is_empty() {
        cmd.arg(dir.file("in.txt", input));
    }
    let out = cmd
        .arg("--offline")
        .args(extra)
        .output()
        .expect("run stircheck");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn json(dir: &PkiFiles, input: &str, extra: &[&str]) -> (Option<i32>, Value) {
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
    let dir = files("ok");
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
    let dir = files("offline");
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
    let dir = files("tampered");
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
    let dir = files("batch");
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
    let dir = files("jcl");
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
    let input = pki.sign_value(&c);
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

/// `stircheck sign` with the shared PKI's leaf key and `extra` flags: (exit code, stdout, stderr).
fn sign_cli(dir: &PkiFiles, extra: &[&str]) -> (Option<i32>, String, String) {
    use p256::pkcs8::{EncodePrivateKey, LineEnding};
    let pem = Pki::shared()
        .chain
        .key
        .to_pkcs8_pem(LineEnding::LF)
        .expect("PKCS#8 PEM");
    let key = dir.file("leaf.key", pem.as_bytes());
    let out = std::process::Command::new(common::cli::BIN)
        .args(["sign", "--key", &key, "--x5u", X5U, "--attest", "A"])
        .args(["--orig", ORIG, "--dest", DEST, "--iat", &NOW.to_string()])
        .args(extra)
        .output()
        .expect("run stircheck sign");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn sign_with_rich_call_data_verifies_the_brand_with_the_same_logo() {
    let dir = files("sign");
    let logo = dir.file("logo.png", LOGO);
    let res = format!("{ICN}={logo}");
    let (code, header, err) = sign_cli(
        &dir,
        &[
            "--nam",
            "Acme Pharmacy",
            "--icn",
            ICN,
            "--crn",
            "Your prescription is ready",
            "--resource",
            &res,
        ],
    );
    assert_eq!(code, Some(0), "{err}");
    assert!(header.starts_with("Identity: eyJ"), "{header}");
    // What the header carries, decoded (the claims are signed as given).
    let claims = &stircheck::decode(header.trim()).identities[0].claims;
    let claims = claims.as_ref().expect("claims");
    assert_eq!(claims["rcd"]["nam"], "Acme Pharmacy");
    assert_eq!(claims["rcd"]["icn"], ICN);
    assert_eq!(claims["crn"], "Your prescription is ready");
    let keys: Vec<&String> = claims["rcdi"].as_object().expect("rcdi").keys().collect();
    assert_eq!(keys, ["/icn", "/nam"]);
    // Verified with the same logo: the brand is the caller's; with other bytes it is not.
    let (code, v) = json(&dir, header.trim(), &["--resource", &res]);
    assert_eq!(code, Some(0));
    assert_eq!(integrity(&v).0, "pass", "{}", integrity(&v).1);
    assert_eq!(v["rcd"]["verified"], true, "{}", v["rcd"]["reason"]);
    assert_eq!(v["rcd"]["crn"], "Your prescription is ready");
    let other = dir.file("other.png", b"\x89PNG\r\n\x1a\n another logo");
    let (_, v) = json(
        &dir,
        header.trim(),
        &["--resource", &format!("{ICN}={other}")],
    );
    assert_eq!(integrity(&v).0, "fail");
    assert_eq!(v["rcd"]["verified"], false);
}

#[test]
fn sign_rcd_flag_errors_exit_2() {
    let dir = files("sign-errors");
    // A logo URL without its content: its digest cannot be computed.
    let (code, out, err) = sign_cli(&dir, &["--nam", "Acme", "--icn", ICN]);
    assert_eq!((code, out.as_str()), (Some(2), ""), "{err}");
    assert!(err.contains("is needed to sign its rcdi digest"), "{err}");
    // A URL the fetch rules refuse is refused at signing too.
    let logo = dir.file("logo.png", LOGO);
    let plain = "http://brand.example.com/logo.png";
    let (code, _, err) = sign_cli(
        &dir,
        &["--icn", plain, "--resource", &format!("{plain}={logo}")],
    );
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("refused by the fetch rules"), "{err}");
    // Content for nothing.
    let (code, _, err) = sign_cli(&dir, &["--resource", &format!("{ICN}={logo}")]);
    assert_eq!(code, Some(2));
    assert!(err.contains("neither was given"), "{err}");
    // Without rcd flags the header has no rich call data.
    let (code, header, _) = sign_cli(&dir, &[]);
    assert_eq!(code, Some(0));
    let d = stircheck::decode(header.trim());
    let claims = d.identities[0].claims.as_ref().expect("claims");
    assert!(claims.get("rcd").is_none() && claims.get("rcdi").is_none());
}
