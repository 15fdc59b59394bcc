// Unit tests of the worker's HTTP behaviour in Node: the real wasm core's rules (checkUrl, ...)
// with a stand-in Verifier that records what it is given (verification itself is exercised by
// verify.test.mjs under workerd). They pin the request contract: statuses, error bodies, CORS,
// security headers, and that fetch failures reach the core as fetchErrors.
import test from 'node:test';
import assert from 'node:assert/strict';
import { createApp } from '../src/app.js';
import { MAX_REQUEST_BYTES } from '../src/request.js';
import { loadCore } from './core.mjs';

const realCore = await loadCore();

/** Records what the worker hands to the core; answers with a canned Verdict-shaped object. */
function fakeCore({ needed = [], throwOnPrepare = null } = {}) {
  const seen = [];
  class Pending {
    constructor(text, options) { this.text = text; this.options = options; }
    jobs() { return []; }
    finish() {
      const failed = Object.keys(this.options.fetchErrors ?? {}).length > 0;
      return { status: failed ? 'invalid' : 'valid', sip_code: failed ? 436 : null, options: this.options };
    }
    finishView(results, view) { return JSON.stringify({ ...this.finish(results), view }); }
    finishViewBytes(results, view) { return new TextEncoder().encode(this.finishView(results, view)); }
    free() {}
  }
  class Verifier {
    constructor(trust) { this.trust = trust; }
    prepare(text, options) {
      if (throwOnPrepare) throw new Error(throwOnPrepare);
      seen.push({ text, options });
      return new Pending(text, options);
    }
    trustInfo() { return { source: this.trust ? 'custom' : 'built-in', name: 'fake', date: '2026-11-01', anchors: [] }; }
    cacheSize() { return 0; }
    clearCache() {}
  }
  /** The core's kept read of an input: its URLs, then `prepare` on a verifier. */
  const readInput = (text) => {
    const supplied = {};
    return {
      x5u: needed,
      rcd: [],
      supplyBytes(url, bytes) { supplied[url] = new TextDecoder().decode(bytes); },
      // As the core: chains supplied as bytes join options.certs (the options' own win).
      prepare: (verifier, options) => verifier.prepare(text, Object.keys(supplied).length ? { ...options, certs: { ...supplied, ...options?.certs } } : options),
      free() {},
    };
  };
  return { core: { ...realCore, Verifier, readInput, neededCerts: () => needed, neededUrls: () => ({ x5u: needed, rcd: [] }), version: () => '0.0.0-fake', sbcMaxBodyBytes: () => 65536 }, seen };
}

const base = 'http://worker.test';
const post = (body, type = 'application/json', path = '/api/verify') =>
  new Request(base + path, { method: 'POST', headers: type ? { 'content-type': type } : {}, body });

async function call(app, req) {
  const res = await app.handle(req, { waitUntil() {} });
  const text = await res.text();
  let body = text;
  try { body = JSON.parse(text); } catch {}
  return { status: res.status, headers: res.headers, body };
}

test('bad requests get 4xx JSON errors with CORS, never 5xx', async () => {
  const app = createApp({ core: fakeCore().core, env: {} });
  const cases = [
    [post('{"input": '), 400, /malformed JSON/],
    [post('[1,2]'), 400, /must be an object/],
    [post('{}'), 400, /"input" is required/],
    [post('{"input": 5}'), 400, /"input" is required/],
    [post('{"input": "x", "at": "yesterday"}'), 400, /"at" must be/],
    [post('{"input": "x", "at": -1}'), 400, /"at" must be/],
    [post('{"input": "x", "certs": ["a"]}'), 400, /"certs" must be an object/],
    [post('{"input": "x", "certs": {"https://a.example/c": 1}}'), 400, /PEM string/],
    [post('{"input": "x", "trust": "pem"}'), 400, /"trust" must be an array/],
    [post('{"input": "x", "trust": []}'), 400, /"trust" is empty/],
    [post('{"input": "x", "asOfCall": "yes"}'), 400, /"asOfCall"/],
    [post('   ', 'text/plain'), 400, /body is empty/],
    [post('input=x', 'application/x-www-form-urlencoded'), 415, /unsupported content type/],
    [post(new Uint8Array([0xff, 0xfe, 0x00])), 400, /not valid UTF-8/],
    [new Request(base + '/api/verify', { method: 'POST', headers: { 'content-type': 'text/plain', 'content-encoding': 'gzip' }, body: 'garbage' }), 415, /unsupported content encoding "gzip"/],
    [new Request(base + '/api/verify', { method: 'POST', headers: { 'content-type': 'text/plain', 'content-encoding': 'identity' }, body: '   ' }), 400, /body is empty/],
    [post('x'.repeat(MAX_REQUEST_BYTES + 1), 'text/plain'), 413, /larger than 256 KiB/],
    [new Request(base + '/api/verify'), 405, /GET is not allowed on \/api\/verify/],
    [new Request(base + '/api/verify', { method: 'PUT', body: 'x' }), 405, /PUT/],
    [new Request(base + '/api/health', { method: 'POST', body: 'x' }), 405, /POST/],
    [new Request(base + '/api/nope'), 404, /no such API endpoint/],
    [new Request(base + '/api/x5u'), 400, /missing \?url=/],
    [new Request(base + '/api/x5u?url=' + encodeURIComponent('http://127.0.0.1/x.pem')), 400, /x5u URL refused/],
  ];
  for (const [req, status, why] of cases) {
    const label = `${req.method} ${req.url}`;
    const r = await call(app, req);
    assert.equal(r.status, status, `${label}: ${JSON.stringify(r.body)}`);
    assert.match(r.body.error, why, label);
    assert.equal(r.headers.get('access-control-allow-origin'), '*', label);
    assert.match(r.headers.get('content-type'), /application\/json/, label);
  }
});

test('a body over the limit without Content-Length is still refused (413)', async () => {
  const app = createApp({ core: fakeCore().core, env: {} });
  const chunk = new Uint8Array(64 * 1024).fill(0x41);
  let sent = 0;
  const stream = new ReadableStream({
    pull(c) {
      if (sent++ < 8) c.enqueue(chunk);
      else c.close();
    },
  });
  const req = new Request(base + '/api/verify', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: stream, duplex: 'half' });
  assert.equal(req.headers.get('content-length'), null);
  assert.equal((await call(app, req)).status, 413);
});

test('preflight OPTIONS on /api/* answers 204 with CORS headers', async () => {
  const app = createApp({ core: fakeCore().core, env: {} });
  const res = await app.handle(new Request(base + '/api/verify', { method: 'OPTIONS' }), {});
  assert.equal(res.status, 204);
  assert.equal(res.headers.get('access-control-allow-methods'), 'GET, POST, OPTIONS');
  assert.match(res.headers.get('access-control-expose-headers'), /x-stircheck-cache/);
});

test('text/plain body is the input; JSON options pass through to the core', async () => {
  const { core, seen } = fakeCore();
  const app = createApp({ core, env: {} });
  assert.equal((await call(app, post('Identity: abc', 'text/plain'))).status, 200);
  assert.equal(seen[0].text, 'Identity: abc');
  const r = await call(app, post(JSON.stringify({ input: 'y', at: 1700000000.7, maxAge: 90, asOfCall: true, trust: ['PEM'], certs: { 'https://a.example/c.pem': 'PEM' } })));
  assert.equal(r.status, 200);
  assert.deepEqual(seen[1].options, { at: 1700000000, maxAge: 90, asOfCall: true, trust: ['PEM'], certs: { 'https://a.example/c.pem': 'PEM' } });
  assert.equal(r.headers.get('x-stircheck-cache'), null, 'nothing fetched: no cache header');
});

test('refused x5u URLs become fetchErrors (-> 436) without any fetch', async () => {
  const needed = ['http://10.0.0.1/x.pem', 'https://a.example:22/x.pem'];
  const { core, seen } = fakeCore({ needed });
  let fetched = 0;
  const app = createApp({ core, env: {}, fetch: async () => { fetched++; throw new Error('no'); } });
  const r = await call(app, post(JSON.stringify({ input: 'z' })));
  assert.equal(r.status, 200);
  assert.equal(r.body.sip_code, 436);
  assert.match(seen[0].options.fetchErrors[needed[0]], /^x5u URL refused: .*must use https/);
  assert.match(seen[0].options.fetchErrors[needed[1]], /port 22/);
  assert.equal(fetched, 0);
});

test('a core Error for bad options is a 400; an unexpected crash is a 500 without internals', async () => {
  const bad = createApp({ core: fakeCore({ throwOnPrepare: 'trust: no certificate in PEM' }).core, env: {} });
  const r = await call(bad, post('{"input":"x","trust":["junk"]}'));
  assert.equal(r.status, 400);
  assert.match(r.body.error, /no certificate/);
  const crashing = fakeCore().core;
  crashing.readInput = () => { throw new WebAssembly.RuntimeError('unreachable'); };
  const r2 = await call(createApp({ core: crashing, env: {} }), post('{"input":"x"}'));
  assert.equal(r2.status, 500);
  assert.doesNotMatch(r2.body.error, /unreachable/);
  // A bug in the worker's own code (here: a Pending without free()) is not blamed on the client.
  const buggy = fakeCore().core;
  const Base = buggy.Verifier;
  buggy.Verifier = class extends Base {
    prepare(t, o) { const p = super.prepare(t, o); p.free = undefined; return p; }
  };
  const r3 = await call(createApp({ core: buggy, env: {} }), post('{"input":"x"}'));
  assert.equal(r3.status, 500);
});

test('operator trust binding: used when set, refused when it holds no certificate', () => {
  const pem = '-----BEGIN CERTIFICATE-----\nQUFB\n-----END CERTIFICATE-----';
  const { core } = fakeCore();
  assert.doesNotThrow(() => createApp({ core, env: { STIRCHECK_TRUST_PEM: pem } }));
  assert.throws(() => createApp({ core, env: { STIRCHECK_TRUST_PEM: 'oops' } }), /no "BEGIN CERTIFICATE"/);
});

test('health reports version, trust store and cache', async () => {
  const r = await call(createApp({ core: fakeCore().core, env: {} }), new Request(base + '/api/health'));
  assert.equal(r.status, 200);
  assert.equal(r.body.status, 'ok');
  assert.equal(r.body.version, '0.0.0-fake');
  assert.equal(r.body.trust.source, 'built-in');
  assert.deepEqual(r.body.cache, { chains: 0, failures: 0, fetches: 0, coreChains: 0, crls: 0, crlFailures: 0, crlFetches: 0, deployedCrls: 0, rcd: 0, rcdFailures: 0, rcdFetches: 0 });
});

test('assets: / maps to index.html with a real media type; other methods 405; missing 404', async () => {
  const files = { '/index.html': '<!doctype html>', '/pkg/stircheck_bg.wasm': 'wasm', '/app.js': 'js' };
  const ASSETS = {
    async fetch(req) {
      const p = new URL(req.url).pathname;
      if (p === '/pkg') return new Response('[]', { headers: { 'content-type': 'application/json' } });
      return p in files ? new Response(files[p], { headers: { 'content-type': 'application/octet-stream' } }) : new Response('', { status: 404 });
    },
  };
  const app = createApp({ core: fakeCore().core, env: { ASSETS } });
  const get = (p, method = 'GET') => call(app, new Request(base + p, { method }));
  let r = await get('/');
  assert.equal(r.status, 200);
  assert.equal(r.headers.get('content-type'), 'text/html; charset=utf-8');
  assert.equal((await get('/pkg/stircheck_bg.wasm')).headers.get('content-type'), 'application/wasm');
  assert.match((await get('/app.js')).headers.get('content-type'), /^text\/javascript/);
  assert.equal((await get('/nope.css')).status, 404);
  assert.equal((await get('/pkg')).status, 404, 'directory listings are not served');
  r = await get('/', 'DELETE');
  assert.equal(r.status, 405);
  assert.equal(r.headers.get('allow'), 'GET, HEAD');
});

test('over-long paths and path segments are 414, on the API and on the page', async () => {
  const app = createApp({ core: fakeCore().core, env: {} });
  for (const p of [`/${'a'.repeat(256)}`, `/api/${'a'.repeat(300)}`, `/x/${'b'.repeat(255)}/${'c'.repeat(2000)}`]) {
    const r = await call(app, new Request(base + p));
    assert.equal(r.status, 414, p.slice(0, 20));
    assert.match(r.body.error, /longer than/);
  }
  assert.equal((await call(app, new Request(base + `/${'a'.repeat(255)}`))).status, 404, '255 is still a file name');
});

test('a body that stalls is 408; one that breaks off is 400 — never 5xx', async () => {
  const app = createApp({ core: fakeCore().core, env: {}, bodyTimeoutMs: 100 });
  const stalled = new ReadableStream({ start(c) { c.enqueue(new TextEncoder().encode('Identity: ')); } });
  const req = (body) => new Request(base + '/api/verify', { method: 'POST', headers: { 'content-type': 'text/plain' }, body, duplex: 'half' });
  const t0 = Date.now();
  const r = await call(app, req(stalled));
  assert.equal(r.status, 408);
  assert.match(r.body.error, /did not arrive within 0.1 s/);
  assert.ok(Date.now() - t0 < 2000);
  let n = 0;
  const broken = new ReadableStream({
    pull(c) {
      if (n++ === 0) c.enqueue(new TextEncoder().encode('Identity: abc'));
      else c.error(new TypeError('Network connection lost.'));
    },
  });
  const r2 = await call(app, req(broken));
  assert.equal(r2.status, 400);
  assert.match(r2.body.error, /could not be read/);
});

test('security headers: CSP with frame-ancestors, nosniff, Referrer-Policy on the page and the API', async () => {
  const ASSETS = { fetch: async () => new Response('<!doctype html>', { headers: { 'content-type': 'application/octet-stream' } }) };
  const app = createApp({ core: fakeCore().core, env: { ASSETS } });
  for (const req of [new Request(base + '/'), new Request(base + '/api/health'), new Request(base + '/api/nope'), post('{')]) {
    const r = await call(app, req);
    assert.match(r.headers.get('content-security-policy'), /frame-ancestors 'none'/, req.url);
    assert.equal(r.headers.get('x-content-type-options'), 'nosniff', req.url);
    assert.equal(r.headers.get('referrer-policy'), 'no-referrer', req.url);
  }
  const page = await call(app, new Request(base + '/'));
  assert.match(page.headers.get('content-security-policy'), /script-src 'self' 'wasm-unsafe-eval'/);
});
