//! The stircheck CLI: a thin shell over the sans-IO core. It reads files, the clock and the
//! network (x5u fetches), and prints. Exit codes: 0 valid, 1 not valid, 2 cannot run.

mod batch;
mod fetch;
mod report;

use clap::{Args, Parser, Subcommand};
use std::borrow::Cow;
use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::{Arc, OnceLock, RwLock};
use stircheck::Verdict;
use stircheck::fetch_rules::{self, FetchKind};
use stircheck::verify::{DEFAULT_MAX_AGE, Options, Parsed};
use stircheck::{Status, TrustStore, Verifier};

#[derive(Parser)]
#[command(
    name = "stircheck",
    version,
    about = "Verify STIR/SHAKEN Identity headers (RFC 8224/8225/8588, ATIS-1000074/-080)"
)]
struct Cli {
    #[command(subcommand)]
    cmd: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    /// Verify a SIP message, Identity header(s) or bare PASSporT.
    Verify(VerifyArgs),
    /// Decode without verifying.
    Decode {
        /// File to read, or - / absent for stdin.
        input: Option<PathBuf>,
        #[arg(long)]
        json: bool,
    },
    /// Sign a SHAKEN PASSporT and print the Identity header.
    Sign(SignArgs),
    /// Attestation advisor: reads a scenario JSON on stdin, prints the expected level and how to reach A.
    Advise {
        #[arg(long)]
        json: bool,
    },
}

#[derive(Args)]
struct VerifyArgs {
    /// File to read, or - / absent for stdin.
    input: Option<PathBuf>,
    /// Certificate chain (PEM, leaf first) to use instead of fetching x5u.
    #[arg(long, value_name = "CHAIN.pem")]
    cert: Option<PathBuf>,
    /// Trust anchors (PEM bundle, STI-PA trust-list JSON, or a directory of them); repeatable. Replaces the built-in snapshot.
    #[arg(long, value_name = "ANCHORS.pem|DIR")]
    trust: Vec<PathBuf>,
    /// Certificate revocation list (PEM `X509 CRL`, optionally with its signer's certificate, or DER); repeatable.
    #[arg(long, value_name = "CRL")]
    crl: Vec<PathBuf>,
    /// Verify as of this time (unix seconds) instead of now.
    #[arg(long, value_name = "UNIX_SECONDS")]
    at: Option<i64>,
    /// Verify as of the call itself (each PASSporT's iat): for headers from past calls.
    #[arg(long, conflicts_with = "at")]
    as_of_call: bool,
    /// Freshness window for iat, in seconds.
    #[arg(long, value_name = "SECONDS", default_value_t = DEFAULT_MAX_AGE)]
    max_age: i64,
    /// Print the Verdict as JSON.
    #[arg(long)]
    json: bool,
    /// Verify many inputs: one per line, or SIP messages separated by blank lines. Streams one result per input, then a summary.
    #[arg(long, value_name = "FILE|-", conflicts_with = "input")]
    batch: Option<PathBuf>,
    /// With --batch: CSV rows instead of JSON lines.
    #[arg(long, requires = "batch")]
    csv: bool,
    /// With --batch: worker threads (default: all cores).
    #[arg(long, requires = "batch")]
    threads: Option<usize>,
    /// Content for a URL the verifier would fetch (a CRL distribution point, an x5u, or rich call data such as an icn logo or jcl jCard), instead of fetching it; repeatable.
    #[arg(long, value_name = "URL=FILE")]
    resource: Vec<String>,
    /// Never fetch over the network: x5u without --cert fails cert.fetch, CRL distribution points without --resource leave revocation unchecked, rcd content without --resource leaves the brand not verified (rcd.integrity warns).
    #[arg(long)]
    offline: bool,
}

#[derive(Args)]
struct SignArgs {
    /// P-256 private key, PKCS#8 or SEC1 PEM.
    #[arg(long, value_name = "KEY.pem")]
    key: PathBuf,
    #[arg(long)]
    x5u: String,
    #[arg(long, value_parser = ["A", "B", "C"])]
    attest: String,
    #[arg(long, value_name = "TN")]
    orig: String,
    /// One or more destination numbers, comma separated.
    #[arg(long, value_name = "TN[,TN]", value_delimiter = ',', required = true)]
    dest: Vec<String>,
    #[arg(long, value_name = "UUID")]
    origid: Option<String>,
    /// Signing time (default: now).
    #[arg(long, value_name = "UNIX")]
    iat: Option<i64>,
    /// Rich call data (RFC 9795): the caller's display name (`rcd.nam`, covered by an `rcdi` digest).
    #[arg(long, value_name = "NAME")]
    nam: Option<String>,
    /// Rich call data: logo URL (`rcd.icn`); its content comes from --resource (the `rcdi` digest covers the bytes).
    #[arg(long, value_name = "URL")]
    icn: Option<String>,
    /// Rich call data: jCard URL (`rcd.jcl`); its content comes from --resource.
    #[arg(long, value_name = "URL")]
    jcl: Option<String>,
    /// Call reason (`crn` claim).
    #[arg(long, value_name = "TEXT")]
    crn: Option<String>,
    /// The content of an --icn or --jcl URL, to compute its `rcdi` digest; repeatable.
    #[arg(long, value_name = "URL=FILE")]
    resource: Vec<String>,
}

/// A failure of the command itself (exit 2), with a message for stderr.
struct CmdError(String);

impl<E: std::fmt::Display> From<E> for CmdError {
    fn from(e: E) -> Self {
        CmdError(e.to_string())
    }
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    let result = match cli.cmd {
        Cmd::Verify(a) => verify(a),
        Cmd::Decode { input, json } => decode(input.as_deref(), json),
        Cmd::Sign(a) => sign(a),
        Cmd::Advise { json } => advise(json),
    };
    match result {
        Ok(code) => code,
        Err(CmdError(msg)) => {
            eprintln!("stircheck: {msg}");
            ExitCode::from(2)
        }
    }
}

pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

/// Read at most `limit` bytes: through `take(limit + 1)`, so an endless or huge source
/// (`/dev/zero`, a 50 MB file) costs `limit` bytes of memory and stops at once.
fn read_bounded(r: impl Read, limit: usize, what: &str) -> Result<Vec<u8>, CmdError> {
    let mut buf = Vec::new();
    r.take(limit as u64 + 1)
        .read_to_end(&mut buf)
        .map_err(|e| CmdError(format!("cannot read {what}: {e}")))?;
    if buf.len() > limit {
        return Err(CmdError(format!(
            "{what} is larger than the {} limit; refusing to read it",
            size(limit)
        )));
    }
    Ok(buf)
}

/// A limit for messages: "256 KiB", "4 MiB".
fn size(n: usize) -> String {
    if n >= 1024 * 1024 && n.is_multiple_of(1024 * 1024) {
        format!("{} MiB", n / (1024 * 1024))
    } else if n >= 1024 && n.is_multiple_of(1024) {
        format!("{} KiB", n / 1024)
    } else {
        format!("{n}-byte")
    }
}

fn read_input(path: Option<&Path>) -> Result<String, CmdError> {
    let limit = stircheck::limits::MAX_INPUT_BYTES;
    let buf = match path {
        None => read_bounded(std::io::stdin(), limit, "stdin")?,
        Some(p) if p.as_os_str() == "-" => read_bounded(std::io::stdin(), limit, "stdin")?,
        Some(p) => read_file(p, "input", limit)?,
    };
    // Invalid UTF-8 is a verification outcome (the input check reports it), not a command error.
    Ok(String::from_utf8(buf)
        .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()))
}

/// Read a file the command was given, refusing it unread past `limit` bytes.
fn read_file(p: &Path, what: &str, limit: usize) -> Result<Vec<u8>, CmdError> {
    let f = std::fs::File::open(p)
        .map_err(|e| CmdError(format!("cannot read {what} {}: {e}", p.display())))?;
    read_bounded(f, limit, &format!("{what} {}", p.display()))
}

/// Trust files (and directory entries): each read within what is left of the store's bound, so
/// a directory of many large files is refused as soon as the total passes it.
fn load_trust(paths: &[PathBuf]) -> Result<Arc<TrustStore>, CmdError> {
    if paths.is_empty() {
        return Ok(TrustStore::builtin());
    }
    let limit = stircheck::limits::MAX_TRUST_BYTES;
    let mut bundles = Vec::new();
    let mut left = limit;
    let mut read = |f: &Path, bundles: &mut Vec<Vec<u8>>| -> Result<(), CmdError> {
        let b = read_file(f, "trust file", left).map_err(|e| {
            if left < limit {
                CmdError(format!(
                    "{} (the trust files together may hold at most {})",
                    e.0,
                    size(limit)
                ))
            } else {
                e
            }
        })?;
        left -= b.len();
        bundles.push(b);
        Ok(())
    };
    for p in paths {
        if p.is_dir() {
            let mut entries: Vec<PathBuf> = std::fs::read_dir(p)
                .map_err(|e| CmdError(format!("cannot read trust directory {}: {e}", p.display())))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|f| {
                    f.extension()
                        .is_some_and(|x| matches!(x.to_str(), Some("pem" | "crt" | "cer" | "json")))
                })
                .collect();
            entries.sort();
            for f in entries {
                read(&f, &mut bundles)?;
            }
        } else {
            read(p, &mut bundles)?;
        }
    }
    let refs: Vec<&[u8]> = bundles.iter().map(|b| b.as_slice()).collect();
    let name = paths
        .iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join(", ");
    TrustStore::from_bundles(&name, &refs)
        .map(Arc::new)
        .map_err(|e| CmdError(format!("trust store: {e}")))
}

/// Everything `verify` needs besides the input text, shared by single and batch runs.
pub struct Setup {
    pub verifier: Verifier,
    pub base: Options,
    pub offline: bool,
    pub fetcher: fetch::Fetcher,
    /// `--resource URL=FILE` contents.
    pub resources: HashMap<String, Arc<Vec<u8>>>,
    /// The CRL distribution point URLs of the --cert chain, read once (the chain is then
    /// used for every x5u, and nothing is fetched).
    default_crl_urls: Option<Arc<Vec<String>>>,
    /// With --cert: the options every input starts from (the base and that chain's CRLs).
    cert_opts: OnceLock<Options>,
    /// CRL distribution point URLs per fetched chain (by x5u URL): read once per run.
    crl_urls: RwLock<HashMap<String, Arc<Vec<String>>>>,
}

impl Setup {
    /// Verify one input: read once, fetch what the read says it needs, verify from the read.
    pub fn verify(&self, text: &str) -> Verdict {
        let parsed = stircheck::verify::parse(text);
        let opts = self.options_for(&parsed);
        let pending = self.verifier.prepare_parsed(parsed, &opts);
        let backend = stircheck::crypto::default_backend();
        let results: Vec<Option<bool>> = pending.jobs().iter().map(|j| backend.verify(j)).collect();
        self.verifier.finish(pending, &results)
    }

    /// Options for one input: fetch (once, cached) every x5u not covered by --cert or
    /// --resource, then the CRL distribution points of every chain the input uses, then the
    /// rich call data content its `rcdi` digests cover. With --cert the chain, and so its CRLs,
    /// are the same for every input: those options are made once (at the first input) and
    /// shared as they are by every input that needs nothing else.
    fn options_for(&self, parsed: &Parsed) -> Cow<'_, Options> {
        let needed = parsed.needed_urls();
        if let Some(urls) = &self.default_crl_urls {
            let shared = self.cert_opts.get_or_init(|| {
                let mut o = self.base.clone();
                self.add_crls(&mut o, urls);
                o
            });
            if needed.rcd.is_empty() {
                return Cow::Borrowed(shared);
            }
            let mut opts = shared.clone();
            self.add_rcd(parsed, &mut opts, needed.rcd);
            return Cow::Owned(opts);
        }
        let mut opts = self.base.clone();
        let mut crl_urls: Vec<Arc<Vec<String>>> = Vec::new();
        for url in needed.x5u {
            let got = if let Some(r) = self.resources.get(&url) {
                Ok(r.clone())
            } else if self.offline {
                Err("fetching is off (--offline); pass the chain with --cert".to_string())
            } else {
                self.fetcher.get(&url)
            };
            match got {
                Ok(bytes) => {
                    crl_urls.push(self.crl_urls_of(&url, &bytes));
                    opts.certs.insert(url, bytes.to_vec());
                }
                Err(e) => {
                    opts.fetch_errors.insert(url, e);
                }
            }
        }
        for urls in &crl_urls {
            self.add_crls(&mut opts, urls);
        }
        self.add_rcd(parsed, &mut opts, needed.rcd);
        Cow::Owned(opts)
    }

    /// The CRLs at these distribution points (or why not), from --resource or fetched.
    fn add_crls(&self, opts: &mut Options, urls: &[String]) {
        for url in urls {
            if opts.crls_by_url.contains_key(url) || opts.crl_fetch_errors.contains_key(url) {
                continue;
            }
            let got = if let Some(r) = self.resources.get(url) {
                Ok(r.clone())
            } else if self.offline {
                Err("fetching is off (--offline); supply it with --resource URL=FILE".into())
            } else {
                self.fetcher.get_crl(url)
            };
            match got {
                Ok(b) => {
                    opts.crls_by_url.insert(url.clone(), b);
                }
                Err(e) => {
                    opts.crl_fetch_errors.insert(url.clone(), e);
                }
            }
        }
    }

    /// Rich call data content an rcdi digest covers (logo, jCard), `urls` first: the same
    /// fetch rules. A second round (only when something was obtained) finds the URLs inside a
    /// fetched jCard (`/jcl/...` digests).
    fn add_rcd(&self, parsed: &Parsed, opts: &mut Options, mut urls: Vec<String>) {
        for round in 0..2 {
            if round == 1 {
                if opts.resources.is_empty() {
                    break;
                }
                urls = parsed.rcd_urls(&opts.resources);
            }
            for url in urls.drain(..) {
                if opts.resources.contains_key(&url)
                    || opts.resource_fetch_errors.contains_key(&url)
                {
                    continue;
                }
                match self.get_rcd(&url) {
                    Ok(b) => {
                        opts.resources.insert(url, b.to_vec());
                    }
                    Err(e) => {
                        opts.resource_fetch_errors.insert(url, e);
                    }
                }
            }
        }
    }

    /// Rich call data content: `--resource`, else nothing when `--offline`, else fetched.
    fn get_rcd(&self, url: &str) -> Result<Arc<Vec<u8>>, String> {
        if let Some(r) = self.resources.get(url) {
            Ok(r.clone())
        } else if self.offline {
            Err(
                "not fetched: fetching is off (--offline); supply it with --resource URL=FILE"
                    .into(),
            )
        } else {
            self.fetcher.get_rcd(url)
        }
    }

    /// The CRL distribution points of the chain served at `x5u` (read once per run: a read
    /// lock per call, the write lock only for a chain not seen before).
    fn crl_urls_of(&self, x5u: &str, chain: &[u8]) -> Arc<Vec<String>> {
        if let Some(u) = self
            .crl_urls
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .get(x5u)
        {
            return u.clone();
        }
        let urls = Arc::new(stircheck::__private::cert::crl::crl_urls_for_chain(chain));
        let mut map = self.crl_urls.write().unwrap_or_else(|p| p.into_inner());
        map.entry(x5u.to_string()).or_insert(urls).clone()
    }
}

/// `--resource URL=FILE`, each file bounded by the largest body any kind of URL may have.
fn load_resources(args: &[String]) -> Result<HashMap<String, Arc<Vec<u8>>>, CmdError> {
    let mut out = HashMap::new();
    for a in args {
        let (url, file) = a
            .split_once('=')
            .filter(|(u, f)| !u.is_empty() && !f.is_empty())
            .ok_or_else(|| CmdError(format!("--resource {a:?}: expected URL=FILE")))?;
        let bytes = read_file(
            Path::new(file),
            &format!("resource for {url}:"),
            [FetchKind::X5u, FetchKind::Crl, FetchKind::RcdContent]
                .into_iter()
                .map(fetch_rules::max_body_bytes)
                .max()
                .unwrap_or(0),
        )?;
        out.insert(url.to_string(), Arc::new(bytes));
    }
    Ok(out)
}

fn verify(a: VerifyArgs) -> Result<ExitCode, CmdError> {
    let trust = load_trust(&a.trust)?;
    let mut base = Options::at(a.at.unwrap_or_else(now));
    if a.max_age < 0 {
        return Err(CmdError("--max-age must not be negative".into()));
    }
    base.max_age = a.max_age;
    base.as_of_call = a.as_of_call;
    if let Some(c) = &a.cert {
        base.default_chain = Some(read_file(
            c,
            "certificate chain",
            stircheck::limits::MAX_CHAIN_BYTES,
        )?);
    }
    for c in &a.crl {
        base.crls
            .push(read_file(c, "CRL", fetch_rules::MAX_CRL_BYTES)?);
    }
    let mut setup = Setup {
        verifier: Verifier::new(trust),
        base,
        offline: a.offline,
        fetcher: fetch::Fetcher::new(),
        resources: load_resources(&a.resource)?,
        default_crl_urls: None,
        cert_opts: OnceLock::new(),
        crl_urls: RwLock::new(HashMap::new()),
    };
    setup.default_crl_urls = setup
        .base
        .default_chain
        .as_deref()
        .map(|c| Arc::new(stircheck::__private::cert::crl::crl_urls_for_chain(c)));
    if let Some(b) = &a.batch {
        return batch::run(&setup, b, a.csv, a.threads).map_err(CmdError);
    }
    let text = read_input(a.input.as_deref())?;
    let verdict = setup.verify(&text);
    if a.json {
        println!("{}", serde_json::to_string_pretty(&verdict)?);
    } else {
        print!("{}", report::verdict(&verdict));
    }
    Ok(if verdict.status == Status::Valid {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn decode(input: Option<&Path>, json: bool) -> Result<ExitCode, CmdError> {
    let text = read_input(input)?;
    let d = stircheck::decode::decode(&text);
    if json {
        println!("{}", serde_json::to_string_pretty(&d)?);
    } else {
        print!("{}", report::decoded(&d));
    }
    Ok(if d.error.is_some() || d.identities.is_empty() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn sign(a: SignArgs) -> Result<ExitCode, CmdError> {
    let pem = String::from_utf8(read_file(&a.key, "key", stircheck::limits::MAX_KEY_BYTES)?)
        .map_err(|_| CmdError("the key file is not PEM text".into()))?;
    let key = stircheck::sign::load_key(&pem)?;
    let claims = stircheck::sign::Claims {
        x5u: a.x5u,
        attest: a.attest,
        orig: a.orig,
        dest: a.dest,
        iat: a.iat.unwrap_or_else(now),
        origid: a.origid,
    };
    if a.nam.is_none() && a.icn.is_none() && a.jcl.is_none() && a.crn.is_none() {
        if !a.resource.is_empty() {
            return Err(CmdError(
                "--resource gives the content of an --icn or --jcl URL; neither was given".into(),
            ));
        }
        println!("{}", stircheck::sign::identity_header(&key, &claims)?);
        return Ok(ExitCode::SUCCESS);
    }
    let rcd = stircheck::sign::RcdClaims {
        nam: a.nam,
        icn: a.icn,
        jcl: a.jcl,
        crn: a.crn,
        resources: load_resources(&a.resource)?
            .into_iter()
            .map(|(url, bytes)| (url, Arc::unwrap_or_clone(bytes)))
            .collect(),
        tamper: None,
    };
    println!(
        "{}",
        stircheck::sign::identity_header_with_rcd(&key, &claims, &rcd)?
    );
    Ok(ExitCode::SUCCESS)
}

fn advise(json: bool) -> Result<ExitCode, CmdError> {
    let bytes = read_bounded(
        std::io::stdin(),
        stircheck::limits::MAX_INPUT_BYTES,
        "stdin",
    )?;
    let text = String::from_utf8(bytes).map_err(|_| CmdError("stdin is not UTF-8 text".into()))?;
    let scenario = stircheck::advise::parse_scenario(&text)?;
    let advice = stircheck::advise::advise(&scenario);
    if json {
        println!("{}", serde_json::to_string_pretty(&advice)?);
    } else {
        print!("{}", report::advice(&advice));
    }
    Ok(ExitCode::SUCCESS)
}
