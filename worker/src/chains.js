// Getting the certificate chains a verification needs: the request's own `certs` first, then the
// shared cache / a safe fetch for each remaining x5u. The core decides which URLs may be fetched
// and under which canonical form (wasm `checkUrl`); spellings of one URL share one cache entry.
// Failures are not errors here: they become `fetchErrors` for the core, which turns them into the
// 436 verdict with the reason in cert.fetch. Each chain's CRL distribution points come along
// (cached with a fetched chain; listed by the core for a supplied one) for ./crls.js.

import { crlUrlsOf } from './fetch-chain.js';

/** At most this many distinct x5u URLs are fetched for one request (SHAKEN + div + rcd, with room). */
export const MAX_FETCHES_PER_REQUEST = 4;

/** Chains encoded for the core, by the chain cache's PEM text (the same string on every hit, so
 * the lookup is cheap): the core gets one copy of the bytes (`supplyBytes`) instead of the text
 * encoded anew on every request. A few carriers' chains serve most calls. */
const encodedChains = new Map();
const MAX_ENCODED_CHAINS = 64;

/** `map`'s value for `key`, made by `make` the first time; the oldest entry goes past `max`. */
function memo(map, max, key, make) {
  let value = map.get(key);
  if (value === undefined) {
    value = make(key);
    if (map.size >= max) map.delete(map.keys().next().value);
    map.set(key, value);
  }
  return value;
}

/** `pem` as UTF-8 bytes, encoded once while it stays in use. */
export function encodedChain(pem) {
  return memo(encodedChains, MAX_ENCODED_CHAINS, pem, (p) => new TextEncoder().encode(p));
}

/** The core's decision per x5u URL as written, per core module: `checkUrl` is a pure function
 * of the URL, and a carrier's calls repeat one x5u, so each spelling is checked once (bounded). */
const decisions = new WeakMap();
const MAX_DECISIONS = 512;

function x5uRule(core, url) {
  let seen = decisions.get(core);
  if (!seen) decisions.set(core, (seen = new Map()));
  return memo(seen, MAX_DECISIONS, url, (u) => core.checkUrl('x5u', u));
}

/**
 * @param {object} core the wasm module (checkUrl)
 * @param {string[]} needed x5u URLs the input needs (core `neededCerts`), as written
 * @param {Record<string,string>|undefined} supplied the request's `certs`
 * @param {import('./cache.js').ChainCache} cache keyed by canonical URL
 * @param {(p: Promise<unknown>) => void} [waitUntil]
 * @returns {Promise<{ certs: Record<string,string>, fetchErrors: Record<string,string>, cache: "hit"|"miss"|null,
 *   crlUrls: [string, string][] }>}
 *   keyed by the URLs as written (what the core looks up); `cache` summarises the consulted
 *   entries: "miss" if any was fetched now, "hit" if all came from cache, null if the cache was
 *   not consulted (everything supplied, or nothing needed).
 */
export async function gatherChains(core, needed, supplied, cache, waitUntil) {
  const certs = { ...(supplied || {}) };
  const fetchErrors = {};
  /** canonical URL -> the spellings that need it */
  const wanted = new Map();
  for (const url of needed) {
    if (Object.hasOwn(certs, url)) continue;
    const rule = x5uRule(core, url);
    if (!rule.ok) fetchErrors[url] = rule.message;
    else if (wanted.has(rule.canonical)) wanted.get(rule.canonical).push(url);
    else if (wanted.size >= MAX_FETCHES_PER_REQUEST) {
      fetchErrors[url] = `not fetched: one request may need at most ${MAX_FETCHES_PER_REQUEST} certificate URLs`;
    } else wanted.set(rule.canonical, [url]);
  }
  const canonicals = [...wanted.keys()];
  const results = await Promise.all(canonicals.map((c) => cache.get(c, waitUntil)));
  let summary = null;
  /** [as written, canonical] CRL distribution points of every chain, once each */
  const crlUrls = [];
  const addCrlUrls = (list) => {
    for (const pair of list ?? []) if (!crlUrls.some((p) => p[0] === pair[0])) crlUrls.push(pair);
  };
  for (const url of needed) {
    if (supplied && Object.hasOwn(supplied, url) && typeof supplied[url] === 'string') addCrlUrls(crlUrlsOf(core, supplied[url]));
  }
  results.forEach((r, i) => {
    for (const url of wanted.get(canonicals[i])) {
      if (r.ok) certs[url] = r.pem;
      else fetchErrors[url] = r.reason;
    }
    if (r.ok) addCrlUrls(r.crlUrls);
    summary = r.cache === 'miss' || summary === 'miss' ? 'miss' : 'hit';
  });
  return { certs, fetchErrors, cache: summary, crlUrls };
}
