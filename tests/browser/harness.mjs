/**
 * One setup for every browser test file: paths, the DEMO PKI, Debian's headless Chromium through
 * playwright-core, the fixture servers (./server.mjs), a page opener that records page errors, and
 * an axe-core run injected into the page.
 *
 * Hard requirements (a missing browser, wasm build or corpus fails the run, it never skips):
 * /usr/bin/chromium, www/pkg from scripts/build-wasm.sh, and the real-world corpus (requireCorpus).
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startServer } from './server.mjs';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const WWW = join(ROOT, 'www');
export const SHOTS = join(ROOT, 'test-output', 'screenshots');
export const CORPUS = resolve(ROOT, process.env.STIRCHECK_CORPUS ?? '../shared/corpus');
export const CHROMIUM = '/usr/bin/chromium';

/** The corpus directory, which must be there (the same rule as tests/corpus.rs: it is the project's
 * test data, so a missing corpus fails the test that reads it instead of skipping it). */
export function requireCorpus() {
  assert.ok(
    existsSync(join(CORPUS, 'headers.jsonl')),
    `the real-world corpus is missing: expected it at ${CORPUS} (the shared folder beside the repository, or $STIRCHECK_CORPUS; CI has it)`,
  );
  return CORPUS;
}
export const PKG_JS = join(WWW, 'pkg', 'stircheck.js');
export const PKG_WASM = join(WWW, 'pkg', 'stircheck_bg.wasm');

/** An x5u the fixture worker serves (the demo chain under a second URL), to exercise /api/x5u. */
export const SERVED_X5U = 'https://certs.test.example/stircheck/demo-chain.pem';
/** Bundled with the page (www/examples.js DEMO_X5U). */
export const BUNDLED_X5U = 'https://certs.example.com/stircheck-demo/demo-chain.pem';
/** An x5u the fixture worker cannot fetch (502): the "could not check" case. */
export const DEAD_X5U = 'https://certs.unreachable.example/sti/dead-chain.pem';

export const DEMO = {
  root: join(WWW, 'demo', 'demo-root.pem'),
  chain: readFileSync(join(WWW, 'demo', 'demo-chain.pem'), 'utf8'),
  key: readFileSync(join(WWW, 'demo', 'demo-key.pem'), 'utf8'),
};

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** The wasm core in Node (for signing fixtures with the same `sign()` the page uses). */
export async function loadCoreInNode() {
  assert.ok(existsSync(PKG_JS) && existsSync(PKG_WASM), 'www/pkg is missing: build the wasm first (bash scripts/build-wasm.sh)');
  const core = await import(PKG_JS);
  core.initSync({ module: readFileSync(PKG_WASM) });
  return core;
}

/**
 * The servers (./server.mjs with the API, and the worker) serve each page as its bundle from
 * scripts/build-assets.mjs, which is used while the page's HTML is unchanged: after an edit of a
 * module (www/*.js) or the stylesheet without a rebuild, the tests would run the old code and pass
 * or fail for nothing. So a source newer than the build fails the run, with the command to run.
 */
export function assertBundlesFresh() {
  // build-assets rewrites the built pages on every run (the manifest only when it changes).
  const pages = join(WWW, 'pkg', 'pages');
  const builtPages = existsSync(pages) ? readdirSync(pages).filter((f) => f.endsWith('.html')) : [];
  assert.ok(builtPages.length > 0, 'www/pkg/pages is missing: run node scripts/build-assets.mjs (or bash scripts/build-wasm.sh)');
  const built = Math.min(...builtPages.map((f) => statSync(join(pages, f)).mtimeMs));
  const newer = readdirSync(WWW).filter((f) => /\.(?:js|css|html)$/.test(f) && statSync(join(WWW, f)).mtimeMs > built);
  assert.deepEqual(newer, [], `www/ changed after the page bundles were built: run node scripts/build-assets.mjs (newer: ${newer.join(', ')})`);
}

/**
 * Launch Chromium and the fixture servers.
 * @param {{ x5u?: Record<string,string>, rcd?: Record<string,{contentType:string,data:string}>, crl?: Record<string,string>, withStatic?: boolean }} [opts]
 *   x5u: URL -> PEM the fixture worker serves; rcd / crl: URL -> what its /api/rcd, /api/crl serve; withStatic:
 *   also a plain static host (no API) for the "no worker" cases; args: more Chromium switches
 */
export async function launch({ x5u = { [SERVED_X5U]: DEMO.chain }, rcd = {}, crl = {}, withStatic = true, args = [] } = {}) {
  assert.ok(existsSync(CHROMIUM), `${CHROMIUM} is missing: apt-get install -y chromium chromium-driver`);
  assert.ok(existsSync(PKG_JS), 'www/pkg/stircheck.js is missing: build the wasm first (bash scripts/build-wasm.sh)');
  assertBundlesFresh();
  mkdirSync(SHOTS, { recursive: true });
  const profileDir = await mkdtemp(join(tmpdir(), 'stircheck-chromium-'));
  const server = await startServer({ root: WWW, api: true, x5u, rcd, crl });
  const staticServer = withStatic ? await startServer({ root: WWW, api: false }) : null;
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      `--disk-cache-dir=${join(profileDir, 'cache')}`,
      ...args,
    ],
  });
  return {
    browser,
    server,
    staticServer,
    async close() {
      await browser?.close();
      await server?.close();
      await staticServer?.close();
      await rm(profileDir, { recursive: true, force: true });
    },
  };
}

/**
 * A fresh browser context (own storage) with `path` loaded and the page ready
 * (`html[data-ready="true"]`). Collects page errors and console errors (except the browser's own
 * "Failed to load resource" lines for expected non-2xx answers) so a case can assert a healthy page.
 */
export async function openPage(browser, base, path = '/', { width = 1100, height = 900, clipboard = false, downloads = false } = {}) {
  const context = await browser.newContext({ viewport: { width, height }, acceptDownloads: downloads });
  if (clipboard) await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && !/Failed to load resource/.test(m.text())) errors.push(`console: ${m.text()}`);
  });
  await page.goto(`${base}${path}`);
  await page.waitForSelector('html[data-ready="true"]', { timeout: 15000 });
  return { page, errors, close: () => context.close() };
}

/**
 * axe-core (npm, run inside the page) against WCAG 2.x A/AA and best-practice rules; returns the
 * violations as short strings ("rule: target — help"). The page's CSP does not apply to scripts the
 * test evaluates through the DevTools protocol, so the page itself keeps its strict policy.
 * @param {import('playwright-core').Page} page
 * @param {string} [include] CSS selector of the part to check (default: the whole document)
 */
export async function axeViolations(page, include) {
  const loaded = await page.evaluate(() => typeof window.axe === 'object');
  if (!loaded) await page.evaluate(AXE_SOURCE);
  return page.evaluate(async (sel) => {
    const result = await window.axe.run(sel ? { include: [sel] } : document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
      resultTypes: ['violations'],
    });
    return result.violations.flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target.join(' ')} — ${v.help}`));
  }, include ?? null);
}
