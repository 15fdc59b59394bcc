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
    ['not-pem', /labelled it "text\/html"/],
    ['key.pem', /holds no PEM certificate/],
    ['redirect-http', /refused: .*must use https/],
    ['redirect-private', /10\.0\.0\.1.*private-use/],
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

test('14 spellings of one x5u are one cache entry and one upstream fetch', async () => {
  const path = '/spell/chain.pem';
  const canonical = `${TEST_ORIGIN}${path}`;
  const spellings = [
    canonical,
    'HTTPS://certs.stircheck.test:8443/spell/chain.pem',
    'https://CERTS.STIRCHECK.TEST:8443/spell/chain.pem',
    'https://Certs.Stircheck.Test:8443/spell/chain.pem',
    'https://certs.stircheck.test.:8443/spell/chain.pem',
    'https://certs.stircheck.test:08443/spell/chain.pem',
    'https://certs.stircheck.test:8443/spell/./chain.pem',
    'https://certs.stircheck.test:8443/x/../spell/chain.pem',
    'https://certs.stircheck.test:8443/./spell/x/../chain.pem',
    'https://certs.stircheck.test:8443/spell/%63hain.pem',
    'https://certs.stircheck.test:8443/sp%65ll/chain.pem',
    'https://certs.stircheck.test:8443/spell/chain%2epem',
    'https://certs.stircheck.test:8443/%73%70%65%6c%6c/chain.pem',
    'HTTPS://CERTS.STIRCHECK.TEST.:8443/a/b/../../spell/chain.pem',
  ];
  assert.equal(new Set(spellings).size, 14);
  for (const url of spellings) {
    const r = await x5u(url);
    assert.equal(r.status, 200, url);
    assert.match(await r.text(), /BEGIN CERTIFICATE/);
  }
  assert.equal(w.certs.hits(canonical), 1, 'one upstream fetch, at the canonical URL');
});

test('1,000 failing URLs do not evict a good chain', async () => {
  const good = `${TEST_ORIGIN}/evict/chain.pem`;
  assert.equal((await x5u(good)).status, 200);
  for (let batch = 0; batch < 20; batch++) {
    await Promise.all(Array.from({ length: 50 }, async (_, i) => {
      const r = await x5u(`${TEST_ORIGIN}/evict/${batch * 50 + i}/404.pem`);
      assert.equal(r.status, 502);
      await r.text();
    }));
  }
  const again = await x5u(good);
  assert.equal(again.headers.get('x-stircheck-cache'), 'hit');
  await again.text();
  assert.equal(w.certs.hits(good), 1);
  const health = await (await fetch(`${w.base}/api/health`)).json();
  assert.ok(health.cache.failures <= 256, `failures bounded: ${health.cache.failures}`);
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

/** Sends raw bytes on one connection (half-closing after them) and returns the status line's code. */
async function rawStatus(bytes, { endAfter = true } = {}) {
  const net = await import('node:net');
  const { port } = new URL(w.base);
  return new Promise((resolve, reject) => {
    const s = net.connect(Number(port), '127.0.0.1', () => {
      s.write(bytes);
      if (endAfter) s.end();
    });
    let got = '';
    s.on('data', (d) => {
      got += d;
      const m = got.match(/^HTTP\/1\.[01] (\d{3})/);
      if (m) {
        s.destroy();
        resolve(Number(m[1]));
      }
    });
    s.on('error', reject);
    s.on('close', () => resolve(got.match(/^HTTP\/1\.[01] (\d{3})/)?.[1] ?? null));
    setTimeout(() => { s.destroy(); resolve('timeout'); }, 15000);
  });
}

test('client mistakes on the wire are 4xx: long path segments, broken chunked framing, aborted bodies', async () => {
  for (const p of [`/${'a'.repeat(256)}`, `/api/${'a'.repeat(256)}`, `/pkg/${'x'.repeat(1000)}.js`]) {
    const r = await fetch(w.base + p);
    assert.equal(r.status, 414, p.slice(0, 30));
    assert.match((await r.json()).error, /longer than/);
  }
  const head = 'POST /api/verify HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\n';
  const chunked = await rawStatus(`${head}Transfer-Encoding: chunked\r\n\r\nzz\r\nIdentity\r\n0\r\n\r\n`);
  assert.ok(chunked >= 400 && chunked < 500, `malformed chunk size: ${chunked}`);
  const aborted = await rawStatus(`${head}Content-Length: 1000\r\n\r\nIdentity: abc`);
  assert.ok(aborted === null || (aborted >= 400 && aborted < 500), `aborted body: ${aborted}`);
  assert.doesNotMatch(w.log(), /internal error/, 'no request reached the 500 path');
});

test('security headers on the page, its files, /api/* and /stir/*', async () => {
  for (const p of ['/', '/pkg/stircheck.js', '/api/health', '/api/nope', '/no-such-file.css', '/stir/v1/verification']) {
    const r = await fetch(w.base + p, p.startsWith('/stir/') ? { method: 'POST', body: '{}' } : {});
    await r.arrayBuffer();
    assert.match(r.headers.get('content-security-policy') ?? '', /frame-ancestors 'none'/, p);
    assert.equal(r.headers.get('x-content-type-options'), 'nosniff', p);
    assert.equal(r.headers.get('referrer-policy'), 'no-referrer', p);
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
