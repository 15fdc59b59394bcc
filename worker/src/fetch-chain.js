// Fetching one x5u certificate chain: the safe fetch of ./fetcher.js, then the core's chain
// parser (wasm `inspectChain`, the same code the verifier uses) decides whether the body is a
// usable chain, gives the normalised PEM to cache, and the notAfter that bounds its lifetime.

import { safeFetch, FETCH_TIMEOUT_MS } from './fetcher.js';
import { chainLifetime, NEGATIVE_TTL } from './lifetime.js';

export { FETCH_TIMEOUT_MS };

/**
 * @param {object} core the wasm module
 * @param {string} url an x5u URL (its canonical form is fetched)
 * @param {object} [o]
 * @param {typeof fetch} [o.fetch]
 * @param {number} [o.timeoutMs]
 * @param {() => number} [o.now] unix seconds
 * @returns {Promise<{ ok: true, pem: string, keyOnly: boolean, expiresAt: number }
 *                 | { ok: false, reason: string, expiresAt: number }>}
 */
export async function fetchChain(core, url, o = {}) {
  const now = o.now ?? (() => Date.now() / 1000);
  const got = await safeFetch(core, 'x5u', url, o);
  if (!got.ok) return { ok: false, reason: got.reason, expiresAt: now() + NEGATIVE_TTL };
  const chain = core.inspectChain(got.bytes);
  if (!chain.ok) {
    return { ok: false, reason: `the repository's response is unusable: ${chain.reason}`, expiresAt: now() + NEGATIVE_TTL };
  }
  const t = now();
  const ttl = chainLifetime({ headers: got.headers, now: t, notAfter: chain.notAfter });
  return { ok: true, pem: chain.pem, keyOnly: chain.keyOnly, expiresAt: t + ttl };
}
