//! Real pastes (src/paste.rs): each shape an agent or a log produces yields the same verdict as
//! the clean header it carries — through the native core and through the CLI. The wasm API and
//! the worker run the same shapes in tests/js/paste.test.mjs and worker/test/paste.test.mjs.

mod common;

use common::*;
use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};
use serde_json::{Value, json};
use stircheck::summary::CallOutcome;
use stircheck::verdict::{Outcome, Status};

fn pki() -> &'static Pki {
    Pki::shared()
}

/// A verdict as JSON without the `input` check's detail (which says how the paste was read).
fn comparable(v: &stircheck::Verdict) -> Value {
    let mut j = serde_json::to_value(v).unwrap();
    assert_eq!(j["checks"][0]["id"], "input");
    j["checks"][0]["detail"] = json!("");
    j
}

/// `text` reads to the same verdict as `clean`, and that verdict is valid A.
fn assert_same(name: &str, text: &str, clean: &str) {
    let want = run(clean, &pki().opts());
    assert_valid(&want, "A");
    let got = run(text, &pki().opts());
    let (g, w) = (comparable(&got), comparable(&want));
    if g != w {
        let keys: Vec<String> = w
            .as_object()
            .unwrap()
            .iter()
            .filter(|(k, v)| g.get(k.as_str()) != Some(v))
            .map(|(k, v)| format!("{k}: got {} want {v}", g[k.as_str()]))
            .collect();
        panic!("{name}: {text:?}\n{}\n{}", keys.join("\n"), dump(&got));
    }
}

fn wrap(s: &str, width: usize) -> String {
    let chars: Vec<char> = s.chars().collect();
    chars
        .chunks(width)
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join("\n")
}

/// Every paste shape of the standard header, with the clean text each must equal.
fn shapes() -> Vec<(&'static str, String, String)> {
    let line = pki().sign(&claims());
    let value = value_of(&line).to_string();
    let token = token_of(&line).to_string();
    let invite = Invite::new([line.clone()]).text();
    let html = line
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;");
    let wireshark = {
        let mut s = String::from(
            "Frame 12: 1400 bytes on wire (11200 bits)\nInternet Protocol Version 4, Src: 192.0.2.10, Dst: 192.0.2.20\nUser Datagram Protocol, Src Port: 5060, Dst Port: 5060\nSession Initiation Protocol (INVITE)\n",
        );
        let mut lines = invite.lines();
        let start = lines.next().unwrap();
        s.push_str(&format!("    Request-Line: {start}\n        Method: INVITE\n        [Resent Packet: False]\n    Message Header\n"));
        for l in lines.take_while(|l| !l.is_empty()) {
            s.push_str(&format!("        {l}\\r\\n\n"));
            if l.starts_with("From:") {
                s.push_str(&format!("            SIP from address: sip:+{ORIG}@carrier.example.com\n            SIP from tag: a1\n"));
            }
        }
        s
    };
    vec![
        ("clean line", line.clone(), line.clone()),
        ("wrapped line, no indentation", wrap(&line, 76), line.clone()),
        ("wrapped value, no indentation", wrap(&value, 64), value.clone()),
        ("bare JWS broken every 64 characters", wrap(&token, 64), token.clone()),
        (
            "INVITE with the Identity header wrapped",
            Invite::new([wrap(&line, 72)]).text(),
            invite.clone(),
        ),
        (
            "log line",
            format!("2026-12-01T09:14:03.123Z INFO sip: {line}"),
            line.clone(),
        ),
        (
            "log line with a level word",
            format!("WARN: {line}"),
            line.clone(),
        ),
        (
            "INVITE as log lines",
            invite
                .lines()
                .map(|l| format!("Dec  1 09:14:03 sbc01 kamailio[812]: DEBUG: <core> {l}\n"))
                .collect(),
            invite.clone(),
        ),
        ("double quotes", format!("\"{line}\""), line.clone()),
        ("single quotes", format!("'{line}'"), line.clone()),
        ("typographic quotes", format!("\u{201c}{value}\u{201d}"), value.clone()),
        ("quoted value", format!("Identity: \"{value}\""), line.clone()),
        ("quoted token in code", format!("  '{token}',"), token.clone()),
        (
            "JSON with StirPassportToken",
            json!({ "CallSid": "CA123", "StirVerstat": "TN-Validation-Passed-A", "StirPassportToken": token }).to_string(),
            token.clone(),
        ),
        ("JSON with identity", json!({ "identity": value }).to_string(), value.clone()),
        (
            "JSON with the token under any key",
            json!({ "data": { "events": [{ "sip": { "x-passport": token } }] } }).to_string(),
            token.clone(),
        ),
        ("JSON string", json!(value).to_string(), value.clone()),
        (
            "JSON with a SIP message inside",
            json!({ "message": invite }).to_string(),
            invite.clone(),
        ),
        (
            "form-encoded",
            format!(
                "AccountSid=AC1&CallStatus=ringing&StirVerstat=TN-Validation-Passed-A&StirPassportToken={}",
                utf8_percent_encode(&token, NON_ALPHANUMERIC)
            ),
            token.clone(),
        ),
        (
            "URL-encoded value",
            utf8_percent_encode(&value, NON_ALPHANUMERIC).to_string(),
            value.clone(),
        ),
        ("URL-encoded line", utf8_percent_encode(&line, NON_ALPHANUMERIC).to_string(), line.clone()),
        ("HTML-escaped", html, line.clone()),
        (
            "BOM, NBSP and CRLF",
            format!("\u{feff}Identity:\u{a0}{value}\r\n"),
            line.clone(),
        ),
        (
            "INVITE with NBSP, zero-width spaces and bare CRs",
            invite.replace(": ", ":\u{a0}").replace("\r\n", "\r").replacen("eyJ", "\u{200b}eyJ", 1),
            invite.clone(),
        ),
        (
            "INVITE logged on one line with escapes",
            invite.replace("\r\n", "\\r\\n"),
            invite.clone(),
        ),
        ("Wireshark copy", wireshark, invite.clone()),
        (
            "text before the message",
            format!("Hi, this call was flagged, header below:\n\n{invite}"),
            invite.clone(),
        ),
        (
            "token in a sentence",
            format!("The carrier sent {token} on the call."),
            token.clone(),
        ),
        (
            "markdown code fence",
            format!("```\n{line}\n```"),
            line.clone(),
        ),
    ]
}

#[test]
fn every_paste_shape_gives_the_clean_headers_verdict() {
    for (name, text, clean) in shapes() {
        assert_same(name, &text, &clean);
    }
}

#[test]
fn the_input_check_says_what_was_found() {
    let line = pki().sign(&claims());
    let token = token_of(&line).to_string();
    let cases = [
        (
            json!({ "StirPassportToken": token }).to_string(),
            "found 1 Identity header in a JSON body (under \"StirPassportToken\")",
        ),
        (
            format!("StirPassportToken={token}&From=%2B{ORIG}"),
            "found 1 Identity header in a form-encoded body",
        ),
        (
            format!("see {token} above"),
            "found 1 Identity header in free text",
        ),
        (
            format!("2026-12-01 INFO sip: {line}"),
            "after removing log prefixes on 1 line",
        ),
        (wrap(&line, 76), "joining"),
        (format!("'{line}'"), "removing quotes on 1 line"),
        (
            utf8_percent_encode(&line, NON_ALPHANUMERIC).to_string(),
            "decoding URL encoding",
        ),
        (
            line.replace('<', "&lt;").replace('>', "&gt;"),
            "decoding HTML escapes",
        ),
        (format!("\u{feff}{line}"), "removing a byte-order mark"),
    ];
    for (text, want) in cases {
        let v = run(&text, &pki().opts());
        assert_eq!(v.status, Status::Valid, "{text}\n{}", dump(&v));
        assert!(
            detail(&v, "input").contains(want),
            "{:?} lacks {want:?}",
            detail(&v, "input")
        );
    }
}

#[test]
fn from_and_to_beside_the_token_are_the_calls_numbers() {
    let line = pki().sign(&claims());
    let token = token_of(&line).to_string();
    let bare = run(&token, &pki().opts());
    let bodies = [
        json!({ "From": format!("+{ORIG}"), "To": format!("+{DEST}"), "StirPassportToken": token }).to_string(),
        format!("From=%2B{ORIG}&To=%2B{DEST}&StirPassportToken={token}"),
        json!({ "verificationRequest": { "from": { "tn": ORIG }, "to": { "tn": [DEST] }, "time": NOW, "identity": token } }).to_string(),
    ];
    for body in &bodies {
        let v = run(body, &pki().opts());
        assert_valid(&v, "A");
        assert_eq!(outcome(&v, "call.orig"), Outcome::Pass, "{body}");
        assert_eq!(outcome(&v, "call.dest"), Outcome::Pass, "{body}");
        assert!(detail(&v, "input").contains("with the call's From/To beside it"));
        // Everything else is the bare token's verdict.
        let strip = |v: &stircheck::Verdict| {
            let mut j = comparable(v);
            j["call"] = Value::Null;
            let binding = |c: &Value| matches!(c["id"].as_str(), Some("call.orig" | "call.dest"));
            j["checks"].as_array_mut().unwrap().retain(|c| !binding(c));
            j["identities"][0]["checks"]
                .as_array_mut()
                .unwrap()
                .retain(|c| !binding(c));
            j
        };
        assert_eq!(strip(&v), strip(&bare), "{body}");
    }
    // A From that is not the signed number is a mismatch, worded with both numbers.
    let v = run(
        &json!({ "From": "+12155550000", "To": format!("+{DEST}"), "StirPassportToken": token })
            .to_string(),
        &pki().opts(),
    );
    assert_eq!(v.outcome, CallOutcome::Failed);
    assert!(
        v.summary.headline.contains("+1 215-555-0000"),
        "{}",
        v.summary.headline
    );
    // A From elsewhere in the document, or one that is not a number, is not used.
    for body in [
        json!({ "call": { "From": "+12155550000" }, "event": { "StirPassportToken": token } })
            .to_string(),
        json!({ "From": "client:alice", "StirPassportToken": token }).to_string(),
    ] {
        let v = run(&body, &pki().opts());
        assert_valid(&v, "A");
        assert_eq!(outcome(&v, "call.orig"), Outcome::Skip, "{body}");
    }
}

#[test]
fn garbage_and_bodies_without_a_token_get_a_clear_no_token_answer() {
    for (text, want) in [
        ("hello, this is not a SIP message", "not a SIP message"),
        (
            "{\"CallSid\": \"CA1\", \"From\": \"+12155551212\"}",
            "no Identity header or PASSporT was found in this JSON body",
        ),
        (
            "AccountSid=AC1&From=%2B12155551212",
            "no Identity header or PASSporT was found",
        ),
        (
            "eyJ and more eyJ.x text",
            "no Identity header or PASSporT was found",
        ),
        ("%3C%3E%3B%3D", "no Identity header or PASSporT was found"),
    ] {
        let v = run(text, &pki().opts());
        assert_eq!(v.status, Status::Invalid, "{text}");
        assert_eq!(v.sip_code, Some(438));
        let d = detail(&v, "input").to_lowercase();
        assert!(d.contains(&want.to_lowercase()), "{text}: {d}");
        assert!(
            v.summary
                .headline
                .contains("No Identity header or PASSporT"),
            "{}",
            v.summary.headline
        );
    }
}

#[test]
fn wireshark_truncated_fields_are_named() {
    let line = pki().sign(&claims());
    let cut: String = line.chars().take(240).collect();
    let text = format!(
        "Session Initiation Protocol (INVITE)\n    Request-Line: INVITE sip:+{DEST}@x SIP/2.0\n    Message Header\n        [truncated]{cut}\n"
    );
    let v = run(&text, &pki().opts());
    assert!(
        detail(&v, "input").contains("[truncated]"),
        "{}",
        detail(&v, "input")
    );
    assert_eq!(v.outcome, CallOutcome::Failed);
}

#[test]
fn pastes_stay_bounded() {
    // A huge JSON body, deep nesting and many tokens: a clear answer, never a hang or a panic.
    let big = format!("{{\"identity\": \"{}\"}}", "A".repeat(300 * 1024));
    assert!(detail(&run(&big, &pki().opts()), "input").contains("limit"));
    let deep = format!("{}{}", "[".repeat(5000), "]".repeat(5000));
    assert_eq!(run(&deep, &pki().opts()).status, Status::Invalid);
    let line = pki().sign(&claims());
    let many = json!({ "identity": vec![value_of(&line); 40] }).to_string();
    let v = run(&many, &pki().opts());
    assert_valid(&v, "A");
    let distinct: Vec<String> = (0..40).map(|i| format!("eyJ{i}.eyJ{i}.c2ln")).collect();
    let v = run(
        &json!({ "identity": distinct }).to_string(),
        &Options::at(NOW),
    );
    assert_eq!(v.identities.len(), stircheck::limits::MAX_IDENTITY_HEADERS);
    assert!(detail(&v, "input").contains("further Identity headers were ignored"));
}

use stircheck::Options;

// ---------------------------------------------------------------------------------------------
// The CLI reads the same shapes to the same verdict

use common::cli::PkiFiles;

/// One directory per test (tests run in parallel; each removes its own when done).
fn files(name: &str) -> PkiFiles {
    PkiFiles::new("paste", name, pki())
}

fn cli_json(files: &PkiFiles, text: &str) -> Value {
    let input = files.file("input.txt", text);
    let out = files
        .verify()
        .args([&input, "--json", "--offline"])
        .output()
        .expect("run stircheck");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let mut j: Value = serde_json::from_slice(&out.stdout).unwrap();
    j["checks"][0]["detail"] = json!("");
    j
}

#[test]
fn the_cli_reads_every_paste_shape_to_the_same_verdict() {
    let files = files("shapes");
    let mut clean_cache: Vec<(String, Value)> = Vec::new();
    for (name, text, clean) in shapes() {
        let want = match clean_cache.iter().find(|(c, _)| *c == clean) {
            Some((_, v)) => v.clone(),
            None => {
                let v = cli_json(&files, &clean);
                clean_cache.push((clean.clone(), v.clone()));
                v
            }
        };
        assert_eq!(want["outcome"], "verified", "{name}");
        let got = cli_json(&files, &text);
        // The trust store is loaded from the same file each time; the verdict must be equal.
        assert_eq!(got, want, "{name}");
    }
    // And the human report answers first.
    let input = files.file(
        "report.txt",
        json!({ "StirPassportToken": token_of(&pki().sign(&claims())) }).to_string(),
    );
    let out = files.verify().args([&input, "--offline"]).output().unwrap();
    let report = String::from_utf8(out.stdout).unwrap();
    let first = report.lines().next().unwrap();
    assert_eq!(
        first,
        "VERIFIED: Signed with attestation A (full) by Example Telecom Inc (SPC 123A)"
    );
    let pos = |s: &str| {
        report
            .find(s)
            .unwrap_or_else(|| panic!("{s:?} missing in\n{report}"))
    };
    assert!(pos("What to do:") < pos("Caller:     +1 215-555-1212"));
    assert!(
        pos("Signed by:  Example Telecom Inc (SPC 123A)") < pos("verstat TN-Validation-Passed")
    );
    assert!(pos("verstat") < pos("Passed: input"));
    assert!(pos("Passed: input") < pos("Revocation:"));
    assert!(
        pos("found 1 Identity header in a JSON body") < pos("Passed: input"),
        "{report}"
    );
}

#[test]
fn batch_rows_carry_the_outcome_and_headline() {
    let files = files("batch");
    let line = pki().sign(&claims());
    let mut stale = claims();
    stale.iat = NOW - 3 * 86400;
    let input = files.file(
        "batch.txt",
        format!("{line}\n{}\nnot a header\n", pki().sign(&stale)),
    );
    let run_batch = |extra: &[&str]| {
        let out = files
            .verify()
            .args(["--batch", &input, "--offline"])
            .args(extra)
            .output()
            .unwrap();
        String::from_utf8(out.stdout).unwrap()
    };
    let rows: Vec<Value> = run_batch(&[])
        .lines()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .filter(|r| r.get("record").is_some())
        .collect();
    let outcomes: Vec<&str> = rows
        .iter()
        .map(|r| r["outcome"].as_str().unwrap())
        .collect();
    assert_eq!(outcomes, ["verified", "failed", "failed"]);
    assert!(
        rows[1]["headline"].as_str().unwrap().contains("3 days"),
        "{}",
        rows[1]
    );
    let csv = run_batch(&["--csv"]);
    let mut lines = csv.lines();
    assert!(
        lines
            .next()
            .unwrap()
            .ends_with(",reason,outcome,headline,brand")
    );
    assert!(
        lines.next().unwrap().contains(
            ",verified,Signed with attestation A (full) by Example Telecom Inc (SPC 123A)"
        )
    );
}
