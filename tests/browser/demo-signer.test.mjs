/**
 * Browser tests of the main page's "Make a known-good demo header" panel (www/demo-signer.js) in
 * headless Chromium: a DEMO key and certificate generated in the page (core `demoPki` seeded from
 * crypto.getRandomValues), a header signed for the chosen orig/dest/attest, copied, and verified
 * against the demo trust store only (labelled DEMO); the same header in the main paste box is not
 * trusted. Screenshots: test-output/screenshots/demo-signer-*.png.
 *
 * Run: node --test tests/browser/   (needs www/pkg with demoPki; nothing here skips)
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { axeViolations, launch, openPage, SHOTS, WWW } from './harness.mjs';
import { contrastProblems } from './a11y.mjs';

let env;

before(async () => {
  const dts = join(WWW, 'pkg', 'stircheck.d.ts');
  assert.ok(existsSync(dts), 'www/pkg is missing: build the wasm first (bash scripts/build-wasm.sh)');
  assert.match(readFileSync(dts, 'utf8'), /export function demoPki/, 'the wasm build has no demoPki: rebuild it (bash scripts/build-wasm.sh)');
  env = await launch({ x5u: {}, withStatic: false });
});

after(async () => {
  await env?.close();
});

async function openMain({ width = 1100, height = 900 } = {}) {
  const opened = await openPage(env.browser, env.server.url, '/', { width, height, clipboard: true });
  // The demo signer is in the full wasm module, loaded when the panel is opened (www/app.js).
  await opened.page.click('#demo-open');
  await opened.page.waitForSelector('#demo-sign');
  return opened;
}

const joseOf = (line) => JSON.parse(Buffer.from(line.match(/(eyJ[\w-]*)\./)[1], 'base64url').toString('utf8'));
const claimsOf = (line) => JSON.parse(Buffer.from(line.match(/eyJ[\w-]*\.([\w-]+)\./)[1], 'base64url').toString('utf8'));

test('demo signer: generate, sign B for a chosen orig/dest, copy, verify against the demo root only', async () => {
  const { page, errors, close } = await openMain();
  try {
    assert.equal(await page.isVisible('#demo-signer'), true);
    assert.match(await page.textContent('#demo-signer h2'), /Make a known-good demo header\s*DEMO/);
    await page.fill('#demo-orig', '+1 (202) 555-0123');
    await page.fill('#demo-dest', '1-202-555-0188');
    await page.selectOption('#demo-attest', 'B');
    await page.click('#demo-sign');
    await page.waitForFunction(() => document.getElementById('demo-header').value.startsWith('Identity: eyJ'));
    const header = await page.inputValue('#demo-header');
    const claims = claimsOf(header);
    assert.equal(claims.attest, 'B');
    assert.deepEqual(claims.orig, { tn: '12025550123' });
    assert.deepEqual(claims.dest, { tn: ['12025550188'] });
    assert.ok(Math.abs(claims.iat - Date.now() / 1000) < 60);
    assert.match(header, /;info=<https:\/\/certs\.example\.com\/stircheck-demo\/browser-[0-9a-f]{16}\.pem>/);
    assert.match(await page.textContent('#demo-cert'), /SPC DEMO/);

    await page.click('#demo-copy');
    await page.waitForSelector('#demo-signer .copy-status:has-text("Copied")');
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), header);

    await page.click('#demo-verify');
    await page.waitForSelector('#demo-result:not([aria-busy]) .banner');
    const r = await page.$eval('#demo-result .banner', (b) => ({
      status: b.dataset.status,
      attest: b.querySelector('.badge')?.dataset.attest,
      label: b.querySelector('.banner__status').textContent,
      headline: b.querySelector('.banner__headline').textContent,
      signer: b.querySelector('[data-fact="signer"] dd')?.textContent ?? null,
    }));
    assert.equal(r.status, 'valid', JSON.stringify(r));
    assert.equal(r.attest, 'B');
    assert.match(r.label, /DEMO — not a real carrier/);
    assert.ok(r.headline, 'the core\'s headline');
    assert.match(r.signer, /DEMO/);
    assert.match(await page.textContent('#demo-result'), /demo root generated above only/);
    await page.locator('#demo-signer').screenshot({ path: join(SHOTS, 'demo-signer-valid.png') });

    // The same header in the main box: the real trust store does not know the demo root (and the
    // x5u is not served), so it is not valid there.
    await page.fill('#input-text', header);
    await page.click('#verify-button');
    await page.waitForSelector('#verdict:not([aria-busy]) .banner');
    assert.equal(await page.getAttribute('#verdict .banner', 'data-status'), 'invalid');

    // A new certificate: the old header no longer verifies against the new demo root.
    await page.click('#demo-new-cert');
    assert.equal(await page.inputValue('#demo-header'), '');
    assert.equal(await page.isDisabled('#demo-verify'), true);
    await page.click('#demo-sign');
    await page.waitForFunction((old) => document.getElementById('demo-header').value.startsWith('Identity:') && document.getElementById('demo-header').value !== old, header);
    assert.notEqual(joseOf(await page.inputValue('#demo-header')).x5u, joseOf(header).x5u);

    // Bad number: a message, no header.
    await page.fill('#demo-orig', 'call me');
    await page.click('#demo-sign');
    assert.match(await page.textContent('#demo-message'), /Enter the calling \(orig\) number/);

    assert.deepEqual(await contrastProblems(page, '#demo-signer'), []);
    assert.deepEqual(await axeViolations(page, '#demo-signer'), []);
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

test('demo signer at 375px: fields stacked, no sideways scroll', async () => {
  const { page, errors, close } = await openMain({ width: 375, height: 812 });
  try {
    await page.selectOption('#demo-attest', 'C');
    await page.click('#demo-sign');
    await page.click('#demo-verify');
    await page.waitForSelector('#demo-result:not([aria-busy]) .banner[data-status="valid"]');
    assert.equal(await page.getAttribute('#demo-result .badge', 'data-attest'), 'C');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `page is ${overflow}px wider than the screen`);
    await page.locator('#demo-signer').screenshot({ path: join(SHOTS, 'demo-signer-phone-375.png') });
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});
