/**
 * Browser tests of the agents' page (www/) in real headless Chromium (Debian's /usr/bin/chromium,
 * driven by playwright-core; setup in ./harness.mjs). The page is served by ./server.mjs, which also
 * plays the worker's /api/health and /api/x5u from a fixture map. Each case asserts what an agent
 * reads (outcome, tone, attestation, the core's headline and action, the numbers, the signer, the
 * failing check), runs axe-core on the state, and saves screenshots to test-output/screenshots/.
 *
 * Run: node --test tests/browser/   (needs www/pkg from scripts/build-wasm.sh)
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, sign as nodeSign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { axeViolations, CORPUS, DEAD_X5U, DEMO as DEMO_PKI, launch, openPage as open, requireCorpus, SERVED_X5U, SHOTS } from './harness.mjs';
import { contrastProblems } from './a11y.mjs';

const DEMO = { ...DEMO_PKI, orig: '12025550142', dest: '12025550199' };

let env;
let server;
let staticServer;

before(async () => {
  env = await launch();
  ({ server, staticServer } = env);
});

after(async () => {
  await env?.close();
});

/** A fresh context with the main page loaded and the verifier ready; errors collected. */
function openPage({ base = server.url, width = 1100, height = 900 } = {}) {
  return open(env.browser, base, '/', { width, height, clipboard: true });
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

/** What an agent reads: banner outcome/tone/attestation/headline/facts/action/codes and the checks. */
function readResult(page) {
  return page.evaluate(() => {
    const banner = document.querySelector('#verdict .banner');
    const text = (sel) => banner.querySelector(sel)?.textContent.trim() ?? null;
    const topChecks = [...document.querySelectorAll('#details > .panel > .checks .check')];
    const facts = Object.fromEntries([...banner.querySelectorAll('.banner__fact')].map((f) => [f.dataset.fact, f.querySelector('dd').textContent.trim()]));
    const visible = (el) => Boolean(el?.checkVisibility?.());
    return {
      status: banner.dataset.status,
      outcome: banner.dataset.outcome ?? null,
      tone: banner.dataset.tone ?? null,
      background: getComputedStyle(banner).backgroundColor,
      attest: banner.querySelector('.banner__side .badge')?.dataset.attest ?? null,
      badgeSr: banner.querySelector('.banner__side .badge .sr-only')?.textContent ?? null,
      label: text('.banner__status'),
      headline: text('.banner__headline'),
      action: text('.banner__action'),
      fix: banner.querySelector('.banner__fix button')?.dataset.fix ?? null,
      facts,
      meaning: text('.banner__meaning'),
      codes: text('.banner__codes'),
      checks: topChecks.map((c) => ({ id: c.dataset.checkId, outcome: c.dataset.outcome, visible: visible(c) })),
      groups: [...document.querySelectorAll('#details > .panel > .checks .check-group')].map((g) => g.dataset.group),
      certOrigins: [...document.querySelectorAll('.cert')].map((c) => c.dataset.origin),
      iatAge: document.querySelector('.iat__age')?.textContent ?? null,
      overflow: document.documentElement.scrollWidth - window.innerWidth,
      height: document.documentElement.scrollHeight,
      /** the verdict and everything about it (banner, certificates, signer, checks, decoded header) */
      verdictHeight: Math.round(document.getElementById('verdict').getBoundingClientRect().height + document.getElementById('details').getBoundingClientRect().height),
    };
  });
}

/** The failing check the banner names on its secondary line ("failed check <id>"). */
function failedCheck(r) {
  return /failed check ([\w.]+)/.exec(r.codes ?? '')?.[1] ?? null;
}

/** Every state an agent sees must pass axe-core (WCAG 2.1 A/AA + best practice) and contrast. */
async function assertAccessible(page) {
  assert.deepEqual(await axeViolations(page), [], 'axe-core violations');
  assert.deepEqual(await contrastProblems(page), [], 'contrast');
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

test('(a) valid demo example: verified A, green, numbers and signer in the banner, passes folded', async () => {
  const { page, errors, close } = await openPage();
  try {
    await page.click('#example-valid');
    await settled(page);
    const r = await readResult(page);
    assert.equal(r.status, 'valid', JSON.stringify(r));
    assert.equal(r.outcome, 'verified');
    assert.equal(r.tone, 'good', 'green only for A');
    assert.equal(r.attest, 'A');
    assert.match(r.badgeSr, /Attestation level A, full attestation/);
    assert.ok(r.headline && r.headline.length <= 140, `the core's headline: ${r.headline}`);
    assert.doesNotMatch(await page.textContent('#verdict'), /caller verified/i);
    assert.equal(r.facts.orig, '+1 202-555-0142');
    assert.equal(r.facts.dest, '+1 202-555-0199');
    assert.match(r.facts.signer, /DEMO/);
    assert.match(r.facts.age, /second|just now/);
    assert.match(r.meaning, /checked that this customer is allowed to use the calling number/);
    assert.match(r.label, /DEMO — not a real carrier/);
    assert.match(r.codes, /verstat TN-Validation-Passed/);
    assert.equal(r.fix, null, 'nothing to fix');
    assert.equal(r.checks.filter((c) => c.outcome === 'fail').length, 0);
    assert.ok(r.checks.filter((c) => c.outcome === 'pass').every((c) => !c.visible), 'passed checks are folded');
    assert.deepEqual(r.certOrigins, ['bundled']);
    assert.match(r.iatAge, /now|second/);
    assert.match(await page.textContent('.signer'), /SPC \(service provider code\)\s*DEMO/);
    await assertAccessible(page);
    assert.equal(await page.getAttribute('#verdict', 'aria-live'), 'polite');
    // Copy button (in the folded decoded JSON): the claims JSON lands on the clipboard as shown.
    await page.click('.identity__json > summary');
    await page.click('button[aria-label="Copy Claims JSON"]');
    await page.waitForSelector('.copy-status:has-text("Copied")');
    const copied = JSON.parse(await page.evaluate(() => navigator.clipboard.readText()));
    assert.equal(copied.attest, 'A');
    assert.deepEqual(copied.orig, { tn: DEMO.orig });
    // Unfolding the passed checks shows them.
    await page.click('.checks__more > summary');
    assert.ok((await readResult(page)).checks.filter((c) => c.outcome === 'pass').every((c) => c.visible));
    await assertAccessible(page);
    assert.deepEqual(errors, []);
    await shot(page, 'a-valid-demo');
  } finally {
    await close();
  }
});

test('(b) tampered header: failed, red, 438 on the secondary line, the signer still named', async () => {
  const { page, errors, close } = await openPage();
  try {
    // The page's own broken example (claims edited after signing).
    await page.click('#example-broken');
    await settled(page);
    let r = await readResult(page);
    assert.equal(r.status, 'invalid', JSON.stringify(r));
    assert.equal(r.outcome, 'failed');
    assert.equal(failedCheck(r), 'signature');
    await shot(page, 'b-broken-example');

    // A header pasted by hand and edited (orig changed), checked against the demo root as the
    // operator's custom trust store.
    await useCustomTrust(page, DEMO.root);
    assert.match(await page.textContent('#trust-status'), /Using custom trust store \(1 root\)/);
    const good = await signInPage(page, { x5u: SERVED_X5U, attest: 'B' });
    await verifyText(page, tamper(good, (c) => (c.orig.tn = '12025550100')), { keyboard: true });
    r = await readResult(page);
    assert.equal(r.status, 'invalid', JSON.stringify(r));
    assert.equal(r.outcome, 'failed');
    assert.equal(r.tone, 'bad', 'red only for failed');
    assert.equal(r.attest, null);
    assert.equal(failedCheck(r), 'signature');
    assert.equal(r.checks[0].id, 'signature', 'failures are listed first');
    assert.ok(r.checks[0].visible, 'the failure is not folded');
    assert.match(r.codes, /^SIP 438 Invalid Identity Header/);
    assert.match(r.codes, /TN-Validation-Failed/);
    assert.ok(r.headline && r.headline.length <= 140, r.headline);
    assert.doesNotMatch(r.headline, /offset|0x[0-9a-f]|base64/i, 'no engine internals in the headline');
    assert.ok(r.action, 'a failed header says what to do');
    assert.match(r.facts.signer ?? '', /DEMO/, 'the signer is named on a failed verdict');
    assert.equal(r.facts.orig, '+1 202-555-0100', 'the signed (edited) number, formatted');
    assert.match(r.facts.claimed, /attestation B, not verified/);
    assert.deepEqual(r.certOrigins, ['service']);
    await assertAccessible(page);
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
    assert.equal(r.outcome, 'verified');
    assert.equal(r.tone, 'notice', 'a valid B is amber, not green');
    assert.equal(r.facts.orig, '+1 202-555-0142');
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
    assert.equal(failedCheck(r), 'input');
    assert.ok(r.headline, 'a clear no-token answer');
    // Nothing about a call was checked: "could not check" in amber, never a red "not valid".
    assert.match(r.label, /^Could not check$/);
    assert.equal(r.tone, 'notice');
    assert.ok(!isRed(r.background), `not red: ${r.background}`);
    assert.match(r.action, /Paste the Identity header/);
    await assertAccessible(page);
    assert.equal(await page.locator('script:not([src]), img').count(), 0, 'pasted markup never becomes DOM');
    await shot(page, 'd-garbage');

    // Binary junk (NUL, bidi override): rejected with the input check's reason as well.
    await verifyText(page, 'Identity: \u0000\u202e\u0007 eyJ...;info=<x>');
    r = await readResult(page);
    assert.equal(r.status, 'invalid', JSON.stringify(r));
    assert.equal(failedCheck(r), 'input');
    assert.equal(r.tone, 'notice');
    assert.match(r.label, /^Could not check$/);

    // A 2 MB paste: refused by the core's size bound with a plain answer, also amber.
    // (Set as a paste would, at once: typing 2 MB through page.fill takes minutes.)
    await page.evaluate(() => {
      const box = document.getElementById('input-text');
      box.value = `${'log line without a header '.repeat(40)}\n`.repeat(2000);
      box.dispatchEvent(new Event('input', { bubbles: true }));
      document.getElementById('verdict').replaceChildren();
    });
    await page.click('#verify-button');
    await settled(page);
    r = await readResult(page);
    assert.equal(failedCheck(r), 'input');
    assert.match(r.headline, /too large/);
    assert.equal(r.tone, 'notice');
    assert.match(r.label, /^Could not check$/);
    await shot(page, 'd-too-large');

    // A header whose payload is corrupt is a real failure of the header, still red.
    await verifyText(page, corpusEntry((e) => e.decode_errors?.length).identity);
    r = await readResult(page);
    assert.notEqual(failedCheck(r), 'input');
    assert.equal(r.tone, 'bad');
    assert.match(r.label, /Not valid/);

    // A SIP request without any Identity header: "no signature", not an error.
    await verifyText(page, 'INVITE sip:+12025550199@example.net SIP/2.0\r\nFrom: <sip:+12025550142@example.com>;tag=1\r\nTo: <sip:+12025550199@example.net>\r\nCall-ID: 1@x\r\nCSeq: 1 INVITE\r\n\r\n');
    r = await readResult(page);
    assert.equal(r.status, 'no-identity', JSON.stringify(r));
    assert.match(r.label, /No signature/);
    assert.equal(r.outcome, 'unsigned');
    assert.equal(r.tone, 'neutral');
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

/** The first corpus header (headers.jsonl) that `pick` accepts. */
function corpusEntry(pick) {
  requireCorpus();
  const entry = readFileSync(join(CORPUS, 'headers.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l)).find(pick);
  assert.ok(entry, 'corpus has the header');
  return entry;
}

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

/** Red and green by value (the tone must show in the colour, not only in a class name). */
function isRed(rgb) {
  const [r, g, b] = (rgb.match(/\d+/g) ?? []).map(Number);
  return r > g + 10 && r > b + 10 && g < 0xf0;
}
function isGreen(rgb) {
  const [r, g, b] = (rgb.match(/\d+/g) ?? []).map(Number);
  return g > r + 8 && g > b + 4;
}

test('(e) production Verizon header: stale → one click "as of the call" → could not check (amber) → paste chain → valid A', async () => {
  requireCorpus();
  const { entry, chain, rootFile } = verizonFixture();
  const { page, errors, close } = await openPage({ width: 900 });
  const firstRequest = server.requests.length; // the fixture server is shared by the tests
  try {
    // A header from 2021: checked as of now it is stale (403, the first failure in checklist order).
    await verifyText(page, entry.identity);
    let r = await readResult(page);
    assert.equal(r.status, 'invalid', JSON.stringify(r));
    assert.equal(r.outcome, 'failed');
    assert.equal(failedCheck(r), 'time.iat');
    assert.match(r.codes, /^SIP 403 Stale Date/);
    assert.match(r.facts.age, /^\d+ years? before the time checked$/);
    assert.equal(r.fix, 'as-of-call', 'a stale header offers the one-click fix');
    assert.ok(r.action, 'and says what to do');
    assert.doesNotMatch(r.codes, /time of the call/, 'checked as of now, and not claimed otherwise');
    await assertAccessible(page);
    await shot(page, 'e-verizon-stale');

    // One click: checked as of the call. The (fixture) worker cannot fetch sti.verizon.com, so
    // the certificate is missing: "could not check" (amber), never a red forgery, with the
    // paste-chain fix.
    await page.click('.banner__fix button');
    await page.waitForSelector('#verdict:not([aria-busy]) .banner[data-outcome="unverified"]');
    assert.equal(await page.isChecked('#as-of-call'), true, 'the fix ticks the setting it applies');
    r = await readResult(page);
    assert.equal(r.status, 'invalid', JSON.stringify(r));
    assert.equal(r.tone, 'notice');
    assert.match(r.label, /Could not check/i);
    assert.ok(!isRed(r.background), `not red: ${r.background}`);
    assert.equal(failedCheck(r), 'cert.fetch');
    assert.match(r.codes, /^SIP 436/);
    assert.equal(r.fix, 'paste-chain');
    assert.match(r.facts.orig, /^\+1 \d{3}-\d{3}-\d{4}$/, 'the numbers of the header, formatted');
    assert.deepEqual(r.certOrigins, ['failed']);
    // The service's own reason is the answer: no CORS explanation, which only applies without it.
    const certsText = await page.textContent('.certs');
    assert.match(certsText, /stircheck service could not download a certificate \(why is shown under its address\)/);
    assert.match(certsText, /the certificate service answered 502/);
    assert.doesNotMatch(certsText, /CORS/);
    await assertAccessible(page);
    await shot(page, 'e-verizon-could-not-check');
    await page.click('.banner__fix button');
    assert.equal(await page.evaluate(() => document.activeElement?.classList.contains('chain-input')), true, 'the paste box has the focus');

    await useCustomTrust(page, rootFile);
    await page.fill('.certs textarea', chain);
    await page.evaluate(() => document.getElementById('verdict').replaceChildren());
    await page.click('.certs button.primary');
    await settled(page);
    r = await readResult(page);
    assert.equal(r.status, 'valid', JSON.stringify(r));
    assert.equal(r.outcome, 'verified');
    assert.equal(r.attest, 'A');
    assert.equal(r.tone, 'good');
    assert.ok(isGreen(r.background), r.background);
    assert.match(r.facts.signer, /Verizon/);
    assert.match(r.codes, /time of the call/);
    assert.deepEqual(r.certOrigins, ['pasted']);
    assert.match(await page.textContent('.signer'), /Metaswitch STI-CA SHAKEN Root/);
    assert.match(await page.textContent('.signer'), /custom trust store/);
    assert.match(r.iatAge, /years? ago/);
    await assertAccessible(page);
    await shot(page, 'e-verizon-valid');
    // Its CRL distribution point was asked of the service (only the URL); the fixture cannot get
    // it, so revocation warns with that reason instead of passing.
    const crlAsked = server.requests.slice(firstRequest).filter((q) => q.url.startsWith('/api/crl?url='));
    assert.equal(crlAsked.length, 1, JSON.stringify(server.requests.map((q) => q.url)));
    const dp = decodeURIComponent(crlAsked[0].url.slice('/api/crl?url='.length));
    assert.match(dp, /^https?:\/\//);
    const revocation = await page.$eval('.check[data-check-id="cert.revocation"]', (e) => ({ outcome: e.dataset.outcome, text: e.textContent }));
    assert.equal(revocation.outcome, 'warn', JSON.stringify(revocation));
    assert.ok(revocation.text.includes(dp), `names the distribution point: ${revocation.text}`);
    assert.match(revocation.text, /the stircheck service answered 502: could not fetch/);

    // The chain is known now: checked as of now again it is stale, and one click makes it valid.
    await page.uncheck('#as-of-call');
    await settled(page);
    r = await readResult(page);
    assert.equal(failedCheck(r), 'time.iat');
    assert.equal(r.tone, 'bad');
    assert.match(r.facts.signer ?? '', /Verizon/, 'the signer is named on the failed (stale) verdict');
    // The README's failure screenshot: the stale banner with its one-click fix.
    await page.locator('#verdict').screenshot({ path: join(SHOTS, 'readme-failure.png') });
    await page.click('.banner__fix button');
    await page.waitForSelector('#verdict:not([aria-busy]) .banner[data-outcome="verified"]');
    r = await readResult(page);
    assert.equal(r.attest, 'A');
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

test('(j) x5u unreachable: amber "could not check" with the paste-chain action, not red', async () => {
  const { page, errors, close } = await openPage();
  try {
    await useCustomTrust(page, DEMO.root);
    const identity = await signInPage(page, { x5u: DEAD_X5U, attest: 'A' });
    await verifyText(page, identity);
    const r = await readResult(page);
    assert.equal(r.outcome, 'unverified', JSON.stringify(r));
    assert.equal(r.tone, 'notice');
    assert.match(r.label, /Could not check/i);
    assert.ok(!isRed(r.background), `not red: ${r.background}`);
    assert.equal(r.fix, 'paste-chain');
    assert.ok(r.action, 'says what to do');
    assert.equal(failedCheck(r), 'cert.fetch');
    assert.equal(r.facts.orig, '+1 202-555-0142');
    assert.equal(r.attest, null, 'no level shown as verified');
    assert.deepEqual(r.certOrigins, ['failed']);
    // The decoded header agrees with the banner: "Could not check" in amber, not a red "Not valid".
    const pill = await page.$eval('.identity[data-role="shaken"] .identity__result .pill', (e) => ({
      text: e.textContent,
      bg: getComputedStyle(e).backgroundColor,
      banner: getComputedStyle(document.querySelector('#verdict .banner__status')).color,
    }));
    assert.equal(pill.text, 'Could not check', JSON.stringify(pill));
    assert.equal(pill.bg, pill.banner, 'the amber of the banner, not the red of a failed header');
    await assertAccessible(page);
    await shot(page, 'j-unverified');
    await page.locator('.identity[data-role="shaken"]').screenshot({ path: join(SHOTS, 'j-unverified-identity.png') });
    // The chain pasted through the fix: valid A.
    await page.click('.banner__fix button');
    await page.keyboard.insertText(DEMO.chain);
    await page.evaluate(() => document.getElementById('verdict').replaceChildren());
    await page.click('.certs button.primary');
    await settled(page);
    assert.equal((await readResult(page)).attest, 'A');
    assert.equal(await page.textContent('.identity[data-role="shaken"] .identity__result .pill'), 'Valid');
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

test('(f) without the worker (static hosting): explains CORS, asks for the chain; a valid C is not green', async () => {
  const { page, errors, close } = await openPage({ base: staticServer.url });
  try {
    assert.match(await page.textContent('#cert-mode'), /not served by the stircheck service/);
    await useCustomTrust(page, DEMO.root);
    const identity = await signInPage(page, { x5u: SERVED_X5U, attest: 'C' });
    await verifyText(page, identity);
    let r = await readResult(page);
    assert.equal(r.status, 'invalid');
    assert.equal(r.outcome, 'unverified');
    assert.equal(failedCheck(r), 'cert.fetch');
    assert.match(await page.textContent('.certs'), /CORS/);
    await page.fill('.certs textarea', DEMO.chain);
    await page.evaluate(() => document.getElementById('verdict').replaceChildren());
    await page.click('.certs button.primary');
    await settled(page);
    r = await readResult(page);
    assert.equal(r.status, 'valid', JSON.stringify(r));
    assert.equal(r.attest, 'C');
    assert.equal(r.tone, 'neutral', 'a C is neutral');
    assert.ok(!isGreen(r.background), `a C is not green: ${r.background}`);
    assert.ok(staticServer.requests.every((q) => !q.url.startsWith('/api/x5u')), 'no certificate service was asked');
    await assertAccessible(page);
    assert.deepEqual(errors, []);
    await shot(page, 'f-static-pasted-chain-C');
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
    assert.match(await page.textContent('.identity[data-role="div"] .identity__checks > summary'), /Checks of identity 2: \d+ checks: 0 failed/);
    assert.equal(sections[0].checks, 0, 'the SHAKEN checks are listed once, in the main Checks section');
    assert.match(await page.textContent('.identities > h2'), /2 Identity headers/);
    assert.deepEqual(errors, []);
    await shot(page, 'h-div-forwarded');
  } finally {
    await close();
  }
});

test('(i) WebCrypto path and the core\'s own crypto give identical verdicts in the browser', async () => {
  requireCorpus();
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

test('(k) a national number (leading 0, as libstirshaken signs) is shown as signed, never as a made-up +0…', async () => {
  const entry = corpusEntry((e) => e.kind === 'fixture' && /^0/.test(e.orig?.tn ?? ''));
  const { page, errors, close } = await openPage();
  try {
    await page.check('#as-of-call');
    await verifyText(page, entry.identity);
    const r = await readResult(page);
    assert.equal(r.facts.orig, entry.orig.tn, JSON.stringify(r.facts));
    assert.equal(r.facts.dest, entry.dest.tn.join(', '));
    // International numbers keep their +, NANP numbers their grouping.
    await verifyText(page, corpusEntry((e) => /^91/.test(e.orig?.tn ?? '')).identity);
    assert.equal((await readResult(page)).facts.orig, '+918850510969');
    await shot(page, 'k-national-number');
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

test('(g) phone width 375px: no horizontal scrolling, the answer on the first screen, a short page', async () => {
  const { page, errors, close } = await openPage({ width: 375, height: 812 });
  try {
    await page.click('#example-broken');
    await settled(page);
    let r = await readResult(page);
    assert.equal(r.status, 'invalid');
    assert.ok(r.overflow <= 0, `page is ${r.overflow}px wider than the screen`);
    // The banner is scrolled into view: its headline is on the first screen.
    const headlineBottom = await page.$eval('#verdict .banner__headline', (e) => e.getBoundingClientRect().bottom);
    assert.ok(headlineBottom <= 812, `headline on screen (${headlineBottom})`);
    // Folded by default: the verdict and its details stay short (everything expanded, a mobile
    // verdict was 8,237 px).
    console.log(`# 375px verdict height, failed: ${r.verdictHeight}px (page ${r.height}px)`);
    assert.ok(r.verdictHeight < 2500, `verdict is ${r.verdictHeight}px tall`);
    await page.screenshot({ path: join(SHOTS, 'g-phone-375-first-screen.png') });
    await shot(page, 'g-phone-375-broken');
    await assertAccessible(page);
    await page.click('#example-valid');
    await page.waitForSelector('#verdict:not([aria-busy]) .banner[data-status="valid"]');
    r = await readResult(page);
    assert.ok(r.overflow <= 0, `page is ${r.overflow}px wider than the screen`);
    console.log(`# 375px verdict height, valid: ${r.verdictHeight}px (page ${r.height}px)`);
    assert.ok(r.verdictHeight < 2500, `verdict is ${r.verdictHeight}px tall`);
    await shot(page, 'g-phone-375-valid');
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});
