//! `verify --batch`: many inputs streamed through a pool of threads sharing one verifier (and its
//! validated-chain cache), output in input order, memory bounded by the in-flight window.
//!
//! Records: SIP messages (or header blocks) separated by blank lines, or one Identity header /
//! PASSporT per line. A paragraph after a SIP message that is not itself an input (an SDP body)
//! is skipped.

use crate::Setup;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use std::io::{BufRead, BufReader, IsTerminal, Read, Write};

/// Records travel between threads in chunks of up to this many (or this many bytes): one channel
/// handoff per chunk instead of per record. Per-record handoffs cost several context switches per
/// verification and kept a second core from helping. A chunk is sent early whenever the reader
/// would otherwise wait for more input, so a slow stream is still answered record by record.
const CHUNK_RECORDS: usize = 64;
const CHUNK_BYTES: usize = 256 * 1024;
use std::path::Path;
use std::process::ExitCode;
use std::sync::mpsc;
use stircheck::verdict::{Status, Verdict};

/// One record of the input.
struct Record {
    seq: u64,
    line: u64,
    /// Where its text is in the chunk's buffer.
    text: std::ops::Range<usize>,
    /// What the reader had to do to the bytes (invalid UTF-8 replaced, an overlong line cut):
    /// added to the row's reason so the row says why its verdict looks the way it does.
    note: Option<String>,
}

/// Records handed to one verifier thread: consecutive inputs, numbered in reading order. Their
/// texts share one buffer: the reader allocates it and a verifier frees it, once per chunk (a
/// buffer per record freed by another thread than the one that made it costs allocator locks).
#[derive(Default)]
struct Chunk {
    index: u64,
    text: String,
    records: Vec<Record>,
}

/// A chunk verified: its rows as output bytes, and their counts for the summary.
struct Written {
    index: u64,
    text: Vec<u8>,
    counts: Summary,
}

/// Verify a chunk's records and write out their rows (JSON lines or CSV rows).
fn verify_chunk(setup: &Setup, chunk: Chunk, csv: bool) -> Written {
    let mut text = Vec::with_capacity(chunk.records.len() * 512);
    let mut counts = Summary::default();
    for rec in &chunk.records {
        let v = setup.verify(&chunk.text[rec.text.clone()]);
        let row = Row::from_verdict(rec, &v);
        counts.add(&row);
        if csv {
            text.extend_from_slice(csv_row(&row).as_bytes());
        } else if let Err(e) = serde_json::to_writer(&mut text, &row) {
            text.extend_from_slice(format!("{{\"error\":\"cannot write a row: {e}\"}}").as_bytes());
        }
        text.push(b'\n');
    }
    Written {
        index: chunk.index,
        text,
        counts,
    }
}

/// The per-input output row.
#[derive(Serialize)]
pub struct Row {
    pub record: u64,
    pub line: u64,
    /// Serialized as the verdict's `status` ([`Status::as_str`]).
    pub status: Status,
    /// verified / failed / unverified / unsigned (src/summary.rs).
    pub outcome: &'static str,
    pub attest: Option<String>,
    pub sip_code: Option<u16>,
    pub verstat: &'static str,
    pub failed_check: Option<&'static str>,
    pub orig: Option<String>,
    pub dest: Option<String>,
    pub spc: Option<String>,
    pub organization: Option<String>,
    pub x5u: Option<String>,
    pub iat: Option<i64>,
    pub reason: String,
    /// The plain-language headline every shell shows (src/summary.rs).
    pub headline: String,
    /// The caller's branded name (RFC 9795 `nam`), only when verified (PASSporT and every
    /// `rcdi` digest); otherwise null.
    pub brand: Option<String>,
}

impl Row {
    fn from_verdict(rec: &Record, v: &Verdict) -> Row {
        let (seq, line) = (rec.seq, rec.line);
        let id = v
            .identities
            .iter()
            .find(|i| i.role == stircheck::verdict::Role::Shaken)
            .or(v.identities.first());
        let claims = id.and_then(|i| i.claims.as_ref());
        let orig = claims
            .and_then(|c| c.get("orig"))
            .and_then(|o| o.get("tn"))
            .and_then(|t| t.as_str())
            .map(str::to_owned);
        let dest = claims
            .and_then(|c| c.get("dest"))
            .and_then(|d| d.get("tn"))
            .and_then(|t| t.as_array())
            .map(|a| {
                a.iter()
                    .filter_map(|x| x.as_str())
                    .collect::<Vec<_>>()
                    .join(" ")
            });
        Row {
            record: seq + 1,
            line,
            status: v.status,
            outcome: v.outcome.as_str(),
            attest: v.attest.clone(),
            sip_code: v.sip_code,
            verstat: v.verstat_str(),
            // The check that decided (an rcd.integrity failure does not decide a call).
            failed_check: v.first_failure().map(|c| c.id.as_str()),
            orig,
            dest,
            spc: v.signer.as_ref().and_then(|s| s.spc.clone()),
            organization: v.signer.as_ref().and_then(|s| s.organization.clone()),
            x5u: id.and_then(|i| i.x5u.clone()),
            iat: id.and_then(|i| i.iat),
            reason: match &rec.note {
                Some(n) => format!("{} ({n})", v.reason),
                None => v.reason.clone(),
            },
            headline: v.summary.headline.clone(),
            brand: v
                .rcd
                .as_ref()
                .filter(|r| r.verified)
                .and_then(|r| r.nam.clone()),
        }
    }
}

/// Counts for the closing summary.
#[derive(Serialize, Default)]
pub struct Summary {
    pub total: u64,
    pub valid: u64,
    pub invalid: u64,
    pub no_identity: u64,
    pub attest: BTreeMap<String, u64>,
    pub sip_codes: BTreeMap<String, u64>,
    pub failed_checks: BTreeMap<String, u64>,
    pub signers: BTreeMap<String, u64>,
    /// Per calling number, the verified branded names seen and how often.
    pub brands: BTreeMap<String, BTreeMap<String, u64>>,
}

impl Summary {
    /// Add the counts of `other` (another chunk's rows).
    fn merge(&mut self, other: Summary) {
        self.total += other.total;
        self.valid += other.valid;
        self.invalid += other.invalid;
        self.no_identity += other.no_identity;
        for (mine, theirs) in [
            (&mut self.attest, other.attest),
            (&mut self.sip_codes, other.sip_codes),
            (&mut self.failed_checks, other.failed_checks),
            (&mut self.signers, other.signers),
        ] {
            for (k, n) in theirs {
                *mine.entry(k).or_default() += n;
            }
        }
        for (orig, names) in other.brands {
            let mine = self.brands.entry(orig).or_default();
            for (k, n) in names {
                *mine.entry(k).or_default() += n;
            }
        }
    }

    fn add(&mut self, r: &Row) {
        self.total += 1;
        match r.status {
            Status::Valid => self.valid += 1,
            Status::Invalid => self.invalid += 1,
            Status::NoIdentity => self.no_identity += 1,
        }
        if let Some(a) = &r.attest {
            *self.attest.entry(a.clone()).or_default() += 1;
        }
        if let Some(c) = r.sip_code {
            *self.sip_codes.entry(c.to_string()).or_default() += 1;
        }
        if let Some(c) = r.failed_check {
            *self.failed_checks.entry(c.to_string()).or_default() += 1;
        }
        if r.status == Status::Valid
            && let Some(spc) = &r.spc
        {
            *self.signers.entry(spc.clone()).or_default() += 1;
        }
        if let (Some(orig), Some(brand)) = (&r.orig, &r.brand) {
            *self
                .brands
                .entry(orig.clone())
                .or_default()
                .entry(brand.clone())
                .or_default() += 1;
        }
    }
}

pub fn run(
    setup: &Setup,
    path: &Path,
    csv: bool,
    threads: Option<usize>,
) -> Result<ExitCode, String> {
    let reader: Box<dyn Read + Send> = if path.as_os_str() == "-" {
        Box::new(std::io::stdin())
    } else {
        Box::new(
            std::fs::File::open(path)
                .map_err(|e| format!("cannot read {}: {e}", path.display()))?,
        )
    };
    let threads = threads
        .unwrap_or_else(|| {
            std::thread::available_parallelism()
                .map(|n| n.get())
                .unwrap_or(1)
        })
        .clamp(1, 64);
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let progress = std::io::stderr().is_terminal();
    let mut summary = Summary::default();
    if csv {
        writeln!(out, "record,line,status,attest,sip_code,verstat,failed_check,orig,dest,spc,organization,x5u,iat,reason,outcome,headline,brand").map_err(io)?;
    }
    let read_error: Result<(), String> = std::thread::scope(|scope| {
        let (rec_tx, rec_rx) = mpsc::sync_channel::<Chunk>(threads * 2);
        let rec_rx = std::sync::Arc::new(std::sync::Mutex::new(rec_rx));
        // A verifier thread answers a chunk with its rows already written out, one buffer per
        // chunk, and counts its own rows: the ordered writer (one thread, which a second
        // verifier thread has to share a core with) only puts buffers in order and writes them.
        let (row_tx, row_rx) = mpsc::sync_channel::<Written>(threads * 2);
        for _ in 0..threads {
            let rx = rec_rx.clone();
            let tx = row_tx.clone();
            scope.spawn(move || {
                loop {
                    let next = rx.lock().unwrap_or_else(|p| p.into_inner()).recv();
                    let Ok(chunk) = next else { break };
                    if tx.send(verify_chunk(setup, chunk, csv)).is_err() {
                        break;
                    }
                }
            });
        }
        // The verifiers hold the only receivers: when they stop, the reader stops too.
        drop(rec_rx);
        drop(row_tx);
        let producer =
            scope.spawn(move || read_records(BufReader::with_capacity(64 * 1024, reader), rec_tx));
        // Write the chunks in input order.
        let mut pending: HashMap<u64, Written> = HashMap::new();
        let mut next = 0u64;
        let mut written = 0u64;
        let mut failed = None;
        for w in row_rx {
            pending.insert(w.index, w);
            while let Some(w) = pending.remove(&next) {
                if let Err(e) = out.write_all(&w.text) {
                    failed = Some(io(e));
                    break;
                }
                next += 1;
                let before = written;
                written += w.counts.total;
                summary.merge(w.counts);
                if progress && written / 10_000 > before / 10_000 {
                    eprint!("\rstircheck: {written} verified");
                }
            }
            if failed.is_some() {
                break;
            }
        }
        if progress && written >= 10_000 {
            eprintln!();
        }
        drop(pending);
        let read = producer
            .join()
            .map_err(|_| "the reader thread failed".to_string())?;
        match failed {
            Some(e) => Err(e),
            None => read,
        }
    });
    // The summary covers every row written, even when the input could not be read to its end.
    let s = serde_json::to_string(&serde_json::json!({ "summary": summary }))
        .map_err(|e| e.to_string())?;
    if csv {
        eprintln!("{s}");
    } else {
        writeln!(out, "{s}").map_err(io)?;
    }
    out.flush().map_err(io)?;
    read_error?;
    Ok(if summary.valid == summary.total {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn io(e: std::io::Error) -> String {
    format!("cannot write output: {e}")
}

/// Split the stream into records without holding more than one record in memory: a paragraph
/// that starts like a SIP message or header block is one record; otherwise each line is one.
/// Bytes that are not UTF-8 and lines over the input bound become rows like any other (the core
/// judges what is left, the row says what the reader did); they never stop the batch.
fn read_records<R: Read>(mut r: BufReader<R>, tx: mpsc::SyncSender<Chunk>) -> Result<(), String> {
    let max = stircheck::limits::MAX_INPUT_BYTES;
    let mut seq = 0u64;
    let mut lineno = 0u64;
    let mut raw: Vec<u8> = Vec::new();
    // The SIP message being collected: (first line number, text, note).
    let mut message: Option<(u64, String, Option<String>)> = None;
    let mut in_paragraph = false;
    let mut prev_was_message = false;
    let mut chunk = Chunk::default();
    let chunks = std::cell::Cell::new(0u64);
    let ship = |chunk: &mut Chunk| -> Result<(), String> {
        if chunk.records.is_empty() {
            return Ok(());
        }
        let next = Chunk {
            index: 0,
            text: String::with_capacity(chunk.text.len()),
            records: Vec::with_capacity(CHUNK_RECORDS),
        };
        let mut full = std::mem::replace(chunk, next);
        full.index = chunks.replace(chunks.get() + 1);
        tx.send(full)
            .map_err(|_| "the verifier threads stopped".to_string())
    };
    let mut send =
        |chunk: &mut Chunk, line: u64, text: &str, note: Option<String>| -> Result<(), String> {
            let start = chunk.text.len();
            chunk.text.push_str(text);
            chunk.records.push(Record {
                seq,
                line,
                text: start..chunk.text.len(),
                note,
            });
            seq += 1;
            if chunk.records.len() >= CHUNK_RECORDS || chunk.text.len() >= CHUNK_BYTES {
                ship(chunk)?;
            }
            Ok(())
        };
    loop {
        if r.buffer().is_empty() {
            // The next read may wait for input: let the verifiers have what is here first.
            ship(&mut chunk)?;
        }
        raw.clear();
        let n = r
            .by_ref()
            .take(max as u64 + 1)
            .read_until(b'\n', &mut raw)
            .map_err(|e| format!("cannot read the batch input: {e}"))?;
        if n == 0 {
            break;
        }
        lineno += 1;
        let mut note = None;
        if raw.len() > max && raw.last() != Some(&b'\n') {
            // Keep one byte past the bound (the core reports the size) and drop the rest unread.
            skip_line(&mut r, lineno)?;
            note = Some(format!(
                "line {lineno} is longer than {max} bytes; only its start was read"
            ));
        }
        let line = match std::str::from_utf8(&raw) {
            Ok(s) => std::borrow::Cow::Borrowed(s),
            Err(e) => {
                note.get_or_insert_with(|| {
                    format!(
                        "line {lineno} is not valid UTF-8 (byte 0x{:02X} at column {}); invalid bytes were replaced by U+FFFD before verification",
                        raw[e.valid_up_to()],
                        e.valid_up_to() + 1
                    )
                });
                String::from_utf8_lossy(&raw)
            }
        };
        let line = line.trim_end_matches(['\r', '\n']);
        if line.trim().is_empty() {
            if let Some((start, text, n)) = message.take() {
                send(&mut chunk, start, &text, n)?;
                prev_was_message = true;
            }
            in_paragraph = false;
            continue;
        }
        if let Some((_, text, n)) = message.as_mut() {
            // Keep one byte past the limit so the core reports the size instead of a cut message.
            if text.len() <= max {
                text.push('\n');
                text.push_str(line);
            }
            if n.is_none() {
                *n = note;
            }
            continue;
        }
        let first = !in_paragraph;
        in_paragraph = true;
        if first && looks_like_message(line.trim()) {
            message = Some((lineno, line.to_string(), note));
            continue;
        }
        if prev_was_message && !looks_like_token(line) {
            continue; // the body (e.g. SDP) of the previous SIP message
        }
        prev_was_message = false;
        send(&mut chunk, lineno, line, note)?;
    }
    if let Some((start, text, n)) = message.take() {
        send(&mut chunk, start, &text, n)?;
    }
    ship(&mut chunk)
}

/// A line longer than this is not a record of a batch file (e.g. `--batch /dev/zero`): the
/// reader stops with an error instead of skipping forever.
const MAX_SKIPPED_LINE: usize = 64 * stircheck::limits::MAX_INPUT_BYTES;

/// Consume the rest of an overlong line without keeping it.
fn skip_line<R: Read>(r: &mut BufReader<R>, lineno: u64) -> Result<(), String> {
    let mut skipped = 0usize;
    loop {
        let buf = r
            .fill_buf()
            .map_err(|e| format!("cannot read the batch input: {e}"))?;
        if buf.is_empty() {
            return Ok(());
        }
        if let Some(i) = buf.iter().position(|b| *b == b'\n') {
            r.consume(i + 1);
            return Ok(());
        }
        let n = buf.len();
        r.consume(n);
        skipped += n;
        if skipped > MAX_SKIPPED_LINE {
            return Err(format!(
                "line {lineno} of the batch input is longer than {} MiB: this is not a batch file",
                MAX_SKIPPED_LINE / (1024 * 1024)
            ));
        }
    }
}

fn looks_like_message(first: &str) -> bool {
    let upper = first.split_whitespace().collect::<Vec<_>>();
    let sip_start = (upper.len() == 3 && upper[2].eq_ignore_ascii_case("SIP/2.0"))
        || first.starts_with("SIP/2.0 ");
    let header = first.split_once(':').is_some_and(|(n, _)| {
        !n.is_empty()
            && n.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
            && !n.eq_ignore_ascii_case("identity")
            && !n.eq_ignore_ascii_case("y")
    });
    sip_start || header
}

fn looks_like_token(l: &str) -> bool {
    let l = l.trim();
    let l = l
        .strip_prefix("Identity:")
        .or_else(|| l.strip_prefix("identity:"))
        .unwrap_or(l)
        .trim();
    l.split(';')
        .next()
        .is_some_and(|t| t.split('.').count() == 3)
}

fn csv_row(r: &Row) -> String {
    let f = |s: Option<&str>| csv_field(s.unwrap_or(""));
    [
        r.record.to_string(),
        r.line.to_string(),
        r.status.as_str().to_string(),
        f(r.attest.as_deref()),
        r.sip_code.map(|c| c.to_string()).unwrap_or_default(),
        r.verstat.to_string(),
        f(r.failed_check),
        f(r.orig.as_deref()),
        f(r.dest.as_deref()),
        f(r.spc.as_deref()),
        f(r.organization.as_deref()),
        f(r.x5u.as_deref()),
        r.iat.map(|i| i.to_string()).unwrap_or_default(),
        csv_field(&r.reason),
        r.outcome.to_string(),
        csv_field(&r.headline),
        f(r.brand.as_deref()),
    ]
    .join(",")
}

fn csv_field(s: &str) -> String {
    // Also neutralise spreadsheet formulas in untrusted text.
    let s = if s.starts_with(['=', '+', '-', '@']) {
        format!("'{s}")
    } else {
        s.to_string()
    };
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}
