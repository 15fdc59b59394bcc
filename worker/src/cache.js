// The cache of fetched bodies shared by every request an isolate serves, one instance per kind
// of URL (x5u certificate chains, CRL distribution points, rcd content):
//   1. isolate memory: a bounded LRU of good entries, and a separate, smaller LRU of recent
//      failures, so no number of failing URLs can push a good entry out;
//   2. the Workers Cache API (shared by the isolates of one colo) for good entries, when the
//      runtime has one;
//   3. single-flight: concurrent requests for one URL wait for one fetch instead of each
//      starting their own (so a burst of calls signed by one carrier costs one fetch).
// Keys are the canonical URL the core gives (wasm `checkUrl`): every spelling of one URL shares
// one entry and one fetch. The caller canonicalises; this module never sees a raw URL.
// Entries: { ok: true, pem, expiresAt, ...meta } | { ok: false, reason, expiresAt } (expiresAt
// unix s; `pem` the body text to keep; the `metaKeys` fields travel with it through the Cache API).

/** Failures are kept this long when the caller does not say (the core's `cacheLimits().negativeTtl`). */
const DEFAULT_NEGATIVE_TTL = 60;

export class FetchCache {
  /**
   * @param {object} o
   * @param {(url: string) => Promise<object>} o.load fetches one URL, returns an entry
   * @param {string} [o.what] what an entry is, for failure sentences ("certificate chain", "CRL")
   * @param {string} [o.keyOrigin] synthetic origin of its Cache API keys (one namespace per kind)
   * @param {string[]} [o.metaKeys] entry fields kept beside the body in the Cache API
   * @param {number} [o.negativeTtl] seconds a failure the loader threw is kept
   * @param {number} [o.maxEntries] bound of the good-entry LRU
   * @param {number} [o.maxFailures] bound of the failure LRU (kept apart from good entries)
   * @param {Cache|null} [o.sharedCache] Workers Cache API cache (caches.default) or null
   * @param {() => number} [o.now] unix seconds
   * @param {number} [o.waitLimitMs] how long a follower waits for another request's fetch
   */
  constructor({ load, what = 'certificate chain', keyOrigin = 'https://x5u-cache.stircheck.invalid/', metaKeys = ['keyOnly', 'crlUrls'],
    negativeTtl = DEFAULT_NEGATIVE_TTL, maxEntries = 1000, maxFailures = 256, sharedCache = null, now = () => Date.now() / 1000, waitLimitMs = 5000 }) {
    this.load = load;
    this.what = what;
    this.keyOrigin = keyOrigin;
    this.metaKeys = metaKeys;
    this.negativeTtl = negativeTtl;
    this.maxEntries = maxEntries;
    this.maxFailures = maxFailures;
    this.shared = sharedCache;
    this.now = now;
    this.waitLimitMs = waitLimitMs;
    this.lru = new Map();
    this.failures = new Map();
    this.inflight = new Map();
    this.fetches = 0;
  }

  /** Good chains held in memory. */
  get size() {
    return this.lru.size;
  }

  /** Failures held in memory (negative entries). */
  get failureCount() {
    return this.failures.size;
  }

  /**
   * The chain for one x5u. `cache` says where it came from: "hit" (memory or Cache API) or
   * "miss" (fetched now, by this request or a concurrent one it waited for).
   * @param {string} url the canonical URL
   * @param {(p: Promise<unknown>) => void} [waitUntil] keeps the fetch alive past this request
   * @returns {Promise<object>} entry + { cache: "hit"|"miss" }
   */
  async get(url, waitUntil) {
    const mem = this.fromMemory(url);
    if (mem) return { ...mem, cache: 'hit' };
    let flight = this.inflight.get(url);
    const leader = !flight;
    if (leader) {
      flight = this.fill(url).finally(() => this.inflight.delete(url));
      this.inflight.set(url, flight);
      waitUntil?.(flight);
      return flight;
    }
    // A follower: if the leading request is cancelled its fetch may never settle, so wait a bounded time.
    let timer;
    const gaveUp = new Promise((resolve) => {
      timer = setTimeout(
        () => resolve({ ok: false, reason: `timed out waiting for the ${this.what}`, cache: 'miss' }),
        this.waitLimitMs,
      );
    });
    try {
      return await Promise.race([flight, gaveUp]);
    } finally {
      clearTimeout(timer);
    }
  }

  fromMemory(url) {
    for (const store of [this.lru, this.failures]) {
      const e = store.get(url);
      if (!e) continue;
      store.delete(url);
      if (e.expiresAt <= this.now()) return null;
      // Refresh recency: Map keeps insertion order, so re-inserting moves it to the young end.
      store.set(url, e);
      return e;
    }
    return null;
  }

  remember(url, entry) {
    const [store, other, max] = entry.ok
      ? [this.lru, this.failures, this.maxEntries]
      : [this.failures, this.lru, this.maxFailures];
    other.delete(url);
    store.delete(url);
    store.set(url, entry);
    while (store.size > max) store.delete(store.keys().next().value);
  }

  /** Shared cache, else the network; the result goes to memory (and, if good, the shared cache). */
  async fill(url) {
    const shared = await this.fromShared(url);
    if (shared) {
      this.remember(url, shared);
      return { ...shared, cache: 'hit' };
    }
    this.fetches++;
    let entry;
    try {
      entry = await this.load(url);
    } catch (e) {
      const reason = `could not fetch the ${this.what} (${e?.message || e})`;
      entry = { ok: false, reason, expiresAt: this.now() + this.negativeTtl };
    }
    this.remember(url, entry);
    if (entry.ok) await this.toShared(url, entry);
    return { ...entry, cache: 'miss' };
  }

  async fromShared(url) {
    if (!this.shared) return null;
    try {
      const res = await this.shared.match(this.cacheKey(url));
      if (!res) return null;
      const expiresAt = Number(res.headers.get('x-stircheck-expires-at'));
      if (!(expiresAt > this.now())) return null;
      const meta = JSON.parse(res.headers.get('x-stircheck-meta') || '{}');
      return { ...meta, ok: true, pem: await res.text(), expiresAt };
    } catch {
      return null; // a cache that fails is a cache miss, never a failed verification
    }
  }

  async toShared(url, entry) {
    if (!this.shared) return;
    const ttl = Math.floor(entry.expiresAt - this.now());
    if (ttl <= 0) return;
    try {
      const meta = {};
      for (const k of this.metaKeys) if (entry[k] !== undefined) meta[k] = entry[k];
      await this.shared.put(
        this.cacheKey(url),
        new Response(entry.pem, {
          headers: {
            'content-type': 'text/plain; charset=utf-8',
            'cache-control': `max-age=${ttl}`,
            'x-stircheck-expires-at': String(entry.expiresAt),
            'x-stircheck-meta': JSON.stringify(meta),
          },
        }),
      );
    } catch {
      // Runtimes without a configured cache (plain workerd) throw here; memory still works.
    }
  }

  cacheKey(url) {
    return new Request(this.keyOrigin + encodeURIComponent(url));
  }
}

/** The x5u certificate-chain cache (the defaults above). */
export { FetchCache as ChainCache };
