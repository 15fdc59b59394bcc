// How the page's files are served by the real worker under workerd: precompressed br/gzip when
// the client accepts it (decompressing to the bytes on disk), identity otherwise, strong ETags with
// 304 revalidation, `immutable` only on fingerprinted names, security headers on all of it.
// Needs scripts/build-wasm.sh (which runs scripts/build-assets.mjs); fails, never skips, without it.
import test from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { REPO, startWorker } from './harness.mjs';

const WWW = join(REPO, 'www');
const wasmName = readdirSync(join(WWW, 'pkg')).find((f) => /^stircheck_bg\.[0-9a-f]{16}\.wasm$/.test(f));
const glueName = readdirSync(join(WWW, 'pkg')).find((f) => /^stircheck\.[0-9a-f]{16}\.js$/.test(f));

/** A raw GET (node:http does not decode bodies, unlike fetch). */
function get(base, path, headers = {}, method = 'GET') {
  return new Promise((resolve, reject) => {
    http.request(base + path, { method, headers }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
    }).on('error', reject).end();
  });
}

function assertSecurity(r) {
  assert.match(r.headers['content-security-policy'], /frame-ancestors 'none'/);
  assert.equal(r.headers['x-content-type-options'], 'nosniff');
  assert.equal(r.headers['referrer-policy'], 'no-referrer');
}

let w;
test.before(async () => {
  assert.ok(wasmName && glueName, 'www/pkg has no fingerprinted files: run scripts/build-wasm.sh');
  w = await startWorker();
});
test.after(() => w?.stop());

test('the stub module imports the fingerprinted glue, which loads the fingerprinted wasm', () => {
  assert.match(readFileSync(join(WWW, 'pkg', 'stircheck.js'), 'utf8'), new RegExp(`from './${glueName.replace(/\./g, '\\.')}'`));
  const glue = readFileSync(join(WWW, 'pkg', glueName), 'utf8');
  assert.ok(glue.includes(`new URL('${wasmName}', import.meta.url)`));
  assert.ok(!glue.includes(`new URL('stircheck_bg.wasm'`));
});

// `/` is the built copy of index.html (scripts/build-assets.mjs: it loads the bundled script).
for (const [path, file] of [['/', 'pkg/pages/index.html'], ['/app.js', 'app.js'], [`/pkg/${'WASM'}`, null]]) {
  const p = path.replace('WASM', wasmName ?? '');
  const disk = () => readFileSync(join(WWW, file ?? join('pkg', wasmName)));
  test(`${p}: br and gzip decode to the bytes on disk, identity otherwise`, async () => {
    const original = disk();
    const br = await get(w.base, p, { 'accept-encoding': 'gzip, deflate, br' });
    assert.equal(br.status, 200);
    assert.equal(br.headers['content-encoding'], 'br');
    assert.equal(br.headers.vary, 'accept-encoding');
    assert.ok(br.body.length < original.length * 0.6, `br ${br.body.length} vs ${original.length}`);
    assert.ok(brotliDecompressSync(br.body).equals(original));
    assertSecurity(br);

    const gz = await get(w.base, p, { 'accept-encoding': 'gzip' });
    assert.equal(gz.headers['content-encoding'], 'gzip');
    assert.ok(gunzipSync(gz.body).equals(original));

    for (const ae of [undefined, 'identity', 'br;q=0, gzip;q=0', 'deflate']) {
      const id = await get(w.base, p, ae ? { 'accept-encoding': ae } : {});
      assert.equal(id.headers['content-encoding'], undefined, `accept-encoding: ${ae}`);
      assert.ok(id.body.equals(original), `accept-encoding: ${ae}`);
      assert.equal(id.headers.vary, 'accept-encoding');
    }
    // Different bytes, different strong validators.
    assert.notEqual(br.headers.etag, gz.headers.etag);
    assert.match(br.headers.etag, /^"[0-9a-f]{16}-br"$/);
  });
}

test('ETag and Last-Modified revalidate with 304 (no body, same validators and headers)', async () => {
  const first = await get(w.base, '/app.js', { 'accept-encoding': 'br' });
  assert.ok(first.headers['last-modified']);
  const again = await get(w.base, '/app.js', { 'accept-encoding': 'br', 'if-none-match': first.headers.etag });
  assert.equal(again.status, 304);
  assert.equal(again.body.length, 0);
  assert.equal(again.headers.etag, first.headers.etag);
  assert.equal(again.headers['cache-control'], 'no-cache');
  assertSecurity(again);
  // A different representation's tag, or a changed file's, is a full answer.
  const other = await get(w.base, '/app.js', { 'accept-encoding': 'br', 'if-none-match': '"0000000000000000-br"' });
  assert.equal(other.status, 200);
  assert.ok(other.body.length > 0);
  const ims = await get(w.base, '/app.js', { 'if-modified-since': first.headers['last-modified'] });
  assert.equal(ims.status, 304);
  const old = await get(w.base, '/app.js', { 'if-modified-since': 'Thu, 01 Jan 1970 00:00:00 GMT' });
  assert.equal(old.status, 200);
});

test('fingerprinted wasm and glue are immutable; HTML and plain modules are no-cache', async () => {
  for (const p of [`/pkg/${wasmName}`, `/pkg/${glueName}`]) {
    const r = await get(w.base, p, {}, 'HEAD');
    assert.equal(r.status, 200, p);
    assert.equal(r.headers['cache-control'], 'public, max-age=31536000, immutable', p);
    assert.match(r.headers.etag, new RegExp(`^"${p.match(/\.([0-9a-f]{16})\./)[1]}"$`));
  }
  assert.equal((await get(w.base, `/pkg/${wasmName}`)).headers['content-type'], 'application/wasm');
  for (const p of ['/', '/index.html', '/app.js', '/pkg/stircheck.js', '/style.css']) {
    const r = await get(w.base, p);
    assert.equal(r.status, 200, p);
    assert.equal(r.headers['cache-control'], 'no-cache', p);
    assert.ok(r.headers.etag && r.headers['last-modified'], p);
    assertSecurity(r);
  }
});

test('the precompressed store is not served under its own names; unknown files are 404', async () => {
  const zs = readdirSync(join(WWW, 'pkg', 'z'));
  assert.ok(zs.length > 0);
  assert.equal((await get(w.base, `/pkg/z/${zs[0]}`)).status, 404);
  assert.equal((await get(w.base, '/pkg/stircheck_bg.0123456789abcdef.wasm')).status, 404);
});

test('an edited file whose precompressed copy was not rebuilt is sent uncompressed, never stale', async () => {
  const { serveAsset, contentHash } = await import('../src/assets.js');
  const files = new Map([['/app.js', 'new bytes'], [`/pkg/z/${await contentHash(new TextEncoder().encode('old bytes'))}.br`, 'old copy']]);
  const assets = { fetch: async (req) => {
    const p = new URL(req.url).pathname;
    return files.has(p) ? new Response(files.get(p)) : new Response('no', { status: 404 });
  } };
  const res = await serveAsset(new Request('http://x/app.js', { headers: { 'accept-encoding': 'br' } }), assets);
  assert.equal(res.headers.get('content-encoding'), null);
  assert.equal(await res.text(), 'new bytes');
  assert.equal(res.headers.get('etag'), `"${await contentHash(new TextEncoder().encode('new bytes'))}"`);
});

test('a page is served as its built copy (bundled script, its preload hints) only while the source HTML is the one it was built from', async () => {
  const { serveAsset, contentHash } = await import('../src/assets.js');
  const enc = (s) => new TextEncoder().encode(s);
  const source = '<script type="module" src="app.js"></script>';
  const built = '<script type="module" src="pkg/app.0123456789abcdef.js"></script>';
  const files = new Map([
    ['/index.html', source],
    ['/pkg/pages/index.html', built],
    ['/pkg/manifest.json', JSON.stringify({
      pages: { '/index.html': { source: await contentHash(enc(source)), built: '/pkg/pages/index.html', link: '</pkg/app.0123456789abcdef.js>; rel=modulepreload' } },
      links: { '/index.html': '</app.js>; rel=modulepreload' },
    })],
  ]);
  const assets = { fetch: async (req) => {
    const p = new URL(req.url).pathname;
    return files.has(p) ? new Response(files.get(p)) : new Response('no', { status: 404 });
  } };
  let res = await serveAsset(new Request('http://x/'), assets);
  assert.equal(await res.text(), built);
  assert.equal(res.headers.get('link'), '</pkg/app.0123456789abcdef.js>; rel=modulepreload');
  assert.equal(res.headers.get('etag'), `"${await contentHash(enc(built))}"`);
  assert.equal(res.headers.get('cache-control'), 'no-cache');
  // The source was edited after the build: the source page, with the source page's hints.
  files.set('/index.html', `${source}<!-- edited -->`);
  res = await serveAsset(new Request('http://x/index.html'), assets);
  assert.equal(await res.text(), `${source}<!-- edited -->`);
  assert.equal(res.headers.get('link'), '</app.js>; rel=modulepreload');
  // The built copy is missing: the source page too.
  files.set('/index.html', source);
  files.delete('/pkg/pages/index.html');
  res = await serveAsset(new Request('http://x/'), assets);
  assert.equal(await res.text(), source);
});
