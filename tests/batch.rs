//! `stircheck verify --batch`: exact summary counts over generated inputs, input order kept, and
//! memory that does not grow with the input.

mod common;

use common::*;
use serde_json::Value;
use std::io::Write;
use std::process::{Command, Stdio};

use common::cli::{BIN, PkiFiles};

/// A scratch directory with the PKI's files for one test.
fn files(name: &str, pki: &Pki) -> PkiFiles {
    PkiFiles::new("batch", name, pki)
}

fn run_batch(files: &PkiFiles, input: &str, extra: &[&str]) -> (Vec<Value>, Value, String) {
    let out = files
        .verify()
        .args(["--batch", input, "--offline"])
        .args(extra)
        .output()
        .expect("run stircheck");
    assert!(
        out.status.code().is_some_and(|c| c <= 1),
        "exit {:?}: {}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8(out.stdout).unwrap();
    let mut rows: Vec<Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON line"))
        .collect();
    let summary = rows.pop().expect("summary line");
    (
        rows,
        summary["summary"].clone(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// 1,000 inputs: 400 A, 100 B, 100 C, 100 tampered, 100 garbage, 100 unsigned SIP, 100 stale.
fn mixed_input(pki: &Pki) -> String {
    let mut s = String::new();
    for i in 0..1000 {
        let kind = i % 10;
        let mut c = claims();
        c.dest = vec![format!("1215555{:04}", i)];
        let record = match kind {
            0..=3 => pki.sign(&c),
            4 => pki.sign(&sign::Claims {
                attest: "B".into(),
                ..c
            }),
            5 => pki.sign(&sign::Claims {
                attest: "C".into(),
                ..c
            }),
            6 => {
                let h = pki.sign(&c);
                let (tok, rest) = h.split_once(';').unwrap();
                let (head, sig) = tok.rsplit_once('.').unwrap();
                let flipped = if sig.starts_with('A') {
                    sig.replacen('A', "B", 1)
                } else {
                    format!("A{}", &sig[1..])
                };
                format!("{head}.{flipped};{rest}")
            }
            7 => "this is not a header".to_string(),
            8 => format!(
                "INVITE sip:+1{DEST}@example.net SIP/2.0\nFrom: <sip:+1{ORIG}@example.com>\nTo: <sip:+1{DEST}@example.net>"
            ),
            _ => pki.sign(&sign::Claims {
                iat: NOW - 3600,
                ..c
            }),
        };
        s.push_str(&record);
        s.push_str("\n\n");
    }
    s
}

use stircheck::sign;

#[test]
fn batch_counts_every_outcome_exactly_and_keeps_order() {
    let pki = Pki::shared();
    let files = files("mixed", pki);
    let input = files.file("in.txt", mixed_input(pki));
    let (rows, summary, _) = run_batch(&files, &input, &["--threads", "2"]);
    assert_eq!(rows.len(), 1000);
    for (i, r) in rows.iter().enumerate() {
        assert_eq!(r["record"], i as u64 + 1, "rows are in input order");
        let want = match i % 10 {
            0..=5 => "valid",
            8 => "no-identity",
            _ => "invalid",
        };
        assert_eq!(r["status"], want, "record {}: {r}", i + 1);
    }
    assert_eq!(summary["total"], 1000);
    assert_eq!(summary["valid"], 600);
    assert_eq!(summary["invalid"], 300);
    assert_eq!(summary["no_identity"], 100);
    assert_eq!(
        summary["attest"],
        serde_json::json!({"A": 400, "B": 100, "C": 100})
    );
    assert_eq!(
        summary["sip_codes"],
        serde_json::json!({"403": 100, "428": 100, "438": 200})
    );
    assert_eq!(
        summary["failed_checks"],
        serde_json::json!({"identity.present": 100, "input": 100, "signature": 100, "time.iat": 100})
    );
    assert_eq!(summary["signers"], serde_json::json!({ SPC: 600 }));
}

#[test]
fn batch_csv_has_one_row_per_input() {
    let pki = Pki::shared();
    let files = files("csv", pki);
    let input: String = (0..20)
        .map(|i| {
            if i % 2 == 0 {
                pki.sign(&claims()) + "\n"
            } else {
                "garbage\n".into()
            }
        })
        .collect();
    let input = files.file("in.txt", input);
    let out = files
        .verify()
        .args(["--batch", &input, "--csv", "--offline"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[0].starts_with("record,line,status,attest"));
    assert_eq!(lines.len(), 21);
    assert!(lines[1].contains(",valid,A,"), "{}", lines[1]);
    assert!(lines[2].contains(",invalid,"), "{}", lines[2]);
    let summary: Value =
        serde_json::from_str(String::from_utf8_lossy(&out.stderr).lines().last().unwrap()).unwrap();
    assert_eq!(summary["summary"]["valid"], 10);
    assert_eq!(out.status.code(), Some(1), "not every input was valid");
}

/// Peak RSS (kB) of a batch run over `lines` copies of a small input set, fed through stdin.
fn peak_rss_kb(files: &PkiFiles, pki: &Pki, lines: usize) -> u64 {
    let headers: Vec<String> = (0..8)
        .map(|i| {
            pki.sign(&sign::Claims {
                dest: vec![format!("1215555{i:04}")],
                ..claims()
            })
        })
        .collect();
    let mut child = files
        .verify()
        .args(["--batch", "-", "--offline"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let pid = child.id();
    let stdout = child.stdout.take().unwrap();
    let reader = std::thread::spawn(move || {
        use std::io::BufRead;
        let (mut rows, mut last) = (0usize, String::new());
        for l in std::io::BufReader::new(stdout).lines() {
            rows += 1;
            last = l.unwrap();
        }
        (rows, last)
    });
    let mut stdin = child.stdin.take().unwrap();
    let feeder = std::thread::spawn(move || {
        let mut w = std::io::BufWriter::new(&mut stdin);
        for i in 0..lines {
            writeln!(w, "{}", headers[i % headers.len()]).unwrap();
        }
    });
    let mut peak = 0;
    loop {
        if let Ok(s) = std::fs::read_to_string(format!("/proc/{pid}/status"))
            && let Some(v) = s
                .lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse().ok())
        {
            peak = v;
        }
        if child.try_wait().unwrap().is_some() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    feeder.join().unwrap();
    let (rows, last) = reader.join().unwrap();
    assert_eq!(rows, lines + 1, "one row per input line, then the summary");
    let summary: Value = serde_json::from_str(&last).unwrap();
    assert_eq!(summary["summary"]["valid"], lines as u64);
    peak
}

#[test]
fn batch_memory_does_not_grow_with_input() {
    let pki = Pki::shared();
    let files = files("mem", pki);
    let small = peak_rss_kb(&files, pki, 10_000);
    let large = peak_rss_kb(&files, pki, 100_000);
    eprintln!("peak RSS: 10,000 lines {small} kB; 100,000 lines {large} kB");
    assert!(small > 0 && large > 0, "could not read /proc/<pid>/status");
    assert!(
        large <= small + 8 * 1024,
        "memory grew with the input: {small} kB -> {large} kB"
    );
    assert!(
        large < 64 * 1024,
        "100,000-line batch used {large} kB (bound 64 MiB)"
    );
}

/// A 10,000-line batch whose line 5,000 has one invalid UTF-8 byte: every record gets its row,
/// the bad one says what the reader did, and the summary counts all 10,000.
#[test]
fn batch_with_one_invalid_byte_yields_every_row_and_the_summary() {
    let pki = Pki::shared();
    let files = files("utf8", pki);
    let good = pki.sign(&claims());
    let mut input = Vec::new();
    for i in 1..=10_000 {
        if i == 5_000 {
            let mut bad = good.clone().into_bytes();
            bad[40] = 0xff;
            input.extend_from_slice(&bad);
        } else {
            input.extend_from_slice(good.as_bytes());
        }
        input.push(b'\n');
    }
    let input = files.file("in.txt", &input);
    let (rows, summary, _) = run_batch(&files, &input, &[]);
    assert_eq!(rows.len(), 10_000);
    assert_eq!(summary["total"], 10_000);
    assert_eq!(summary["valid"], 9_999);
    assert_eq!(summary["invalid"], 1);
    let bad = &rows[4_999];
    assert_eq!(bad["line"], 5_000);
    assert_eq!(bad["status"], "invalid");
    let reason = bad["reason"].as_str().unwrap();
    assert!(
        reason.contains("line 5000 is not valid UTF-8 (byte 0xFF at column 41)"),
        "{reason}"
    );
    assert_eq!(rows[5_000]["status"], "valid", "the batch carried on");
}

/// A line far over the input bound is one row (the core reports the size), not several rows cut
/// from it; line numbers after it stay right.
#[test]
fn batch_overlong_line_is_one_row_and_the_batch_carries_on() {
    let pki = Pki::shared();
    let files = files("long", pki);
    let good = pki.sign(&claims());
    let long = "x".repeat(3 * stircheck::limits::MAX_INPUT_BYTES);
    let input = files.file("in.txt", format!("{good}\n{long}\n{good}\n"));
    let (rows, summary, _) = run_batch(&files, &input, &[]);
    assert_eq!(rows.len(), 3, "{rows:?}");
    assert_eq!(summary["total"], 3);
    assert_eq!(rows[1]["status"], "invalid");
    assert_eq!(rows[1]["failed_check"], "input");
    assert!(
        rows[1]["reason"]
            .as_str()
            .unwrap()
            .contains("only its start was read"),
        "{}",
        rows[1]["reason"]
    );
    assert_eq!(rows[2]["line"], 3);
    assert_eq!(rows[2]["status"], "valid");
}

/// An input that is one endless line (`--batch /dev/zero`) stops with exit 2, after the summary.
#[test]
fn batch_endless_line_stops_with_a_message_and_the_summary() {
    let out = Command::new(BIN)
        .args(["verify", "--batch", "/dev/zero", "--offline"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("not a batch file"), "{stderr}");
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        stdout.lines().last().unwrap().contains("\"summary\""),
        "{stdout}"
    );
}
