// The edge worker's entry point (module syntax, Cloudflare Workers / workerd). Initialises the
// wasm core synchronously from the module the runtime compiled at deploy time, builds the app
// once per isolate, and hands every request to it. See worker/README.md.

import * as core from '../pkg/stircheck.js';
import wasmModule from '../pkg/stircheck_bg.wasm';
import { createApp } from './app.js';
import { errorResponse } from './http.js';

// The per-tenant call history (Durable Object class, bound as HISTORY).
export { CallHistory } from './history.js';

let app = null;
let startupError = null;

function getApp(env) {
  if (!app && !startupError) {
    try {
      core.initSync({ module: wasmModule });
      app = createApp({ core, env, sharedCache: defaultCache() });
    } catch (e) {
      // A deployment mistake (e.g. a trust binding without certificates): say so on every request.
      startupError = e;
      console.error('stircheck worker: startup failed:', e?.stack || e);
    }
  }
  return app;
}

/** caches.default where the runtime has a Cache API; plain workerd without a cache service does not. */
function defaultCache() {
  try {
    return globalThis.caches?.default ?? null;
  } catch {
    return null;
  }
}

export default {
  async fetch(request, env, ctx) {
    const a = getApp(env);
    if (!a) return errorResponse(500, `the worker is misconfigured: ${startupError?.message || startupError}`);
    return a.handle(request, ctx);
  },
};
