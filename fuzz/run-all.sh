#!/usr/bin/env bash
# Run every fuzz target in turn, one process at a time, for SECONDS each (default 300).
#   fuzz/run-all.sh [SECONDS] [TARGET...]
# Seeds are (re)generated first; logs go to fuzz/logs/<target>.log (gitignored), and a line per
# target with its exec count and time is appended to fuzz/logs/summary.txt.
set -euo pipefail
cd "$(dirname "$0")"
secs=${1:-300}
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(fuzz_x5u fuzz_identity fuzz_passport fuzz_sip fuzz_paste fuzz_input fuzz_cert fuzz_verify_with_chain)
fi
python3 make-seeds.py
mkdir -p logs
for t in "${targets[@]}"; do
  echo "== $t for ${secs}s"
  start=$(date -u +%FT%TZ)
  rc=0
  # -s none: the code under test is safe Rust; debug assertions and overflow checks stay on.
  cargo +nightly fuzz run -s none "$t" "corpus/$t" -- \
    -max_total_time="$secs" -print_final_stats=1 -timeout=10 -rss_limit_mb=2048 \
    >"logs/$t.log" 2>&1 || rc=$?
  execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "logs/$t.log" | grep -o '[0-9]*$' || echo '?')
  echo "$t start=$start secs=$secs execs=$execs exit=$rc" | tee -a logs/summary.txt
  if [ $rc -ne 0 ]; then
    grep -m5 -E 'panicked|ERROR|Test unit written' "logs/$t.log" || true
  fi
done
