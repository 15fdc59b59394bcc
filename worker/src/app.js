// Wires the worker together for one isolate: one core Verifier (its validated-chain cache, an LRU
// bounded by the core, lives as long as the isolate), one certificate-chain cache keyed by the
// core's canonical URLs, and the route handlers of the API in DESIGN.md ("Worker HTTP API").
// Takes the wasm core and the runtime's services as arguments so tests can build it in Node.

import { route } from './router.js';
import { HttpError, json, errorResponse, pathnameOf, completeApiResponse, apiHeaders } from './http.js';
import { securityHeaders } from './security.js';
import { parseVerifyRequest } from './request.js';
import { FetchCache } from './cache.js';
import { fetchChain } from './fetch-chain.js';
import { fetchCrl } from './fetch-crl.js';
import { fetchRcd } from './fetch-rcd.js';
import { gatherRcd } from './rcd.js';
import { gatherChains, encodedChain } from './chains.js';
import { gatherCrls, deployedCrls, obtainCrl } from './crls.js';
import { negativeTtl } from './fetcher.js';
import { operatorTrust } from './trust.js';
import { finishViewBytes } from './webcrypto.js';
import { serveAsset } from './assets.js';
import { createSbc } from './sbc.js';
import { createWebhooks } from './webhooks.js';

/** /api/verify answers' headers by chain-cache outcome, every API header included (made once). */
const VERIFY_HEADERS = {
  hit: apiHeaders({ 'x-stircheck-cache': 'hit' }, securityHeaders(true)),
  miss: apiHeaders({ 'x-stircheck-cache': 'miss' }, securityHeaders(true)),
  none: apiHeaders({}, securityHeaders(true)),
};

/** Everything one request fetches (x5u chains, then CRLs) must be done within this (ms): an
 * SBC waiting for the answer is not held longer by a slow repository or distribution point. */
export const REQUEST_FETCH_BUDGET_MS = 3000;

/**
 * @param {object} o
 * @param {object} o.core the initialised wasm module: { Verifier, readInput, version, checkUrl,
 *   resolveRedirect, fetchLimits, acceptBody, inspectChain }
 * @param {object} o.env worker bindings (ASSETS, STIRCHECK_TRUST_PEM, STIRCHECK_CRLS, ...)
 * @param {typeof fetch} [o.fetch] outbound fetch (tests substitute it)
 * @param {Cache|null} [o.sharedCache] Workers Cache API cache, if the runtime has one
 * @param {number} [o.bodyTimeoutMs] how long a request body may take to arrive
 */
export function createApp({ core, env, fetch = globalThis.fetch, sharedCache = null, bodyTimeoutMs }) {
  const trust = operatorTrust(env);
  const verifier = new core.Verifier(trust);
  const ttl = negativeTtl(core);
  const cache = new FetchCache({ load: (url) => fetchChain(core, url, { fetch }), sharedCache, negativeTtl: ttl });
  const crlCache = new FetchCache({
    load: (url) => fetchCrl(core, url, { fetch }),
    what: 'CRL',
    keyOrigin: 'https://crl-cache.stircheck.invalid/',
    metaKeys: ['nextUpdate', 'thisUpdate'],
    negativeTtl: ttl,
    maxEntries: 64,
    sharedCache,
  });
  const rcdCache = new FetchCache({
    load: (url) => fetchRcd(core, url, { fetch }),
    what: 'rcd content',
    keyOrigin: 'https://rcd-cache.stircheck.invalid/',
    metaKeys: ['contentType'],
    negativeTtl: ttl,
    maxEntries: 256,
    sharedCache,
  });
  const deployed = deployedCrls(core, env);
  /** Rich Call Data content (icn/jcl) the input's rcdi digests cover (the core lists it: `rcdUrls`). */
  const rcdFor = (urls, deadline, ctx, resources) =>
    gatherRcd(core, { urls, cache: rcdCache, resources, deadline, budgetMs: REQUEST_FETCH_BUDGET_MS, waitUntil: waitUntil(ctx) });
  /** The CRLs for the chains a request uses, within what is left of its fetch budget. */
  const crlsFor = (got, deadline, ctx, resources) =>
    gatherCrls(core, { urls: got.crlUrls, cache: crlCache, deployed, resources, deadline, budgetMs: REQUEST_FETCH_BUDGET_MS, waitUntil: waitUntil(ctx) });

  async function verify(request, ctx) {
    const { input, options, view, resources } = await parseVerifyRequest(request, bodyTimeoutMs, core);
    const deadline = Date.now() + REQUEST_FETCH_BUDGET_MS;
    // The input is read once and the read kept (in wasm memory) across the fetches below, while
    // other requests run: it lists both the x5u chains and the rcd content, then is prepared.
    const read = core.readInput(input);
    let verdict;
    let got;
    try {
      const rcdDone = rcdFor(read.rcd, deadline, ctx, resources);
      got = await gatherChains(core, read.x5u, options.certs, cache, waitUntil(ctx));
      // The request's own chains stay in the options; cached ones go over as encoded bytes.
      for (const url in got.certs) {
        if (!options.certs || !Object.hasOwn(options.certs, url)) read.supplyBytes(url, encodedChain(got.certs[url]));
      }
      const verifyOptions = { ...options };
      if (Object.keys(got.fetchErrors).length) verifyOptions.fetchErrors = got.fetchErrors;
      const [crls, rcd] = await Promise.all([crlsFor(got, deadline, ctx, resources), rcdDone]);
      if (crls) {
        verifyOptions.crlsByUrl = crls.crlsByUrl;
        if (Object.keys(crls.crlFetchErrors).length) verifyOptions.crlFetchErrors = crls.crlFetchErrors;
      }
      if (rcd) {
        verifyOptions.resources = rcd.resources;
        if (Object.keys(rcd.resourceFetchErrors).length) verifyOptions.resourceFetchErrors = rcd.resourceFetchErrors;
      }
      let pending;
      try {
        pending = read.prepare(verifier, verifyOptions);
      } catch (e) {
        // The core rejects bad options (e.g. an unreadable `trust` PEM) with a plain Error: the
        // client's mistake. Anything else (a TypeError in this code, a wasm trap) stays a 500.
        if (e?.constructor === Error) throw new HttpError(400, e.message);
        throw e;
      }
      // The core serializes the verdict (full or compact view); it is sent as those bytes.
      verdict = await finishViewBytes(pending, view);
    } finally {
      read.free();
    }
    return completeApiResponse(verdict, VERIFY_HEADERS[got.cache] ?? VERIFY_HEADERS.none);
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

  /** GET /api/crl?url=<distribution point>: the CRL as PEM, fetched once and cached (for the page,
   * as /api/x5u serves chains; distribution points rarely send CORS headers either). */
  async function crl(request, ctx) {
    const url = new URL(request.url).searchParams.get('url');
    if (!url) throw new HttpError(400, 'missing ?url=<CRL distribution point URL>');
    const rule = core.checkUrl('crl', url);
    if (!rule.ok) throw new HttpError(400, rule.message);
    const entry = await obtainCrl({ canonical: rule.canonical, cache: crlCache, deployed, waitUntil: waitUntil(ctx) });
    if (!entry.ok) return errorResponse(502, entry.reason, { 'x-stircheck-cache': entry.cache });
    return crlResponse(request, entry);
  }

  function crlResponse(request, entry) {
    const maxAge = Math.max(0, Math.floor(entry.expiresAt - Date.now() / 1000));
    return new Response(request.method === 'HEAD' ? null : entry.pem, {
      headers: { 'content-type': 'application/x-pem-file', 'cache-control': `public, max-age=${maxAge}`, 'x-stircheck-cache': entry.cache },
    });
  }

  /** GET /api/rcd?url=<icn or jcl URL>: `{ url, contentType, data }` (data = base64 of the bytes),
   * fetched once and cached, for the page's `resources` option. Sent as JSON, never as the
   * upstream's own media type: an SVG or HTML body is never served from this origin. */
  async function rcd(request, ctx) {
    const url = new URL(request.url).searchParams.get('url');
    if (!url) throw new HttpError(400, 'missing ?url=<rcd content URL>');
    const rule = core.checkUrl('rcd', url);
    if (!rule.ok) throw new HttpError(400, rule.message);
    const entry = await rcdCache.get(rule.canonical, waitUntil(ctx));
    if (!entry.ok) return errorResponse(502, entry.reason, { 'x-stircheck-cache': entry.cache });
    const maxAge = Math.max(0, Math.floor(entry.expiresAt - Date.now() / 1000));
    return json({ url: rule.canonical, contentType: entry.contentType ?? null, data: entry.pem }, 200, {
      'cache-control': `public, max-age=${maxAge}`,
      'x-stircheck-cache': entry.cache,
    });
  }

  function health() {
    const t = verifier.trustInfo();
    return json({
      status: 'ok',
      version: core.version(),
      trust: { source: t.source, name: t.name, date: t.date, anchors: t.anchors?.length ?? 0 },
      cache: {
        chains: cache.size, failures: cache.failureCount, fetches: cache.fetches, coreChains: verifier.cacheSize(),
        crls: crlCache.size, crlFailures: crlCache.failureCount, crlFetches: crlCache.fetches, deployedCrls: deployed.size,
        rcd: rcdCache.size, rcdFailures: rcdCache.failureCount, rcdFetches: rcdCache.fetches,
      },
    });
  }

  // Inbound-call webhooks and the per-number history (worker/src/webhooks.js, issue 15).
  const webhooks = createWebhooks({ core, verifier, cache, env, waitUntil, crlsFor, rcdFor, fetchBudgetMs: REQUEST_FETCH_BUDGET_MS });
  const api = {
    ...webhooks,
    '/api/verify': { POST: verify },
    '/api/x5u': { GET: x5u },
    '/api/crl': { GET: crl },
    '/api/rcd': { GET: rcd },
    '/api/health': { GET: health },
  };
  const assets = (r) => serveAsset(r, env?.ASSETS);
  const sbc = createSbc({ core, verifier, cache, env, waitUntil, crlsFor, rcdFor, fetchBudgetMs: REQUEST_FETCH_BUDGET_MS });

  return {
    /** @param {Request} request @param {{ waitUntil?: Function }} [ctx] */
    handle(request, ctx) {
      const pathname = pathnameOf(request.url);
      // The SBC answers carry their security headers (sbc.js): sent without a copy.
      if (pathname.startsWith('/stir/')) return sbc.handle(request, ctx, pathname);
      return route(request, api, assets, ctx, pathname);
    },
  };
}

function waitUntil(ctx) {
  return ctx?.waitUntil ? (p) => ctx.waitUntil(p.catch(() => {})) : undefined;
}
