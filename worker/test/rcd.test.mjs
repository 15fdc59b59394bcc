// Integration (issue 13): Rich Call Data content (icn logos, jcl cards) the worker fetches with
// fetch kind "rcd" through the same fetcher and cache machinery as x5u and CRLs, under workerd
// with the test egress: GET /api/rcd (for the page's `resources`), and — once the core lists rcd
// URLs (wasm `rcdUrls`) — /api/verify fetching them itself.
import test from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { startWorker } from './harness.mjs';

const LOGO_ORIGIN = 'https://logos.stircheck.test:8443';
const w = await startWorker();
test.after(() => w.stop());

const get = (u) => fetch(`${w.base}/api/rcd?url=${encodeURIComponent(u)}`);
// Eight PNG signature bytes and some random "image" data: the worker does not judge the bytes.
const logo = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), randomBytes(600)]);

test('GET /api/rcd: the bytes as base64 JSON with the declared media type, fetched once and cached', async () => {
  const u = `${LOGO_ORIGIN}/a/logo.png`;
  w.certs.serve(u, logo, { 'content-type': 'image/png', 'cache-control': 'max-age=600' });
  const r = await get(u);
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type'), /application\/json/);
  assert.equal(r.headers.get('access-control-allow-origin'), '*');
  const body = await r.json();
  assert.deepEqual(body, { url: u, contentType: 'image/png', data: logo.toString('base64') });
  assert.equal((await get(u)).headers.get('x-stircheck-cache'), 'hit');
  assert.equal(w.certs.hits(u), 1);
});

test('GET /api/rcd: wrong or missing media type, over the 256 KiB bound, 404 -> 502 with the reason; refused URL -> 400, no request', async () => {
  const cases = [
    ['html', '<p>hi</p>', { 'content-type': 'text/html' }, /text\/html/],
    ['untyped', logo, {}, /did not say what media type/],
    ['big', Buffer.alloc(256 * 1024 + 1, 1), { 'content-type': 'image/png' }, /larger than 256 KiB/],
  ];
  for (const [name, body, headers, why] of cases) {
    const u = `${LOGO_ORIGIN}/bad/${name}.png`;
    w.certs.serve(u, body, headers);
    const r = await get(u);
    assert.equal(r.status, 502, name);
    assert.match((await r.json()).error, why, name);
  }
  const missing = await get(`${LOGO_ORIGIN}/none/missing.png`);
  assert.equal(missing.status, 502);
  const before = w.certs.totalHits();
  for (const u of ['http://logos.stircheck.test/x.png', 'https://127.0.0.1/x.png', 'https://logos.stircheck.test:8443/x.png?size=2']) {
    const r = await get(u);
    assert.equal(r.status, 400, u);
    assert.match((await r.json()).error, /refused/, u);
  }
  assert.equal(w.certs.totalHits(), before, 'no refused URL was fetched');
});

test('GET /api/rcd: a 50-way concurrent burst is one upstream fetch', async () => {
  const u = `${LOGO_ORIGIN}/burst/logo.png`;
  w.certs.serve(u, logo, { 'content-type': 'image/png' }, { delayMs: 150 });
  const all = await Promise.all(Array.from({ length: 50 }, () => get(u).then((r) => r.status)));
  assert.ok(all.every((s) => s === 200), JSON.stringify(all));
  assert.equal(w.certs.hits(u), 1);
});
