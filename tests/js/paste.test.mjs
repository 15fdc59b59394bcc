// Pastes through the wasm API: every paste shape verifies exactly like the clean header it
// carries, and the verdict carries `outcome` and `summary` (docs/js-api.md). Run by `node --test`
// (make test-js); www/pkg must be built.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadWasm } from './fixtures.mjs';
import { comparable, pasteShapes } from './paste-shapes.mjs';

const core = await loadWasm();

const NOW = 1_764_579_600; // 2025-12-01 09:00:00 UTC
const X5U = 'https://certs.example.com/stircheck-demo/leaf.pem';
const ORIG = '12025550142';
const DEST = '12025550199';
const pki = core.demoPki(new Uint8Array(32).fill(7), { spc: 'DEMO', org: 'Acme Voice', now: NOW - 10 * 86400 });
// A fresh verifier per verification: a chain-cache hit words `cert.fetch` differently.
const verifier = { verify: (t, o) => new core.Verifier([pki.rootPem]).verify(t, o), prepare: (t, o) => new core.Verifier([pki.rootPem]).prepare(t, o) };
const opts = (o = {}) => ({ at: NOW, certs: { [X5U]: pki.chainPem }, ...o });
const line = (o = {}) => core.sign({ keyPem: pki.keyPem, x5u: X5U, attest: 'A', orig: ORIG, dest: [DEST], iat: NOW, ...o });

test('every paste shape gives the clean header\'s verdict', () => {
  for (const { name, text, clean } of pasteShapes(line(), { orig: ORIG, dest: DEST })) {
    const want = verifier.verify(clean, opts());
    assert.equal(want.status, 'valid', `${name}: ${want.reason}`);
    const got = verifier.verify(text, opts());
    assert.deepEqual(comparable(got), comparable(want), name);
    // The two-phase path reads the paste the same way.
    const pending = verifier.prepare(text, opts());
    assert.deepEqual(comparable(pending.finish(pending.jobs().map(() => null))), comparable(want), `${name} (prepare/finish)`);
    assert.deepEqual(core.neededCerts(text), [X5U], name);
  }
});

test('the input check says what was found', () => {
  const token = line().replace(/^Identity: /, '').split(';')[0];
  const v = verifier.verify(JSON.stringify({ From: `+${ORIG}`, To: `+${DEST}`, StirPassportToken: token }), opts());
  assert.equal(v.status, 'valid', v.reason);
  const input = v.checks.find((c) => c.id === 'input');
  assert.match(input.detail, /found 1 Identity header in a JSON body \(under "StirPassportToken"\), with the call's From\/To beside it/);
  assert.equal(v.checks.find((c) => c.id === 'call.orig').outcome, 'pass');
  assert.equal(core.decode(JSON.stringify({ StirPassportToken: token })).kind, 'json-body');
});

test('outcome and summary: verified, stale, could not check, unsigned, garbage', () => {
  const ok = verifier.verify(line(), opts());
  assert.equal(ok.outcome, 'verified');
  assert.deepEqual(Object.keys(ok.summary).sort(), ['action', 'age_s', 'dest', 'headline', 'orig', 'signer']);
  assert.equal(ok.summary.signer, 'Acme Voice (DEMO) (SPC DEMO)');
  assert.equal(ok.summary.headline, 'Signed with attestation A (full) by Acme Voice (DEMO) (SPC DEMO)');
  assert.equal(ok.summary.orig, ORIG);
  assert.deepEqual(ok.summary.dest, [DEST]);
  assert.equal(ok.summary.age_s, 0);

  const staleLine = line({ iat: NOW - 2 * 86400 });
  const stale = verifier.verify(staleLine, opts());
  assert.equal(stale.outcome, 'failed');
  assert.match(stale.summary.headline, /2 days/);
  assert.match(stale.summary.action, /as of the call/);
  assert.equal(stale.summary.signer, 'Acme Voice (DEMO) (SPC DEMO)', 'the signer shows on a failed verdict');
  assert.equal(verifier.verify(staleLine, opts({ asOfCall: true })).outcome, 'verified');

  const unreachable = verifier.verify(line(), { at: NOW, fetchErrors: { [X5U]: 'HTTP 502 Bad Gateway' } });
  assert.equal(unreachable.outcome, 'unverified');
  assert.match(unreachable.summary.headline, /^The signing certificate could not be downloaded/);
  assert.match(unreachable.summary.action, /paste the certificate chain/);

  const unsigned = verifier.verify('INVITE sip:+1@x SIP/2.0\r\nFrom: <tel:+12025550142>\r\n\r\n', opts());
  assert.equal(unsigned.outcome, 'unsigned');
  assert.ok(unsigned.summary.action);

  const garbage = verifier.verify('hello, this is not a SIP message', opts());
  assert.equal(garbage.outcome, 'failed');
  assert.match(garbage.summary.headline, /No Identity header or PASSporT was found/);
  for (const v of [ok, stale, unreachable, unsigned, garbage]) {
    assert.ok(v.summary.headline.length <= 140, v.summary.headline);
  }
});
