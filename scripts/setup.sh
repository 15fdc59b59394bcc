#!/usr/bin/env bash
# Installs everything the build and the tests need, and nothing when it is already there.
# Safe to run on every `make serve` / `make test`: each step checks first and is skipped when done.
# Works unattended (CI=true, no stdin) as root on Debian 12; a missing prerequisite that this
# script cannot install stops it with a clear message instead of letting a test skip later.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf 'setup: %s\n' "$*" >&2; }
die() { printf 'setup: ERROR: %s\n' "$*" >&2; exit 1; }

export PATH="$HOME/.cargo/bin:$PATH"

# --- prerequisites this script does not install -------------------------------------------------
for tool in cargo rustup node npm openssl; do
  command -v "$tool" >/dev/null 2>&1 || die "'$tool' is not installed (needed to build and test)"
done
node_major=$(node -p 'process.versions.node.split(".")[0]')
[ "$node_major" -ge 20 ] || die "Node.js >= 20 is required, found $(node --version)"

# --- Rust: wasm target ----------------------------------------------------------------------------
if ! rustup target list --installed | grep -qx 'wasm32-unknown-unknown'; then
  log "adding Rust target wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi

# --- wasm-bindgen CLI, exactly the version in Cargo.lock -----------------------------------------
# The CLI and the crate must agree byte-for-byte on the ABI, so the version comes from Cargo.lock.
[ -f Cargo.lock ] || die "Cargo.lock is missing; cannot tell which wasm-bindgen-cli to install"
want_wb=$(awk '$0 == "name = \"wasm-bindgen\"" { getline; gsub(/^version = "|"$/, ""); print; exit }' Cargo.lock)
[ -n "$want_wb" ] || die "no wasm-bindgen package in Cargo.lock"
wb_version() { wasm-bindgen --version 2>/dev/null | awk '{print $2}'; }
if [ "$(wb_version || true)" != "$want_wb" ]; then
  # Another `cargo install` of the same tool may already be running (e.g. started in the background
  # when the machine was prepared); wait for it rather than building it twice on 2 cores.
  while pgrep -f "cargo install wasm-bindgen-cli" >/dev/null 2>&1; do
    log "waiting for a running 'cargo install wasm-bindgen-cli' to finish"
    sleep 10
  done
  if [ "$(wb_version || true)" != "$want_wb" ]; then
    log "installing wasm-bindgen-cli $want_wb (a few minutes, once)"
    # No --locked: with it, resolution fails against this registry (see TOOLCHAIN.md).
    cargo install wasm-bindgen-cli --version "$want_wb"
  fi
  [ "$(wb_version || true)" = "$want_wb" ] || die "wasm-bindgen $want_wb not on PATH after install"
fi

# --- npm dev tools (wasm-opt, workerd, wrangler, playwright-core, autocannon, typescript) ---------
# A stamp holding the lock file's hash tells whether node_modules matches package-lock.json.
lock_hash=$(sha256sum package-lock.json package.json | sha256sum | cut -d' ' -f1)
stamp=node_modules/.stircheck-setup-stamp
if [ "$(cat "$stamp" 2>/dev/null || true)" != "$lock_hash" ]; then
  log "npm ci"
  npm ci --no-audit --no-fund
  echo "$lock_hash" > "$stamp"
fi
for bin in wasm-opt workerd tsc; do
  [ -x "node_modules/.bin/$bin" ] || die "node_modules/.bin/$bin missing after npm ci"
done

# --- Chromium + chromedriver for the browser tests (Debian packages) -----------------------------
if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 || die "chromium is missing and installing it needs root (apt-get)"
    sudo="sudo -n"
  fi
  log "installing Debian chromium + chromium-driver"
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -q
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium chromium-driver
  [ -x /usr/bin/chromium ] || die "/usr/bin/chromium still missing after apt-get install"
fi

log "ok (wasm-bindgen $want_wb, node $(node --version))"
