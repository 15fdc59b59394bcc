/**
 * Browser test of the delegate-certificate flow (issue 12) in headless Chromium: in the demo
 * panel, "Issue a demo delegate certificate for my client's numbers" (the core's demoPki with
 * `delegate`: demo root → demo STI-SCA with SPC DEMO → delegate certificate for the typed numbers
 * and range, optionally limited to attestation A), sign a header with it, verify it against the
 * demo root: the delegation is shown (numbers, who delegated them, the constraint). A B header
 * breaks the constraint (438) and a number outside the certificate is not covered (437). Then the
 * same header in the main box, with the demo root loaded as the trust store and the chain pasted:
 * the signer card explains the delegate certificate. Screenshots: test-output/screenshots/delegate-*.png.
 *
 * Run: node --test tests/browser/delegate.test.mjs   (needs www/pkg with demoPki's delegate option)
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
  assert.match(readFileSync(dts, 'utf8'), /delegate\?: DemoDelegateOptions/, 'the wasm build has no delegate demo option: rebuild it (bash scripts/build-wasm.sh)');
  env = await launch({ x5u: {}, withStatic: false });
});

after(async () => {
  await env?.close();
});

async function openMain({ width = 1100, height = 900 } = {}) {
  const opened = await openPage(env.browser, env.server.url, '/', { width, height });
  // The demo signer is in the full wasm module, loaded when the panel is opened (www/app.js).
  await opened.page.click('#demo-open');
  await opened.page.waitForSelector('#demo-sign');
  return opened;
}

const claimsOf = (line) => JSON.parse(Buffer.from(line.match(/eyJ[\w-]*\.([\w-]+)\./)[1], 'base64url').toString('utf8'));

async function signAndVerify(page, attest) {
  await page.selectOption('#demo-attest', attest);
  const before = await page.inputValue('#demo-header');
  await page.click('#demo-sign');
  await page.waitForFunction((old) => {
    const v = document.getElementById('demo-header').value;
    return v.startsWith('Identity: eyJ') && v !== old;
  }, before);
  await page.click('#demo-verify');
  await page.waitForSelector('#demo-result:not([aria-busy]) .banner');
  return page.getAttribute('#demo-result .banner', 'data-status');
}

test('delegate certificate: issue for the client numbers, sign, verify, constraint and coverage enforced, signer card', async () => {
  const { page, errors, close } = await openMain();
  try {
    // The delegate controls appear only when asked for.
    assert.equal(await page.isVisible('#demo-delegate-fields'), false);
    await page.check('#demo-delegate');
    assert.equal(await page.isVisible('#demo-delegate-fields'), true);
    assert.equal((await page.textContent('#demo-new-cert')).trim(), 'Issue demo delegate certificate');
    await page.fill('#demo-client', 'Acme Collections BPO');
    await page.fill('#demo-client-tns', '+1 202-555-0123, 12025550124');
    await page.fill('#demo-range-start', '1-202-555-0100');
    await page.fill('#demo-range-count', '100');
    await page.check('#demo-only-a');
    await page.click('#demo-new-cert');
    assert.match(await page.textContent('#demo-message'), /delegate certificate made/);
    assert.equal(await page.inputValue('#demo-orig'), '+1 202-555-0123', 'orig set to the first client number');
    assert.match(await page.textContent('#demo-cert'), /delegate certificate .* Acme Collections BPO, issued by the demo STI-SCA of SPC DEMO/);
    // The x5u chain is the delegate leaf and the STI-SCA.
    const chainPem = await page.inputValue('#demo-chain-pem');
    assert.equal((chainPem.match(/BEGIN CERTIFICATE/g) ?? []).length, 2);

    // A: valid, and the delegation is explained from the core's facts.
    assert.equal(await signAndVerify(page, 'A'), 'valid');
    const header = await page.inputValue('#demo-header');
    assert.deepEqual(claimsOf(header).orig, { tn: '12025550123' });
    assert.match(await page.textContent('#demo-result .banner__headline'), /Acme Collections BPO \(DEMO\)/);
    assert.match(await page.textContent('#demo-result [data-fact="signer"]'), /Acme Collections BPO \(DEMO\)/);
    const facts = await page.textContent('#demo-delegation');
    assert.match(facts, /Signed with a delegate certificate for 100 numbers issued by Example Telecom \(DEMO\)'s STI-SCA \(SPC DEMO\)\./);
    assert.match(facts, /Numbers it covers \(100\)/);
    assert.match(facts, /12025550100 – 12025550199 \(100 numbers\)/);
    assert.match(facts, /12025550123/);
    assert.match(facts, /attest only “A” — EnhancedJWTClaimConstraints in CN=stircheck DEMO delegate certificate/);
    await page.locator('#demo-signer').screenshot({ path: join(SHOTS, 'delegate-demo-valid.png') });
    assert.deepEqual(await contrastProblems(page, '#demo-signer'), []);

    // B breaks the certificate's claim constraint: not valid (438).
    assert.equal(await signAndVerify(page, 'B'), 'invalid');
    assert.match(await page.textContent('#demo-result'), /438/);
    await page.locator('#demo-result').screenshot({ path: join(SHOTS, 'delegate-demo-constraint-438.png') });

    // A calling number outside the certificate: not covered (437).
    await page.fill('#demo-orig', '12025550300');
    assert.equal(await signAndVerify(page, 'A'), 'invalid');
    assert.match(await page.textContent('#demo-result'), /437/);

    // The valid delegate header in the main box, with the demo root as the trust store and the
    // chain pasted for its x5u: the signer card explains the delegate certificate.
    const rootPem = await page.inputValue('#demo-root-pem');
    await page.setInputFiles('#trust-file', { name: 'demo-root.pem', mimeType: 'application/x-pem-file', buffer: Buffer.from(rootPem) });
    await page.waitForSelector('#trust-status .custom-trust');
    await page.fill('#input-text', header);
    await page.click('#verify-button');
    await page.waitForSelector('#verdict:not([aria-busy]) .banner');
    const paste = page.locator('textarea.chain-input').first();
    await paste.fill(chainPem);
    await page.click('button:has-text("Verify with this chain")');
    await page.waitForSelector('#verdict:not([aria-busy]) .banner[data-status="valid"]', { timeout: 10000 });
    const card = page.locator('section.signer');
    await card.locator('.signer__more > summary').click();
    const cardText = await card.textContent();
    assert.match(cardText, /Delegate certificate/);
    assert.match(cardText, /Signed with a delegate certificate for 100 numbers issued by Example Telecom \(DEMO\)'s STI-SCA \(SPC DEMO\)/);
    assert.match(cardText, /Claim constraints/);
    assert.match(cardText, /Acme Collections BPO \(DEMO\)/);
    await card.screenshot({ path: join(SHOTS, 'delegate-signer-card.png') });
    assert.deepEqual(await contrastProblems(page, 'section.signer'), []);
    assert.deepEqual(await axeViolations(page), []);
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

test('delegate certificate panel at 375px: no sideways scroll; a bad range is explained', async () => {
  const { page, errors, close } = await openMain({ width: 375, height: 812 });
  try {
    await page.check('#demo-delegate');
    await page.fill('#demo-range-start', '12025550100');
    await page.fill('#demo-range-count', '1');
    await page.click('#demo-new-cert');
    assert.match(await page.textContent('#demo-message'), /^The demo delegate certificate cannot be made: the range from 12025550100 needs a count of at least 2/);
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 375, `page is ${width}px wide`);
    await page.locator('#demo-signer').screenshot({ path: join(SHOTS, 'delegate-demo-375.png') });
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

test('advisor in call-center words: our CPaaS (Twilio), delegate certificate, 2025–2026 changes with PROPOSED labelled', async () => {
  const { page, errors, close } = await openPage(env.browser, env.server.url, '/self-check.html#advisor');
  try {
    await page.waitForSelector('#advisor-answer .advice');
    const answer = () => page.$eval('#advisor-answer .advice', (e) => ({ attest: e.dataset.attest, rule: e.dataset.rule, text: e.textContent }));
    // The default is worded for a call center and keeps the original answer.
    assert.equal(await page.inputValue('#advisor-role'), 'our-carrier');
    let a = await answer();
    assert.equal(a.rule, 'client-number-unverified');
    assert.match(a.text, /Your carrier knows you/);
    assert.match(a.text, /What changed in 2025–2026/);
    const proposed = await page.$eval('#advisor-answer [data-change="fnprm-25-76"]', (e) => ({ status: e.dataset.status, bold: e.querySelector('strong')?.textContent, text: e.textContent }));
    assert.deepEqual([proposed.status, proposed.bold], ['proposed', 'PROPOSED']);
    assert.match(proposed.text, /^PROPOSED, not adopted \(FCC 25-76 FNPRM/);
    for (const id of ['fcc-24-120', 'do-not-originate', 'rmd', 'delegate-certificates']) {
      assert.ok(await page.$(`#advisor-answer [data-change="${id}"]`), id);
    }
    // Our CPaaS is Twilio: what Twilio documents, to check with it.
    await page.selectOption('#advisor-role', 'our-cpaas');
    await page.selectOption('#advisor-provider', 'twilio');
    await page.waitForSelector('#advisor-answer .advice__provider[data-provider="Twilio"]');
    a = await answer();
    assert.match(a.text, /Your CPaaS knows you/);
    assert.match(a.text, /What Twilio documents.*Trust Product.*at most B.*check with it/s);
    // Signing with a delegate certificate for the client's numbers: the standards route to A.
    await page.selectOption('#advisor-delegate_certificate', 'true');
    await page.waitForSelector('#advisor-answer .advice[data-rule="delegate-certificate"]');
    a = await answer();
    assert.equal(a.attest, 'A');
    assert.match(a.text, /RFC 9060/);
    await page.locator('#advisor').screenshot({ path: join(SHOTS, 'delegate-advisor-cpaas.png') });
    // The provider does not sign: the next carrier signs C under 64.6302(d).
    await page.selectOption('#advisor-role', 'next-carrier');
    await page.waitForSelector('#advisor-answer .advice[data-attest="C"]');
    assert.match((await answer()).text, /64\.6302\(d\)/);
    assert.ok(await page.$('#advisor-answer [data-change="unsigned-first-hop"]'));
    assert.deepEqual(await contrastProblems(page, '#advisor'), []);
    assert.deepEqual(await axeViolations(page, '#advisor'), []);
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});
