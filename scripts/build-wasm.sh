#!/usr/bin/env bash
# Builds the wasm core once and installs the same JS+wasm files into www/pkg (page) and
# worker/pkg (edge worker), as docs/js-api.md describes:
#   cargo (release, wasm32) -> wasm-bindgen --target web -> wasm-opt -O3 (npm binaryen) -> copy x2
# Skips everything when both outputs are newer than every Rust input. Prints raw and gzipped size.
# Env: FORCE=1 rebuilds anyway; NO_WASM_OPT=1 skips wasm-opt.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

log() { printf 'build-wasm: %s\n' "$*" >&2; }
die() { printf 'build-wasm: ERROR: %s\n' "$*" >&2; exit 1; }

name=stircheck
outs=(www/pkg worker/pkg)
# trust/ is embedded by src/trust.rs (include_str!): changed anchors must rebuild the module.
inputs=(src trust Cargo.toml Cargo.lock scripts/build-wasm.sh)

up_to_date() {
  local out
  for out in "${outs[@]}"; do
    for f in "$out/$name.js" "$out/${name}_bg.wasm" "$out/$name.d.ts"; do
      [ -f "$f" ] || return 1
    done
    # Any input file newer than the output means a rebuild.
    [ -z "$(find "${inputs[@]}" -newer "$out/${name}_bg.wasm" -print -quit 2>/dev/null)" ] || return 1
  done
}

# One WebCrypto helper for page and worker: workerd cannot import from outside worker/, so the
# worker gets a byte-identical copy (worker/test/webcrypto-copy.test.mjs checks it).
cmp -s www/webcrypto.js worker/src/webcrypto.js || cp www/webcrypto.js worker/src/webcrypto.js

if [ "${FORCE:-0}" != 1 ] && up_to_date; then
  log "up to date (${outs[*]}); FORCE=1 to rebuild"
  exit 0
fi

command -v wasm-bindgen >/dev/null 2>&1 || die "wasm-bindgen not found: run scripts/setup.sh"
[ -f src/wasm.rs ] || die "src/wasm.rs does not exist yet: there are no wasm exports to build"

log "cargo rustc --release --target wasm32-unknown-unknown --lib --crate-type cdylib"
cargo rustc --release --target wasm32-unknown-unknown --lib --crate-type cdylib
raw=target/wasm32-unknown-unknown/release/$name.wasm
[ -f "$raw" ] || die "$raw was not produced by cargo rustc --crate-type cdylib"

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
log "wasm-bindgen --target web"
wasm-bindgen --target web --out-dir "$stage" --out-name "$name" "$raw"
bg="$stage/${name}_bg.wasm"
# The glue is an ES module; tell Node so when check-wasm.mjs imports it from the temp dir.
echo '{"type":"module"}' > "$stage/package.json"

# wasm-opt from npm binaryen only: Debian's binaryen (108) emits modules that fail to instantiate.
wasm_opt=node_modules/.bin/wasm-opt
if [ "${NO_WASM_OPT:-0}" = 1 ]; then
  log "wasm-opt skipped (NO_WASM_OPT=1)"
elif [ -x "$wasm_opt" ]; then
  log "wasm-opt -O3 ($("$wasm_opt" --version))"
  # Rust's wasm32 target emits these post-MVP features; wasm-opt must be told it may keep them.
  "$wasm_opt" -O3 --enable-bulk-memory --enable-reference-types --enable-sign-ext \
    --enable-mutable-globals --enable-nontrapping-float-to-int --enable-multivalue \
    -o "$stage/opt.wasm" "$bg"
  # Keep the optimised module only if it still instantiates against the generated glue.
  if node scripts/check-wasm.mjs "$stage/$name.js" "$stage/opt.wasm"; then
    mv "$stage/opt.wasm" "$bg"
  else
    log "WARNING: wasm-opt output does not instantiate; keeping the unoptimised module"
  fi
else
  log "WARNING: $wasm_opt missing (run scripts/setup.sh); module not optimised"
fi
node scripts/check-wasm.mjs "$stage/$name.js" "$bg" || die "built module does not instantiate"

for out in "${outs[@]}"; do
  mkdir -p "$out"
  cp "$stage/$name.js" "$stage/$name.d.ts" "$stage/${name}_bg.wasm" "$stage/${name}_bg.wasm.d.ts" "$out/"
done
size=$(stat -c %s "$bg")
gz=$(gzip -9 -c "$bg" | wc -c)
log "installed into ${outs[*]}"
printf 'wasm size: %s bytes raw, %s bytes gzip -9 (%s)\n' "$size" "$gz" "${outs[0]}/${name}_bg.wasm"
