# workerd configuration of the two baseline workers of the side-by-side table (issue 11), started
# by worker/bench/side-by-side.mjs on two loopback ports:
#   workerd serve bench/baseline/baseline.capnp --socket-addr floor=127.0.0.1:<p1> \
#     --socket-addr es256=127.0.0.1:<p2>        (ES256_SPKI from the environment)
# Same compatibility date as the real worker; no network access.
using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [
    (name = "floor", worker = (
      modules = [ (name = "floor.js", esModule = embed "floor.js") ],
      compatibilityDate = "2026-04-01",
    )),
    (name = "es256", worker = (
      modules = [ (name = "es256.js", esModule = embed "es256.js") ],
      compatibilityDate = "2026-04-01",
      bindings = [ (name = "ES256_SPKI", fromEnvironment = "ES256_SPKI") ],
    )),
  ],
  sockets = [
    (name = "floor", address = "127.0.0.1:0", http = (), service = "floor"),
    (name = "es256", address = "127.0.0.1:0", http = (), service = "es256"),
  ],
);
