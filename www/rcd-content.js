/**
 * Rich Call Data content (the `icn` logo, the `jcl` contact card) for the core's `rcd.integrity`
 * check: the bytes behind each URL an `rcdi` digest covers (core `rcdUrls`), handed to the verifier
 * as `resources` (base64), or the reason it could not be had as `resourceFetchErrors`.
 *
 * Why through the worker: the page never loads a logo URL itself (the CSP's connect-src and img-src
 * forbid it, and the logo's host would learn who looked at the call). When the page is served by
 * the stircheck worker it asks `GET /api/rcd?url=` (the core's fetch rules, kind rcd; JSON
 * `{ url, contentType, data }`), sending only the URL, as for x5u. On static hosting nothing is
 * fetched and the brand shows as not verified, with this reason.
 */

const FETCH_TIMEOUT_MS = 12000;

/** Why there is no content without the worker (the verdict's rcd reason repeats it). */
export const RCD_NO_WORKER_REASON =
  'this page is not served by the stircheck service, so it cannot download Rich Call Data content ' +
  'such as logos (it never loads a logo URL itself)';

/** @typedef {{ url: string, origin: 'service' | 'failed', error?: string }} RcdStatus */

export class RcdSource {
  /** @param {{ worker: boolean, fetchImpl?: typeof fetch }} config */
  constructor({ worker, fetchImpl = globalThis.fetch.bind(globalThis) }) {
    this.worker = worker;
    this.fetchImpl = fetchImpl;
    /** @type {Map<string, { pending: Promise<string>, failed: boolean }>} per URL: the base64 body, or the failure (kept until forgetFailures) */
    this.downloads = new Map();
  }

  /** A new verification run: URLs that failed are asked again, successes are kept for this page view. */
  forgetFailures() {
    for (const [url, entry] of this.downloads) if (entry.failed) this.downloads.delete(url);
  }

  /**
   * The content for every URL, or why not.
   * @param {string[]} urls from the core's `rcdUrls`
   * @returns {Promise<{ resources: Record<string,string>, resourceFetchErrors: Record<string,string>, status: RcdStatus[] }>}
   */
  async gather(urls) {
    const resources = {};
    const resourceFetchErrors = {};
    const status = await Promise.all(
      urls.map(async (url) => {
        try {
          if (!this.worker) throw new Error(RCD_NO_WORKER_REASON);
          resources[url] = await this.#download(url);
          return { url, origin: 'service' };
        } catch (error) {
          resourceFetchErrors[url] = error instanceof Error ? error.message : String(error);
          return { url, origin: 'failed', error: resourceFetchErrors[url] };
        }
      }),
    );
    return { resources, resourceFetchErrors, status };
  }

  #download(url) {
    let entry = this.downloads.get(url);
    if (!entry) {
      entry = { pending: this.#fetchContent(url), failed: false };
      entry.pending.catch(() => (entry.failed = true));
      this.downloads.set(url, entry);
    }
    return entry.pending;
  }

  async #fetchContent(url) {
    let response;
    try {
      response = await this.fetchImpl(`/api/rcd?url=${encodeURIComponent(url)}`, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) });
    } catch (error) {
      throw new Error(`the stircheck service could not be reached for the Rich Call Data content (${error?.name ?? 'error'})`);
    }
    let body = null;
    try {
      body = await response.json();
    } catch {
      /* not JSON: reported below */
    }
    if (!response.ok) throw new Error(`the stircheck service answered ${response.status}: ${body?.error ?? 'no reason given'}`);
    // What the bytes may be is the core's decision (its fetch rules and the rcdi digest).
    if (typeof body?.data !== 'string') throw new Error('the stircheck service sent no content for this URL');
    return body.data;
  }
}

/**
 * Verify options for the rcd content of `text`: `{ resources?, resourceFetchErrors? }`, only the
 * keys with entries (a core older than rcd has no `rcdUrls`, and nothing is added then).
 * @param {{ rcdUrls?: (text: string) => string[] }} core
 * @param {RcdSource} source
 * @param {string} text
 */
export async function rcdOptions(core, source, text) {
  let urls = [];
  try {
    urls = Array.from(core?.rcdUrls?.(text) ?? []);
  } catch {
    return {}; // unreadable input: the verdict says so
  }
  if (urls.length === 0) return {};
  const { resources, resourceFetchErrors } = await source.gather(urls);
  const options = {};
  if (Object.keys(resources).length) options.resources = resources;
  if (Object.keys(resourceFetchErrors).length) options.resourceFetchErrors = resourceFetchErrors;
  return options;
}
