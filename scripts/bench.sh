#!/usr/bin/env bash
# `make bench` (issue 6): every benchmark of stircheck as verifications/s and as a ratio to
# `openssl speed ecdsap256` verify/s measured in the same run, as a markdown table on stdout and in
# bench/RESULTS.md (the README includes it).
#
#   1. openssl speed -seconds 3 ecdsap256 (skipped if openssl is missing: no ratios then)
#   2. criterion benches (benches/verify.rs): decode, ES256 alone, verify with a cached chain,
#      verify with the chain parsed + path-validated every call; per crypto backend
#   3. batch throughput (benches/batch.rs): `stircheck verify --batch`, --threads 1 vs 2
#   4. the wasm build under Node and workerd (bench/wasm.mjs), the worker's HTTP load test
#      (worker/bench/load.mjs) and the side-by-side table (worker/bench/side-by-side.mjs: HTTP floor
#      and ES256-only baseline workers vs the SBC interface and /api/verify), each only if present
#
# Native single-core figures are CPU time of the benchmark thread, as `openssl speed` (which
# divides by CPU user time unless given -elapsed), so other work on the machine slows the run
# without skewing the ratio. Batch, wasm and load-test figures are wall-clock (they measure
# parallelism or a JS host), so they need a quiet machine: the load average is recorded.
# Env: BENCH_QUICK=1 for shorter runs; BENCH_SKIP_WASM=1 to leave out the JS/wasm part.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

log() { printf 'bench: %s\n' "$*" >&2; }
out_dir=target/bench
rm -rf "$out_dir" && mkdir -p "$out_dir" bench
results="$out_dir/results.jsonl"
: > "$results"
export CRITERION_HOME="$PWD/$out_dir/criterion"
start_s=$(date +%s)
load_before=$(cut -d' ' -f1-3 /proc/loadavg)

# --- build first, so compilation never overlaps a measurement -----------------------------------
log "building benches and the release CLI"
cargo bench --bench verify --bench batch --no-run 2>&1 | grep -E '^(error|warning: unused)' >&2 || true
cargo bench --bench verify --bench batch --no-run >/dev/null 2>&1 || { log "build failed"; exit 2; }

# --- 1. OpenSSL ----------------------------------------------------------------------------------
openssl_rate=""
if command -v openssl >/dev/null 2>&1; then
  log "openssl speed -seconds 3 ecdsap256"
  line=$(openssl speed -seconds 3 ecdsap256 2>/dev/null | grep -E '^ *256 bits ecdsa' | tail -1 || true)
  openssl_rate=$(awk '{print $NF}' <<<"$line")
  [ -n "$openssl_rate" ] && printf '{"kind":"openssl","per_s":%s,"version":"%s"}\n' \
    "$openssl_rate" "$(openssl version | cut -d' ' -f1-2)" >> "$results"
else
  log "openssl is not installed: no OpenSSL baseline, ratios left out"
fi

# --- 2. criterion --------------------------------------------------------------------------------
log "criterion benches (benches/verify.rs)"
crit_args=()
[ "${BENCH_QUICK:-}" = 1 ] && crit_args=(--warm-up-time 0.3 --measurement-time 1)
cargo bench --bench verify -- "${crit_args[@]}" 2>&1 | grep -E '^[a-z_]+/|time:' >&2
for est in "$CRITERION_HOME"/*/*/new/estimates.json; do
  id=${est#"$CRITERION_HOME"/}; id=${id%/new/estimates.json}
  node -e '
    const e = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    const ns = (e.slope ?? e.mean).point_estimate;
    console.log(JSON.stringify({ kind: "criterion", id: process.argv[2], ns, per_s: 1e9 / ns }));
  ' "$est" "$id" >> "$results"
done

# --- 3. batch ------------------------------------------------------------------------------------
log "batch throughput (benches/batch.rs)"
[ "${BENCH_QUICK:-}" = 1 ] && export STIRCHECK_BENCH_BATCH_N=${STIRCHECK_BENCH_BATCH_N:-8000}
cargo bench --bench batch 2>"$out_dir/batch.err" | sed -n 's/^BATCH //p' \
  | node -e 'require("readline").createInterface({input: process.stdin}).on("line", l => console.log(JSON.stringify({kind: "batch", ...JSON.parse(l)})))' \
  >> "$results"
cat "$out_dir/batch.err" | grep '^batch' >&2 || true

# --- 4. wasm and the worker (JS hosts) -----------------------------------------------------------
if [ "${BENCH_SKIP_WASM:-}" != 1 ]; then
  if [ -f bench/wasm.mjs ]; then
    log "wasm under Node and workerd (bench/wasm.mjs)"
    secs=2; [ "${BENCH_QUICK:-}" = 1 ] && secs=1
    if node bench/wasm.mjs --seconds "$secs" --json-out "$out_dir/wasm.jsonl" >&2; then :; else
      log "bench/wasm.mjs reported a case that could not run (see above)"
    fi
    [ -f "$out_dir/wasm.jsonl" ] && sed 's/^{/{"kind":"wasm",/' "$out_dir/wasm.jsonl" >> "$results"
  else
    log "bench/wasm.mjs not present: no wasm figures"
  fi
  if [ -f worker/bench/load.mjs ]; then
    log "worker HTTP load test (worker/bench/load.mjs)"
    dur=5; [ "${BENCH_QUICK:-}" = 1 ] && dur=2
    if json=$(node worker/bench/load.mjs --duration "$dur" --json 2>"$out_dir/load.err" | tail -1) && [ -n "$json" ]; then
      sed 's/^{/{"kind":"load",/' <<<"$json" >> "$results"
    else
      log "worker load test did not run: $(tail -3 "$out_dir/load.err" | tr '\n' ' ')"
    fi
  fi
  if [ -f worker/bench/side-by-side.mjs ]; then
    # Issue 11: floor / ES256-only baselines and the real worker, same body and connections, one run.
    log "side-by-side load table (worker/bench/side-by-side.mjs)"
    dur=8; [ "${BENCH_QUICK:-}" = 1 ] && dur=3
    rounds=2; [ "${BENCH_QUICK:-}" = 1 ] && rounds=1
    if node worker/bench/side-by-side.mjs --duration "$dur" --rounds "$rounds" --json >"$out_dir/side.jsonl" 2>"$out_dir/side.err"; then :; else
      log "side-by-side run reported failures: $(tail -3 "$out_dir/side.err" | tr '\n' ' ')"
    fi
    sed 's/^{/{"kind":"side",/' "$out_dir/side.jsonl" >> "$results"
  fi
fi

# --- table ---------------------------------------------------------------------------------------
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
elapsed=$(( $(date +%s) - start_s ))
cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
node scripts/bench-table.mjs "$results" \
  --machine "$(nproc) x ${cpu}" --rustc "$(rustc --version | cut -d' ' -f1-2)" \
  --load "$load_before -> $load_after" --elapsed "$elapsed" > bench/RESULTS.md
cat bench/RESULTS.md
log "wrote bench/RESULTS.md (${elapsed} s)"
