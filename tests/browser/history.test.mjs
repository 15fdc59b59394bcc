/**
 * Browser test of the self-check page's call history (www/history.js): the real worker under
 * workerd (worker/test/harness.mjs: test PKI, test egress, local-disk Durable Object storage)
 * receives five Twilio webhook calls for two numbers, signed as Twilio signs them; the page,
 * served by that worker, is given the tenant's read token and must show both numbers' calls in
 * the per-number report. Without a token it asks for one and reads nothing.
 * Screenshots: test-output/screenshots/history-*.png.
 *
 * Run: node --test tests/browser/history.test.mjs   (needs worker/pkg + www/pkg, chromium)
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startWorker, TEST_ORIGIN } from '../../worker/test/harness.mjs';
import { makeIdentity, makePki } from '../../worker/test/pki.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const SHOTS = join(ROOT, 'test-output', 'screenshots');
const CHROMIUM = '/usr/bin/chromium';

const READ = 'read-token-for-the-browser-test';
const TWILIO = 'twilio-auth-token-browser';
const N1 = '12025550141';
const N2 = '12025550142';
const TEST_LINE = '12025550100';

let w;
let browser;
let profileDir;
const requests = [];

function twilioSignature(url, params) {
  const base = url + Object.keys(params).sort().map((k) => k + params[k]).join('');
  return createHmac('sha1', TWILIO).update(base).digest('base64');
}

async function webhook(params) {
  const url = `${w.base}/api/hooks/twilio?tenant=call-center`;
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': twilioSignature(url, params) },
    body: new URLSearchParams(params).toString(),
  });
  assert.equal(res.status, 200, await res.text());
}

before(async () => {
  assert.ok(existsSync(CHROMIUM), `${CHROMIUM} is missing: apt-get install -y chromium chromium-driver`);
  mkdirSync(SHOTS, { recursive: true });
  const pki = makePki();
  w = await startWorker({
    pki,
    trustPem: pki.root,
    env: { STIRCHECK_TENANTS: JSON.stringify([{ id: 'call-center', read_token: READ, twilio_auth_token: TWILIO }]) },
  });
  const x5u = `${TEST_ORIGIN}/browser/chain.pem`;
  const signed = (orig, attest) => makeIdentity({ key: pki.leafKey, x5u, orig, dest: TEST_LINE, attest }).identity;
  // Five calls: N1 twice at A and once at B; N2 once at B and once unsigned.
  let n = 0;
  const call = (from, identity) => ({ CallSid: `CA${++n}`, From: `+${from}`, To: `+${TEST_LINE}`, ...(identity ? { StirPassportToken: identity } : {}) });
  await webhook(call(N1, signed(N1, 'A')));
  await webhook(call(N1, signed(N1, 'A')));
  await webhook(call(N1, signed(N1, 'B')));
  await webhook(call(N2, signed(N2, 'B')));
  await webhook(call(N2, null));
  profileDir = await mkdtemp(join(tmpdir(), 'stircheck-chromium-'));
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', `--disk-cache-dir=${join(profileDir, 'cache')}`],
  });
});

after(async () => {
  await browser?.close();
  await w?.stop();
  if (profileDir) await rm(profileDir, { recursive: true, force: true });
});

async function openPage() {
  const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('request', (r) => requests.push({ url: r.url(), auth: r.headers().authorization ?? null }));
  await page.goto(`${w.base}/self-check.html`);
  await page.waitForSelector('html[data-ready="true"]', { timeout: 20000 });
  return { page, errors, close: () => context.close() };
}

test('without a read token the page asks for one and reads no history', async () => {
  const { page, errors, close } = await openPage();
  try {
    const before = requests.length;
    await page.click('#history-load');
    await page.waitForSelector('#history-status:has-text("Enter the read token")');
    assert.equal(await page.getAttribute('#history-token', 'aria-invalid'), 'true');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'history-token');
    assert.equal(requests.slice(before).filter((r) => r.url.includes('/api/history')).length, 0);
    await page.locator('#history').screenshot({ path: join(SHOTS, 'history-no-token.png') });
    // A wrong token is refused by the worker and said so.
    await page.fill('#history-token', 'not-the-token-0123456789');
    await page.click('#history-load');
    await page.waitForSelector('#history-status:has-text("refused")');
    assert.equal(await page.locator('#per-number-table').count(), 0);
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

test('with the read token the page shows the history of two numbers after five webhook calls', async () => {
  const { page, errors, close } = await openPage();
  const first = requests.length;
  try {
    await page.fill('#sc-numbers', '+1 202 555 0141\n202-555-0142');
    await page.fill('#history-token', READ);
    await page.click('#history-load');
    await page.waitForSelector('#results #per-number-table', { timeout: 20000 });
    assert.match(await page.textContent('#history-status'), /Loaded 5 calls for 2 numbers/);
    const rows = await page.$$eval('#per-number-table tbody tr', (trs) =>
      trs.map((tr) => ({ number: tr.dataset.number, cells: [...tr.children].map((c) => c.textContent.trim()) })));
    assert.deepEqual(rows.map((r) => r.number), [N1, N2]);
    assert.deepEqual(rows.map((r) => r.cells[1]), ['3', '2'], 'calls per number');
    const signers = await page.textContent('#results');
    assert.match(signers, /SPC 123A/);
    // Per number: what the calls showed, with the advisor link pre-filled from it.
    const items = await page.$$eval('#history-numbers li', (lis) => lis.map((li) => li.textContent));
    assert.match(items[0], /^\+1 202-555-0141: 3 calls received, 3 verified \(2 at A, 1 at B\)/);
    assert.match(items[1], /^\+1 202-555-0142: 2 calls received, 1 verified \(1 at B\)\. Latest .*Not signed/);
    const link = page.locator(`#history-numbers a[data-number="${N2}"]`);
    assert.match(await link.getAttribute('href'), /role=originating&relationship=direct&number=client-number&verification=none#advisor/);
    // The token went to /api/history only, as a bearer token; it is kept for this tab.
    const sent = requests.slice(first).filter((r) => r.auth);
    assert.ok(sent.length >= 1 && sent.every((r) => new URL(r.url).pathname === '/api/history' && r.auth === `Bearer ${READ}`));
    assert.equal(await page.evaluate(() => sessionStorage.getItem('stircheck.historyReadToken')), READ);
    await page.screenshot({ path: join(SHOTS, 'history-two-numbers.png'), fullPage: true });
    await page.locator('#history').screenshot({ path: join(SHOTS, 'history-panel.png') });
    await link.click();
    assert.equal(await page.inputValue('#advisor-number'), 'client-number');
    assert.equal(await page.inputValue('#advisor-verification'), 'none');
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

test('no numbers typed: the token loads every number that has history', async () => {
  const { page, close } = await openPage();
  try {
    // sessionStorage is per tab: a new tab starts without the token.
    assert.equal(await page.inputValue('#history-token'), '');
    await page.fill('#history-token', READ);
    await page.click('#history-load');
    await page.waitForSelector('#results #per-number-table', { timeout: 20000 });
    const numbers = await page.$$eval('#per-number-table tbody tr', (trs) => trs.map((tr) => tr.dataset.number).sort());
    assert.deepEqual(numbers, [N1, N2]);
    assert.match(await page.inputValue('#sc-numbers'), /\+12025550141/);
  } finally {
    await close();
  }
});
