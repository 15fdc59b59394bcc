# workerd configuration for running the stircheck edge worker locally (`make serve`) or on your
# own workerd host. Cloudflare deployments use wrangler.toml instead; the worker code is the same.
#
#   node_modules/.bin/workerd serve worker/workerd.capnp \
#     --socket-addr http=127.0.0.1:8787 --directory-path assets=$PWD/www
#
# The operator trust store comes from the environment variable STIRCHECK_TRUST_PEM (a PEM bundle);
# unset = the core's built-in snapshot. scripts/serve.sh fills it from a file (TRUST=path.pem).
# The SBC signing bindings (STIRCHECK_SIGNING_*) also come from the environment; see README.md.
# Deployed CRLs (STIRCHECK_CRLS, JSON {"<distribution point URL>": "<PEM CRL>"}) likewise:
#   STIRCHECK_CRLS="$(cat crls.json)" make serve
#
# Webhook tenants (worker/README.md "Set up a test number") come from STIRCHECK_TENANTS (JSON).
# Their call history lives in a Durable Object with SQLite storage on local disk: the directory
# of the "history-storage" service (scripts/serve.sh: .stircheck-data/history, gitignored; set
# with --directory-path history-storage=...). It survives a restart.
using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [
    (name = "main", worker = .stircheckWorker),
    # The page (www/, including www/pkg). Path overridden with --directory-path assets=...
    (name = "assets", disk = (path = "../www", writable = false)),
    # Durable Object storage (call history). Path overridden with --directory-path history-storage=...
    (name = "history-storage", disk = (path = "../.stircheck-data/history", writable = true)),
    # Outbound fetches (x5u, CRL distribution points): public internet only. This refuses private/loopback/link-local
    # destinations at connect time, which also covers host names that resolve to such addresses
    # (the core's URL rules, src/fetch_rules, can only judge IP literals).
    (name = "internet", network = (allow = ["public"], tlsOptions = (trustBrowserCas = true))),
  ],
  sockets = [ (name = "http", address = "127.0.0.1:8787", http = (), service = "main") ],
);

const stircheckWorker :Workerd.Worker = (
  modules = .workerModules,
  compatibilityDate = .compatibilityDate,
  bindings = .workerBindings,
  globalOutbound = "internet",
  durableObjectNamespaces = .durableObjects,
  durableObjectStorage = (localDisk = "history-storage"),
);

# The per-tenant call history (worker/src/history.js), SQLite-backed.
const durableObjects :List(Workerd.Worker.DurableObjectNamespace) = [
  (className = "CallHistory", uniqueKey = "stircheck-call-history", enableSql = true),
];

const compatibilityDate :Text = "2026-04-01";

# Every module of the worker. A new file in worker/src must be added here (workerd does not
# bundle); the integration tests fail to start the worker if one is missing.
const workerModules :List(Workerd.Worker.Module) = [
  (name = "src/index.js", esModule = embed "src/index.js"),
  (name = "src/app.js", esModule = embed "src/app.js"),
  (name = "src/router.js", esModule = embed "src/router.js"),
  (name = "src/http.js", esModule = embed "src/http.js"),
  (name = "src/request.js", esModule = embed "src/request.js"),
  (name = "src/security.js", esModule = embed "src/security.js"),
  (name = "src/fetcher.js", esModule = embed "src/fetcher.js"),
  (name = "src/fetch-chain.js", esModule = embed "src/fetch-chain.js"),
  (name = "src/fetch-crl.js", esModule = embed "src/fetch-crl.js"),
  (name = "src/crls.js", esModule = embed "src/crls.js"),
  (name = "src/fetch-rcd.js", esModule = embed "src/fetch-rcd.js"),
  (name = "src/rcd.js", esModule = embed "src/rcd.js"),
  (name = "src/cache.js", esModule = embed "src/cache.js"),
  (name = "src/chains.js", esModule = embed "src/chains.js"),
  (name = "src/trust.js", esModule = embed "src/trust.js"),
  (name = "src/webcrypto.js", esModule = embed "src/webcrypto.js"),
  (name = "src/assets.js", esModule = embed "src/assets.js"),
  (name = "src/sbc.js", esModule = embed "src/sbc.js"),
  (name = "src/webhooks.js", esModule = embed "src/webhooks.js"),
  (name = "src/webhooks-tenants.js", esModule = embed "src/webhooks-tenants.js"),
  (name = "src/history.js", esModule = embed "src/history.js"),
  (name = "pkg/stircheck.js", esModule = embed "pkg/stircheck.js"),
  (name = "pkg/stircheck_bg.wasm", wasm = embed "pkg/stircheck_bg.wasm"),
];

const workerBindings :List(Workerd.Worker.Binding) = [
  (name = "ASSETS", service = "assets"),
  (name = "STIRCHECK_TRUST_PEM", fromEnvironment = "STIRCHECK_TRUST_PEM"),
  # Deployed CRLs for distribution points this host cannot reach (worker/README.md "Revocation"):
  # JSON {"<distribution point URL>": "<PEM CRL>"}; unset = every CRL is fetched.
  (name = "STIRCHECK_CRLS", fromEnvironment = "STIRCHECK_CRLS"),
  # SBC signing (POST /stir/v1/signing): off unless STIRCHECK_SIGNING_TOKEN is set; then callers
  # must present "Authorization: Bearer <token>", and the PASSporT is signed with the P-256 key
  # STIRCHECK_SIGNING_KEY_PEM whose certificate chain is published at STIRCHECK_SIGNING_X5U.
  (name = "STIRCHECK_SIGNING_TOKEN", fromEnvironment = "STIRCHECK_SIGNING_TOKEN"),
  (name = "STIRCHECK_SIGNING_KEY_PEM", fromEnvironment = "STIRCHECK_SIGNING_KEY_PEM"),
  (name = "STIRCHECK_SIGNING_X5U", fromEnvironment = "STIRCHECK_SIGNING_X5U"),
  (name = "STIRCHECK_TENANTS", fromEnvironment = "STIRCHECK_TENANTS"),
  (name = "HISTORY", durableObjectNamespace = "CallHistory"),
];
