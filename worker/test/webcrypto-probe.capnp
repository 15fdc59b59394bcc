# workerd configuration for worker/test/webcrypto-workerd.test.mjs ONLY: a worker that runs crypto
# jobs (as the core lists them) through the edge worker's own worker/src/webcrypto.js `runJob`, so the
# test learns what workerd's WebCrypto answers for every job kind (curve, hash, RSA). No network.
using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [ (name = "main", worker = .probeWorker) ],
  sockets = [ (name = "http", address = "127.0.0.1:0", http = (), service = "main") ],
);

const probeWorker :Workerd.Worker = (
  modules = [
    (name = "probe.js", esModule = embed "webcrypto-probe.js"),
    (name = "webcrypto.js", esModule = embed "../src/webcrypto.js"),
  ],
  compatibilityDate = "2026-04-01",
);
