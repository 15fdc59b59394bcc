/**
 * Browser tests of the page's two wasm modules (issue 14; scripts/build-wasm.sh, www/api.js):
 * the page loads the small `stircheck_page` module (no RustCrypto, signer, demo PKI or advisor) and
 * verifies through WebCrypto crypto jobs; the full `stircheck` module is fetched only when needed.
 * In real Chromium, reading the network log:
 * - with the full module blocked (route abort), a demo call and the real production Verizon header
 *   verify through WebCrypto, and nothing asks for the full module;
 * - with `crypto.subtle` deleted, the page loads the full module and verifies with its own crypto;
 * - a job WebCrypto refuses (a curve the browser lacks, simulated) goes to the full module's
 *   `verifyJob`; with the full module blocked as well, the page says so and shows no verdict;
 * - the demo signer and the examples load the full module on demand and still work;
 * - Chromium's WebCrypto has ECDSA P-256, P-384, P-521 and RSA PKCS#1 v1.5 (what the jobs need).
 * Screenshots: test-output/screenshots/split-*.png.
 *
 * Run: node --test tests/browser/split.test.mjs   (needs www/pkg from build-wasm.sh, chromium, ../shared/corpus)
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BUNDLED_X5U, CORPUS, DEMO, SHOTS, launch, loadCoreInNode, requireCorpus } from './harness.mjs';

/** The full module's files (glue stub, fingerprinted glue, wasm); never the page module's. */
const FULL = /\/pkg\/stircheck(?:_bg)?(?:\.[0-9a-f]{16})?\.(?:js|wasm)$/;
const PAGE = /\/pkg\/stircheck_page(?:_bg)?(?:\.[0-9a-f]{16})?\.(?:js|wasm)$/;

/** The production Verizon header of the corpus with its real chain (leaf + Metaswitch CA). */
function verizon() {
  const lines = readFileSync(join(CORPUS, 'headers.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
  const entry = lines.find((e) => e.kind === 'production' && /sti\.verizon\.com/.test(e.x5u ?? '') && e.cert_sha256);
  assert.ok(entry, 'corpus has the production Verizon header');
  const pems = readFileSync(join(CORPUS, 'certs', 'leaves.pem'), 'utf8').match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g);
  const leaf = pems.find((pem) => createHash('sha256').update(Buffer.from(pem.replace(/-----[A-Z ]+-----|\s/g, ''), 'base64')).digest('hex') === entry.cert_sha256);
  assert.ok(leaf, 'the leaf is in leaves.pem');
  const intermediates = entry.chain_in_corpus.filter((f) => f.startsWith('intermediates/'));
  const chain = [leaf, ...intermediates.map((f) => readFileSync(join(CORPUS, 'certs', f), 'utf8').trim())].join('\n');
  return { entry, chain };
}

const haveCorpus = existsSync(join(CORPUS, 'headers.jsonl'));
const vz = haveCorpus ? verizon() : null;
let env;
let core;
before(async () => {
  core = await loadCoreInNode();
  env = await launch({ x5u: vz ? { [vz.entry.x5u]: vz.chain } : {}, withStatic: false });
});
after(async () => {
  await env?.close();
});

/**
 * A fresh context and tab on the main page, with optional init script and blocked full module,
 * and a log of every wasm-module request. Waits for "verifier ready".
 */
async function open({ blockFull = false, init = null, width = 1000 } = {}) {
  const context = await env.browser.newContext({ viewport: { width, height: 900 } });
  const requests = [];
  const aborted = [];
  context.on('request', (r) => {
    if (FULL.test(r.url()) || PAGE.test(r.url())) requests.push(r.url());
  });
  if (blockFull) {
    await context.route(FULL, (route) => {
      aborted.push(route.request().url());
      return route.abort('blockedbyclient');
    });
  }
  if (init) await context.addInitScript(init);
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  await page.goto(`${env.server.url}/`);
  await page.waitForSelector('html[data-ready="true"]', { timeout: 20000 });
  return { page, requests, aborted, errors, full: () => requests.filter((u) => FULL.test(u)), close: () => context.close() };
}

async function verifyText(page, text, { asOfCall = false } = {}) {
  if ((await page.isChecked('#as-of-call')) !== asOfCall) await page.click('#as-of-call');
  await page.fill('#input-text', text);
  await page.evaluate(() => document.getElementById('verdict').replaceChildren());
  await page.click('#verify-button');
  await page.waitForSelector('#verdict:not([aria-busy]) .banner');
  return page.evaluate(() => {
    const b = document.querySelector('#verdict .banner');
    return { status: b.dataset.status, outcome: b.dataset.outcome, text: b.textContent.replace(/\s+/g, ' ').trim() };
  });
}

/** A demo call signed now with the demo key (x5u = the chain the page bundles). */
function demoHeader() {
  return core.sign({ keyPem: DEMO.key, x5u: BUNDLED_X5U, attest: 'A', orig: '12025550142', dest: ['12025550199'], iat: Math.floor(Date.now() / 1000) });
}

async function trustDemoRoot(page) {
  await page.setInputFiles('#trust-file', DEMO.root);
  await page.waitForSelector('#trust-status .custom-trust');
}

test('full module blocked: the page module verifies a demo call and the real Verizon header through WebCrypto', async (t) => {
  const s = await open({ blockFull: true });
  try {
    assert.ok(s.requests.some((u) => /stircheck_page_bg\.[0-9a-f]{16}\.wasm$/.test(u)), `page module loaded: ${s.requests}`);
    assert.deepEqual(s.full(), [], 'nothing asked for the full module at load');
    // The built page's bundle imports the fingerprinted glue itself, not the revalidated re-export.
    assert.ok(s.requests.some((u) => /\/pkg\/stircheck_page\.[0-9a-f]{16}\.js$/.test(u)) && !s.requests.some((u) => /\/pkg\/stircheck_page\.js$/.test(u)), `${s.requests}`);
    await trustDemoRoot(s.page);
    let r = await verifyText(s.page, demoHeader());
    assert.equal(r.status, 'valid', r.text);
    assert.equal(r.outcome, 'verified');
    await s.page.screenshot({ path: join(SHOTS, 'split-blocked-demo-valid.png'), fullPage: false });
    // A tampered copy fails the signature check on the same path (WebCrypto said false).
    const tampered = demoHeader().replace(/\.([\w-]+)\.([\w-]+);/, (m, claims, sig) => `.${claims}.${sig.startsWith('AAAA') ? 'BBBB' : 'AAAA'}${sig.slice(4)};`);
    r = await verifyText(s.page, tampered);
    assert.equal(r.status, 'invalid', r.text);
    assert.equal(await s.page.getAttribute('#details [data-check-id="signature"]', 'data-outcome'), 'fail');

    requireCorpus();
    await s.page.click('#trust-reset');
    await s.page.waitForSelector('#trust-status:not(:has(.custom-trust))');
    r = await verifyText(s.page, vz.entry.identity, { asOfCall: true });
    assert.equal(r.status, 'valid', r.text);
    assert.match(r.text, /Verizon/);
    assert.match(r.text, /5807/);
    await s.page.screenshot({ path: join(SHOTS, 'split-blocked-verizon-valid.png'), fullPage: false });
    assert.deepEqual(s.full(), [], 'still no request for the full module');
    assert.deepEqual(s.aborted, []);
    assert.deepEqual(s.errors, []);
  } finally {
    await s.close();
  }
});

test('WebCrypto removed: the page loads the full module and verifies with the core\'s own crypto', async (t) => {
  const s = await open({
    init: () => {
      Object.defineProperty(Crypto.prototype, 'subtle', { configurable: true, get: () => undefined });
    },
  });
  try {
    assert.equal(await s.page.evaluate(() => globalThis.crypto.subtle), undefined);
    assert.ok(s.full().some((u) => /stircheck_bg\.[0-9a-f]{16}\.wasm$/.test(u)), `full module loaded: ${s.requests}`);
    assert.equal(s.requests.filter((u) => /stircheck_page_bg\.[0-9a-f]{16}\.wasm$/.test(u)).length, 0, 'the page module is not fetched in vain');
    await trustDemoRoot(s.page);
    let r = await verifyText(s.page, demoHeader());
    assert.equal(r.status, 'valid', r.text);
    requireCorpus();
    await s.page.click('#trust-reset');
    await s.page.waitForSelector('#trust-status:not(:has(.custom-trust))');
    r = await verifyText(s.page, vz.entry.identity, { asOfCall: true });
    assert.equal(r.status, 'valid', r.text);
    assert.match(r.text, /5807/);
    await s.page.screenshot({ path: join(SHOTS, 'split-no-webcrypto-valid.png'), fullPage: false });
    assert.deepEqual(s.errors, []);
  } finally {
    await s.close();
  }
});

/** Make WebCrypto refuse P-256 keys, as a browser without a curve would: every job needs the fallback. */
function refuseP256() {
  const importKey = SubtleCrypto.prototype.importKey;
  window.__refused = 0;
  SubtleCrypto.prototype.importKey = function (format, key, alg, ...rest) {
    if (alg?.namedCurve === 'P-256') {
      window.__refused++;
      return Promise.reject(new DOMException('curve not supported', 'NotSupportedError'));
    }
    return importKey.call(this, format, key, alg, ...rest);
  };
}

test('a curve WebCrypto refuses: those jobs go to the full module (loaded then); blocked too, a clear error and no verdict', async () => {
  let s = await open({ init: refuseP256 });
  try {
    assert.deepEqual(s.full(), [], 'the full module is not loaded until a job needs it');
    await trustDemoRoot(s.page);
    const r = await verifyText(s.page, demoHeader());
    assert.equal(r.status, 'valid', r.text);
    assert.ok((await s.page.evaluate(() => window.__refused)) >= 2, 'WebCrypto was asked and refused');
    assert.ok(s.full().some((u) => /stircheck_bg\.[0-9a-f]{16}\.wasm$/.test(u)), `full module fetched for the job: ${s.requests}`);
  } finally {
    await s.close();
  }
  s = await open({ init: refuseP256, blockFull: true });
  try {
    await trustDemoRoot(s.page);
    const r = await verifyText(s.page, demoHeader());
    assert.equal(r.status, 'error', 'an error banner, not a verdict');
    assert.match(r.text, /cannot check a ES256 signature on P-256 itself, and the fallback verifier could not be loaded/);
    assert.ok(s.aborted.length >= 1);
    await s.page.screenshot({ path: join(SHOTS, 'split-no-curve-no-fallback.png'), fullPage: false });
  } finally {
    await s.close();
  }
});

test('demo signer and examples load the full module on demand and work', async () => {
  const s = await open();
  try {
    assert.deepEqual(s.full(), [], 'not loaded before it is needed');
    assert.equal(await s.page.isVisible('#demo-open'), true);
    await s.page.screenshot({ path: join(SHOTS, 'split-demo-closed.png'), fullPage: true });
    await s.page.click('#demo-open');
    await s.page.waitForSelector('#demo-sign');
    assert.ok(s.full().some((u) => /stircheck_bg\.[0-9a-f]{16}\.wasm$/.test(u)), 'full module loaded when the signer was opened');
    assert.equal(await s.page.evaluate(() => document.activeElement?.id), 'demo-orig', 'focus moves into the opened signer');
    await s.page.click('#demo-sign');
    await s.page.waitForFunction(() => document.getElementById('demo-header').value.startsWith('Identity: eyJ'));
    await s.page.click('#demo-verify');
    await s.page.waitForSelector('#demo-result:not([aria-busy]) .banner[data-status="valid"]');
    await s.page.locator('#demo-signer').screenshot({ path: join(SHOTS, 'split-demo-signer-valid.png') });
    await s.page.click('#example-valid');
    await s.page.waitForSelector('#verdict:not([aria-busy]) .banner[data-status="valid"]');
    await s.page.click('#example-broken');
    await s.page.waitForSelector('#verdict:not([aria-busy]) .banner[data-status="invalid"]');
    assert.deepEqual(s.errors, []);
  } finally {
    await s.close();
  }
  // Examples first (signer not opened): the first click loads the full module.
  const e = await open();
  try {
    await e.page.click('#example-valid');
    await e.page.waitForSelector('#verdict:not([aria-busy]) .banner[data-status="valid"]');
    assert.ok(e.full().length > 0);
  } finally {
    await e.close();
  }
});

test('a branded call (rcdi digests) is verified by the full module, loaded for it: same verdict; blocked, a clear error', async () => {
  const branded = core.sign({ keyPem: DEMO.key, x5u: BUNDLED_X5U, attest: 'A', orig: '12025550142', dest: ['12025550199'], iat: Math.floor(Date.now() / 1000), rcd: { nam: 'Example Dental (DEMO)' } });
  let s = await open();
  try {
    await trustDemoRoot(s.page);
    // A call without rich call data stays in the page module.
    let r = await verifyText(s.page, demoHeader());
    assert.equal(r.status, 'valid', r.text);
    assert.deepEqual(s.full(), [], 'no full module for a call without rcdi');
    r = await verifyText(s.page, branded);
    assert.equal(r.status, 'valid', r.text);
    assert.match(r.text, /Example Dental \(DEMO\)/, 'the branded name, verified');
    assert.ok(s.full().some((u) => /stircheck_bg\.[0-9a-f]{16}\.wasm$/.test(u)), `full module fetched for the rcdi digests: ${s.requests}`);
    assert.equal(await s.page.getAttribute('#details [data-check-id="rcd.integrity"]', 'data-outcome'), 'pass');
    // The same checks and outcomes as the full module gives in Node (the page groups them by outcome).
    const shown = await s.page.$$eval('#details [data-check-id]', (els) => els.map((e) => `${e.dataset.checkId}:${e.dataset.outcome}`));
    const node = new core.Verifier([readFileSync(DEMO.root, 'utf8')]).verify(branded, { certs: { [BUNDLED_X5U]: DEMO.chain } });
    assert.deepEqual([...new Set(shown)].sort(), node.checks.map((c) => `${c.id}:${c.outcome}`).sort());
    assert.deepEqual(s.errors, []);
    await s.page.screenshot({ path: join(SHOTS, 'split-branded-full-module.png'), fullPage: false });
  } finally {
    await s.close();
  }
  s = await open({ blockFull: true });
  try {
    await trustDemoRoot(s.page);
    const r = await verifyText(s.page, branded);
    assert.equal(r.status, 'error', 'an error banner, not a verdict the page module could not make');
    assert.ok(s.aborted.length >= 1);
  } finally {
    await s.close();
  }
});

test('Chromium WebCrypto verifies ECDSA P-256, P-384, P-521 and RSA PKCS#1 v1.5 (every job kind)', async () => {
  const s = await open();
  try {
    const got = await s.page.evaluate(async () => {
      const data = new TextEncoder().encode('stircheck');
      const out = {};
      for (const [name, gen, sig] of [
        ['P-256', { name: 'ECDSA', namedCurve: 'P-256' }, { name: 'ECDSA', hash: 'SHA-256' }],
        ['P-384', { name: 'ECDSA', namedCurve: 'P-384' }, { name: 'ECDSA', hash: 'SHA-384' }],
        ['P-521', { name: 'ECDSA', namedCurve: 'P-521' }, { name: 'ECDSA', hash: 'SHA-512' }],
        ['RSA', { name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' }, { name: 'RSASSA-PKCS1-v1_5' }],
      ]) {
        try {
          const k = await crypto.subtle.generateKey(gen, true, ['sign', 'verify']);
          const spki = await crypto.subtle.exportKey('spki', k.publicKey);
          const pub = await crypto.subtle.importKey('spki', spki, gen.name === 'ECDSA' ? { name: 'ECDSA', namedCurve: gen.namedCurve } : { name: gen.name, hash: 'SHA-256' }, false, ['verify']);
          const s = await crypto.subtle.sign(sig, k.privateKey, data);
          out[name] = (await crypto.subtle.verify(sig, pub, s, data)) && !(await crypto.subtle.verify(sig, pub, s, new Uint8Array([1])));
        } catch (e) {
          out[name] = String(e);
        }
      }
      return out;
    });
    assert.deepEqual(got, { 'P-256': true, 'P-384': true, 'P-521': true, RSA: true });
  } finally {
    await s.close();
  }
});
