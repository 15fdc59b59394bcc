# workerd configuration for bench/wasm.mjs ONLY: a worker that runs the wasm core's verify in a
# loop inside one isolate (no HTTP per verification), so its rate compares directly with the same
# loop in Node. bench/wasm.mjs starts it on a free loopback port:
#   node_modules/.bin/workerd serve bench/workerd/bench.capnp --socket-addr http=127.0.0.1:<port>
# It has no network access. The HTTP load test of the real worker is worker/bench/load.mjs.
using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [ (name = "main", worker = .benchWorker) ],
  sockets = [ (name = "http", address = "127.0.0.1:0", http = (), service = "main") ],
);

const benchWorker :Workerd.Worker = (
  modules = [
    (name = "bench.js", esModule = embed "worker.js"),
    (name = "webcrypto.js", esModule = embed "../../worker/src/webcrypto.js"),
    (name = "pkg/stircheck.js", esModule = embed "../../worker/pkg/stircheck.js"),
    (name = "pkg/stircheck_bg.wasm", wasm = embed "../../worker/pkg/stircheck_bg.wasm"),
  ],
  compatibilityDate = "2026-04-01",
);
