/**
 * Browser tests of the self-check page (www/self-check.html) and the attestation advisor, in real
 * headless Chromium (Debian's /usr/bin/chromium via playwright-core), served by ./server.mjs.
 *
 * Fixture: 3 customer numbers (typed in three different ways) and 10 calls signed in Node with the
 * wasm `sign()` and the DEMO PKI of www/demo — valid A/B/C, a call for another number, a tampered
 * header (bad signature), a SIP message without Identity, and a SIP message showing a customer number
 * whose PASSporT signs another one (orig mismatch). The page must count each exactly, draw the chart,
 * and export the same rows as CSV. Screenshots go to test-output/screenshots/selfcheck-*.png.
 *
 * Run: node --test tests/browser/   (needs www/pkg from scripts/build-wasm.sh; nothing here skips)
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { sign as nodeSign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { axeViolations, BUNDLED_X5U, DEMO, launch, loadCoreInNode, openPage, SERVED_X5U, SHOTS } from './harness.mjs';
import { contrastProblems } from './a11y.mjs';

const N1 = '12025550101';
const N2 = '12025550102';
const N3 = '12025550103';
const OTHER_N = '12025550199';
const DEST = '12025550188';
/** Three ways a customer types numbers; all canonicalize to N1, N2, N3. */
const NUMBERS_TYPED = '+1 (202) 555-0101, 202.555.0102\n12025550103\n';

let env;
let server;
let staticServer;
let core;

before(async () => {
  core = await loadCoreInNode();
  env = await launch();
  ({ server, staticServer } = env);
});

after(async () => {
  await env?.close();
});

function openSelfCheck({ width = 1100, height = 900, base = server.url, hash = '' } = {}) {
  return openPage(env.browser, base, `/self-check.html${hash}`, { width, height, downloads: true });
}

/** A fresh SHAKEN Identity header line signed with the demo key (wasm `sign()` in Node). */
function identity({ attest, orig, dest = DEST, x5u = SERVED_X5U }) {
  return core.sign({ keyPem: DEMO.key, x5u, attest, orig, dest: [dest], iat: Math.floor(Date.now() / 1000) });
}

/** Edit the claims of a signed header without re-signing (the signature then fails). */
function tamper(line, edit) {
  return line.replace(/(eyJ[\w-]*)\.([\w-]+)\.([\w-]+)/, (_, h, p, s) => {
    const claims = JSON.parse(Buffer.from(p, 'base64url').toString('utf8'));
    edit(claims);
    return `${h}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${s}`;
  });
}

function invite({ pai, identityLine, dest = DEST, sdp = false }) {
  const lines = [
    `INVITE sip:+${dest}@sbc.example.net;user=phone SIP/2.0`,
    'Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK776asdhds',
    `To: <sip:+${dest}@sbc.example.net;user=phone>`,
    `From: "Sales" <sip:+${pai}@carrier.example.com;user=phone>;tag=1928301774`,
    `P-Asserted-Identity: <tel:+${pai}>`,
    'Call-ID: a84b4c76e66710@pc33.example.com',
    'CSeq: 314159 INVITE',
    identityLine,
    sdp ? 'Content-Type: application/sdp' : 'Content-Length: 0',
  ].filter(Boolean);
  const body = sdp ? ['', 'v=0', 'o=- 0 0 IN IP4 192.0.2.10', 's=-', 'c=IN IP4 192.0.2.10', 't=0 0', 'm=audio 49170 RTP/AVP 0'] : [];
  return [...lines, ...body].join('\r\n');
}

/**
 * The 10 calls, in paste order, with what the page must make of each.
 * Identity lines 1–6 form one paragraph (one header per line); SIP messages are separated by blank
 * lines; the SDP body after call 7 is not a call.
 */
function fixtureCalls() {
  const calls = [
    { text: identity({ attest: 'A', orig: N1 }), number: N1, status: 'valid', attest: 'A' },
    { text: identity({ attest: 'A', orig: `+${N1}`, x5u: BUNDLED_X5U }), number: N1, status: 'valid', attest: 'A' },
    { text: identity({ attest: 'B', orig: N1 }), number: N1, status: 'valid', attest: 'B' },
    { text: identity({ attest: 'B', orig: N2 }), number: N2, status: 'valid', attest: 'B' },
    { text: identity({ attest: 'C', orig: N2 }), number: N2, status: 'valid', attest: 'C' },
    // Signed B, then edited to claim A: the signature no longer matches.
    { text: tamper(identity({ attest: 'B', orig: N2 }), (c) => (c.attest = 'A')), number: N2, status: 'invalid', failed: 'signature', claimed: 'A' },
    { text: invite({ pai: N3, identityLine: identity({ attest: 'A', orig: N3 }), sdp: true }), number: N3, status: 'valid', attest: 'A' },
    { text: invite({ pai: N3, identityLine: null }), number: N3, status: 'no-identity', failed: 'identity.present' },
    { text: identity({ attest: 'A', orig: OTHER_N }), number: 'other', status: 'valid', attest: 'A' },
    // Shows N3 but the PASSporT signs another number: call.orig fails, counted for N3 as a mismatch.
    { text: invite({ pai: N3, identityLine: identity({ attest: 'A', orig: OTHER_N }) }), number: N3, status: 'invalid', failed: 'call.orig', claimed: 'A' },
  ];
  const paste = [
    calls.slice(0, 6).map((c) => c.text).join('\n'),
    calls[6].text,
    calls[7].text,
    calls[8].text,
    calls[9].text,
  ].join('\n\n');
  return { calls, paste };
}

async function useDemoTrust(page) {
  await page.setInputFiles('#trust-file', DEMO.root);
  await page.waitForSelector('#trust-status .custom-trust');
}

async function runSelfCheck(page, numbers, paste) {
  await page.fill('#sc-numbers', numbers);
  await page.fill('#sc-calls', paste);
  await page.click('#sc-run');
  await page.waitForSelector('#results:not([aria-busy]) #per-number-table', { timeout: 30000 });
}

/** The per-number table as the customer reads it (cells as text, keyed by data-number). */
function readTable(page, id) {
  return page.$$eval(`#${id} tbody tr`, (trs) =>
    trs.map((tr) => {
      const cells = [...tr.children].map((c) => c.textContent.trim());
      return { number: tr.dataset.number, cells };
    }),
  );
}

test('self-check: 3 numbers, 10 mixed calls → exact per-number table, charts, CSV/JSON export', async () => {
  const { calls, paste } = fixtureCalls();
  const { page, errors, close } = await openSelfCheck();
  try {
    // As-of-call is on by default on this page (past calls).
    assert.equal(await page.isChecked('#sc-as-of-call'), true);
    assert.equal(await page.isChecked('#sc-nanp'), true);
    assert.match(await page.textContent('.privacy'), /never uploaded/);
    await useDemoTrust(page);
    await runSelfCheck(page, NUMBERS_TYPED, paste);
    assert.match(await page.textContent('#sc-numbers-parsed'), /Checking 3 numbers: \+1 202-555-0101, \+1 202-555-0102, \+1 202-555-0103/);
    assert.match(await page.textContent('#sc-status'), /Done: 10 calls checked/);

    // The answer first: one sentence per number (written by the core), focused and on screen.
    const answers = await page.$$eval('#answers .answer', (els) => els.map((e) => ({ number: e.dataset.number, level: e.dataset.level, text: e.textContent, links: [...e.querySelectorAll('a')].map((a) => a.getAttribute('href')) })));
    assert.deepEqual(answers.map((a) => [a.number, a.level]), [[N1, 'B'], [N2, 'failed'], [N3, 'failed']]);
    assert.match(answers[0].text, /^\+1 202-555-0101: 2 of 3 calls reached A — the other one signed B by .*DEMO.*; see how to reach A\.$/);
    assert.match(answers[1].text, /^\+1 202-555-0102: 0 of 3 calls reached A — 1 signed B .*; 1 signed C .*; 1 failed verification/);
    assert.match(answers[2].text, /^\+1 202-555-0103: 1 of 3 calls reached A — .*1 carried no signature; see why it failed\.$/);
    assert.deepEqual(answers.map((a) => a.links), [['#reach-a'], ['#failures'], ['#failures']]);
    const focus = await page.evaluate(() => ({ id: document.activeElement?.id, top: document.getElementById('answers').getBoundingClientRect().top, h: innerHeight }));
    assert.equal(focus.id, 'answers', 'the answers have the focus after the run');
    assert.ok(focus.top >= -1 && focus.top < focus.h / 2, `the answers are scrolled into view (top ${focus.top})`);
    await page.locator('#answers').screenshot({ path: join(SHOTS, 'selfcheck-answers.png') });
    // Its link moves the reader to "what to do to reach A".
    await page.click('#answers a[href="#reach-a"]');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'reach-a');

    // Per-number table. Columns: Number, A, B, C, Not valid, Could not check, No signature,
    // Unreadable, Calls, Signed, Valid, orig matched (A/B/C first: on a phone they fit).
    const rows = await readTable(page, 'per-number-table');
    assert.deepEqual(rows.map((r) => r.number), [N1, N2, N3]);
    const counts = Object.fromEntries(rows.map((r) => [r.number, r.cells.slice(1, 12)]));
    assert.deepEqual(counts[N1], ['2', '1', '0', '0', '0', '0', '0', '3', '3', '3', '3 of 3']);
    assert.deepEqual(counts[N2], ['0', '1', '1', '1', '0', '0', '0', '3', '3', '2', '3 of 3']);
    assert.deepEqual(counts[N3], ['1', '0', '0', '1', '0', '1', '0', '3', '2', '1', '1 of 2']);
    // Who signed: SPC and company per number, valid calls only, by level.
    const signers = await page.$$eval('#signers-table tbody tr', (trs) => trs.map((tr) => [tr.dataset.number, ...[...tr.querySelectorAll('td')].map((c) => c.textContent.trim())]));
    assert.deepEqual(signers, [
      [N1, 'DEMO', 'stircheck DEMO Carrier (not a real carrier)', '3', '2', '1', '0'],
      [N2, 'DEMO', 'stircheck DEMO Carrier (not a real carrier)', '2', '0', '1', '1'],
      [N3, 'DEMO', 'stircheck DEMO Carrier (not a real carrier)', '1', '1', '0', '0'],
      ['other', 'DEMO', 'stircheck DEMO Carrier (not a real carrier)', '1', '1', '0', '0'],
    ]);
    assert.match(await page.textContent('#per-number-table thead'), /A \(full attestation\)/, 'A/B/C headers say what they mean to screen readers');

    // Other numbers: the call signed for 12025550199.
    const other = await readTable(page, 'other-numbers-table');
    assert.deepEqual(other.map((r) => [r.number, ...r.cells.slice(1, 11)]), [[OTHER_N, '1', '0', '0', '0', '0', '0', '0', '1', '1', '1']]);
    assert.match(await page.textContent('.overview'), /10 calls checked for 3 numbers: 7 valid, 2 not valid, 1 without a signature\. 9 showed one of your numbers, 1 showed other numbers\./);

    // Failures grouped by failing check, with the core's reason.
    const failures = await page.$$eval('.failure', (els) => els.map((e) => ({ check: e.dataset.check, text: e.textContent })));
    assert.deepEqual(failures.map((f) => f.check).sort(), ['call.orig', 'signature']);
    assert.match(failures.find((f) => f.check === 'signature').text, /1 call.*\+1 202-555-0102 \(1\).*altered after signing/s);
    assert.match(failures.find((f) => f.check === 'call.orig').text, /\+1 202-555-0103 \(1\).*is not the signed orig/s);

    // Attestation chart: 4 bars (3 numbers + other numbers), 9 non-empty segments in total.
    const mix = await page.$eval('figure[data-chart="attestation"]', (fig) => {
      const svg = fig.querySelector('svg');
      const label = svg.getAttribute('aria-labelledby').split(' ').map((id) => document.getElementById(id)?.textContent ?? '');
      return {
        role: svg.getAttribute('role'),
        title: label[0],
        desc: label[1],
        bars: [...svg.querySelectorAll('g.bar')].map((g) => ({
          id: g.dataset.category,
          total: Number(g.dataset.total),
          segs: [...g.querySelectorAll('rect.seg')].map((r) => `${r.dataset.key}=${r.dataset.value}`),
          tips: [...g.querySelectorAll('rect.seg title')].map((t) => t.textContent),
        })),
        tableRows: fig.querySelectorAll('.chart__data tbody tr').length,
      };
    });
    assert.equal(mix.role, 'img');
    assert.equal(mix.title, 'Attestation mix per number');
    assert.match(mix.desc, /\+1 202-555-0103: 3 calls \(1 A \(full attestation\), 1 not valid, 1 no signature\)/);
    assert.deepEqual(mix.bars.map((b) => [b.id, b.total, b.segs]), [
      [N1, 3, ['A=2', 'B=1']],
      [N2, 3, ['B=1', 'C=1', 'invalid=1']],
      [N3, 3, ['A=1', 'invalid=1', 'unsigned=1']],
      ['other', 1, ['A=1']],
    ]);
    assert.equal(mix.bars.flatMap((b) => b.segs).length, 9);
    assert.equal(mix.bars[0].tips[0], '+1 202-555-0101: 2 calls A (full attestation)');
    assert.equal(mix.tableRows, 4, 'the data table alternative has a row per bar');

    // Failure chart: one bar per failing check.
    const fail = await page.$eval('figure[data-chart="failures"] svg', (svg) => ({
      name: [...svg.getAttribute('aria-labelledby').split(' ')].map((id) => document.getElementById(id).textContent).join(' | '),
      bars: [...svg.querySelectorAll('g.bar')].map((g) => `${g.dataset.category}=${g.dataset.total}`),
    }));
    assert.deepEqual(fail.bars.sort(), ['call.orig=1', 'signature=1']);
    assert.match(fail.name, /^Why calls failed \| .*signature\): 1 call/);

    // What to do to reach A: driven by the B and C calls, steps from the advisor.
    const reach = await page.$$eval('.reach-a__item', (els) => els.map((e) => ({ level: e.dataset.level, text: e.textContent })));
    assert.deepEqual(reach.map((r) => r.level), ['B', 'C', 'invalid', 'mismatch', 'unsigned']);
    assert.match(reach[0].text, /SPC DEMO .* signed 2 calls B for \+1 202-555-0101, \+1 202-555-0102/);
    assert.match(reach[0].text, /letter of authorization/);
    assert.match(reach[1].text, /Place the calls through a carrier that originates them/);
    assert.match(await page.textContent('.reach-a'), /3 of 9 calls of your numbers reached A/);

    // CSV export, captured as a download.
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#sc-export-csv')]);
    assert.match(download.suggestedFilename(), /^stircheck-self-check-\d{8}-\d{6}\.csv$/);
    const csv = readFileSync(await download.path(), 'utf8').replace(/^\ufeff/, '');
    const lines = csv.trimEnd().split('\r\n');
    assert.equal(lines[0], 'record,line,number,shown_number,orig,orig_match,status,outcome,attest,claimed_attest,failed_check,sip_code,verstat,spc,organization,rcd,brand,x5u,iat,iat_unix,dest,reason');
    assert.equal(lines.length, 11, 'a header row and one row per call');
    const parsed = lines.slice(1).map(parseCsvLine);
    const col = (name) => lines[0].split(',').indexOf(name);
    calls.forEach((c, i) => {
      const row = parsed[i];
      assert.equal(row[col('record')], String(i + 1));
      assert.equal(row[col('number')], c.number, `call ${i + 1} number`);
      assert.equal(row[col('status')], c.status, `call ${i + 1} status`);
      assert.equal(row[col('attest')], c.attest ?? '', `call ${i + 1} attest`);
      assert.equal(row[col('failed_check')], c.failed ?? '', `call ${i + 1} failed check`);
      assert.equal(row[col('claimed_attest')], c.claimed ?? '', `call ${i + 1} claimed attest`);
    });
    // Lines of the paste where each call starts: 1..6 (one per line), then the SIP messages.
    assert.deepEqual(parsed.slice(0, 6).map((r) => r[col('line')]), ['1', '2', '3', '4', '5', '6']);
    assert.equal(parsed[9][col('orig_match')], 'no');
    assert.equal(parsed[9][col('shown_number')], N3);
    assert.equal(parsed[7][col('orig')], '', 'no Identity, no orig');
    assert.equal(parsed[0][col('spc')], 'DEMO');
    assert.match(parsed[0][col('iat')], /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z$/);

    // JSON export: the same counts.
    const [jsonDownload] = await Promise.all([page.waitForEvent('download'), page.click('#sc-export-json')]);
    const json = JSON.parse(readFileSync(await jsonDownload.path(), 'utf8'));
    assert.equal(json.calls.length, 10);
    assert.deepEqual(json.numbers, [N1, N2, N3]);
    assert.equal(json.settings.asOfCall, true);
    assert.deepEqual(json.summary.per_number.map((g) => [g.number, g.calls, g.valid, g.attest.A, g.attest.B, g.attest.C, g.invalid, g.unsigned]), [
      [N1, 3, 3, 2, 1, 0, 0, 0],
      [N2, 3, 2, 0, 1, 1, 1, 0],
      [N3, 3, 1, 1, 0, 0, 1, 1],
    ]);
    assert.equal(json.summary.other_numbers.calls, 1);

    // Privacy: only x5u URLs (never pasted text or numbers) reached the server.
    const sent = server.requests.map((q) => q.url);
    assert.ok(server.requests.every((q) => q.method === 'GET'), 'no request carried a body');
    assert.ok(!sent.some((u) => u.includes('5550101') || u.includes('a84b4c76e66710') || u.includes('eyJ')), sent.join('\n'));
    assert.ok(sent.includes(`/api/x5u?url=${encodeURIComponent(SERVED_X5U)}`));

    assert.deepEqual(await contrastProblems(page, 'main'), []);
    assert.deepEqual(await axeViolations(page), []);
    assert.deepEqual(errors, []);
    await page.screenshot({ path: join(SHOTS, 'selfcheck-desktop.png'), fullPage: true });
    // Each part at full resolution, to be looked at one by one.
    for (const [name, sel] of [['form', '#sc-form'], ['table', '.per-number'], ['signers', '.signers'], ['charts', '.charts'], ['failures', '.failures'], ['other', '.other-numbers'], ['reach-a', '.reach-a'], ['export', '.export']]) {
      await page.locator(sel).screenshot({ path: join(SHOTS, `selfcheck-${name}.png`) });
    }
  } finally {
    await close();
  }
});

/** RFC 4180 field splitting for one line (no embedded newlines in our fixture). */
function parseCsvLine(line) {
  const out = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') (cur += '"'), i++;
      else if (c === '"') quoted = false;
      else cur += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') out.push(cur), (cur = '');
    else cur += c;
  }
  out.push(cur);
  return out;
}

test('self-check at 375px: no sideways page scroll, tables scroll in their box, charts fit', async () => {
  const { paste } = fixtureCalls();
  const { page, errors, close } = await openSelfCheck({ width: 375, height: 812 });
  try {
    await useDemoTrust(page);
    await runSelfCheck(page, NUMBERS_TYPED, paste);
    const layout = await page.evaluate(() => ({
      overflow: document.documentElement.scrollWidth - window.innerWidth,
      svgs: [...document.querySelectorAll('.chart__svg')].map((s) => s.getBoundingClientRect().right),
    }));
    assert.ok(layout.overflow <= 0, `page is ${layout.overflow}px wider than the screen`);
    assert.ok(layout.svgs.every((r) => r <= 375), `charts fit: ${layout.svgs}`);
    // A/B/C first: the number and its three levels are on screen without scrolling the table.
    const abc = await page.$$eval('#per-number-table thead th', (ths) => ths.slice(0, 4).map((th) => ({ text: th.textContent, right: th.getBoundingClientRect().right })));
    assert.deepEqual(abc.map((c) => c.text[0]), ['N', 'A', 'B', 'C']);
    assert.ok(abc.every((c) => c.right <= 375), `A/B/C visible at 375px: ${JSON.stringify(abc)}`);
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'answers');
    assert.deepEqual(await axeViolations(page), []);
    assert.deepEqual(errors, []);
    await page.screenshot({ path: join(SHOTS, 'selfcheck-phone-375.png'), fullPage: true });
    await page.screenshot({ path: join(SHOTS, 'selfcheck-phone-375-first-screen.png') });
    for (const [name, sel] of [['table', '.per-number'], ['signers', '.signers'], ['charts', '.charts'], ['reach-a', '.reach-a']]) {
      await page.locator(sel).screenshot({ path: join(SHOTS, `selfcheck-phone-375-${name}.png`) });
    }
  } finally {
    await close();
  }
});

/** A PASSporT signed in Node with the demo key, with any claims (e.g. without iat). */
function nodeIdentity(claims) {
  const b64 = (v) => Buffer.from(JSON.stringify(v)).toString('base64url');
  const input = `${b64({ alg: 'ES256', ppt: 'shaken', typ: 'passport', x5u: SERVED_X5U })}.${b64(claims)}`;
  const sig = nodeSign('sha256', Buffer.from(input), { key: DEMO.key, dsaEncoding: 'ieee-p1363' });
  return `Identity: ${input}.${sig.toString('base64url')};info=<${SERVED_X5U}>;alg=ES256;ppt="shaken"`;
}

test('self-check: unreadable lines are counted apart; no "as of the call" claim without an iat', async () => {
  const { page, errors, close } = await openSelfCheck();
  try {
    await useDemoTrust(page);
    const paste = [
      identity({ attest: 'B', orig: N1 }),
      // A cut copy: no PASSporT can be read from it.
      'Identity: eyJhbGciOiJFUzI1NiIsInBwdCI6InNoYWtlbiJ9.eyJhdHRlc3Qi',
      // Signed, but without iat: it fails, and it cannot have been checked "as of the call".
      nodeIdentity({ attest: 'A', dest: { tn: [DEST] }, orig: { tn: N1 }, origid: '123e4567-e89b-12d3-a456-426614174000' }),
    ].join('\n') + '\n\n' + invite({ pai: N1, identityLine: 'Identity: garbage-not-a-token;info=<https://x.example/c.pem>' });
    await runSelfCheck(page, N1, paste);
    const row = (await readTable(page, 'per-number-table'))[0];
    // A, B, C, Not valid, Could not check, No signature, Unreadable, Calls, Signed, Valid
    assert.deepEqual(row.cells.slice(1, 11), ['0', '1', '0', '1', '0', '0', '1', '3', '2', '1']);
    assert.match(await page.textContent('.overview'), /2 lines with nothing readable/);
    assert.match(await page.textContent('.overview'), /except 1 call whose signing time could not be read: it was checked as of now/);
    const answer = await page.textContent('#answers .answer');
    assert.match(answer, /0 of 2 calls reached A/);
    assert.match(answer, /1 more pasted line showing this number could not be read/);
    assert.deepEqual(await axeViolations(page), []);
    assert.deepEqual(errors, []);
    await page.locator('#results').screenshot({ path: join(SHOTS, 'selfcheck-unreadable.png') });
  } finally {
    await close();
  }
});

test('self-check: 5,000 headers, timed against the bare verifications; the answers get the focus', async () => {
  const line = identity({ attest: 'B', orig: N1 });
  const paste = Array.from({ length: 5000 }, () => line).join('\n');
  const { page, errors, close } = await openSelfCheck();
  try {
    await useDemoTrust(page);
    await page.fill('#sc-numbers', N1);
    await page.$eval('#sc-calls', (el, text) => (el.value = text), paste);
    const ms = await page.evaluate(async () => {
      const t0 = performance.now();
      document.getElementById('sc-run').click();
      while (!/^Done: 5000 calls/.test(document.getElementById('sc-status').textContent)) await new Promise((r) => setTimeout(r, 20));
      return performance.now() - t0;
    });
    // The same 5000 verifications alone (the page's own session, WebCrypto path, chain given), in
    // the same tab right after: the machine's speed cancels out of the comparison.
    const bare = await page.evaluate(async ({ text, chain, root, x5u }) => {
      const { loadCore, VerifierSession } = await import('/api.js');
      const session = new VerifierSession(await loadCore());
      session.setTrust(root);
      const t0 = performance.now();
      for (let i = 0; i < 5000; i++) await session.verify(text, { asOfCall: true, certs: { [x5u]: chain } });
      return performance.now() - t0;
    }, { text: line, chain: DEMO.chain, root: readFileSync(DEMO.root, 'utf8'), x5u: SERVED_X5U });
    console.log(`# self-check: 5000 headers in ${Math.round(ms)} ms; the verifications alone ${Math.round(bare)} ms`);
    // What the page adds (splitting, certificates, rows, progress, yields, report, answers) must
    // stay of the order of the verifications themselves: a per-call cost that grows with the
    // paste (quadratic work) would blow this bound. Both figures move with the machine's load.
    assert.ok(ms < bare * 5 + 2000, `the self-check took ${Math.round(ms)} ms for ${Math.round(bare)} ms of verification`);
    await page.waitForFunction(() => document.activeElement?.id === 'answers');
    assert.match(await page.textContent('#answers'), /0 of 5000 calls reached A — all signed B by/);
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

test('self-check: large paste shows progress, can be cancelled, and reports what was checked', async () => {
  const line = identity({ attest: 'B', orig: N1 });
  const paste = Array.from({ length: 3000 }, () => line).join('\n');
  const { page, errors, close } = await openSelfCheck();
  try {
    await useDemoTrust(page);
    await page.fill('#sc-numbers', N1);
    // Set the value directly: typing 3000 lines through fill() would take longer than the check.
    await page.$eval('#sc-calls', (el, text) => (el.value = text), paste);
    await page.focus('#sc-calls');
    await page.keyboard.press('Control+Enter');
    await page.waitForSelector('#sc-progress-box:not([hidden])');
    await page.waitForFunction(() => Number(document.getElementById('sc-progress').value) > 0);
    assert.match(await page.textContent('#sc-status'), /Checked \d+ of 3000 calls/);
    await page.click('#sc-cancel');
    await page.waitForSelector('#results:not([aria-busy]) #per-number-table');
    const status = await page.textContent('#sc-status');
    const m = /Stopped after (\d+) of 3000 calls/.exec(status);
    assert.ok(m, status);
    const done = Number(m[1]);
    assert.ok(done > 0 && done < 3000, status);
    const row = (await readTable(page, 'per-number-table'))[0];
    assert.equal(row.cells[8], String(done));
    assert.equal(row.cells[2], String(done), 'all B');
    assert.match(await page.textContent('.overview'), new RegExp(`Stopped: ${done} of 3000 calls were checked`));
    assert.equal(await page.isHidden('#sc-cancel'), true);
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

test('advisor: live answers for the call-center scenarios (B, A, C, C, A)', async () => {
  const { page, errors, close } = await openSelfCheck();
  try {
    const answer = () => page.$eval('#advisor-answer .advice', (e) => ({ attest: e.dataset.attest, rule: e.dataset.rule, text: e.textContent }));
    // Default: client's number, nothing verified.
    let a = await answer();
    assert.equal(a.attest, 'B');
    assert.equal(a.rule, 'client-number-unverified');
    assert.match(a.text, /To reach A/);
    assert.match(a.text, /FCC 24-120/);
    await page.locator('#advisor').screenshot({ path: join(SHOTS, 'selfcheck-advisor-B.png') });

    await page.selectOption('#advisor-verification', 'loa-checked');
    await page.waitForSelector('#advisor-answer .advice[data-attest="A"]');
    a = await answer();
    assert.equal(a.rule, 'client-number-verified');
    assert.match(a.text, /letter of authorization/);
    assert.doesNotMatch(a.text, /To reach A/);

    await page.selectOption('#advisor-role', 'gateway');
    await page.waitForSelector('#advisor-answer .advice[data-attest="C"]');
    assert.equal((await answer()).rule, 'not-originated');
    await page.locator('#advisor').screenshot({ path: join(SHOTS, 'selfcheck-advisor-C.png') });

    await page.selectOption('#advisor-role', 'originating');
    await page.selectOption('#advisor-relationship', 'none');
    await page.waitForSelector('#advisor-answer .advice[data-rule="no-relationship"]');
    assert.equal((await answer()).attest, 'C');

    await page.selectOption('#advisor-relationship', 'direct');
    await page.selectOption('#advisor-number', 'assigned-by-signer');
    await page.selectOption('#advisor-verification', 'none');
    await page.waitForSelector('#advisor-answer .advice[data-rule="own-number"]');
    assert.equal((await answer()).attest, 'A');

    // The answer region is announced; the selects have labels.
    assert.equal(await page.getAttribute('#advisor-answer', 'aria-live'), 'polite');
    for (const f of ['role', 'relationship', 'number', 'verification']) {
      assert.ok(await page.$(`label[for="advisor-${f}"]`), `label for ${f}`);
    }
    assert.deepEqual(await contrastProblems(page, '#advisor'), []);
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

test('advisor in one click: self-check.html#advisor lands on its heading, the intro link moves the focus there', async () => {
  const { page, errors, close } = await openSelfCheck({ hash: '#advisor', height: 700 });
  try {
    await page.waitForSelector('#advisor-answer .advice');
    const top = await page.$eval('#advisor-heading', (e) => e.getBoundingClientRect().top);
    assert.ok(top >= 0 && top < 60, `the advisor heading is at the top of the screen (${top}px)`);
    await page.screenshot({ path: join(SHOTS, 'selfcheck-advisor-landing.png') });
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.click('a[data-goto="advisor"]');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'advisor');
    assert.ok((await page.$eval('#advisor-heading', (e) => e.getBoundingClientRect().top)) < 60);
    // The how-to section is one click away too.
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.click('#sc-calls-help a[data-goto="how-to"]');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'how-to');
    assert.match(await page.textContent('#how-to'), /StirPassportToken/);
    assert.deepEqual(await axeViolations(page), []);
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

test('advisor at 375px: form and answer stacked, no sideways scroll', async () => {
  const { page, errors, close } = await openSelfCheck({ width: 375, height: 812 });
  try {
    await page.selectOption('#advisor-verification', 'tn-database');
    await page.waitForSelector('#advisor-answer .advice[data-attest="A"]');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `page is ${overflow}px wider than the screen`);
    await page.locator('#advisor').screenshot({ path: join(SHOTS, 'selfcheck-advisor-phone-375.png') });
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

test('main page links to the self-check page and back', async () => {
  const context = await env.browser.newContext({ viewport: { width: 1100, height: 700 } });
  try {
    const page = await context.newPage();
    await page.goto(`${server.url}/`);
    await page.click('.site-nav a[href="self-check.html"]');
    await page.waitForSelector('html[data-ready="true"]');
    assert.match(await page.title(), /self-check/);
    await page.click('.site-nav a[href="./"]');
    await page.waitForSelector('html[data-ready="true"]');
    await page.screenshot({ path: join(SHOTS, 'selfcheck-main-header.png') });
  } finally {
    await context.close();
  }
});

test('self-check without the worker (static hosting): failed x5u asked once, pasted chain re-checks all calls', async () => {
  const { page, errors, close } = await openSelfCheck({ base: staticServer.url });
  try {
    assert.match(await page.textContent('#cert-mode'), /not served by the stircheck service/);
    await useDemoTrust(page);
    const paste = [identity({ attest: 'A', orig: N1 }), identity({ attest: 'B', orig: N1 }), identity({ attest: 'C', orig: N2 })].join('\n');
    await runSelfCheck(page, `${N1}, ${N2}`, paste);
    let rows = await readTable(page, 'per-number-table');
    // The certificate could not be obtained: "could not check", not "not valid".
    assert.deepEqual(rows.map((r) => r.cells.slice(1, 11)), [['0', '0', '0', '0', '2', '0', '0', '2', '2', '0'], ['0', '0', '0', '0', '1', '0', '0', '1', '1', '0']]);
    assert.deepEqual(await page.$$eval('#answers .answer', (els) => els.map((e) => e.dataset.level)), ['unverified', 'unverified']);
    assert.match(await page.textContent('#answers'), /could not be checked.*paste the certificate chain to check them/s);
    assert.match(await page.textContent('#answers'), /could not be checked.*paste the certificate chain to check it\./s, 'one call: "it", not "them"');
    await page.click('#answers a[href="#certificates"]');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'certificates');
    assert.deepEqual(await page.$$eval('figure[data-chart="failures"] g.bar', (gs) => gs.map((g) => `${g.dataset.category}=${g.dataset.total}`)), ['cert.fetch=3']);
    assert.match(await page.textContent('.certs'), /CORS/);
    assert.equal(await page.locator('.certs .cert').count(), 1, 'one certificate URL for all three calls');
    await page.locator('.certs').screenshot({ path: join(SHOTS, 'selfcheck-static-needs-chain.png') });
    await page.fill('.certs textarea', DEMO.chain);
    await page.click('.certs button.primary');
    await page.waitForSelector('#sc-status:has-text("Done: 3 calls checked")');
    await page.waitForSelector('#results:not([aria-busy]) #per-number-table');
    rows = await readTable(page, 'per-number-table');
    assert.deepEqual(rows.map((r) => r.cells.slice(1, 11)), [['1', '1', '0', '0', '0', '0', '0', '2', '2', '2'], ['0', '0', '1', '0', '0', '0', '0', '1', '1', '1']]);
    assert.equal(await page.$('figure[data-chart="failures"]'), null);
    assert.ok(staticServer.requests.every((q) => !q.url.startsWith('/api/x5u')), 'no certificate service was asked');
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});
