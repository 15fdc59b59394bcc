// Getting the CRLs a verification needs for `cert.revocation`: for each CRL distribution point
// of the chains in use (listed by the core, cached with the chain), in this order
//   1. the request's own `resources` entry for that URL (as the CLI's --resource);
//   2. the operator's deployed CRL for that URL (binding STIRCHECK_CRLS) while it is current;
//   3. the CRL cache / one safe fetch (kind "crl", the core's rules), waited for only within the
//      request's fetch budget: a slow distribution point cannot hold a call past it; the fetch
//      goes on in the background and the next call finds the CRL cached;
//   4. a deployed CRL that is past its nextUpdate, when the fetch failed (the verdict warns).
// Everything that could not be obtained becomes a `crlFetchErrors` sentence, so the verdict's
// cert.revocation says what was not checked and why. The core judges every CRL.

import { cacheLimits } from './fetcher.js';

/**
 * The operator's deployed CRLs (binding STIRCHECK_CRLS), for networks that cannot reach a
 * distribution point: JSON `{ "<distribution point URL>": "<PEM CRL(s), or base64 DER>" }`.
 * Read once per isolate; each URL checked by the core's rules and each CRL by its parser.
 * @returns {Map<string, { url: string, pem: string, nextUpdate: number|null }>} by canonical URL
 * @throws {Error} a binding that is set but unusable (a deployment mistake must be loud)
 */
export function deployedCrls(core, env) {
  const raw = env?.STIRCHECK_CRLS;
  const out = new Map();
  if (raw === undefined || raw === null || raw === '') return out;
  let map = raw;
  if (typeof raw === 'string') {
    try {
      map = JSON.parse(raw);
    } catch (e) {
      throw new Error(`STIRCHECK_CRLS is not JSON ({"<distribution point URL>": "<PEM CRL>"}): ${e.message}`);
    }
  }
  if (!map || typeof map !== 'object' || Array.isArray(map)) {
    throw new Error('STIRCHECK_CRLS must be a JSON object mapping distribution point URL to PEM CRL');
  }
  const entries = Object.entries(map);
  const { maxCrlUrls } = cacheLimits(core);
  const max = 4 * maxCrlUrls;
  if (entries.length > max) throw new Error(`STIRCHECK_CRLS has ${entries.length} entries, more than ${max}`);
  for (const [url, text] of entries) {
    const rule = core.checkUrl('crl', url);
    if (!rule.ok) throw new Error(`STIRCHECK_CRLS: ${rule.message}`);
    if (typeof text !== 'string') throw new Error(`STIRCHECK_CRLS: the CRL for ${url} must be a PEM string`);
    const crl = core.inspectCrl(new TextEncoder().encode(text));
    if (!crl.ok) throw new Error(`STIRCHECK_CRLS: the CRL for ${url} cannot be used: ${crl.reason}`);
    out.set(rule.canonical, { url, pem: crl.pem, nextUpdate: crl.nextUpdate });
  }
  return out;
}

/**
 * @param {object} core the wasm module
 * @param {object} o
 * @param {[string, string][]} o.urls [as written, canonical] distribution points (chains.js)
 * @param {import('./cache.js').FetchCache} o.cache the isolate's CRL cache
 * @param {Map<string, object>} [o.deployed] deployedCrls()
 * @param {Record<string, string>} [o.resources] the request's supplied bodies (base64) by URL as written
 * @param {number} o.deadline Date.now() by which every fetch of this request must be done
 * @param {number} o.budgetMs the request's whole fetch budget (for the sentence)
 * @param {(p: Promise<unknown>) => void} [o.waitUntil]
 * @returns {Promise<{ crlsByUrl: Record<string,string>, crlFetchErrors: Record<string,string> } | null>}
 *   null when no chain names a distribution point (nothing to pass)
 */
export async function gatherCrls(core, { urls, cache, deployed, resources, deadline, budgetMs, waitUntil }) {
  if (!urls.length) return null;
  const crlsByUrl = {};
  const crlFetchErrors = {};
  const now = Date.now() / 1000;
  const { maxCrlUrls } = cacheLimits(core);
  const pending = [];
  let fetched = 0;
  for (const [url, canonical] of urls) {
    const given = resources && Object.hasOwn(resources, url) ? resources[url] : undefined;
    if (given !== undefined) {
      const crl = core.inspectCrl(fromBase64(given));
      if (crl.ok) crlsByUrl[url] = crl.pem;
      else crlFetchErrors[url] = `the supplied resource is not a usable CRL: ${crl.reason}`;
      continue;
    }
    if (++fetched > maxCrlUrls && !isCurrent(deployed?.get(canonical), now)) {
      crlFetchErrors[url] = `not fetched: one request fetches at most ${maxCrlUrls} CRL distribution points`;
      continue;
    }
    pending.push(
      obtainCrl({ canonical, cache, deployed, waitUntil, deadline, budgetMs }).then((r) => {
        if (r.ok) crlsByUrl[url] = r.pem;
        else crlFetchErrors[url] = r.reason;
      }),
    );
  }
  await Promise.all(pending);
  return { crlsByUrl, crlFetchErrors };
}

/** A deployed CRL still before its nextUpdate. */
function isCurrent(d, now) {
  return !!d && (d.nextUpdate === null || d.nextUpdate > now);
}

/**
 * The CRL of one distribution point: the deployed one while current, else the cache / one fetch
 * (within `deadline` when given), else a stale deployed one. `cache` is "hit" or "miss".
 * @returns {Promise<{ ok: true, pem: string, expiresAt: number, cache: string } | { ok: false, reason: string, cache: string }>}
 */
export async function obtainCrl({ canonical, cache, deployed, waitUntil, deadline, budgetMs }) {
  const now = Date.now() / 1000;
  const mine = deployed?.get(canonical);
  const asEntry = (d) => ({ ok: true, pem: d.pem, expiresAt: d.nextUpdate !== null && d.nextUpdate > now ? d.nextUpdate : now + 60, cache: 'hit' });
  if (isCurrent(mine, now)) return asEntry(mine);
  // The cached path: a memory hit needs no budget timer.
  const mem = cache.fromMemory(canonical);
  if (mem?.ok) return { ...mem, cache: 'hit' };
  const flight = cache.get(canonical, waitUntil);
  const r = deadline === undefined ? await flight : await withinBudget(flight, deadline, budgetMs);
  if (r.ok || !mine) return r;
  return asEntry(mine); // deployed but stale: better than none; the verdict warns it is stale
}

/** Standard base64 (validated by request.js) -> bytes. */
function fromBase64(b64) {
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/**
 * `flight`, or a failure once `deadline` (ms) has passed. The fetch itself is not cancelled: its
 * cache entry serves later calls.
 */
export function withinBudget(flight, deadline, budgetMs) {
  const left = deadline - Date.now();
  const late = {
    ok: false,
    reason: `not fetched within this request's ${budgetMs / 1000} s fetch budget (the fetch continues; a later call uses it)`,
  };
  if (left <= 0) return Promise.race([flight, Promise.resolve(late)]);
  let timer;
  const gaveUp = new Promise((resolve) => {
    timer = setTimeout(() => resolve(late), left);
  });
  return Promise.race([flight, gaveUp]).finally(() => clearTimeout(timer));
}
