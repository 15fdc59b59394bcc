// Fetching one x5u certificate chain: the safe fetch of ./fetcher.js, then the core's chain
// parser (wasm `inspectChain`, the same code the verifier uses) decides whether the body is a
// usable chain, gives the normalised PEM to cache, and the notAfter that bounds its lifetime.
// The chain's CRL distribution points (wasm `crlUrls`) are listed once here and cached with it,
// so a cached call does not parse the chain again to find them.

import { safeFetch, cacheLifetime, negativeTtl, FETCH_TIMEOUT_MS } from './fetcher.js';

export { FETCH_TIMEOUT_MS };

/**
 * @param {object} core the wasm module
 * @param {string} url an x5u URL (its canonical form is fetched)
 * @param {object} [o]
 * @param {typeof fetch} [o.fetch]
 * @param {number} [o.timeoutMs]
 * @param {() => number} [o.now] unix seconds
 * @returns {Promise<{ ok: true, pem: string, keyOnly: boolean, crlUrls: [string, string][], expiresAt: number }
 *                 | { ok: false, reason: string, expiresAt: number }>}
 */
export async function fetchChain(core, url, o = {}) {
  const now = o.now ?? (() => Date.now() / 1000);
  const got = await safeFetch(core, 'x5u', url, o);
  if (!got.ok) return { ok: false, reason: got.reason, expiresAt: now() + negativeTtl(core) };
  const chain = core.inspectChain(got.bytes);
  if (!chain.ok) {
    return { ok: false, reason: `the repository's response is unusable: ${chain.reason}`, expiresAt: now() + negativeTtl(core) };
  }
  const t = now();
  const ttl = cacheLifetime(core, got.headers, t, chain.notAfter);
  const crlUrls = chain.keyOnly ? [] : crlUrlsOf(core, chain.pem);
  return { ok: true, pem: chain.pem, keyOnly: chain.keyOnly, crlUrls, expiresAt: t + ttl };
}

/**
 * The CRL distribution points of a chain (wasm `crlUrls`: the core's choice, rule-checked), each
 * as [URL as written in the certificate (what the core looks up), canonical URL (the cache key)].
 * @returns {[string, string][]}
 */
export function crlUrlsOf(core, pem) {
  const out = [];
  for (const url of core.crlUrls(pem)) {
    const rule = core.checkUrl('crl', url);
    if (rule.ok) out.push([url, rule.canonical]);
  }
  return out;
}
