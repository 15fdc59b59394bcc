/**
 * Browser tests of the agents' page (www/) in real headless Chromium (Debian's /usr/bin/chromium,
 * driven by playwright-core). The page is served by ./server.mjs, which also plays the worker's
 * /api/health and /api/x5u from a fixture map. Each case asserts what an agent would read (status,
 * attestation, failing check, reason) and saves a screenshot to test-output/screenshots/.
 *
 * Run: node --test tests/browser/   (needs www/pkg from scripts/build-wasm.sh)
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, sign as nodeSign } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startServer } from './server.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const WWW = join(ROOT, 'www');
const CORPUS = resolve(ROOT, process.env.STIRCHECK_CORPUS ?? '../shared/corpus');
const SHOTS = join(ROOT, 'test-output', 'screenshots');
const CHROMIUM = '/usr/bin/chromium';

/** An x5u the fake worker serves (the demo chain under a second URL), to exercise /api/x5u. */
const SERVED_X5U = 'https://certs.test.example/stircheck/demo-chain.pem';
const DEMO = {
  root: join(WWW, 'demo', 'demo-root.pem'),
  chain: readFileSync(join(WWW, 'demo', 'demo-chain.pem'), 'utf8'),
  key: readFileSync(join(WWW, 'demo', 'demo-key.pem'), 'utf8'),
  orig: '12025550142',
  dest: '12025550199',
};

let browser;
let profileDir;
let server;
let staticServer;

before(async () => {
  // The browser is a hard requirement: a missing one must fail the run, not skip it.
  assert.ok(existsSync(CHROMIUM), `${CHROMIUM} is missing: apt-get install -y chromium chromium-driver`);
  assert.ok(
    existsSync(join(WWW, 'pkg', 'stircheck.js')),
    'www/pkg/stircheck.js is missing: build the wasm first (bash scripts/build-wasm.sh)',
  );
  mkdirSync(SHOTS, { recursive: true });
  profileDir = await mkdtemp(join(tmpdir(), 'stircheck-chromium-'));
  server = await startServer({ root: WWW, api: true, x5u: { [SERVED_X5U]: DEMO.chain } });
  staticServer = await startServer({ root: WWW, api: false });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      `--disk-cache-dir=${join(profileDir, 'cache')}`,
    ],
  });
});

after(async () => {
  await browser?.close();
  await server?.close();
  await staticServer?.close();
  if (profileDir) await rm(profileDir, { recursive: true, force: true });
});

/**
 * A fresh browser context (own storage) with the page loaded and the verifier ready.
 * Collects page errors and console errors so a case can assert the page stayed healthy.
 */
async function openPage({ base = server.url, width = 1100, height = 900 } = {}) {
  const context = await browser.newContext({ viewport: { width, height } });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    // The browser logs every non-2xx fetch (e.g. the fixture worker's 502); those are expected.
    if (m.type() === 'error' && !/Failed to load resource/.test(m.text())) errors.push(`console: ${m.text()}`);
  });
  await page.goto(`${base}/`);
  await page.waitForSelector('html[data-ready="true"]', { timeout: 15000 });
  return { page, errors, close: () => context.close() };
}

/** Put `text` in the paste box and verify (Ctrl+Enter when `keyboard`). */
async function verifyText(page, text, { keyboard = false } = {}) {
  await page.fill('#input-text', text);
  await page.evaluate(() => document.getElementById('verdict').replaceChildren());
  if (keyboard) {
    await page.focus('#input-text');
    await page.keyboard.press('Control+Enter');
  } else {
    await page.click('#verify-button');
  }
  await settled(page);
}

/** Wait until no verification is running and a result is shown (runs start synchronously). */
function settled(page) {
  return page.waitForSelector('#verdict:not([aria-busy]) .banner');
}

/** What an agent reads: banner status/attestation/headline/reason/codes and the check rows. */
function readResult(page) {
  return page.evaluate(() => {
    const banner = document.querySelector('#verdict .banner');
    const text = (sel) => banner.querySelector(sel)?.textContent.trim() ?? null;
    const topChecks = [...document.querySelectorAll('#details > .panel > .checks .check')];
    return {
      status: banner.dataset.status,
      attest: banner.querySelector('.banner__side .badge')?.dataset.attest ?? null,
      badgeSr: banner.querySelector('.banner__side .badge .sr-only')?.textContent ?? null,
      label: text('.banner__status'),
      headline: text('.banner__headline'),
      reason: text('.banner__reason'),
      meaning: text('.banner__meaning'),
      failure: text('.banner__failure code'),
      codes: text('.banner__codes'),
      checks: topChecks.map((c) => ({ id: c.dataset.checkId, outcome: c.dataset.outcome })),
      groups: [...document.querySelectorAll('#details > .panel > .checks .check-group')].map((g) => g.dataset.group),
      certOrigins: [...document.querySelectorAll('.cert')].map((c) => c.dataset.origin),
      iatAge: document.querySelector('.iat__age')?.textContent ?? null,
      overflow: document.documentElement.scrollWidth - window.innerWidth,
    };
  });
}

/**
 * WCAG contrast of every visible text node's element against its first opaque background
 * (4.5:1, or 3:1 for large text). Returns the offenders; disabled controls are exempt.
 */
function contrastProblems(page) {
  return page.evaluate(() => {
    const parse = (c) => (c.match(/[\d.]+/g) ?? []).map(Number);
    const lum = ([r, g, b]) => {
      const f = (v) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
      return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
    };
    const background = (el) => {
      for (let e = el; e; e = e.parentElement) {
        const c = parse(getComputedStyle(e).backgroundColor);
        if (c.length === 3 || (c.length === 4 && c[3] === 1)) return c.slice(0, 3);
      }
      return [255, 255, 255];
    };
    const problems = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    const seen = new Set();
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement;
      if (!n.textContent.trim() || seen.has(el) || el.closest('.sr-only, [disabled], [aria-hidden="true"]')) continue;
      seen.add(el);
      const style = getComputedStyle(el);
      if (style.visibility === 'hidden' || !el.getClientRects().length) continue;
      const [l1, l2] = [lum(parse(style.color).slice(0, 3)), lum(background(el))].sort((a, b) => b - a);
      const ratio = (l1 + 0.05) / (l2 + 0.05);
      const size = parseFloat(style.fontSize);
      const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
      if (ratio < (large ? 3 : 4.5)) problems.push(`${ratio.toFixed(2)} ${el.tagName}.${el.className}: ${n.textContent.trim().slice(0, 40)}`);
    }
    return problems;
  });
}

/** Full page, plus the verdict banner alone (what an agent reads first) at full resolution. */
async function shot(page, name) {
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
  await page.locator('#verdict').screenshot({ path: join(SHOTS, `${name}-verdict.png`) });
}

/** Sign a demo PASSporT inside the page with the wasm `sign()` (same code the examples use). */
function signInPage(page, { x5u, attest, orig = DEMO.orig, dest = DEMO.dest }) {
  return page.evaluate(
    async ({ key, x5u, attest, orig, dest }) => {
      const core = await import('/pkg/stircheck.js');
      await core.default();
      return core.sign({ keyPem: key, x5u, attest, orig, dest: [dest], iat: Math.floor(Date.now() / 1000) });
    },
    { key: DEMO.key, x5u, attest, orig, dest },
  );
}

async function useCustomTrust(page, file) {
  await page.setInputFiles('#trust-file', file);
  await page.waitForSelector('#trust-status .custom-trust');
  await page.waitForSelector('#verdict:not([aria-busy])');
}

/** Base64url-edit the claims of a JWS inside `text` (the signature is left as it was). */
function tamper(text, edit) {
  return text.replace(/(eyJ[\w-]*)\.([\w-]+)\.([\w-]+)/, (_, h, p, s) => {
    const claims = JSON.parse(Buffer.from(p, 'base64url').toString('utf8'));
    edit(claims);
    return `${h}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${s}`;
  });
}

test('(a) valid demo example: valid, attestation A, labelled DEMO', async () => {
  const { page, errors, close } = await openPage();
  try {
    await page.click('#example-valid');
    await settled(page);
    const r = await readResult(page);
    assert.equal(r.status, 'valid', JSON.stringify(r));
    assert.equal(r.attest, 'A');
    assert.match(r.badgeSr, /Attestation level A, full attestation/);
    assert.match(r.headline, /^Signed by SPC DEMO \(.*DEMO.*\) with attestation A$/);
    assert.doesNotMatch(await page.textContent('#verdict'), /caller verified/i);
    assert.match(r.meaning, /checked that this customer is allowed to use the calling number/);
    assert.match(r.label, /DEMO — not a real carrier/);
    assert.match(r.codes, /verstat TN-Validation-Passed/);
    assert.equal(r.checks.filter((c) => c.outcome === 'fail').length, 0);
    assert.deepEqual(r.certOrigins, ['bundled']);
    assert.match(r.iatAge, /now|second/);
    assert.match(await page.textContent('.signer'), /SPC \(service provider code\)\s*DEMO/);
    assert.deepEqual(await contrastProblems(page), []);
    assert.equal(await page.getAttribute('#verdict', 'aria-live'), 'polite');
    // Copy button: the claims JSON lands on the clipboard as shown.
    await page.click('button[aria-label="Copy Claims JSON"]');
    await page.waitForSelector('.copy-status:has-text("Copied")');
    const copied = JSON.parse(await page.evaluate(() => navigator.clipboard.readText()));
    assert.equal(copied.attest, 'A');
    assert.deepEqual(copied.orig, { tn: DEMO.orig });
    assert.deepEqual(errors, []);
    await shot(page, 'a-valid-demo');
  } finally {
    await close();
  }
});

test('(b) tampered header: invalid, signature check fails, 438', async () => {
  const { page, errors, close } = await openPage();
  try {
    // The page's own broken example (claims edited after signing).
    await page.click('#example-broken');
    await settled(page);
    let r = await readResult(page);
    assert.equal(r.status, 'invalid', JSON.stringify(r));
    assert.equal(r.failure, 'signature');
    await shot(page, 'b-broken-example');

    // A header pasted by hand and edited (orig changed), checked against the demo root as the
    // operator's custom trust store.
    await useCustomTrust(page, DEMO.root);
    assert.match(await page.textContent('#trust-status'), /Using custom trust store \(1 root\)/);
    const good = await signInPage(page, { x5u: SERVED_X5U, attest: 'B' });
    await verifyText(page, tamper(good, (c) => (c.orig.tn = '12025550100')), { keyboard: true });
    r = await readResult(page);
    assert.equal(r.status, 'invalid', JSON.stringify(r));
    assert.equal(r.attest, null);
    assert.equal(r.failure, 'signature');
    assert.equal(r.checks[0].id, 'signature', 'failures are listed first');
    assert.match(r.codes, /^SIP 438 Invalid Identity Header/);
    assert.match(r.codes, /TN-Validation-Failed/);
    assert.match(r.reason, /signature/i);
    assert.match(await page.textContent('#verdict'), /claims attestation B, but it could not be verified/);
    assert.deepEqual(r.certOrigins, ['service']);
    assert.deepEqual(await contrastProblems(page), []);
    assert.deepEqual(errors, []);
    await shot(page, 'b-tampered');
  } finally {
    await close();
  }
});

test('(c) whole SIP INVITE: valid, call.orig/call.dest checked, chain via /api/x5u', async () => {
  const { page, errors, close } = await openPage();
  try {
    await useCustomTrust(page, DEMO.root);
    const identity = await signInPage(page, { x5u: SERVED_X5U, attest: 'B' });
    const invite = [
      `INVITE sip:+${DEMO.dest}@sbc.example.net;user=phone SIP/2.0`,
      'Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK776asdhds',
      'Max-Forwards: 70',
      `To: <sip:+${DEMO.dest}@sbc.example.net;user=phone>`,
      `From: "Demo Caller" <sip:+${DEMO.orig}@carrier.example.com;user=phone>;tag=1928301774`,
      `P-Asserted-Identity: <tel:+1-202-555-0142>`,
      'Call-ID: a84b4c76e66710@pc33.example.com',
      'CSeq: 314159 INVITE',
      identity,
      'Content-Type: application/sdp',
      'Content-Length: 0',
      '',
      '',
    ].join('\r\n');
    await verifyText(page, invite);
    const r = await readResult(page);
    assert.equal(r.status, 'valid', JSON.stringify(r));
    assert.equal(r.attest, 'B');
    assert.match(r.headline, /with attestation B$/);
    assert.match(r.meaning, /has not checked/);
    const outcome = (id) => r.checks.find((c) => c.id === id)?.outcome;
    assert.equal(outcome('call.orig'), 'pass');
    assert.equal(outcome('call.dest'), 'pass');
    assert.deepEqual(r.certOrigins, ['service']);
    assert.match(await page.textContent('.call'), /P-Asserted-Identity\s*<tel:\+1-202-555-0142>/);
    // Privacy: only the x5u URL went to the server, never the pasted message.
    const sent = server.requests.map((q) => `${q.method} ${q.url}`);
    assert.ok(sent.includes(`GET /api/x5u?url=${encodeURIComponent(SERVED_X5U)}`), sent.join('\n'));
    assert.ok(server.requests.every((q) => q.method === 'GET'), 'no request carried a body');
    assert.ok(!sent.some((s) => s.includes('a84b4c76e66710') || s.includes(identity.slice(10, 40))), 'pasted text leaked');
    assert.deepEqual(errors, []);
    await shot(page, 'c-sip-invite');
  } finally {
    await close();
  }
});

test('(d) garbage: a clear input error, no-identity for unsigned SIP, page keeps working', async () => {
  const { page, errors, close } = await openPage();
  try {
    // Text that is not SIP at all (a log line, an e-mail, markup): the input check fails and says so.
    await verifyText(page, 'hello <script>alert(1)</script> <img src=x onerror=alert(2)> eyJ.not-a-jws\n'.repeat(50));
    let r = await readResult(page);
    assert.equal(r.status, 'invalid', JSON.stringify(r));
    assert.equal(r.attest, null);
    assert.equal(r.failure, 'input');
    assert.match(r.reason, /not a SIP message/);
    assert.equal(await page.locator('script:not([src]), img').count(), 0, 'pasted markup never becomes DOM');
    await shot(page, 'd-garbage');

    // Binary junk (NUL, bidi override): rejected with the input check's reason as well.
    await verifyText(page, 'Identity: \u0000\u202e\u0007 eyJ...;info=<x>');
    r = await readResult(page);
    assert.equal(r.status, 'invalid', JSON.stringify(r));
    assert.equal(r.failure, 'input');

    // A SIP request without any Identity header: "no signature", not an error.
    await verifyText(page, 'INVITE sip:+12025550199@example.net SIP/2.0\r\nFrom: <sip:+12025550142@example.com>;tag=1\r\nTo: <sip:+12025550199@example.net>\r\nCall-ID: 1@x\r\nCSeq: 1 INVITE\r\n\r\n');
    r = await readResult(page);
    assert.equal(r.status, 'no-identity', JSON.stringify(r));
    assert.match(r.label, /No signature/);
    assert.match(r.codes, /No-TN-Validation/);
    await shot(page, 'd-no-identity');

    // Empty input: a prompt, not an error.
    await verifyText(page, '   ');
    assert.equal((await readResult(page)).status, 'error');
    // A trust-store file without certificates is refused with a message; the built-in store stays.
    await page.setInputFiles('#trust-file', { name: 'bad.pem', mimeType: 'text/plain', buffer: Buffer.from('not a certificate') });
    await page.waitForSelector('#trust-message:has-text("Could not use bad.pem")');
    assert.match(await page.textContent('#trust-status'), /^Trust store: built-in/);
    // The page still verifies afterwards.
    await page.click('#example-valid');
    await page.waitForSelector('#verdict:not([aria-busy]) .banner[data-status="valid"]');
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

/** The production Verizon header of the corpus, its leaf (by sha256), intermediates and root. */
function verizonFixture() {
  const lines = readFileSync(join(CORPUS, 'headers.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
  const entry = lines.find((e) => e.kind === 'production' && /sti\.verizon\.com/.test(e.x5u ?? '') && e.cert_sha256);
  assert.ok(entry, 'corpus has the production Verizon header');
  const pems = readFileSync(join(CORPUS, 'certs', 'leaves.pem'), 'utf8').match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g);
  const leaf = pems.find((pem) => {
    const der = Buffer.from(pem.replace(/-----[A-Z ]+-----|\s/g, ''), 'base64');
    return createHash('sha256').update(der).digest('hex') === entry.cert_sha256;
  });
  assert.ok(leaf, 'leaf certificate found in leaves.pem by its sha256');
  const intermediates = entry.chain_in_corpus.filter((f) => f.startsWith('intermediates/'));
  const root = entry.chain_in_corpus.find((f) => f.startsWith('roots/'));
  assert.match(root, /Metaswitch/);
  const chain = [leaf, ...intermediates.map((f) => readFileSync(join(CORPUS, 'certs', f), 'utf8').trim())].join('\n');
  return { entry, chain, rootFile: join(CORPUS, 'certs', root) };
}

test('(e) production Verizon header: pasted chain, Metaswitch root, as of the call → valid A', async (t) => {
  if (!existsSync(join(CORPUS, 'headers.jsonl'))) return t.skip(`corpus not found at ${CORPUS}`);
  const { entry, chain, rootFile } = verizonFixture();
  const { page, errors, close } = await openPage();
  try {
    // A header from 2021: checked as of now it is stale (403, the first failure in checklist order).
    await verifyText(page, entry.identity);
    let r = await readResult(page);
    assert.equal(r.status, 'invalid', JSON.stringify(r));
    assert.equal(r.failure, 'time.iat');
    assert.match(r.codes, /^SIP 403 Stale Date/);
    // As of the call: the (fixture) worker cannot fetch sti.verizon.com → cert.fetch fails with a
    // reason and the page offers to paste the chain.
    await page.check('#as-of-call');
    await settled(page);
    r = await readResult(page);
    assert.equal(r.status, 'invalid', JSON.stringify(r));
    assert.equal(r.failure, 'cert.fetch');
    assert.match(r.codes, /^SIP 436/);
    assert.deepEqual(r.certOrigins, ['failed']);
    assert.match(await page.textContent('.certs'), /CORS/);
    await shot(page, 'e-verizon-needs-chain');

    await useCustomTrust(page, rootFile);
    await page.fill('.certs textarea', chain);
    await page.evaluate(() => document.getElementById('verdict').replaceChildren());
    await page.click('.certs button.primary');
    await settled(page);
    r = await readResult(page);
    assert.equal(r.status, 'valid', JSON.stringify(r));
    assert.equal(r.attest, 'A');
    assert.match(r.headline, /^Signed by SPC 5807 \(Verizon Data Services LLC\) with attestation A$/);
    assert.doesNotMatch(r.reason, /^Signed by/, 'the reason does not repeat the headline');
    assert.match(r.codes, /time of the call/);
    assert.deepEqual(r.certOrigins, ['pasted']);
    assert.match(await page.textContent('.signer'), /Metaswitch STI-CA SHAKEN Root/);
    assert.match(await page.textContent('.signer'), /custom trust store/);
    assert.match(r.iatAge, /years? ago/);
    assert.deepEqual(errors, []);
    await shot(page, 'e-verizon-valid');
  } finally {
    await close();
  }
});

test('(f) without the worker (static hosting): explains CORS and asks for the chain', async () => {
  const { page, errors, close } = await openPage({ base: staticServer.url });
  try {
    assert.match(await page.textContent('#cert-mode'), /not served by the stircheck service/);
    await useCustomTrust(page, DEMO.root);
    const identity = await signInPage(page, { x5u: SERVED_X5U, attest: 'C' });
    await verifyText(page, identity);
    let r = await readResult(page);
    assert.equal(r.status, 'invalid');
    assert.equal(r.failure, 'cert.fetch');
    assert.match(await page.textContent('.certs'), /CORS/);
    await page.fill('.certs textarea', DEMO.chain);
    await page.evaluate(() => document.getElementById('verdict').replaceChildren());
    await page.click('.certs button.primary');
    await settled(page);
    r = await readResult(page);
    assert.equal(r.status, 'valid', JSON.stringify(r));
    assert.equal(r.attest, 'C');
    assert.ok(staticServer.requests.every((q) => !q.url.startsWith('/api/x5u')), 'no certificate service was asked');
    assert.deepEqual(errors, []);
    await shot(page, 'f-static-pasted-chain');
  } finally {
    await close();
  }
});

/** A PASSporT signed in Node with the demo key (for PASSporT types the wasm `sign()` does not make). */
function nodePassport(header, claims) {
  const b64 = (v) => Buffer.from(JSON.stringify(v)).toString('base64url');
  const input = `${b64(header)}.${b64(claims)}`;
  const sig = nodeSign('sha256', Buffer.from(input), { key: DEMO.key, dsaEncoding: 'ieee-p1363' });
  return `${input}.${sig.toString('base64url')}`;
}

test('(h) forwarded call: SHAKEN + div Identity headers, each shown with its own result', async () => {
  const { page, errors, close } = await openPage();
  try {
    await useCustomTrust(page, DEMO.root);
    const shaken = await signInPage(page, { x5u: SERVED_X5U, attest: 'A' });
    const forwardedTo = '12025550177';
    const div = nodePassport(
      { alg: 'ES256', ppt: 'div', typ: 'passport', x5u: SERVED_X5U },
      { dest: { tn: [forwardedTo] }, div: { tn: DEMO.dest }, iat: Math.floor(Date.now() / 1000), orig: { tn: DEMO.orig } },
    );
    // Header lines only (no SIP request): the call-binding checks are skipped, so this case is about
    // showing several identities, not about which SIP header a div dest is compared with.
    const lines = `${shaken}\nIdentity: ${div};info=<${SERVED_X5U}>;alg=ES256;ppt="div"\n`;
    await verifyText(page, lines);
    const r = await readResult(page);
    assert.equal(r.status, 'valid', JSON.stringify(r));
    assert.equal(r.attest, 'A');
    const sections = await page.$$eval('.identity', (els) =>
      els.map((e) => ({ role: e.dataset.role, pill: e.querySelector('.pill')?.textContent, checks: e.querySelectorAll('.check').length })),
    );
    assert.equal(sections.length, 2, JSON.stringify(sections));
    assert.deepEqual(sections.map((x) => x.role), ['shaken', 'div']);
    assert.equal(sections[1].pill, 'Valid', JSON.stringify(sections));
    assert.ok(sections[1].checks > 0, 'the div identity lists its own checks');
    assert.match(await page.textContent('.identity[data-role="div"] summary'), /Checks of identity 2: \d+ checks: 0 failed/);
    assert.equal(sections[0].checks, 0, 'the SHAKEN checks are listed once, in the main Checks section');
    assert.match(await page.textContent('.identities > h2'), /2 Identity headers/);
    assert.deepEqual(errors, []);
    await shot(page, 'h-div-forwarded');
  } finally {
    await close();
  }
});

test('(i) WebCrypto path and the core\'s own crypto give identical verdicts in the browser', async (t) => {
  if (!existsSync(join(CORPUS, 'headers.jsonl'))) return t.skip(`corpus not found at ${CORPUS}`);
  const { entry, chain } = verizonFixture();
  const rootPem = readFileSync(verizonFixture().rootFile, 'utf8');
  const { page, errors, close } = await openPage();
  try {
    const out = await page.evaluate(
      async ({ text, x5u, chain, rootPem }) => {
        const core = await import('/pkg/stircheck.js');
        await core.default();
        const { verifyWithWebCrypto } = await import('/webcrypto.js');
        // A fresh verifier per run: a verifier's chain cache changes the cert.fetch detail wording.
        const fresh = () => new core.Verifier([rootPem]);
        const options = { asOfCall: true, certs: { [x5u]: chain } };
        // Record what the helper hands to `finish`, to prove WebCrypto (not the fallback) answered.
        let answers = null;
        const spyOn = (verifier) => ({
          verify: (...a) => verifier.verify(...a),
          prepare: (...a) => {
            const pending = verifier.prepare(...a);
            return { jobs: () => pending.jobs(), finish: (r) => ((answers = r), pending.finish(r)), free: () => pending.free() };
          },
        });
        const viaWebCrypto = await verifyWithWebCrypto(spyOn(fresh()), text, options);
        const builtIn = fresh().verify(text, options);
        // A tampered copy must fail the same way on both paths.
        // (first signature character: the last one partly carries base64 padding bits)
        const tampered = text.replace(/\.([\w-]+)$/, (m, sig) => `.${sig[0] === 'A' ? 'B' : 'A'}${sig.slice(1)}`);
        const badWeb = await verifyWithWebCrypto(fresh(), tampered, options);
        const badCore = fresh().verify(tampered, options);
        // Without crypto.subtle (an insecure http origin) the helper falls back to the core.
        Object.defineProperty(globalThis, 'crypto', { value: {}, configurable: true });
        const fallback = await verifyWithWebCrypto(fresh(), text, options);
        delete globalThis.crypto;
        const j = (v) => JSON.stringify(v, (k, x) => (x instanceof Map ? Object.fromEntries(x) : x));
        return {
          answers,
          same: j(viaWebCrypto) === j(builtIn),
          sameFallback: j(fallback) === j(builtIn),
          sameTampered: j(badWeb) === j(badCore),
          status: viaWebCrypto.status,
          badStatus: badWeb.status,
          badFailure: badWeb.checks.find((c) => c.outcome === 'fail')?.id,
        };
      },
      { text: entry.identity, x5u: entry.x5u, chain, rootPem },
    );
    assert.equal(out.status, 'valid');
    assert.ok(out.answers?.length >= 1 && out.answers.every((a) => a === true), `WebCrypto answered every job: ${JSON.stringify(out.answers)}`);
    assert.ok(out.same, 'WebCrypto verdict equals verifier.verify');
    assert.ok(out.sameFallback, 'fallback verdict equals verifier.verify');
    assert.equal(out.badStatus, 'invalid');
    assert.equal(out.badFailure, 'signature');
    assert.ok(out.sameTampered, 'tampered: both paths agree');
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

test('(g) phone width 375px: no horizontal scrolling, verdict readable', async () => {
  const { page, errors, close } = await openPage({ width: 375, height: 812 });
  try {
    await page.click('#example-broken');
    await settled(page);
    let r = await readResult(page);
    assert.equal(r.status, 'invalid');
    assert.ok(r.overflow <= 0, `page is ${r.overflow}px wider than the screen`);
    await page.screenshot({ path: join(SHOTS, 'g-phone-375-first-screen.png') });
    await shot(page, 'g-phone-375-broken');
    await page.click('#example-valid');
    await page.waitForSelector('#verdict:not([aria-busy]) .banner[data-status="valid"]');
    r = await readResult(page);
    assert.ok(r.overflow <= 0, `page is ${r.overflow}px wider than the screen`);
    await shot(page, 'g-phone-375-valid');
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});
