// Unit tests of the self-check page's pure modules (www/selfcheck-records.js, www/selfcheck-report.js),
// run by `node --test`: number canonicalization, record splitting (the same records as the CLI's
// `verify --batch`, checked against the real CLI), per-number counting, CSV quoting and formula
// guarding. Nothing here skips: a missing wasm build or CLI fails with what to do.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { canonicalNumber, parseNumbers, splitRecords } from '../../www/selfcheck-records.js';
import { csvField, CSV_COLUMNS, OTHER, rowFromVerdict, summarize, toCsv, toJson } from '../../www/selfcheck-report.js';
import { CLI, loadWasm, REPO } from './fixtures.mjs';

const DEMO_KEY = readFileSync(join(REPO, 'www', 'demo', 'demo-key.pem'), 'utf8');
const DEMO_CHAIN = join(REPO, 'www', 'demo', 'demo-chain.pem');
const DEMO_ROOT = join(REPO, 'www', 'demo', 'demo-root.pem');
const X5U = 'https://certs.example.com/stircheck-demo/demo-chain.pem';

test('canonicalNumber: like the core (strip +, separators), NANP leading 1 only when asked', () => {
  assert.equal(canonicalNumber('+1 (202) 555-0142'), '12025550142');
  assert.equal(canonicalNumber('202.555.0142'), '12025550142');
  assert.equal(canonicalNumber('202.555.0142', { nanp: false }), '2025550142');
  // Written with + it is already international: no 1 is added.
  assert.equal(canonicalNumber('+2025550142'), '2025550142');
  // 10 digits starting with 0 or 1 are not NANP numbers.
  assert.equal(canonicalNumber('0201234567'), '0201234567');
  assert.equal(canonicalNumber('+44 20 7946 0958'), '442079460958');
  assert.equal(canonicalNumber('*67#'), '*67#');
  assert.equal(canonicalNumber('call me'), null);
  assert.equal(canonicalNumber(''), null);
  assert.equal(canonicalNumber('1'.repeat(33)), null);
});

test('parseNumbers: lines, commas and semicolons; duplicates once; junk reported', () => {
  const { numbers, invalid } = parseNumbers('+1 202 555 0101, 2025550101\n202-555-0102;\n\nsales line\n12025550103');
  assert.deepEqual(numbers, ['12025550101', '12025550102', '12025550103']);
  assert.deepEqual(invalid, ['sales line']);
});

test('splitRecords: one header per line, SIP messages by blank lines, SDP bodies skipped', () => {
  const text = [
    'Identity: aaa.bbb.ccc;info=<https://x/c.pem>',
    'eyJ.x.y',
    '',
    'INVITE sip:+12025550199@x SIP/2.0',
    'From: <sip:+12025550101@x>;tag=1',
    'Identity: aaa.bbb.ccc;info=<https://x/c.pem>',
    'Content-Type: application/sdp',
    '',
    'v=0',
    'o=- 0 0 IN IP4 192.0.2.1',
    '',
    '',
    'SIP/2.0 200 OK',
    'From: <sip:+12025550101@x>;tag=1',
    '',
    'y: aaa.bbb.ccc',
  ].join('\r\n');
  const recs = splitRecords(text);
  assert.deepEqual(recs.map((r) => [r.record, r.line]), [[1, 1], [2, 2], [3, 4], [4, 13], [5, 16]]);
  assert.match(recs[2].text, /^INVITE[\s\S]*Content-Type: application\/sdp$/);
  assert.ok(!recs[2].text.includes('\r'), 'line ends normalised');
  assert.equal(recs[4].text, 'y: aaa.bbb.ccc');
  assert.deepEqual(splitRecords(''), []);
  assert.deepEqual(splitRecords('\n\n  \n'), []);
});

test('splitRecords: no line is dropped however long the paste', () => {
  const line = `Identity: ${'a'.repeat(600)}.b.c;info=<https://x/c.pem>`;
  const recs = splitRecords(Array.from({ length: 2000 }, () => line).join('\n'));
  assert.equal(recs.length, 2000);
  assert.equal(recs[1999].line, 2000);
});

test('splitRecords gives the same records (count and start line) as `stircheck verify --batch`', async () => {
  assert.ok(existsSync(CLI), `${CLI} is missing: build it with \`cargo build --release\``);
  const core = await loadWasm();
  const iat = Math.floor(Date.now() / 1000);
  const sign = (attest, orig) => core.sign({ keyPem: DEMO_KEY, x5u: X5U, attest, orig, dest: ['12025550199'], iat });
  const text = [
    [sign('A', '12025550101'), sign('B', '12025550102'), sign('C', '12025550103')].join('\n'),
    ['INVITE sip:+12025550199@x SIP/2.0', 'From: <sip:+12025550101@x>;tag=1', 'To: <sip:+12025550199@x>', 'Call-ID: 1', 'CSeq: 1 INVITE', sign('A', '12025550101'), 'Content-Type: application/sdp'].join('\n'),
    ['v=0', 'o=- 0 0 IN IP4 192.0.2.1', 's=-'].join('\n'),
    ['INVITE sip:+12025550199@x SIP/2.0', 'From: <sip:+12025550103@x>;tag=1', 'To: <sip:+12025550199@x>', 'Call-ID: 2', 'CSeq: 1 INVITE'].join('\n'),
    'not a header at all',
    sign('B', '12025550199'),
  ].join('\n\n') + '\n';
  const r = spawnSync(CLI, ['verify', '--batch', '-', '--as-of-call', '--cert', DEMO_CHAIN, '--trust', DEMO_ROOT, '--offline'], { input: text, encoding: 'utf8' });
  assert.ok(r.stdout, `CLI printed nothing: ${r.stderr}`);
  const out = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
  const cliRows = out.filter((o) => !o.summary);
  const recs = splitRecords(text);
  assert.deepEqual(recs.map((x) => [x.record, x.line]), cliRows.map((x) => [x.record, x.line]));

  // And the page's rows agree with the CLI's on what each call is.
  const verifier = new core.Verifier([readFileSync(DEMO_ROOT, 'utf8')]);
  const numbers = ['12025550101', '12025550102', '12025550103'];
  const rows = recs.map((rec) => rowFromVerdict(rec, verifier.verify(rec.text, { asOfCall: true, certs: { [X5U]: readFileSync(DEMO_CHAIN, 'utf8') } }), numbers));
  assert.deepEqual(
    rows.map((x) => [x.status, x.attest, x.failed_check, x.orig, x.spc]),
    cliRows.map((x) => [x.status, x.status === 'valid' ? x.attest : null, x.failed_check, x.orig, x.spc]),
  );
  const s = summarize(rows, numbers);
  assert.deepEqual(s.numbers.map((g) => [g.number, g.calls, g.valid, g.unsigned]), [
    ['12025550101', 2, 2, 0],
    ['12025550102', 1, 1, 0],
    ['12025550103', 2, 1, 1],
  ]);
  // The text line right after a SIP message counts as that message's body (as in the CLI), so the
  // only other call is the one signed for 12025550199.
  assert.equal(recs.length, 6);
  assert.equal(s.other.calls, 1);
  assert.deepEqual(s.others.map((g) => g.number), ['12025550199']);
});

test('rowFromVerdict: shown number first, signed orig second, others apart; orig mismatch', () => {
  const numbers = ['12025550101'];
  const v = (over) => ({ status: 'valid', attest: 'A', checks: [], identities: [{ role: 'shaken', claims: { orig: { tn: '12025550101' }, dest: { tn: ['1'] } } }], signer: { spc: '123A', organization: 'Example' }, ...over });
  assert.equal(rowFromVerdict({ record: 1, line: 1 }, v({}), numbers).number, '12025550101');
  // SIP showing my number, PASSporT signing another: mine, orig_match no.
  const mism = rowFromVerdict({ record: 2, line: 2 }, v({ status: 'invalid', checks: [{ id: 'call.orig', outcome: 'fail', detail: 'x' }], call: { orig_tn: '12025550101' }, identities: [{ role: 'shaken', claims: { orig: { tn: '12025550199' }, attest: 'A' } }] }), numbers);
  assert.deepEqual([mism.number, mism.orig_match, mism.attest, mism.claimed_attest, mism.failed_check], ['12025550101', 'no', null, 'A', 'call.orig']);
  // A 10-digit orig (signer left out the country code) still matches with the NANP choice on.
  const tenDigit = rowFromVerdict({ record: 3, line: 3 }, v({ identities: [{ role: 'shaken', claims: { orig: { tn: '2025550101' } } }] }), numbers);
  assert.equal(tenDigit.number, '12025550101');
  assert.equal(rowFromVerdict({ record: 3, line: 3 }, v({ identities: [{ role: 'shaken', claims: { orig: { tn: '2025550101' } } }] }), numbers, { nanp: false }).number, OTHER);
  // Unsigned SIP for another number.
  const none = rowFromVerdict({ record: 4, line: 4 }, { status: 'no-identity', checks: [], identities: [], call: { orig_tn: '4420' } }, numbers);
  assert.deepEqual([none.number, none.orig_match, none.shown_number], [OTHER, '', '4420']);
});

test('CSV: header row, RFC 4180 quoting, spreadsheet formulas neutralised', () => {
  assert.equal(csvField('=HYPERLINK("http://evil")'), `"'=HYPERLINK(""http://evil"")"`);
  assert.equal(csvField('+12025550101'), "'+12025550101");
  assert.equal(csvField('-1'), "'-1");
  assert.equal(csvField('@SUM(A1)'), "'@SUM(A1)");
  assert.equal(csvField('\tx'), "'\tx");
  assert.equal(csvField('a,b'), '"a,b"');
  assert.equal(csvField('line\nbreak'), '"line\nbreak"');
  assert.equal(csvField(null), '');
  assert.equal(csvField(1795696841), '1795696841');
  const row = { record: 1, line: 1, number: '12025550101', status: 'invalid', organization: '=cmd|" /C calc"!A0', reason: 'Bad, "quoted"', iat: 0 };
  const csv = toCsv([row]);
  const [head, body] = csv.split('\r\n');
  assert.equal(head, CSV_COLUMNS.map(([n]) => n).join(','));
  assert.ok(body.includes(`"'=cmd|"" /C calc""!A0"`), body);
  assert.ok(body.includes('"Bad, ""quoted"""'), body);
  assert.ok(body.includes('1970-01-01T00:00:00.000Z'), body);
  assert.ok(csv.endsWith('\r\n'));
  const json = JSON.parse(toJson({ rows: [row], numbers: ['12025550101'], settings: { asOfCall: true }, generatedAt: 0 }));
  assert.equal(json.generated_at, '1970-01-01T00:00:00.000Z');
  assert.equal(json.summary.per_number[0].invalid, 1);
  assert.equal(json.calls[0].organization, row.organization, 'JSON keeps the text as it is');
});
