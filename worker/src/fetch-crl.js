// Fetching one CRL distribution point: the safe fetch of ./fetcher.js (kind "crl": the same URL
// rules as x5u, the CRL body bound and media types), then the core's CRL parser (wasm
// `inspectCrl`) decides whether the body is a CRL, gives the PEM to cache and pass back as
// `crlsByUrl`, and the nextUpdate that bounds its lifetime (wasm `cacheLifetime`). A CRL already
// past its nextUpdate is still an entry (the verdict warns that it is stale), kept only briefly.

import { safeFetch, cacheLifetime, negativeTtl } from './fetcher.js';

/**
 * @param {object} core the wasm module
 * @param {string} url a CRL distribution point URL (its canonical form is fetched)
 * @param {object} [o] as for safeFetch, plus `now` (unix seconds)
 * @returns {Promise<{ ok: true, pem: string, nextUpdate: number|null, thisUpdate: number|null, expiresAt: number }
 *                 | { ok: false, reason: string, expiresAt: number }>}
 */
export async function fetchCrl(core, url, o = {}) {
  const now = o.now ?? (() => Date.now() / 1000);
  const got = await safeFetch(core, 'crl', url, o);
  if (!got.ok) return { ok: false, reason: got.reason, expiresAt: now() + negativeTtl(core) };
  const crl = core.inspectCrl(got.bytes);
  if (!crl.ok) {
    return { ok: false, reason: `the distribution point's response is not a usable CRL: ${crl.reason}`, expiresAt: now() + negativeTtl(core) };
  }
  const t = now();
  const ttl = cacheLifetime(core, got.headers, t, crl.nextUpdate);
  return { ok: true, pem: crl.pem, nextUpdate: crl.nextUpdate, thisUpdate: crl.thisUpdate, expiresAt: t + ttl };
}
