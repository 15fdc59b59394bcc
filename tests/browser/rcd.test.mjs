/**
 * Browser tests of branded calling (Rich Call Data, RFC 9795) on the page, in headless Chromium:
 *
 * - the demo panel signs a "branded call" (name, a logo drawn in the page, call reason; the core's
 *   `sign` with `rcd` + `rcdResources` writes the `rcdi` digests) and verifies it with the logo
 *   bytes as `resources`: the banner shows the name, the logo (an <img> from a blob: URL that
 *   decoded) and the call reason;
 * - "tamper with the logo" hands the verifier other bytes: the SHAKEN verdict stays valid, the brand
 *   says "not verified" with the core's reason and shows no logo;
 * - the renderer alone (render-rcd.js) with a report whose /nam digest does not match: nothing
 *   styled as the brand, the claimed name only in the folded details, marked NOT verified;
 * - the page never requests the icn URL (every request of the page is logged), no element points
 *   at it, axe-core finds nothing, 375 px has no sideways scroll;
 * - the main box fetches the logo through the worker (`/api/rcd`, the fixture here): the right bytes
 *   show the brand, swapped or missing ones do not (with the reason); on static hosting nothing is
 *   downloaded and the brand says why;
 * - the self-check page: the core's answer per number names the verified branded name and counts
 *   the unverified ones without naming them.
 * Screenshots: test-output/screenshots/rcd-*.png.
 *
 * Run: node --test tests/browser/rcd.test.mjs   (needs www/pkg with rcd sign options; nothing skips)
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { axeViolations, DEMO, launch, loadCoreInNode, openPage, SERVED_X5U, SHOTS, WWW } from './harness.mjs';
import { contrastProblems } from './a11y.mjs';

let env;
let core;

before(async () => {
  const dts = join(WWW, 'pkg', 'stircheck.d.ts');
  assert.ok(existsSync(dts), 'www/pkg is missing: build the wasm first (bash scripts/build-wasm.sh)');
  core = await loadCoreInNode();
  const demoLogo = core.demoLogo();
  const bytes = Buffer.from(demoLogo.pngBase64, 'base64');
  const other = Buffer.from(bytes);
  other[other.length - 20] ^= 0xff; // same size, other bytes
  logo = { png: bytes.toString('base64'), other: other.toString('base64') };
  // The fixture worker serves the demo chain at SERVED_X5U and the logos at /api/rcd.
  env = await launch({
    x5u: { [SERVED_X5U]: DEMO.chain },
    rcd: { [LOGO_OK]: { contentType: 'image/png', data: logo.png }, [LOGO_SWAPPED]: { contentType: 'image/png', data: logo.other } },
    withStatic: true,
  });
});

after(async () => {
  await env?.close();
});

/** Open the main page with every request the page makes logged (URL strings). */
async function openLogged({ width = 1100, height = 900, downloads = false } = {}) {
  const opened = await openPage(env.browser, env.server.url, '/', { width, height, downloads });
  const requests = [];
  opened.page.on('request', (r) => requests.push(r.url()));
  return { ...opened, requests };
}

const claimsOf = (line) => JSON.parse(Buffer.from(line.match(/eyJ[\w-]*\.([\w-]+)\./)[1], 'base64url').toString('utf8'));

/** Tick "Branded call", fill it, sign, verify; returns the signed header. */
async function signBranded(page, { name, crn, tamper = false }) {
  await page.check('#demo-rcd');
  await page.fill('#demo-rcd-name', name);
  await page.fill('#demo-rcd-crn', crn);
  if (tamper) await page.check('#demo-rcd-tamper');
  else await page.uncheck('#demo-rcd-tamper');
  const old = await page.inputValue('#demo-header');
  await page.click('#demo-sign');
  await page.waitForFunction((o) => {
    const v = document.getElementById('demo-header').value;
    return v.startsWith('Identity: eyJ') && v !== o;
  }, old);
  return page.inputValue('#demo-header');
}

async function verifyDemo(page) {
  await page.click('#demo-verify');
  await page.waitForSelector('#demo-result:not([aria-busy]) .banner');
}

/** Facts of the brand shown in a banner. */
function brandFacts(page, root) {
  return page.$eval(root, (b) => {
    const brand = b.querySelector('.brand');
    const img = brand?.querySelector('img');
    return {
      status: b.dataset.status,
      rcd: brand?.dataset.rcd ?? null,
      line: brand?.querySelector('.brand__line')?.textContent ?? null,
      name: brand?.querySelector('.brand__name')?.textContent ?? null,
      crn: brand?.querySelector('.brand__crn')?.textContent ?? null,
      reason: brand?.querySelector('.brand__reason')?.textContent ?? null,
      img: img ? { src: img.getAttribute('src'), complete: img.complete, width: img.naturalWidth, alt: img.alt } : null,
      imgs: b.querySelectorAll('img').length,
      detailsOpen: brand?.querySelector('details')?.open ?? null,
      digests: [...(brand?.querySelectorAll('tbody tr') ?? [])].map((tr) => ({ pointer: tr.dataset.pointer, result: tr.dataset.result })),
    };
  });
}

/** Whether a blob: URL still loads as an image (false once revoked). img-src allows blob:, connect-src does not. */
function blobLoads(page, url) {
  return page.evaluate(
    (u) => new Promise((ok) => {
      const img = new Image();
      img.onload = () => ok(true);
      img.onerror = () => ok(false);
      img.src = u;
    }),
    url,
  );
}

/** Nothing on the page points at `url` (src, href, srcset, CSS backgrounds). */
function elementsPointingAt(page, url) {
  return page.evaluate((u) => {
    const hits = [];
    for (const el of document.querySelectorAll('*')) {
      for (const attr of ['src', 'href', 'srcset', 'poster', 'data']) if (el.getAttribute(attr)?.includes(u)) hits.push(`${el.tagName}[${attr}]`);
      if (getComputedStyle(el).backgroundImage.includes(u)) hits.push(`${el.tagName} background`);
    }
    return hits;
  }, url);
}

test('branded demo call: name, logo from verified bytes (blob:) and call reason; the icn URL is never requested', async () => {
  const dts = readFileSync(join(WWW, 'pkg', 'stircheck.d.ts'), 'utf8');
  assert.match(dts, /rcdResources/, 'the wasm build has no rcd sign options: rebuild it (bash scripts/build-wasm.sh)');
  const { page, errors, requests, close } = await openLogged();
  try {
    assert.equal(await page.isVisible('#demo-rcd-fields'), false, 'branded-call fields only when asked for');
    const header = await signBranded(page, { name: 'Example Dental (DEMO)', crn: 'Appointment reminder' });
    const claims = claimsOf(header);
    assert.equal(claims.rcd?.nam, 'Example Dental (DEMO)', JSON.stringify(claims));
    assert.equal(claims.crn, 'Appointment reminder', 'crn is a claim of its own (RFC 9795)');
    const icnUrl = claims.rcd?.icn;
    assert.match(icnUrl, /^https:\/\/logos\.example\.com\/stircheck-demo\/brand-[0-9a-f]{16}\.png$/);
    assert.ok(claims.rcdi && typeof claims.rcdi['/nam'] === 'string' && typeof claims.rcdi['/icn'] === 'string', `rcdi covers /nam and /icn: ${JSON.stringify(claims.rcdi)}`);
    // The preview shows the logo that was signed (a blob: image of our own bytes).
    await page.waitForFunction(() => document.querySelector('#demo-rcd-preview img')?.naturalWidth > 0);

    await verifyDemo(page);
    await page.waitForFunction(() => document.querySelector('#demo-result .brand img')?.naturalWidth > 0, null, { timeout: 5000 });
    const f = await brandFacts(page, '#demo-result .banner');
    assert.equal(f.status, 'valid', JSON.stringify(f));
    assert.equal(f.rcd, 'verified', JSON.stringify(f));
    assert.equal(f.name, 'Example Dental (DEMO)');
    assert.equal(f.crn, 'Appointment reminder');
    assert.match(f.line, /^Shown to the callee as: Example Dental \(DEMO\), reason: Appointment reminder/);
    assert.match(f.img.src, /^blob:http:\/\/127\.0\.0\.1:\d+\//, 'logo from a blob: URL');
    assert.equal(f.img.width, 64, 'the 64 px demo logo decoded');
    assert.equal(f.img.alt, 'Logo of Example Dental (DEMO)');
    assert.equal(f.detailsOpen, false, 'digests one click away');
    assert.deepEqual(f.digests.map((d) => d.result), f.digests.map(() => 'match'), JSON.stringify(f.digests));
    assert.ok(f.digests.some((d) => d.pointer === '/icn') && f.digests.some((d) => d.pointer === '/nam'), JSON.stringify(f.digests));
    await page.click('#demo-result .brand__details summary');
    assert.match(await page.textContent('#demo-result .brand__details'), /RFC 9795/);
    await page.locator('#demo-result').screenshot({ path: join(SHOTS, 'rcd-verified.png') });

    // Re-verifying replaces the logo and revokes the old object URL.
    const oldSrc = f.img.src;
    await verifyDemo(page);
    await page.waitForFunction(() => document.querySelector('#demo-result .brand img')?.naturalWidth > 0);
    const newSrc = await page.getAttribute('#demo-result .brand img', 'src');
    assert.notEqual(newSrc, oldSrc);
    assert.equal(await blobLoads(page, newSrc), true, 'the current logo URL loads');
    assert.equal(await blobLoads(page, oldSrc), false, 'the previous blob: URL was revoked');

    assert.deepEqual(requests.filter((u) => u.includes('logos.example.com')), [], 'the page never requests the icn URL');
    assert.deepEqual(await elementsPointingAt(page, icnUrl), []);
    assert.deepEqual(await contrastProblems(page, '#demo-result'), []);
    assert.deepEqual(await axeViolations(page, '#demo-signer'), []);
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

test('tampered logo: the call still verifies, the brand is "not verified" with the reason and no logo', async () => {
  const { page, errors, requests, close } = await openLogged();
  try {
    const header = await signBranded(page, { name: 'Example Bank (DEMO)', crn: 'Fraud alert', tamper: true });
    const icnUrl = claimsOf(header).rcd.icn;
    await verifyDemo(page);
    const f = await brandFacts(page, '#demo-result .banner');
    assert.equal(f.status, 'valid', 'the SHAKEN verdict stays valid');
    assert.equal(f.rcd, 'unverified', JSON.stringify(f));
    assert.match(f.line, /^Branded name not verified: /);
    assert.ok(f.reason && f.reason.length > 10, `the core's reason: ${f.reason}`);
    assert.match(f.reason, /icn|logo/i, 'the reason names the logo');
    assert.equal(f.imgs, 0, 'no logo anywhere in the banner');
    assert.equal(f.name, null, 'the claimed name is not styled as the brand');
    const icnRow = f.digests.find((d) => d.pointer === '/icn');
    assert.equal(icnRow?.result, 'mismatch', JSON.stringify(f.digests));
    // What the call claims is in the folded details, marked NOT verified.
    await page.click('#demo-result .brand__details summary');
    assert.match(await page.textContent('#demo-result .brand__details'), /Claimed \(NOT verified\)name “Example Bank \(DEMO\)”; call reason “Fraud alert”/);
    await page.locator('#demo-result').screenshot({ path: join(SHOTS, 'rcd-tampered-logo.png') });

    // Un-ticking the toggle and verifying the same header again: the right bytes, the brand shows.
    await page.uncheck('#demo-rcd-tamper');
    await verifyDemo(page);
    await page.waitForFunction(() => document.querySelector('#demo-result .brand img')?.naturalWidth > 0);
    assert.equal(await page.getAttribute('#demo-result .brand', 'data-rcd'), 'verified');

    // A wrong /nam digest signed by the core (rcd.tamper "nam"): the right logo bytes, still no brand.
    await page.check('#demo-rcd-bad-nam');
    const badNam = await signBranded(page, { name: 'Example Bank (DEMO)', crn: 'Fraud alert' });
    assert.equal(claimsOf(badNam).rcd.nam, 'Example Bank (DEMO)');
    await verifyDemo(page);
    const n = await brandFacts(page, '#demo-result .banner');
    assert.equal(n.status, 'valid', 'the SHAKEN verdict stays valid');
    assert.equal(n.rcd, 'unverified', JSON.stringify(n));
    assert.match(n.reason, /\/nam/, `the reason names /nam: ${n.reason}`);
    assert.doesNotMatch(n.reason, /^Branded name not verified/i, 'the label is not repeated');
    assert.equal(n.imgs, 0, 'no logo although its bytes matched');
    assert.equal(n.digests.find((d) => d.pointer === '/nam')?.result, 'mismatch', JSON.stringify(n.digests));
    assert.equal(n.digests.find((d) => d.pointer === '/icn')?.result, 'match', JSON.stringify(n.digests));
    await page.locator('#demo-result').screenshot({ path: join(SHOTS, 'rcd-tampered-nam.png') });

    assert.deepEqual(requests.filter((u) => u.includes('logos.example.com')), []);
    assert.deepEqual(await elementsPointingAt(page, icnUrl), []);
    assert.deepEqual(await elementsPointingAt(page, claimsOf(badNam).rcd.icn), []);
    assert.deepEqual(await axeViolations(page, '#demo-signer'), []);
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

test('branded demo call at 375 px: brand, logo and details fit without sideways scroll', async () => {
  const { page, errors, close } = await openLogged({ width: 375, height: 812 });
  try {
    await signBranded(page, { name: 'Example Dental Associates of Northern Virginia (DEMO)', crn: 'Your appointment tomorrow at 9:30' });
    await verifyDemo(page);
    await page.waitForFunction(() => document.querySelector('#demo-result .brand img')?.naturalWidth > 0);
    await page.click('#demo-result .brand__details summary');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `page is ${overflow}px wider than the screen`);
    await page.locator('#demo-result').screenshot({ path: join(SHOTS, 'rcd-verified-375.png') });
    assert.deepEqual(await axeViolations(page, '#demo-result'), []);
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

/** Logo URLs the fixture worker's /api/rcd knows: the right bytes, other bytes, and none (502). */
const LOGO_OK = 'https://logos.test.example/brand/ok.png';
const LOGO_SWAPPED = 'https://logos.test.example/brand/swapped.png';
const LOGO_MISSING = 'https://logos.test.example/brand/missing.png';
let logo; // { png: base64 of the core's DEMO logo, other: base64 of changed bytes }

/** A branded SHAKEN Identity line signed in Node (demo PKI of www/demo, x5u served by the fixture). */
function brandedLine(icn, { nam = 'Example Dental (DEMO)', crn = 'Appointment reminder' } = {}) {
  return core.sign({
    keyPem: DEMO.key, x5u: SERVED_X5U, attest: 'A', orig: '12025550142', dest: ['12025550199'], iat: Math.floor(Date.now() / 1000),
    rcd: { nam, icn, crn }, rcdResources: { [icn]: logo.png },
  });
}

/** Paste `line` in the main box with the demo root as the trust store; returns the brand facts. */
async function verifyInMainBox(page, line, base = env.server.url) {
  await page.setInputFiles('#trust-file', DEMO.root);
  await page.waitForSelector('#trust-status .custom-trust');
  await page.fill('#input-text', line);
  await page.click('#verify-button');
  await page.waitForSelector('#verdict:not([aria-busy]) .banner');
  if (base !== env.server.url) {
    // Static hosting: no /api/x5u either, so the chain is pasted.
    await page.locator('textarea.chain-input').first().fill(DEMO.chain);
    await page.click('button:has-text("Verify with this chain")');
  }
  await page.waitForSelector('#verdict:not([aria-busy]) .banner[data-status="valid"]', { timeout: 10000 });
  return brandFacts(page, '#verdict .banner');
}

test('main box through the worker (/api/rcd): a verified logo is shown from the fetched bytes; swapped or missing content is not', async () => {
  const { page, errors, requests, close } = await openLogged();
  try {
    // The right bytes: the brand with its logo; the page asked its own service, never the logo host.
    let f = await verifyInMainBox(page, brandedLine(LOGO_OK));
    assert.equal(f.rcd, 'verified', JSON.stringify(f));
    await page.waitForFunction(() => document.querySelector('#verdict .brand img')?.naturalWidth > 0);
    f = await brandFacts(page, '#verdict .banner');
    assert.match(f.img.src, /^blob:/);
    assert.equal(f.img.width, 48, 'the 48 px DEMO logo decoded');
    assert.equal(f.name, 'Example Dental (DEMO)');
    assert.equal(f.crn, 'Appointment reminder');
    assert.ok(requests.includes(`${env.server.url}/api/rcd?url=${encodeURIComponent(LOGO_OK)}`), 'fetched through /api/rcd');
    assert.match(await page.textContent('.identity[data-role="shaken"] .identity__rcd'), /^Rich call data verified: /);
    await page.locator('#verdict').screenshot({ path: join(SHOTS, 'rcd-main-verified.png') });
    assert.deepEqual(await axeViolations(page, '#verdict'), []);

    // The service hands over other bytes than were signed: not verified, no logo.
    f = await verifyInMainBox(page, brandedLine(LOGO_SWAPPED, { nam: 'Example Bank (DEMO)' }));
    assert.equal(f.rcd, 'unverified', JSON.stringify(f));
    assert.match(f.reason, /\/icn/);
    assert.equal(f.imgs, 0);
    assert.equal(f.digests.find((d) => d.pointer === '/icn')?.result, 'mismatch');

    // The service cannot get it: not verified, with the service's reason; SHAKEN still valid.
    f = await verifyInMainBox(page, brandedLine(LOGO_MISSING));
    assert.equal(f.rcd, 'unverified', JSON.stringify(f));
    assert.match(f.reason, /answered 502: could not fetch .*missing\.png: 404 Not Found/, f.reason);
    assert.equal(f.imgs, 0);
    assert.equal(f.digests.find((d) => d.pointer === '/icn')?.result, 'unavailable');
    assert.match(await page.textContent('.identity[data-role="shaken"] .identity__rcd'), /^Rich call data not verified: /);
    await page.locator('#verdict').screenshot({ path: join(SHOTS, 'rcd-main-unavailable.png') });

    assert.deepEqual(requests.filter((u) => !u.startsWith(env.server.url) && !u.startsWith(`blob:${env.server.url}/`)), [], 'nothing but the page\'s own origin');
    for (const u of [LOGO_OK, LOGO_SWAPPED, LOGO_MISSING]) assert.deepEqual(await elementsPointingAt(page, u), []);
    assert.deepEqual(await axeViolations(page, '#verdict'), []);
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

test('main box on static hosting: nothing is downloaded, the brand is "not verified" and says why', async () => {
  const opened = await openPage(env.browser, env.staticServer.url, '/');
  const requests = [];
  opened.page.on('request', (r) => requests.push(r.url()));
  const { page, errors, close } = opened;
  try {
    const f = await verifyInMainBox(page, brandedLine(LOGO_OK), env.staticServer.url);
    assert.equal(f.rcd, 'unverified', JSON.stringify(f));
    assert.match(f.reason, /not served by the stircheck service, so it cannot download Rich Call Data content/, f.reason);
    assert.equal(f.imgs, 0);
    await page.locator('#verdict').screenshot({ path: join(SHOTS, 'rcd-static-not-fetched.png') });
    assert.deepEqual(requests.filter((u) => u.includes('/api/rcd') || !u.startsWith(env.staticServer.url)), []);
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

/** A PNG made in the page, as base64 (the renderer cases below build their report around it). */
function pagePng(page) {
  return page.evaluate(async () => {
    const { makeDemoLogo, bytesToBase64 } = await import('/demo-logo.js');
    return bytesToBase64(await makeDemoLogo('Renderer Test'));
  });
}

/**
 * Render `rcd` with the page's own renderer into the verdict area, inside a banner-like wrapper.
 * The report shape is docs/js-api.md's RcdReport.
 */
function renderInPage(page, rcd) {
  return page.evaluate(async (report) => {
    const { renderRcd } = await import('/render-rcd.js');
    const box = document.getElementById('verdict');
    const banner = document.createElement('div');
    banner.className = 'banner banner--good';
    banner.dataset.status = 'valid';
    const main = document.createElement('div');
    main.className = 'banner__main';
    const el = renderRcd(report, { slot: 'test' });
    if (el) main.append(el);
    banner.append(main);
    box.replaceChildren(banner);
  }, rcd);
}

test('renderer: a wrong /nam digest shows no brand, the reason, and the claim only as NOT verified; 375 px fits', async () => {
  const { page, errors, requests, close } = await openLogged({ width: 375, height: 812 });
  try {
    const data = await pagePng(page);
    const icn = 'https://logos.test.example/brand.png';
    const base = {
      source: 'shaken',
      nam: 'Your Bank Security Team With A Rather Long Name',
      apn: null,
      crn: 'Card blocked — call back now',
      jcl: null,
    };
    // Verified: the brand with the logo drawn from the verified bytes.
    await renderInPage(page, {
      ...base,
      verified: true,
      reason: 'every rcdi digest matched',
      icn: { url: icn, verified: true, content_type: 'image/png', data, detail: 'digest matches' },
      digests: [
        { pointer: '/nam', alg: 'sha256', result: 'match', detail: 'digest matches' },
        { pointer: '/icn', alg: 'sha256', result: 'match', detail: 'digest of the fetched content matches' },
      ],
    });
    await page.waitForFunction(() => document.querySelector('#verdict .brand img')?.naturalWidth > 0);
    let f = await brandFacts(page, '#verdict .banner');
    assert.equal(f.rcd, 'verified');
    assert.match(f.img.src, /^blob:/);
    await page.click('#verdict .brand__details summary');
    let overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `page is ${overflow}px wider than the screen`);
    await page.locator('#verdict').screenshot({ path: join(SHOTS, 'rcd-renderer-verified-375.png') });
    const firstSrc = f.img.src;
    assert.equal(await blobLoads(page, firstSrc), true, 'the logo URL loads while shown');

    // Wrong /nam digest: same call, not verified. The logo bytes are even present: still not shown.
    await renderInPage(page, {
      ...base,
      verified: false,
      reason: 'the /nam digest does not match the signed name',
      icn: { url: icn, verified: true, content_type: 'image/png', data, detail: 'digest matches' },
      digests: [
        { pointer: '/nam', alg: 'sha256', result: 'mismatch', detail: 'digest does not match' },
        { pointer: '/icn', alg: 'sha256', result: 'match', detail: 'digest matches' },
      ],
    });
    f = await brandFacts(page, '#verdict .banner');
    assert.equal(f.rcd, 'unverified');
    assert.equal(f.reason, 'the /nam digest does not match the signed name');
    assert.equal(f.imgs, 0, 'no logo when the report is not verified');
    assert.equal(f.name, null);
    assert.doesNotMatch(f.line, /Your Bank/, 'the claimed name is not on the visible line');
    assert.equal(await blobLoads(page, firstSrc), false, 'the previous logo URL was revoked');
    await page.click('#verdict .brand__details summary');
    assert.match(await page.textContent('#verdict .brand__claimed'), /name “Your Bank Security Team With A Rather Long Name”; call reason “Card blocked — call back now”/);
    overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `page is ${overflow}px wider than the screen`);
    await page.locator('#verdict').screenshot({ path: join(SHOTS, 'rcd-renderer-bad-nam-375.png') });
    assert.deepEqual(await axeViolations(page, '#verdict'), []);
    assert.deepEqual(await contrastProblems(page, '#verdict'), []);

    // No report: nothing rendered.
    await renderInPage(page, null);
    assert.equal(await page.$('#verdict .brand'), null);
    assert.deepEqual(requests.filter((u) => u.includes('logos.test.example')), []);
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

test('self-check: the answer per number names the verified branded name and only counts unverified ones', async () => {
  const N = '12025550101';
  const line = (rcd) => core.sign({ keyPem: DEMO.key, x5u: SERVED_X5U, attest: 'A', orig: N, dest: ['12025550188'], iat: Math.floor(Date.now() / 1000), rcd });
  const paste = [
    line({ nam: 'Example Dental (DEMO)' }), // /nam digest only: verifiable without any download
    line({ nam: 'Example Dental (DEMO)', crn: 'Appointment reminder' }),
    line({ nam: 'Your Bank (DEMO)', tamper: 'nam' }), // wrong /nam digest: never named
    line({}),
  ].join('\n');
  const { page, errors, requests, close } = await openLogged({ downloads: true });
  try {
    await page.goto(`${env.server.url}/self-check.html`);
    await page.waitForSelector('html[data-ready="true"]');
    await page.setInputFiles('#trust-file', DEMO.root);
    await page.waitForSelector('#trust-status .custom-trust');
    await page.fill('#sc-numbers', N);
    await page.fill('#sc-calls', paste);
    await page.click('#sc-run');
    await page.waitForSelector('#results:not([aria-busy]) #per-number-table', { timeout: 30000 });
    const text = await page.textContent(`#answers .answer[data-number="${N}"]`);
    assert.match(text, /all 4 calls reached A/, text);
    assert.match(text, /branded as "Example Dental \(DEMO\)" on 2 calls \(verified rich call data\)/, text);
    assert.match(text, /the branded name of 1 call did not verify and is not shown/, text);
    assert.doesNotMatch(text, /Your Bank/, 'an unverified name is never named');
    await page.locator('#answers').screenshot({ path: join(SHOTS, 'rcd-selfcheck-answers.png') });
    // The CSV export: the rcd status of each call, the brand only where it verified.
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#sc-export-csv')]);
    const lines = readFileSync(await download.path(), 'utf8').replace(/^\ufeff/, '').trimEnd().split('\r\n');
    const head = lines[0].split(',');
    const cells = lines.slice(1).map((l) => l.split(','));
    assert.deepEqual(cells.map((c) => c[head.indexOf('rcd')]), ['verified', 'verified', 'unverified', '']);
    assert.deepEqual(cells.map((c) => c[head.indexOf('brand')]), ['Example Dental (DEMO)', 'Example Dental (DEMO)', '', '']);
    assert.deepEqual(requests.filter((u) => !u.startsWith(env.server.url)), []);
    assert.deepEqual(await axeViolations(page, '#answers'), []);
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});
