# workerd configuration for the integration tests ONLY (worker/test/harness.mjs starts it).
#
# It differs from ../workerd.capnp in one place: the worker's outbound network. Here every fetch
# the worker makes goes to the local test certificate repository (test/cert-server.mjs), which
# workerd talks to as an HTTP forward proxy; its address is set per run with
#   --external-addr test-egress=127.0.0.1:<port>
# So the tests use ordinary x5u URLs (https://certs.stircheck.test:8443/...) that pass the same
# URL rules as production, and the worker code has no "allow http/loopback" switch at all: there
# is nothing a production deployment could turn on. A URL the rules wrongly let through would
# show up as a hit on the test server, which the SSRF tests assert never happens.
using Workerd = import "/workerd/workerd.capnp";
using Prod = import "../workerd.capnp";

const config :Workerd.Config = (
  services = [
    (name = "main", worker = .testWorker),
    (name = "assets", disk = (path = "../../www", writable = false)),
    # Call history storage; the harness points it at a fresh (or a reused, for restarts) directory.
    (name = "history-storage", disk = (path = "/nonexistent", writable = true)),
    (name = "test-egress", external = (address = "127.0.0.1:9", http = (style = proxy))),
  ],
  sockets = [ (name = "http", address = "127.0.0.1:0", http = (), service = "main") ],
);

const testWorker :Workerd.Worker = (
  modules = Prod.workerModules,
  compatibilityDate = Prod.compatibilityDate,
  bindings = Prod.workerBindings,
  globalOutbound = "test-egress",
  durableObjectNamespaces = Prod.durableObjects,
  durableObjectStorage = (localDisk = "history-storage"),
);
