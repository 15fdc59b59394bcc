/**
 * Browser test of how the page's files are cached (worker/src/assets.js), against the real worker
 * under workerd so the real headers apply: Chromium loads the page twice in one context (one HTTP
 * cache) and the DevTools protocol's network log must show that the first visit got the wasm
 * compressed (br) under its fingerprinted name, and the second visit fetched no wasm bytes at all (served
 * from the browser cache, no request on the wire) and only the HTML was revalidated (304): the worker
 * serves the built page (scripts/build-assets.mjs), whose one bundled script, stylesheet, glue and
 * wasm are fingerprinted and immutable.
 * Screenshot: test-output/screenshots/assets-repeat-visit.png.
 *
 * Run: node --test tests/browser/assets.test.mjs   (needs www/pkg + worker/pkg from build-wasm.sh, chromium)
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { BUNDLED_X5U, DEMO, launch, loadCoreInNode, SHOTS, WWW } from './harness.mjs';
import { startWorker } from '../../worker/test/harness.mjs';

let env;
let w;
before(async () => {
  env = await launch({ withStatic: false });
  w = await startWorker();
});
after(async () => {
  await env?.close();
  await w?.stop();
});

/**
 * Open a new tab in `context`, load the page until "verifier ready", and return the network log:
 * one entry per request with the bytes on the wire (CDP encodedDataLength) and where it came from.
 */
export async function visit(context, url) {
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  const log = new Map();
  cdp.on('Network.requestWillBeSent', (e) => log.set(e.requestId, { ...log.get(e.requestId), url: e.request.url, bytes: 0 }));
  cdp.on('Network.responseReceived', (e) => {
    const h = Object.fromEntries(Object.entries(e.response.headers).map(([k, v]) => [k.toLowerCase(), v]));
    Object.assign(log.get(e.requestId) ?? {}, {
      status: e.response.status,
      fromCache: e.response.fromDiskCache || e.response.fromPrefetchCache || false,
      fromServiceWorker: e.response.fromServiceWorker,
      encoding: h['content-encoding'] ?? null,
      cacheControl: h['cache-control'] ?? null,
    });
  });
  // The status on the wire: a revalidated response shows as 200 in responseReceived, 304 here.
  cdp.on('Network.responseReceivedExtraInfo', (e) => {
    const entry = log.get(e.requestId);
    if (entry) entry.wireStatus = e.statusCode;
    else log.set(e.requestId, { wireStatus: e.statusCode });
  });
  cdp.on('Network.requestServedFromCache', (e) => Object.assign(log.get(e.requestId) ?? {}, { fromCache: true }));
  cdp.on('Network.loadingFinished', (e) => Object.assign(log.get(e.requestId) ?? {}, { bytes: e.encodedDataLength }));
  await page.goto(url);
  await page.waitForSelector('html[data-ready="true"]', { timeout: 30000 });
  await new Promise((r) => setTimeout(r, 200)); // let the last loadingFinished events arrive
  return { page, entries: [...log.values()] };
}

test('a repeat visit downloads no wasm and asks only about the HTML: bundle, stylesheet, glue and wasm cached under fingerprinted names', async () => {
  const context = await env.browser.newContext({ viewport: { width: 1100, height: 900 } });
  try {
    const first = await visit(context, `${w.base}/`);
    const wasm1 = first.entries.filter((e) => e.url.endsWith('.wasm'));
    assert.equal(wasm1.length, 1, JSON.stringify(first.entries, null, 1));
    const [fetched] = wasm1;
    assert.match(fetched.url, /\/pkg\/stircheck_page_bg\.[0-9a-f]{16}\.wasm$/, "the page loads its small module first");
    // The worker serves the built page: one bundled script (no module graph), one stylesheet, the
    // glue and the wasm, each under a fingerprinted name, immutable.
    const files = first.entries.filter((e) => e.url?.startsWith(w.base) && !e.url.includes('/api/') && e.url !== `${w.base}/`);
    assert.deepEqual(files.map((e) => e.url.slice(w.base.length).replace(/[0-9a-f]{16}/, 'H')).sort(),
      ['/pkg/app.H.js', '/pkg/stircheck_page.H.js', '/pkg/stircheck_page_bg.H.wasm', '/pkg/style.H.css'], JSON.stringify(files, null, 1));
    for (const e of files) assert.equal(e.cacheControl, 'public, max-age=31536000, immutable', e.url);
    assert.equal(fetched.status, 200);
    // Chromium offers br to secure contexts, which include http://127.0.0.1.
    assert.equal(fetched.encoding, 'br');
    assert.equal(fetched.cacheControl, 'public, max-age=31536000, immutable');
    const raw = statSync(join(WWW, 'pkg', fetched.url.split('/').pop())).size;
    assert.ok(fetched.bytes > 0 && fetched.bytes < raw * 0.6, `first visit wasm on the wire: ${fetched.bytes} B of ${raw} B raw`);
    // Issue 14's target, <= 150 KB gzip of wasm on a first visit, is not reached (README
    // "Performance" says by how much and what the page module still holds). These bounds keep the
    // split from regressing: the page gets the small module, well under half the full one.
    const pkg = join(WWW, 'pkg');
    // The gzip a client without br is served: build-assets' precompressed copy, named by the hash of
    // the file (www/pkg/z/<first 16 hex of SHA-256>.gz).
    const gz = (name) => statSync(join(pkg, 'z', `${createHash('sha256').update(readFileSync(join(pkg, name))).digest('hex').slice(0, 16)}.gz`)).size;
    const fullName = readdirSync(pkg).find((f) => /^stircheck_bg\.[0-9a-f]{16}\.wasm$/.test(f));
    const pageGz = gz(fetched.url.split('/').pop());
    const fullGz = gz(fullName);
    assert.ok(pageGz < fullGz / 2, `page module ${pageGz} B gzip vs full ${fullGz} B`);
    assert.ok(fetched.bytes <= 240_000, `first-visit wasm ${fetched.bytes} B on the wire (ceiling 240,000; target 150,000 gzip)`);
    assert.ok(pageGz <= 260_000, `page module ${pageGz} B gzip served (ceiling 260,000; target 150,000)`);
    console.log(`# page module ${pageGz} B gzip served (full module ${fullGz} B); target 150000 B: ${pageGz <= 150_000 ? 'met' : `missed by ${pageGz - 150_000} B`}`);
    await first.page.close();

    const second = await visit(context, `${w.base}/`);
    const wasm2 = second.entries.filter((e) => e.url.endsWith('.wasm'));
    assert.ok(wasm2.length >= 1, 'the page loads its wasm on the repeat visit too');
    for (const e of wasm2) {
      assert.equal(e.url, fetched.url);
      assert.equal(e.fromCache, true, `wasm not from the browser cache: ${JSON.stringify(e)}`);
      assert.equal(e.fromServiceWorker, false);
      assert.equal(e.bytes, 0, `wasm bytes on the wire on the repeat visit: ${e.bytes}`);
    }
    // Only the document is revalidated (304); its bundled script, stylesheet, glue and wasm are
    // fingerprinted and immutable, so they come from the cache without a request.
    const doc = second.entries.find((e) => e.url === `${w.base}/`);
    assert.equal(doc.wireStatus, 304, JSON.stringify(doc));
    const total1 = first.entries.reduce((n, e) => n + e.bytes, 0);
    const total2 = second.entries.reduce((n, e) => n + e.bytes, 0);
    const full = second.entries.filter((e) => e.wireStatus === 200 && !e.fromCache && e.bytes > 0 && !e.url.includes('/api/'));
    assert.deepEqual(full.map((e) => e.url), [], 'repeat visit downloaded whole files');
    const onWire = second.entries.filter((e) => e.wireStatus !== undefined && !e.url?.includes('/api/'));
    assert.deepEqual(onWire.map((e) => `${e.url} ${e.wireStatus}`), [`${w.base}/ 304`], 'the repeat visit asks the server only about the document');
    const scripts = second.entries.filter((e) => /\.(?:js|css)$/.test(e.url ?? ''));
    assert.ok(scripts.length >= 3 && scripts.every((e) => e.fromCache && /\.[0-9a-f]{16}\.(?:js|css)$/.test(e.url)), `scripts and styles from the cache under fingerprinted names: ${JSON.stringify(scripts, null, 1)}`);
    assert.ok(total2 < total1 / 10, `repeat visit ${total2} B vs first ${total1} B`);
    console.log(`# first visit ${total1} B on the wire (wasm ${fetched.bytes} B ${fetched.encoding} of ${raw} B); repeat visit ${total2} B, wasm 0 B`);

    // The page works after the cached load: the bundled page verifies a demo call (valid) and a
    // tampered copy (invalid) through the page module.
    const page = second.page;
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    assert.equal(await page.getAttribute('html', 'data-ready'), 'true');
    const core = await loadCoreInNode();
    const header = core.sign({ keyPem: DEMO.key, x5u: BUNDLED_X5U, attest: 'A', orig: '12025550142', dest: ['12025550199'], iat: Math.floor(Date.now() / 1000) });
    await page.setInputFiles('#trust-file', DEMO.root);
    await page.waitForSelector('#trust-status .custom-trust');
    for (const [text, status] of [[header, 'valid'], [header.replace(/\.([\w-]{8})/, '.AAAAAAAA'), 'invalid']]) {
      await page.fill('#input-text', text);
      await page.evaluate(() => document.getElementById('verdict').replaceChildren());
      await page.click('#verify-button');
      await page.waitForSelector('#verdict:not([aria-busy]) .banner');
      assert.equal(await page.getAttribute('#verdict .banner', 'data-status'), status);
    }
    assert.deepEqual(errors, []);
    await page.screenshot({ path: join(SHOTS, 'assets-repeat-visit.png'), fullPage: false });
  } finally {
    await context.close();
  }
});

test('the self-check page is served built too (its bundle loads the full module) and works', async () => {
  const context = await env.browser.newContext({ viewport: { width: 1100, height: 900 } });
  try {
    const { page, entries } = await visit(context, `${w.base}/self-check.html`);
    const files = entries.filter((e) => e.url?.startsWith(w.base) && !e.url.includes('/api/') && !e.url.endsWith('.html'));
    assert.deepEqual(files.map((e) => e.url.slice(w.base.length).replace(/[0-9a-f]{16}/, 'H')).sort(),
      ['/pkg/selfcheck.H.js', '/pkg/stircheck.H.js', '/pkg/stircheck_bg.H.wasm', '/pkg/style.H.css'], JSON.stringify(files, null, 1));
    assert.equal(await page.getAttribute('html', 'data-ready'), 'true');
    await page.screenshot({ path: join(SHOTS, 'assets-self-check-built.png'), fullPage: false });
  } finally {
    await context.close();
  }
});

test('a page path with a malformed %-escape is a 400 with a JSON error, never a 500', async () => {
  const context = await env.browser.newContext({ viewport: { width: 1100, height: 600 } });
  try {
    const page = await context.newPage();
    // Each of these (but /%FF, which is not UTF-8) made the disk service throw: a 500 "internal error".
    for (const path of ['/%', '/index.html%ZZ', '/%E0%A4%A', '/pkg/%G1.js', '/%FF']) {
      const res = await page.goto(`${w.base}${path}`);
      assert.ok(res.url().endsWith(path), `the browser sent the path as typed: ${res.url()}`);
      assert.equal(res.status(), 400, `${path}: ${res.status()} ${await res.text()}`);
      assert.match(res.headers()['content-type'], /^application\/json/);
      const body = JSON.parse(await res.text());
      assert.match(body.error, /malformed %-escape/, path);
    }
    await page.screenshot({ path: join(SHOTS, 'assets-malformed-escape.png'), fullPage: false });
    // Well-formed escapes are still looked up as files: a missing one is a 404, the page a 200.
    assert.equal((await page.goto(`${w.base}/no%20such.html`)).status(), 404);
    assert.equal((await page.goto(`${w.base}/index%2Ehtml`)).status(), 200);
  } finally {
    await context.close();
  }
});
