//! Batch throughput of the CLI (issue 6): `stircheck verify --batch` over N copies of the real
//! Verizon header with `--cert` (its real chain) and `--at` (its iat), with `--threads 1` and
//! `--threads 2` (and every core if there are more). Wall-clock verifications per second, best of
//! three runs each; the chain is validated once and then comes from the shared cache.
//!
//! `cargo bench --bench batch` (N from `STIRCHECK_BENCH_BATCH_N`, default 20000). Prints one
//! `BATCH {json}` line per configuration for `scripts/bench.sh`, and a readable summary.

#[path = "../tests/support/realdata.rs"]
mod realdata;

use std::io::Write;
use std::process::{Command, Stdio};
use std::time::Instant;

fn children_cpu_s() -> f64 {
    // SAFETY: `ru` is a valid, writable rusage for the duration of the call.
    let mut ru: libc::rusage = unsafe { std::mem::zeroed() };
    unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut ru) };
    let t = |tv: libc::timeval| tv.tv_sec as f64 + tv.tv_usec as f64 * 1e-6;
    t(ru.ru_utime) + t(ru.ru_stime)
}

fn main() {
    // `cargo bench` passes `--bench`; any other argument is a filter we do not have.
    if !realdata::corpus_present() {
        eprintln!(
            "benches/batch: corpus not found at {} — nothing to measure",
            realdata::corpus_dir().display()
        );
        return;
    }
    let n: usize = std::env::var("STIRCHECK_BENCH_BATCH_N")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(20_000);
    let exe = env!("CARGO_BIN_EXE_stircheck");
    let case = realdata::verizon();
    let dir = std::env::temp_dir().join(format!("stircheck-batch-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let input = dir.join("input.txt");
    let chain = dir.join("chain.pem");
    let out_path = dir.join("out.jsonl");
    {
        let mut f = std::io::BufWriter::new(std::fs::File::create(&input).unwrap());
        for _ in 0..n {
            writeln!(f, "{}", case.identity).unwrap();
        }
    }
    std::fs::write(&chain, &case.chain_pem).unwrap();

    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut configs = vec![1usize, 2];
    if cores > 2 {
        configs.push(cores);
    }
    let run = |threads: usize| -> (f64, f64) {
        let out = std::fs::File::create(&out_path).unwrap();
        let cpu0 = children_cpu_s();
        let t0 = Instant::now();
        let status = Command::new(exe)
            .args(["verify", "--batch"])
            .arg(&input)
            .arg("--cert")
            .arg(&chain)
            .args(["--at", &case.iat.to_string()])
            .args(["--threads", &threads.to_string()])
            .stdout(Stdio::from(out))
            .stderr(Stdio::inherit())
            .status()
            .expect("run stircheck");
        let wall = t0.elapsed().as_secs_f64();
        let cpu = children_cpu_s() - cpu0;
        assert!(
            status.success(),
            "stircheck verify --batch failed: {status}"
        );
        let text = std::fs::read_to_string(&out_path).unwrap();
        let last = text.lines().last().unwrap_or_default();
        let summary: serde_json::Value = serde_json::from_str(last).expect("summary line");
        assert_eq!(
            summary["summary"]["valid"], n as u64,
            "every input verified valid"
        );
        (wall, cpu)
    };
    run(1); // warm the page cache and the binary
    let mut rows = Vec::new();
    for &threads in &configs {
        let best = (0..3)
            .map(|_| run(threads))
            .min_by(|a, b| a.0.total_cmp(&b.0))
            .unwrap();
        rows.push((threads, best));
    }
    let base = n as f64 / rows[0].1.0;
    for (threads, (wall, cpu)) in &rows {
        let per_s = n as f64 / wall;
        println!(
            "BATCH {}",
            serde_json::json!({
                "threads": threads,
                "n": n,
                "wall_s": (wall * 1e4).round() / 1e4,
                "cpu_s": (cpu * 1e4).round() / 1e4,
                "per_s": per_s.round(),
                "speedup": (per_s / base * 1000.0).round() / 1000.0,
            })
        );
        eprintln!(
            "batch --threads {threads}: {n} in {wall:.3} s wall ({cpu:.3} s CPU) = {per_s:.0} verifications/s, {:.2}x one thread",
            per_s / base
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}
