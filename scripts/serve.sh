#!/usr/bin/env bash
# Runs the edge worker under workerd, serving the page (www/) and the API on http://$HOST:$PORT
# until interrupted. Expects the wasm build (scripts/build-wasm.sh) to be done; `make serve` does
# both. TRUST=path/to/anchors.pem deploys an operator trust store instead of the built-in snapshot.
set -euo pipefail
cd "$(dirname "$0")/.."

HOST=${HOST:-127.0.0.1}
PORT=${PORT:-8787}
die() { printf 'serve: ERROR: %s\n' "$*" >&2; exit 1; }

for f in worker/pkg/stircheck_bg.wasm www/pkg/stircheck_bg.wasm www/pkg/stircheck_page_bg.wasm; do
  [ -f "$f" ] || die "$f is not built: run 'make serve' (or scripts/build-wasm.sh)"
done
[ -x node_modules/.bin/workerd ] || die "workerd is not installed: run scripts/setup.sh"
# Fingerprinted wasm + precompressed copies (worker/src/assets.js); build-wasm.sh makes them too.
# Rebuilt when a page's source is newer than its bundle: the worker serves the bundle while the
# HTML is unchanged, so an edited module would otherwise be served as it was before the edit.
if [ ! -d www/pkg/z ] || [ ! -f www/pkg/pages/index.html ] ||
   [ -n "$(find www -maxdepth 1 -type f \( -name '*.js' -o -name '*.css' -o -name '*.html' \) -newer www/pkg/pages/index.html)" ]; then
  node scripts/build-assets.mjs
fi
if [ -n "${TRUST:-}" ]; then
  [ -r "$TRUST" ] || die "TRUST=$TRUST is not a readable file"
  STIRCHECK_TRUST_PEM=$(cat "$TRUST")
  export STIRCHECK_TRUST_PEM
fi
case "$HOST" in *:*) addr="[$HOST]:$PORT" ;; *) addr="$HOST:$PORT" ;; esac
url_host=$HOST; case "$HOST" in *:*) url_host="[$HOST]" ;; esac

# Call history (Durable Object storage on local disk), kept across restarts; gitignored.
DATA=${DATA:-$PWD/.stircheck-data}
mkdir -p "$DATA/history"

echo "stircheck: serving the page and API on http://$url_host:$PORT/ (Ctrl-C to stop)"
exec node_modules/.bin/workerd serve worker/workerd.capnp \
  --socket-addr "http=$addr" --directory-path "assets=$PWD/www" \
  --directory-path "history-storage=$DATA/history"
