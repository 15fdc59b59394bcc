#!/usr/bin/env bash
# Builds the wasm core as two modules of the same crate (docs/js-api.md "Two modules"):
#   full  cargo --release, every feature -> wasm-bindgen -> wasm-opt -O3 -> worker/pkg/stircheck.*
#         (the edge worker) and www/pkg/stircheck.* (the page's lazily loaded fallback: RustCrypto
#         verification, demo PKI + signer, advisor; also what the Node tests load);
#   page  cargo --profile wasm-page --no-default-features (opt-level z) -> wasm-bindgen ->
#         wasm-opt -Oz -> www/pkg/stircheck_page.* (what the page loads first: verification through
#         WebCrypto crypto jobs only).
# Each module is skipped when its outputs are newer than every Rust input, so a second run costs
# nothing but build-assets (fingerprints + precompressed copies). Prints raw and gzipped sizes.
# Env: FORCE=1 rebuilds anyway; NO_WASM_OPT=1 skips wasm-opt; ONLY=full|page builds one module.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

log() { printf 'build-wasm: %s\n' "$*" >&2; }
die() { printf 'build-wasm: ERROR: %s\n' "$*" >&2; exit 1; }

# trust/ is embedded by src/trust.rs (include_str!): changed anchors must rebuild the modules.
inputs=(src trust Cargo.toml Cargo.lock scripts/build-wasm.sh)
wasm_opt=node_modules/.bin/wasm-opt

# up_to_date NAME DIR...: every DIR has NAME's three files, none older than an input.
up_to_date() {
  local name=$1 out f
  shift
  for out in "$@"; do
    for f in "$out/$name.js" "$out/${name}_bg.wasm" "$out/$name.d.ts"; do
      [ -f "$f" ] || return 1
    done
    [ -z "$(find "${inputs[@]}" -newer "$out/${name}_bg.wasm" -print -quit 2>/dev/null)" ] || return 1
  done
}

# build_module NAME PROFILE WASM_OPT_FLAGS CARGO_FLAGS OUT_DIRS...
build_module() {
  local name=$1 profile=$2 level=$3 flags=$4
  shift 4
  local outs=("$@")
  if [ "${FORCE:-0}" != 1 ] && up_to_date "$name" "${outs[@]}"; then
    log "$name: up to date (${outs[*]}); FORCE=1 to rebuild"
    return 0
  fi
  command -v wasm-bindgen >/dev/null 2>&1 || die "wasm-bindgen not found: run scripts/setup.sh"
  log "$name: cargo rustc --profile $profile --target wasm32-unknown-unknown --lib --crate-type cdylib $flags"
  # shellcheck disable=SC2086 # flags is a word list
  local envs=()
  [ -z "${WASM_RUSTFLAGS:-}" ] || envs=(RUSTFLAGS="${RUSTFLAGS:+$RUSTFLAGS }$WASM_RUSTFLAGS")
  env "${envs[@]}" cargo rustc --profile "$profile" --target wasm32-unknown-unknown --lib --crate-type cdylib $flags
  local raw=target/wasm32-unknown-unknown/$profile/stircheck.wasm
  [ -f "$raw" ] || die "$raw was not produced by cargo rustc --crate-type cdylib"

  local stage
  stage=$(mktemp -d)
  log "$name: wasm-bindgen --target web"
  wasm-bindgen --target web --out-dir "$stage" --out-name "$name" "$raw"
  local bg="$stage/${name}_bg.wasm"
  # The glue is an ES module; tell Node so when check-wasm.mjs imports it from the temp dir.
  echo '{"type":"module"}' > "$stage/package.json"

  # wasm-opt from npm binaryen only: Debian's binaryen (108) emits modules that fail to instantiate.
  if [ "${NO_WASM_OPT:-0}" = 1 ]; then
    log "$name: wasm-opt skipped (NO_WASM_OPT=1)"
  elif [ -x "$wasm_opt" ]; then
    log "$name: wasm-opt $level ($("$wasm_opt" --version))"
    # Rust's wasm32 target emits these post-MVP features; wasm-opt must be told it may keep them.
    # shellcheck disable=SC2086 # level is a word list
    "$wasm_opt" $level --enable-simd --enable-bulk-memory --enable-reference-types --enable-sign-ext \
      --enable-mutable-globals --enable-nontrapping-float-to-int --enable-multivalue \
      --strip-debug --strip-producers -o "$stage/opt.wasm" "$bg"
    # Keep the optimised module only if it still instantiates against the generated glue.
    if node scripts/check-wasm.mjs "$stage/$name.js" "$stage/opt.wasm"; then
      mv "$stage/opt.wasm" "$bg"
    else
      log "WARNING: $name: wasm-opt output does not instantiate; keeping the unoptimised module"
    fi
  else
    log "WARNING: $wasm_opt missing (run scripts/setup.sh); $name not optimised"
  fi
  node scripts/check-wasm.mjs "$stage/$name.js" "$bg" || die "built module $name does not instantiate"

  local out
  for out in "${outs[@]}"; do
    mkdir -p "$out"
    cp "$stage/$name.js" "$stage/$name.d.ts" "$bg" "$stage/${name}_bg.wasm.d.ts" "$out/"
  done
  rm -rf "$stage"
  printf 'wasm size (%s): %s bytes raw, %s bytes gzip -9 (%s)\n' "$name" "$(stat -c %s "${outs[0]}/${name}_bg.wasm")" \
    "$(gzip -9 -c "${outs[0]}/${name}_bg.wasm" | wc -c)" "${outs[0]}/${name}_bg.wasm"
}

# One WebCrypto helper for page and worker: workerd cannot import from outside worker/, so the
# worker gets a byte-identical copy (worker/test/webcrypto-copy.test.mjs checks it).
cmp -s www/webcrypto.js worker/src/webcrypto.js || cp www/webcrypto.js worker/src/webcrypto.js

[ -f src/wasm.rs ] || die "src/wasm.rs does not exist yet: there are no wasm exports to build"
case "${ONLY:-}" in
  ''|full|page) ;;
  *) die "ONLY must be full or page, not ${ONLY}" ;;
esac
# The worker is not size-bound: the full module keeps opt-level 3 (RustCrypto is the fallback's
# hot path) and every feature.
# simd128 lets LLVM vectorize the byte scans (JSON, base64, header text): 20 % fewer instructions
# per worker verification (bench/workerd/PROFILE.md); every engine the worker runs on has
# it (and browsers since 2021-23, for the page's fallback use of this module).
if [ "${ONLY:-full}" = full ]; then
  WASM_RUSTFLAGS="-C target-feature=+simd128" build_module stircheck release -O3 "" worker/pkg www/pkg
fi
# The page's first module: no RustCrypto, signer, demo PKI, advisor or worker glue; sized down.
if [ "${ONLY:-page}" = page ]; then
  # The memory flags hold for a wasm-bindgen module (its own memory starts zeroed; Rust puts no
  # data below 1 MiB): 1.5 KB gzip less than -Oz alone (bench/PROFILE.md "Page module").
  build_module stircheck_page wasm-page "-Oz --zero-filled-memory --low-memory-unused" "--no-default-features" www/pkg
fi
# Fingerprinted wasm + glue and precompressed (br, gzip) copies for the worker (worker/src/assets.js);
# also refreshed when the modules were up to date (the page's files may have changed).
node scripts/build-assets.mjs
