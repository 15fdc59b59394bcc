// Wires the worker together for one isolate: one core Verifier (its validated-chain cache, an LRU
// bounded by the core, lives as long as the isolate), one certificate-chain cache keyed by the
// core's canonical URLs, and the route handlers of the API in DESIGN.md ("Worker HTTP API").
// Takes the wasm core and the runtime's services as arguments so tests can build it in Node.

import { route, withSecurityHeaders } from './router.js';
import { HttpError, json, jsonText, errorResponse } from './http.js';
import { parseVerifyRequest } from './request.js';
import { ChainCache } from './cache.js';
import { fetchChain } from './fetch-chain.js';
import { gatherChains } from './chains.js';
import { operatorTrust } from './trust.js';
import { verifyView } from './webcrypto.js';
import { serveAsset } from './assets.js';
import { createSbc } from './sbc.js';
import { createWebhooks } from './webhooks.js';

/**
 * @param {object} o
 * @param {object} o.core the initialised wasm module: { Verifier, neededCerts, version, checkUrl,
 *   resolveRedirect, fetchLimits, acceptBody, inspectChain }
 * @param {object} o.env worker bindings (ASSETS, STIRCHECK_TRUST_PEM)
 * @param {typeof fetch} [o.fetch] outbound fetch (tests substitute it)
 * @param {Cache|null} [o.sharedCache] Workers Cache API cache, if the runtime has one
 * @param {number} [o.bodyTimeoutMs] how long a request body may take to arrive
 */
export function createApp({ core, env, fetch = globalThis.fetch, sharedCache = null, bodyTimeoutMs }) {
  const trust = operatorTrust(env);
  const verifier = new core.Verifier(trust);
  const cache = new ChainCache({ load: (url) => fetchChain(core, url, { fetch }), sharedCache });

  async function verify(request, ctx) {
    const { input, options, view } = await parseVerifyRequest(request, bodyTimeoutMs);
    const needed = core.neededCerts(input);
    const got = await gatherChains(core, needed, options.certs, cache, waitUntil(ctx));
    const verifyOptions = { ...options, certs: got.certs };
    if (Object.keys(got.fetchErrors).length) verifyOptions.fetchErrors = got.fetchErrors;
    let verdict;
    try {
      // The core serializes the verdict (full or compact view); it is sent as that text.
      verdict = await verifyView(verifier, input, verifyOptions, view);
    } catch (e) {
      // The core rejects bad options (e.g. an unreadable `trust` PEM) with a plain Error: the
      // client's mistake. Anything else (a TypeError in this code, a wasm trap) stays a 500.
      if (e?.constructor === Error) throw new HttpError(400, e.message);
      throw e;
    }
    return jsonText(verdict, 200, got.cache ? { 'x-stircheck-cache': got.cache } : {});
  }

  async function x5u(request, ctx) {
    const url = new URL(request.url).searchParams.get('url');
    if (!url) throw new HttpError(400, 'missing ?url=<x5u URL>');
    const rule = core.checkUrl('x5u', url);
    if (!rule.ok) throw new HttpError(400, rule.message);
    const entry = await cache.get(rule.canonical, waitUntil(ctx));
    if (!entry.ok) {
      // Not the client's mistake and not ours: the upstream repository failed (Bad Gateway).
      return errorResponse(502, entry.reason, { 'x-stircheck-cache': entry.cache });
    }
    const maxAge = Math.max(0, Math.floor(entry.expiresAt - Date.now() / 1000));
    return new Response(request.method === 'HEAD' ? null : entry.pem, {
      headers: {
        'content-type': entry.keyOnly ? 'application/x-pem-file' : 'application/pem-certificate-chain',
        'cache-control': `public, max-age=${maxAge}`,
        'x-stircheck-cache': entry.cache,
      },
    });
  }

  function health() {
    const t = verifier.trustInfo();
    return json({
      status: 'ok',
      version: core.version(),
      trust: { source: t.source, name: t.name, date: t.date, anchors: t.anchors?.length ?? 0 },
      cache: { chains: cache.size, failures: cache.failureCount, fetches: cache.fetches, coreChains: verifier.cacheSize() },
    });
  }

  // Inbound-call webhooks and the per-number history (worker/src/webhooks.js, issue 15).
  const webhooks = createWebhooks({ core, verifier, cache, env, waitUntil });
  const api = {
    ...webhooks,
    '/api/verify': { POST: verify },
    '/api/x5u': { GET: x5u },
    '/api/health': { GET: health },
  };
  const assets = (r) => serveAsset(r, env?.ASSETS);
  const sbc = createSbc({ core, verifier, cache, env, waitUntil });

  return {
    /** @param {Request} request @param {{ waitUntil?: Function }} [ctx] */
    handle(request, ctx) {
      const { pathname } = new URL(request.url);
      if (pathname.startsWith('/stir/')) return sbc.handle(request, ctx, pathname).then((r) => withSecurityHeaders(r, true));
      return route(request, api, assets, ctx);
    },
  };
}

function waitUntil(ctx) {
  return ctx?.waitUntil ? (p) => ctx.waitUntil(p.catch(() => {})) : undefined;
}
