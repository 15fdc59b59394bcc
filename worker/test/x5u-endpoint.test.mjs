// Integration: the real worker under workerd, over HTTP — GET /api/x5u (fetch limits, cache,
// single-flight, SSRF refusals), request errors, and the page's assets.
import test from 'node:test';
import assert from 'node:assert/strict';
import { startWorker, TEST_ORIGIN } from './harness.mjs';

const w = await startWorker();
test.after(() => w.stop());

const x5u = (url) => fetch(`${w.base}/api/x5u?url=${encodeURIComponent(url)}`);

test('GET /api/x5u fetches the chain once, then serves it from cache', async () => {
  const url = `${TEST_ORIGIN}/x5u-cache/chain.pem`;
  const first = await x5u(url);
  assert.equal(first.status, 200);
  assert.equal(first.headers.get('content-type'), 'application/pem-certificate-chain');
  assert.equal(first.headers.get('x-stircheck-cache'), 'miss');
  assert.equal(first.headers.get('access-control-allow-origin'), '*');
  const pem = await first.text();
  assert.equal(pem, `${w.pki.leaf.trim()}\n${w.pki.intermediate.trim()}\n`);
  const maxAge = Number(first.headers.get('cache-control').match(/max-age=(\d+)/)[1]);
  assert.ok(maxAge > 7100 && maxAge <= 7200, `max-age ${maxAge} follows the repository's 7200`);
  const second = await x5u(url);
  assert.equal(second.headers.get('x-stircheck-cache'), 'hit');
  assert.equal(await second.text(), pem);
  assert.equal(w.certs.hits(url), 1);
});

test('50 concurrent requests for one x5u cause exactly one fetch', async () => {
  const url = `${TEST_ORIGIN}/x5u-burst/chain.pem`;
  const all = await Promise.all(Array.from({ length: 50 }, () => x5u(url).then(async (r) => [r.status, await r.text()])));
  assert.ok(all.every(([s, body]) => s === 200 && body.includes('BEGIN CERTIFICATE')));
  assert.equal(w.certs.hits(url), 1);
});

test('repository failures answer 502 with the reason, and are cached briefly', async () => {
  const cases = [
    ['404.pem', /answered 404/],
    ['500.pem', /answered 500/],
    ['big.pem', /larger than 64 KiB/],
    ['not-pem', /not a PEM certificate chain/],
    ['redirect-http', /refused: only https/],
    ['redirect-private', /10\.0\.0\.1.*private/],
    ['redirect-loop', /too many redirects/],
  ];
  for (const [name, why] of cases) {
    const url = `${TEST_ORIGIN}/x5u-fail/${name}`;
    const r = await x5u(url);
    assert.equal(r.status, 502, name);
    assert.match((await r.json()).error, why, name);
    const hits = w.certs.hits(url);
    assert.equal(hits, name === 'redirect-loop' ? 4 : 1, `${name}: fetched once (a loop: once + 3 redirects)`);
    const again = await x5u(url);
    assert.equal(again.headers.get('x-stircheck-cache'), 'hit', `${name}: negative entry`);
    await again.text();
    assert.equal(w.certs.hits(url), hits, `${name}: not fetched again`);
  }
  const ok = await x5u(`${TEST_ORIGIN}/x5u-redir/redirect-ok`);
  assert.equal(ok.status, 200);
  assert.match(await ok.text(), /BEGIN CERTIFICATE/);
});

test('a slow repository times out after about 3 s', async () => {
  const t0 = Date.now();
  const r = await x5u(`${TEST_ORIGIN}/x5u-slow/slow.pem`);
  const took = Date.now() - t0;
  assert.equal(r.status, 502);
  assert.match((await r.json()).error, /did not answer within 3 s/);
  assert.ok(took >= 2900 && took < 4900, `took ${took} ms`);
});

test('SSRF attempts are refused (400) and never reach the network', async () => {
  const before = w.certs.totalHits();
  const attempts = [
    'http://certs.stircheck.test/chain.pem',
    'https://127.0.0.1/chain.pem',
    'https://10.0.0.1/chain.pem',
    'https://[::1]/chain.pem',
    'https://169.254.169.254/latest/meta-data/',
    'https://user:secret@certs.stircheck.test:8443/chain.pem',
    'https://certs.stircheck.test:22/chain.pem',
    'https://localhost/chain.pem',
    'https://certs.stircheck.test:8443/chain.pem?x=1',
  ];
  for (const url of attempts) {
    const r = await x5u(url);
    assert.equal(r.status, 400, url);
    assert.match((await r.json()).error, /^x5u URL refused: /, url);
  }
  assert.equal(w.certs.totalHits(), before, 'no refused URL was fetched');
});

test('bad requests: 413, 405, 400, 415, 404 — JSON errors, never 5xx', async () => {
  const big = await fetch(`${w.base}/api/verify`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'x'.repeat(300 * 1024) });
  assert.equal(big.status, 413);
  assert.match((await big.json()).error, /larger than/);
  const cases = [
    [fetch(`${w.base}/api/verify`), 405],
    [fetch(`${w.base}/api/verify`, { method: 'DELETE' }), 405],
    [fetch(`${w.base}/api/verify`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"input":' }), 400],
    [fetch(`${w.base}/api/verify`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"nope":1}' }), 400],
    [fetch(`${w.base}/api/verify`, { method: 'POST', headers: { 'content-type': 'image/png' }, body: 'x' }), 415],
    [fetch(`${w.base}/api/x5u`), 400],
    [fetch(`${w.base}/api/unknown`), 404],
  ];
  for (const [p, status] of cases) {
    const r = await p;
    assert.equal(r.status, status, r.url);
    assert.equal(typeof (await r.json()).error, 'string');
  }
});

test('CORS preflight and health', async () => {
  const pre = await fetch(`${w.base}/api/verify`, { method: 'OPTIONS', headers: { origin: 'https://sbc.example', 'access-control-request-method': 'POST' } });
  assert.equal(pre.status, 204);
  assert.equal(pre.headers.get('access-control-allow-origin'), '*');
  const h = await fetch(`${w.base}/api/health`);
  assert.equal(h.status, 200);
  const body = await h.json();
  assert.equal(body.status, 'ok');
  assert.equal(typeof body.version, 'string');
});

test('the page and its wasm are served with the right media types', async () => {
  const page = await fetch(`${w.base}/`);
  assert.equal(page.status, 200);
  assert.equal(page.headers.get('content-type'), 'text/html; charset=utf-8');
  assert.match(await page.text(), /<html/i);
  const glue = await fetch(`${w.base}/pkg/stircheck.js`);
  assert.equal(glue.status, 200);
  assert.match(glue.headers.get('content-type'), /^text\/javascript/);
  await glue.text();
  const wasm = await fetch(`${w.base}/pkg/stircheck_bg.wasm`);
  assert.equal(wasm.status, 200);
  assert.equal(wasm.headers.get('content-type'), 'application/wasm');
  await WebAssembly.compile(await wasm.arrayBuffer());
  const missing = await fetch(`${w.base}/no-such-file.css`);
  assert.equal(missing.status, 404);
  await missing.text();
});
