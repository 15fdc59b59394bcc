// Unit tests of the chain cache: LRU, expiry, negative entries, single-flight, Cache API layer.
import test from 'node:test';
import assert from 'node:assert/strict';
import { ChainCache, FetchCache } from '../src/cache.js';

function loader(result = (url) => ({ ok: true, pem: `PEM ${url}`, expiresAt: clock.t + 100 }), delayMs = 0) {
  const calls = [];
  const load = async (url) => {
    calls.push(url);
    if (delayMs) await new Promise((r) => setTimeout(r, delayMs));
    return result(url);
  };
  return { load, calls };
}
const clock = { t: 1000 };
const now = () => clock.t;

test('second get is a hit; expiry makes it a miss again', async () => {
  clock.t = 1000;
  const { load, calls } = loader();
  const c = new ChainCache({ load, now });
  assert.equal((await c.get('u1')).cache, 'miss');
  const again = await c.get('u1');
  assert.equal(again.cache, 'hit');
  assert.equal(again.pem, 'PEM u1');
  clock.t += 101;
  assert.equal((await c.get('u1')).cache, 'miss');
  assert.deepEqual(calls, ['u1', 'u1']);
});

test('failures are cached too (negative entries) and keep their reason', async () => {
  clock.t = 1000;
  const { load, calls } = loader(() => ({ ok: false, reason: 'the certificate repository answered 404', expiresAt: clock.t + 60 }));
  const c = new ChainCache({ load, now });
  assert.equal((await c.get('bad')).ok, false);
  const again = await c.get('bad');
  assert.equal(again.cache, 'hit');
  assert.match(again.reason, /404/);
  assert.equal(calls.length, 1);
});

test('a loader that throws becomes a failure entry, not an exception', async () => {
  const c = new ChainCache({ load: async () => { throw new Error('boom'); }, now });
  const r = await c.get('x');
  assert.equal(r.ok, false);
  assert.match(r.reason, /boom/);
});

test('concurrent gets for one URL share one load', async () => {
  clock.t = 1000;
  const { load, calls } = loader(undefined, 30);
  const c = new ChainCache({ load, now });
  const all = await Promise.all(Array.from({ length: 50 }, () => c.get('same')));
  assert.equal(calls.length, 1);
  assert.ok(all.every((r) => r.ok && r.pem === 'PEM same'));
  assert.equal(c.fetches, 1);
});

test('a follower stops waiting after waitLimitMs', async () => {
  const c = new ChainCache({ load: () => new Promise(() => {}), now, waitLimitMs: 20 });
  c.get('stuck'); // leader never settles
  const r = await c.get('stuck');
  assert.equal(r.ok, false);
  assert.match(r.reason, /timed out/);
});

test('the LRU evicts the least recently used entry', async () => {
  clock.t = 1000;
  const { load, calls } = loader();
  const c = new ChainCache({ load, now, maxEntries: 2 });
  await c.get('a');
  await c.get('b');
  await c.get('a'); // a is now the most recent
  await c.get('c'); // evicts b
  assert.equal(c.size, 2);
  assert.equal((await c.get('a')).cache, 'hit');
  assert.equal((await c.get('b')).cache, 'miss');
  assert.deepEqual(calls, ['a', 'b', 'c', 'b']);
});

test('1,000 failing URLs do not evict a good chain; failures have their own small bound', async () => {
  clock.t = 1000;
  const { load, calls } = loader((url) =>
    url === 'good' ? { ok: true, pem: 'PEM good', expiresAt: clock.t + 3600 } : { ok: false, reason: '404', expiresAt: clock.t + 60 },
  );
  const c = new ChainCache({ load, now, maxEntries: 2, maxFailures: 16 });
  await c.get('good');
  for (let i = 0; i < 1000; i++) await c.get(`bad-${i}`);
  assert.equal(c.size, 1, 'good chains');
  assert.equal(c.failureCount, 16, 'failures stay within their own bound');
  const r = await c.get('good');
  assert.equal(r.cache, 'hit');
  assert.equal(r.pem, 'PEM good');
  assert.equal(calls.filter((u) => u === 'good').length, 1, 'the good chain was fetched once');
  assert.equal((await c.get('bad-999')).cache, 'hit', 'recent failures are still remembered');
  assert.equal((await c.get('bad-0')).cache, 'miss', 'old failures were evicted, not good chains');
});

test('a URL that recovers moves from the failure store to the good one', async () => {
  clock.t = 1000;
  let up = false;
  const c = new ChainCache({
    load: async () => (up ? { ok: true, pem: 'P', expiresAt: clock.t + 3600 } : { ok: false, reason: 'down', expiresAt: clock.t + 60 }),
    now,
  });
  assert.equal((await c.get('u')).ok, false);
  clock.t += 61;
  up = true;
  assert.equal((await c.get('u')).ok, true);
  assert.equal(c.failureCount, 0);
  assert.equal(c.size, 1);
});

/** A stand-in for the Workers Cache API (caches.default). */
class FakeCache {
  constructor() { this.store = new Map(); }
  async match(req) { const r = this.store.get(req.url); return r ? r.clone() : undefined; }
  async put(req, res) { this.store.set(req.url, res.clone()); }
}

test('good chains go to the shared cache; a fresh isolate finds them there', async () => {
  clock.t = 1000;
  const shared = new FakeCache();
  const first = loader();
  const c1 = new ChainCache({ load: first.load, now, sharedCache: shared });
  await c1.get('u');
  assert.equal(shared.store.size, 1);
  const second = loader();
  const c2 = new ChainCache({ load: second.load, now, sharedCache: shared });
  const r = await c2.get('u');
  assert.equal(r.cache, 'hit');
  assert.equal(r.pem, 'PEM u');
  assert.equal(second.calls.length, 0);
  clock.t += 200; // past expiresAt: the shared entry is ignored
  const c3 = new ChainCache({ load: second.load, now, sharedCache: shared });
  assert.equal((await c3.get('u')).cache, 'miss');
});

test('failures are not written to the shared cache; a broken shared cache is a miss', async () => {
  const shared = new FakeCache();
  const c = new ChainCache({ load: async () => ({ ok: false, reason: 'x', expiresAt: clock.t + 60 }), now, sharedCache: shared });
  await c.get('bad');
  assert.equal(shared.store.size, 0);
  const broken = { match: async () => { throw new Error('No Cache was configured'); }, put: async () => { throw new Error('no'); } };
  const { load } = loader();
  const c2 = new ChainCache({ load, now, sharedCache: broken });
  assert.equal((await c2.get('u')).ok, true);
});

test('one cache class per kind: CRL entries keep their fields through the Cache API, under their own keys', async () => {
  clock.t = 1000;
  const shared = new FakeCache();
  const crl = { ok: true, pem: '-----BEGIN X509 CRL-----', nextUpdate: 5000, thisUpdate: 900, expiresAt: clock.t + 100 };
  const opts = { what: 'CRL', keyOrigin: 'https://crl-cache.stircheck.invalid/', metaKeys: ['nextUpdate', 'thisUpdate'], now, sharedCache: shared };
  await new FetchCache({ load: async () => crl, ...opts }).get('https://x.example/ca.crl');
  const chains = new ChainCache({ load: async () => ({ ok: false, reason: 'no', expiresAt: clock.t + 60 }), now, sharedCache: shared });
  assert.equal((await chains.get('https://x.example/ca.crl')).ok, false, 'a chain lookup of the same URL does not see the CRL');
  const fresh = new FetchCache({ load: async () => assert.fail('must come from the shared cache'), ...opts });
  const r = await fresh.get('https://x.example/ca.crl');
  assert.equal(r.cache, 'hit');
  assert.equal(r.pem, crl.pem);
  assert.equal(r.nextUpdate, 5000);
  assert.equal(r.thisUpdate, 900);
  const waiting = new FetchCache({ load: () => new Promise(() => {}), what: 'CRL', now, waitLimitMs: 10 });
  waiting.get('slow');
  assert.match((await waiting.get('slow')).reason, /waiting for the CRL/);
});
