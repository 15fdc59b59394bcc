// Getting the certificate chains a verification needs: the request's own `certs` first, then the
// shared cache / a safe fetch for each remaining x5u. Failures are not errors here: they become
// `fetchErrors` for the core, which turns them into the 436 verdict with the reason in cert.fetch.

import { checkX5uUrl } from './x5u-rules.js';

/** At most this many distinct x5u URLs are fetched for one request (SHAKEN + div + rcd, with room). */
export const MAX_FETCHES_PER_REQUEST = 4;

/**
 * @param {string[]} needed x5u URLs the input needs (core `neededCerts`)
 * @param {Record<string,string>|undefined} supplied the request's `certs`
 * @param {import('./cache.js').ChainCache} cache
 * @param {(p: Promise<unknown>) => void} [waitUntil]
 * @returns {Promise<{ certs: Record<string,string>, fetchErrors: Record<string,string>, cache: "hit"|"miss"|null }>}
 *   `cache` summarises the consulted entries: "miss" if any was fetched now, "hit" if all came
 *   from cache, null if the cache was not consulted (everything supplied, or nothing needed).
 */
export async function gatherChains(needed, supplied, cache, waitUntil) {
  const certs = { ...(supplied || {}) };
  const fetchErrors = {};
  const wanted = [];
  for (const url of needed) {
    if (Object.hasOwn(certs, url)) continue;
    const rule = checkX5uUrl(url);
    if (!rule.ok) fetchErrors[url] = rule.reason;
    else if (wanted.length >= MAX_FETCHES_PER_REQUEST) {
      fetchErrors[url] = `not fetched: one request may need at most ${MAX_FETCHES_PER_REQUEST} certificate URLs`;
    } else wanted.push(url);
  }
  const results = await Promise.all(wanted.map((url) => cache.get(url, waitUntil)));
  let summary = null;
  results.forEach((r, i) => {
    if (r.ok) certs[wanted[i]] = r.pem;
    else fetchErrors[wanted[i]] = r.reason;
    summary = r.cache === 'miss' || summary === 'miss' ? 'miss' : 'hit';
  });
  return { certs, fetchErrors, cache: summary };
}
