// Getting the Rich Call Data content a verification needs for `rcd.integrity`: the URLs the
// core lists (wasm `rcdUrls`: `icn` / `jcl` whose content an `rcdi` digest covers), each from the
// request's own `resources`, else the rcd cache / one safe fetch (kind "rcd") within the request's
// fetch budget, as for CRLs (./crls.js). Failures become `resourceFetchErrors` sentences; the
// core compares the bytes with the digests and says what was and was not verified.

import { withinBudget } from './crls.js';

/** Distinct rcd URLs fetched for one request (a call carries at most an icn and a jcl per PASSporT). */
export const MAX_RCD_FETCHES = 4;

/**
 * @param {object} core the wasm module (rcdUrls, checkUrl)
 * @param {object} o
 * @param {string[]} o.urls the rcd URLs (core `rcdUrls`), as written
 * @param {import('./cache.js').FetchCache} o.cache the isolate's rcd cache
 * @param {Record<string,string>} [o.resources] the request's supplied bodies (base64) by URL
 * @param {number} o.deadline @param {number} o.budgetMs @param {(p: Promise<unknown>) => void} [o.waitUntil]
 * @returns {Promise<{ resources: Record<string,string>, resourceFetchErrors: Record<string,string> } | null>}
 */
export async function gatherRcd(core, { urls, cache, resources, deadline, budgetMs, waitUntil }) {
  if (!urls.length) return null;
  const out = {};
  const errors = {};
  const pending = [];
  let fetched = 0;
  for (const url of urls) {
    if (resources && Object.hasOwn(resources, url)) {
      out[url] = resources[url];
      continue;
    }
    const rule = core.checkUrl('rcd', url);
    if (!rule.ok) {
      errors[url] = rule.message;
      continue;
    }
    if (++fetched > MAX_RCD_FETCHES) {
      errors[url] = `not fetched: one request fetches at most ${MAX_RCD_FETCHES} rcd resources`;
      continue;
    }
    const mem = cache.fromMemory(rule.canonical);
    const got = mem?.ok ? Promise.resolve(mem) : withinBudget(cache.get(rule.canonical, waitUntil), deadline, budgetMs);
    pending.push(
      got.then((r) => {
        if (r.ok) out[url] = r.pem;
        else errors[url] = r.reason;
      }),
    );
  }
  await Promise.all(pending);
  return { resources: out, resourceFetchErrors: errors };
}
