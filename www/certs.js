/**
 * Where certificate chains come from, for each x5u URL a PASSporT names.
 *
 * Why this is not a plain fetch(x5u): most certificate repositories send no CORS headers, so a browser
 * page cannot read them directly. When the page is served by the stircheck worker, it asks the worker
 * (`GET /api/x5u?url=`), which fetches and caches the chain; only the URL is sent, never the pasted
 * text. Opened without the worker (file:// or plain static hosting), or when the worker cannot get
 * the chain, the agent pastes the chain, and the reason is passed to the core as `fetchErrors` so the
 * `cert.fetch` check says why.
 *
 * Order of preference per URL: a chain the agent pasted > a chain bundled with the page (the demo) >
 * the worker > failure with a reason.
 */

const HEALTH_TIMEOUT_MS = 2500;
const FETCH_TIMEOUT_MS = 12000;

/**
 * Whether this page is served by the stircheck worker: `/api/health` answers JSON with status "ok".
 * A plain 200 is not enough: many static hosts answer every unknown path with index.html.
 */
export async function detectWorker(fetchImpl = globalThis.fetch) {
  if (!/^https?:$/.test(globalThis.location?.protocol ?? '')) return false;
  try {
    // Default cache mode, so the worker's preload of it (the page's `Link` header) is used; the
    // worker answers `no-store`, so no answer is ever kept for a later visit.
    const response = await fetchImpl('/api/health', { signal: AbortSignal.timeout(HEALTH_TIMEOUT_MS) });
    if (!response.ok) return false;
    const body = await response.json();
    return body?.status === 'ok';
  } catch {
    return false;
  }
}

/** Explanations shown next to the paste box and passed to the core as fetch errors. */
export const NO_WORKER_REASON =
  'this page is not served by the stircheck service, and certificate repositories usually do not ' +
  'allow a web page to download from them (no CORS headers): paste the certificate chain';

/**
 * @typedef {'pasted' | 'bundled' | 'service' | 'failed'} CertOrigin
 * @typedef {{ url: string, origin: CertOrigin, error?: string }} CertStatus
 */

export class CertSource {
  /**
   * @param {{ worker: boolean, bundled?: Record<string, string>, fetchImpl?: typeof fetch }} config
   *   `bundled` maps an x5u URL to a same-origin file shipped with the page (the demo chain).
   */
  constructor({ worker, bundled = {}, fetchImpl = globalThis.fetch.bind(globalThis) }) {
    this.worker = worker;
    this.bundled = new Map(Object.entries(bundled));
    this.fetchImpl = fetchImpl;
    /** @type {Map<string, string>} chains the agent pasted, per URL */
    this.pasted = new Map();
    /** @type {Map<string, Promise<string>>} successful downloads, kept for this page view */
    this.downloaded = new Map();
  }

  /** Use (or, with an empty string, stop using) a pasted chain for `url`. */
  setPasted(url, pem) {
    const text = String(pem ?? '').trim();
    if (text) this.pasted.set(url, text);
    else this.pasted.delete(url);
  }

  /**
   * Get chains for every URL.
   * @param {string[]} urls from the core's `neededCerts`
   * @returns {Promise<{ certs: Record<string,string>, fetchErrors: Record<string,string>, status: CertStatus[] }>}
   */
  async gather(urls) {
    const certs = {};
    const fetchErrors = {};
    const status = await Promise.all(
      urls.map(async (url) => {
        if (this.pasted.has(url)) {
          certs[url] = this.pasted.get(url);
          return { url, origin: 'pasted' };
        }
        try {
          if (this.bundled.has(url)) {
            certs[url] = await this.#download(url, this.bundled.get(url));
            return { url, origin: 'bundled' };
          }
          if (!this.worker) throw new Error(NO_WORKER_REASON);
          certs[url] = await this.#download(url, `/api/x5u?url=${encodeURIComponent(url)}`);
          return { url, origin: 'service' };
        } catch (error) {
          fetchErrors[url] = error instanceof Error ? error.message : String(error);
          return { url, origin: 'failed', error: fetchErrors[url] };
        }
      }),
    );
    return { certs, fetchErrors, status };
  }

  /** Download once per URL; failures are not cached so "Verify" again retries. */
  #download(url, path) {
    let pending = this.downloaded.get(url);
    if (!pending) {
      pending = this.#fetchPem(path);
      this.downloaded.set(url, pending);
      pending.catch(() => this.downloaded.delete(url));
    }
    return pending;
  }

  async #fetchPem(path) {
    let response;
    try {
      response = await this.fetchImpl(path, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) });
    } catch (error) {
      throw new Error(`the certificate service could not be reached (${error?.name ?? 'error'})`);
    }
    const body = await response.text();
    if (!response.ok) {
      let message = body.slice(0, 300);
      try {
        message = JSON.parse(body).error ?? message;
      } catch {
        /* plain-text error body */
      }
      throw new Error(`the certificate service answered ${response.status}: ${message}`.trim());
    }
    // What the body may be is the core's decision (cert.fetch), not this module's.
    return body;
  }
}

