// Unit tests of fetchChain against the local test repository (Node's fetch and the real wasm core,
// no workerd).
// An adapter maps the test origin to the server's loopback port, the way the test workerd config
// routes the worker's egress there.
import test from 'node:test';
import assert from 'node:assert/strict';
import { makePki } from './pki.mjs';
import { startCertServer, TEST_ORIGIN } from './cert-server.mjs';
import { fetchChain } from '../src/fetch-chain.js';
import { loadCore } from './core.mjs';

const core = await loadCore();

const pki = makePki();
const server = await startCertServer({ chain: pki.chain, slowMs: 1000 });
test.after(async () => {
  await server.close();
  pki.cleanup();
});

/** Sends https://certs.stircheck.test:8443/... to the test server; anything else would be a leak. */
const leaks = [];
const viaTestServer = (url, init) => {
  const u = new URL(url);
  if (u.origin !== TEST_ORIGIN) {
    leaks.push(url);
    return Promise.reject(new Error(`test refused to fetch ${url}`));
  }
  return fetch(`http://127.0.0.1:${server.port}${u.pathname}`, init);
};
const get = (path, o = {}) => fetchChain(core, `${TEST_ORIGIN}/fc${path}`, { fetch: viaTestServer, ...o });

test('a PEM chain is fetched, normalised, and cached for its max-age', async () => {
  const t0 = Date.now() / 1000;
  const r = await get('/ok/chain.pem');
  assert.equal(r.ok, true, r.reason);
  assert.equal(r.pem, `${pki.leaf.trim()}\n${pki.intermediate.trim()}\n`);
  assert.ok(Math.abs(r.expiresAt - (t0 + 7200)) < 5, `expiresAt ${r.expiresAt - t0}s from now, expected 7200`);
});

test('each failure kind gives a readable reason and a short negative lifetime', async () => {
  const cases = [
    ['/f/404.pem', /answered 404/],
    ['/f/500.pem', /answered 500/],
    ['/f/big.pem', /larger than 64 KiB/],
    ['/f/not-pem', /labelled it "text\/html"/],
    ['/f/key.pem', /unusable: the x5u content holds no PEM certificate/],
    ['/f/redirect-http', /redirected to http:.*must use https/],
    ['/f/redirect-private', /redirected to https:\/\/10\.0\.0\.1.*private-use/],
    ['/f/redirect-loop', /too many redirects/],
  ];
  for (const [path, why] of cases) {
    const t0 = Date.now() / 1000;
    const r = await get(path);
    assert.equal(r.ok, false, path);
    assert.match(r.reason, why, path);
    assert.ok(r.expiresAt - t0 <= 61, `${path}: negative entries are short-lived`);
  }
  assert.deepEqual(leaks, [], 'refused redirect targets were never fetched');
});

test('the canonical URL is what is fetched', async () => {
  const r = await fetchChain(core, `HTTPS://CERTS.STIRCHECK.TEST:08443/fc/c/x/../chain.pem`, { fetch: viaTestServer });
  assert.equal(r.ok, true, r.reason);
  assert.equal(server.hits(`${TEST_ORIGIN}/fc/c/chain.pem`), 1);
});

test('an allowed redirect is followed', async () => {
  const r = await get('/r/redirect-ok');
  assert.equal(r.ok, true, r.reason);
  assert.equal(server.hits(`${TEST_ORIGIN}/fc/r/chain.pem`), 1);
});

test('a slow repository times out', async () => {
  const t0 = Date.now();
  const r = await get('/s/slow.pem', { timeoutMs: 300 });
  assert.equal(r.ok, false);
  assert.match(r.reason, /did not answer within 0.3 s/);
  assert.ok(Date.now() - t0 < 900, 'gave up at the deadline');
});

test('a URL refused by the rules is never fetched', async () => {
  const before = server.totalHits();
  const r = await fetchChain(core, 'https://127.0.0.1/chain.pem', { fetch: viaTestServer });
  assert.equal(r.ok, false);
  assert.match(r.reason, /x5u URL refused: .*loopback/);
  assert.equal(server.totalHits(), before);
});

test('a network error is a failure with a reason, not an exception', async () => {
  const r = await fetchChain(core, `${TEST_ORIGIN}/x/chain.pem`, { fetch: () => Promise.reject(new TypeError('connection refused')) });
  assert.equal(r.ok, false);
  assert.match(r.reason, /could not reach the repository \(connection refused\)/);
});
