// The certificate-chain cache shared by every request an isolate serves.
//   1. isolate memory: a bounded LRU of good chains, and a separate, smaller LRU of recent
//      failures, so no number of failing URLs can push a good chain out;
//   2. the Workers Cache API (shared by the isolates of one colo) for good chains, when the
//      runtime has one;
//   3. single-flight: concurrent requests for one URL wait for one fetch instead of each
//      starting their own (so a burst of calls signed by one carrier costs one fetch).
// Keys are the canonical URL the core gives (wasm `checkUrl`): every spelling of one URL shares
// one entry and one fetch. The caller canonicalises; this module never sees a raw URL.
// Entries: { ok: true, pem, expiresAt } | { ok: false, reason, expiresAt } (expiresAt unix s).

import { NEGATIVE_TTL } from './lifetime.js';

/** Synthetic origin for Cache API keys: never fetched, only used as a key namespace. */
const CACHE_KEY_ORIGIN = 'https://x5u-cache.stircheck.invalid/';

export class ChainCache {
  /**
   * @param {object} o
   * @param {(url: string) => Promise<object>} o.load fetches one x5u, returns an entry
   * @param {number} [o.maxEntries] bound of the good-chain LRU
   * @param {number} [o.maxFailures] bound of the failure LRU (kept apart from good chains)
   * @param {Cache|null} [o.sharedCache] Workers Cache API cache (caches.default) or null
   * @param {() => number} [o.now] unix seconds
   * @param {number} [o.waitLimitMs] how long a follower waits for another request's fetch
   */
  constructor({ load, maxEntries = 1000, maxFailures = 256, sharedCache = null, now = () => Date.now() / 1000, waitLimitMs = 5000 }) {
    this.load = load;
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
        () => resolve({ ok: false, reason: 'timed out waiting for the certificate chain', cache: 'miss' }),
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
      const reason = `could not fetch the certificate chain (${e?.message || e})`;
      entry = { ok: false, reason, expiresAt: this.now() + NEGATIVE_TTL };
    }
    this.remember(url, entry);
    if (entry.ok) await this.toShared(url, entry);
    return { ...entry, cache: 'miss' };
  }

  async fromShared(url) {
    if (!this.shared) return null;
    try {
      const res = await this.shared.match(cacheKey(url));
      if (!res) return null;
      const expiresAt = Number(res.headers.get('x-stircheck-expires-at'));
      const pem = await res.text();
      const keyOnly = res.headers.get('x-stircheck-key-only') === '1';
      return expiresAt > this.now() ? { ok: true, pem, keyOnly, expiresAt } : null;
    } catch {
      return null; // a cache that fails is a cache miss, never a failed verification
    }
  }

  async toShared(url, entry) {
    if (!this.shared) return;
    const ttl = Math.floor(entry.expiresAt - this.now());
    if (ttl <= 0) return;
    try {
      await this.shared.put(
        cacheKey(url),
        new Response(entry.pem, {
          headers: {
            'content-type': 'application/pem-certificate-chain',
            'cache-control': `max-age=${ttl}`,
            'x-stircheck-expires-at': String(entry.expiresAt),
            'x-stircheck-key-only': entry.keyOnly ? '1' : '0',
          },
        }),
      );
    } catch {
      // Runtimes without a configured cache (plain workerd) throw here; memory still works.
    }
  }
}

function cacheKey(url) {
  return new Request(CACHE_KEY_ORIGIN + encodeURIComponent(url));
}
