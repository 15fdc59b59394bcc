/**
 * What verification needs besides the chain, fetched through the stircheck worker: CRLs from the
 * certificates' distribution points (core `crlUrls`, for `cert.revocation`) and Rich Call Data
 * content (core `rcdUrls`: the `icn` logo, the `jcl` card, for `rcd.integrity`). Handed to the
 * verifier as `crlsByUrl` / `resources`, or with the reason as `crlFetchErrors` /
 * `resourceFetchErrors`.
 *
 * Why through the worker: distribution points and logo hosts send no CORS headers, and the page
 * never loads a logo URL itself (the CSP's connect-src and img-src forbid it, and the host would
 * learn who looked at the call). Served by the worker, the page asks `GET /api/crl?url=` (the CRL as
 * PEM) and `GET /api/rcd?url=` (JSON `{ url, contentType, data }`), sending only the URL, as for
 * x5u; the core's fetch rules apply there. On static hosting nothing is fetched, and the verdict
 * says why (revocation not checked; brand not verified).
 */

const FETCH_TIMEOUT_MS = 12000;

/** Why there is no logo without the worker (the verdict's rcd reason repeats it). */
export const RCD_NO_WORKER_REASON =
  'this page is not served by the stircheck service, so it cannot download Rich Call Data content ' +
  'such as logos (it never loads a logo URL itself)';

/** Why there is no CRL without the worker (the revocation warning repeats it). */
export const CRL_NO_WORKER_REASON =
  'this page is not served by the stircheck service, so it cannot download CRLs (distribution ' +
  'points do not allow a web page to download from them)';

/** @typedef {{ url: string, origin: 'service' | 'failed', error?: string }} ContentStatus */

/** One kind of content from one worker endpoint, downloaded once per URL per page view. */
export class ServiceContent {
  /**
   * @param {{ worker: boolean, endpoint: string, what: string, noWorkerReason: string,
   *   read: (response: Response) => Promise<string>, fetchImpl?: typeof fetch }} config
   *   endpoint: '/api/crl' or '/api/rcd'; what: words for errors ("the CRL"); read: the body the
   *   verifier takes, from a 200 answer
   */
  constructor({ worker, endpoint, what, noWorkerReason, read, fetchImpl = globalThis.fetch.bind(globalThis) }) {
    this.worker = worker;
    this.endpoint = endpoint;
    this.what = what;
    this.noWorkerReason = noWorkerReason;
    this.read = read;
    this.fetchImpl = fetchImpl;
    /** @type {Map<string, string[]>} the core's URL list per chain (a self-check run reuses few chains) */
    this.listedByChain = new Map();
    /** @type {Map<string, { pending: Promise<string>, failed: boolean }>} per URL: the base64 body, or the failure (kept until forgetFailures) */
    this.downloads = new Map();
  }

  /** A new verification run: URLs that failed are asked again, successes are kept for this page view. */
  forgetFailures() {
    for (const [url, entry] of this.downloads) if (entry.failed) this.downloads.delete(url);
  }

  /**
   * The content for every URL, or why not.
   * @param {string[]} urls from the core (`crlUrls`, `rcdUrls`)
   * @returns {Promise<{ bodies: Record<string,string>, errors: Record<string,string>, status: ContentStatus[] }>}
   */
  async gather(urls) {
    const bodies = {};
    const errors = {};
    const status = await Promise.all(
      urls.map(async (url) => {
        try {
          if (!this.worker) throw new Error(this.noWorkerReason);
          bodies[url] = await this.#download(url);
          return { url, origin: 'service' };
        } catch (error) {
          errors[url] = error instanceof Error ? error.message : String(error);
          return { url, origin: 'failed', error: errors[url] };
        }
      }),
    );
    return { bodies, errors, status };
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
      response = await this.fetchImpl(`${this.endpoint}?url=${encodeURIComponent(url)}`, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) });
    } catch (error) {
      throw new Error(`the stircheck service could not be reached for ${this.what} (${error?.name ?? 'error'})`);
    }
    if (!response.ok) {
      const text = await response.text().catch(() => '');
      let message = text.slice(0, 300);
      try {
        message = JSON.parse(text).error ?? message;
      } catch {
        /* plain-text error body */
      }
      throw new Error(`the stircheck service answered ${response.status}: ${message || 'no reason given'}`.trim());
    }
    // What the body may be is the core's decision (its fetch rules, the CRL or rcdi checks).
    return this.read(response);
  }
}

/** CRLs through `GET /api/crl` (the CRL as PEM). */
export function crlSource(worker, fetchImpl) {
  return new ServiceContent({ worker, endpoint: '/api/crl', what: 'the CRL', noWorkerReason: CRL_NO_WORKER_REASON, read: (r) => r.text(), fetchImpl });
}

/** Rich Call Data content through `GET /api/rcd` (JSON, `data` = base64 of the bytes). */
export function rcdSource(worker, fetchImpl) {
  return new ServiceContent({
    worker,
    endpoint: '/api/rcd',
    what: 'the Rich Call Data content',
    noWorkerReason: RCD_NO_WORKER_REASON,
    read: async (r) => {
      const body = await r.json().catch(() => null);
      if (typeof body?.data !== 'string') throw new Error('the stircheck service sent no content for this URL');
      return body.data;
    },
    fetchImpl,
  });
}

/** `{ [bodyKey]: bodies, [errorKey]: errors }` with only the non-empty ones. */
function optionsOf({ bodies, errors }, bodyKey, errorKey) {
  const options = {};
  if (Object.keys(bodies).length) options[bodyKey] = bodies;
  if (Object.keys(errors).length) options[errorKey] = errors;
  return options;
}

/** The core's URL list, or [] when it has no such export (an older core) or the input is unreadable. */
function listed(fn, arg) {
  try {
    return typeof fn === 'function' ? Array.from(fn(arg) ?? []) : [];
  } catch {
    return [];
  }
}

/**
 * `{ crlsByUrl?, crlFetchErrors? }` for the distribution points of the chains obtained (`certs`:
 * x5u -> PEM, as gathered for the verifier).
 * @param {{ crlUrls?: (chain: string) => string[] }} core
 * @param {ServiceContent} source from crlSource
 * @param {Record<string,string>} certs
 */
export async function crlOptions(core, source, certs) {
  const urlsOf = (pem) => {
    let urls = source.listedByChain.get(pem);
    if (!urls) source.listedByChain.set(pem, (urls = listed(core?.crlUrls, pem)));
    return urls;
  };
  const urls = [...new Set(Object.values(certs).flatMap(urlsOf))];
  return urls.length ? optionsOf(await source.gather(urls), 'crlsByUrl', 'crlFetchErrors') : {};
}

/**
 * Verify options for the rcd content of `text`: `{ resources?, resourceFetchErrors? }`, only the
 * keys with entries (a core older than rcd has no `rcdUrls`, and nothing is added then).
 * @param {{ rcdUrls?: (text: string) => string[] }} core
 * @param {ServiceContent} source from rcdSource
 * @param {string} text
 */
export async function rcdOptions(core, source, text) {
  const urls = listed(core?.rcdUrls, text);
  return urls.length ? optionsOf(await source.gather(urls), 'resources', 'resourceFetchErrors') : {};
}
