// One safe fetch of a URL the core allowed, for every kind the core knows (x5u chains, CRL
// distribution points, rcd content; issue 13 builds on this). The core (wasm `checkUrl`,
// `resolveRedirect`, `fetchLimits`, `acceptBody`) decides what may be fetched and what a body may
// be; this module only does the IO: one overall deadline, manual redirects (each target checked
// by the core), and a read that stops past the core's byte bound. Every failure is a sentence
// (what the verdict's cert.fetch check shows).

import { readAtMost } from './http.js';

export const FETCH_TIMEOUT_MS = 3000;
export const MAX_REDIRECTS = 3;

/**
 * @param {object} core the wasm module (checkUrl, resolveRedirect, fetchLimits, acceptBody)
 * @param {"x5u"|"crl"|"rcd"} kind
 * @param {string} url any spelling; the canonical form is what is fetched
 * @param {object} [o]
 * @param {typeof fetch} [o.fetch]
 * @param {number} [o.timeoutMs]
 * @returns {Promise<{ ok: true, url: string, bytes: Uint8Array, headers: Headers }
 *                 | { ok: false, reason: string, refused?: true }>}
 *   `url` is the canonical URL the body finally came from; `refused` marks a URL the rules
 *   refused before any request (the client's mistake, not the repository's); its `reason` is the
 *   core's sentence ("x5u URL refused: ...").
 */
export async function safeFetch(core, kind, url, o = {}) {
  const { fetch: doFetch = globalThis.fetch, timeoutMs = FETCH_TIMEOUT_MS } = o;
  const first = core.checkUrl(kind, url);
  if (!first.ok) return { ok: false, refused: true, reason: first.message };
  const { maxBytes, accept } = core.fetchLimits(kind);
  const signal = AbortSignal.timeout(timeoutMs);
  let target = first.canonical;
  try {
    for (let hop = 0; ; hop++) {
      const res = await doFetch(target, { method: 'GET', redirect: 'manual', signal, headers: { accept } });
      if (res.status >= 300 && res.status < 400) {
        await res.body?.cancel();
        const location = res.headers.get('location');
        if (!location) return fail(`the repository answered ${res.status} without a Location`);
        if (hop >= MAX_REDIRECTS) return fail(`too many redirects (more than ${MAX_REDIRECTS})`);
        const next = core.resolveRedirect(kind, target, location);
        if (!next.ok) return fail(`redirected to ${location}, which is refused: ${next.reason}`);
        target = next.canonical;
        continue;
      }
      if (res.status !== 200) {
        await res.body?.cancel();
        return fail(`the repository answered ${res.status}${res.statusText ? ` ${res.statusText}` : ''}`);
      }
      const type = res.headers.get('content-type');
      let bytes = Number(res.headers.get('content-length')) > maxBytes ? null : await readAtMost(res.body, maxBytes);
      if (bytes === null) {
        await res.body?.cancel().catch(() => {});
        bytes = new Uint8Array(maxBytes + 1); // stands for "over the bound": the core words the refusal
      }
      const body = core.acceptBody(kind, type, bytes);
      if (!body.ok) return fail(body.reason);
      return { ok: true, url: target, bytes, headers: res.headers };
    }
  } catch (e) {
    if (signal.aborted || e?.name === 'TimeoutError' || e?.name === 'AbortError') {
      return fail(`the repository did not answer within ${timeoutMs / 1000} s`);
    }
    return fail(`could not reach the repository (${networkCause(e)})`);
  }
}

/**
 * How long to keep a body fetched at `now` (unix s): the core's rule (wasm `cacheLifetime`,
 * src/fetch_rules/lifetime.rs) on the response's caching headers, cut at `usableUntil` (the
 * chain's earliest notAfter, the CRL's nextUpdate; null when there is none).
 */
export function cacheLifetime(core, headers, now, usableUntil) {
  const h = (name) => headers?.get(name) ?? undefined;
  return core.cacheLifetime(h('cache-control'), h('expires'), h('date'), now, usableUntil ?? undefined);
}

const limitsByCore = new WeakMap();
/** The core's cache bounds (`cacheLimits()`), read once per core. */
export function cacheLimits(core) {
  let l = limitsByCore.get(core);
  if (!l) limitsByCore.set(core, (l = core.cacheLimits()));
  return l;
}

/** Seconds a failed fetch is remembered (the core's `negativeTtl`). */
export function negativeTtl(core) {
  return cacheLimits(core).negativeTtl;
}

function fail(reason) {
  return { ok: false, reason };
}

/** workerd reports DNS/connect/TLS failures as an opaque "internal error; reference = ..." */
function networkCause(e) {
  const msg = String(e?.message || e);
  return /internal error/i.test(msg) ? 'host not found, connection refused or TLS failure' : msg;
}
