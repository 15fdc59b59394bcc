// `demoPki` of the wasm build (docs/js-api.md): a demo PKI generated in the page from 32 random
// bytes signs a header that verifies valid against that demo root only — never against the
// built-in STI-PA store. Run by `node --test` (make test-js); www/pkg must be built.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { webcrypto } from 'node:crypto';
import { loadWasm } from './fixtures.mjs';

const core = await loadWasm();

const X5U = 'https://certs.example.com/stircheck-demo/leaf.pem';
const ORIG = '12025550142';
const DEST = '12025550199';

function randomSeed() {
  return webcrypto.getRandomValues(new Uint8Array(32));
}

function signWith(pki, attest, iat = Math.floor(Date.now() / 1000)) {
  return core.sign({ keyPem: pki.keyPem, x5u: X5U, attest, orig: ORIG, dest: [DEST], iat });
}

function outcomes(verdict) {
  return Object.fromEntries(verdict.checks.map((c) => [c.id, c.outcome]));
}

test('demoPki returns the four documented fields', () => {
  const pki = core.demoPki(randomSeed(), {});
  assert.deepEqual(Object.keys(pki).sort(), ['chainPem', 'keyPem', 'rootPem', 'spc']);
  assert.equal(pki.spc, 'DEMO');
  assert.match(pki.rootPem, /^-----BEGIN CERTIFICATE-----\n[\s\S]+-----END CERTIFICATE-----\n$/);
  assert.equal(pki.chainPem.match(/BEGIN CERTIFICATE/g).length, 1, 'the x5u chain is the leaf alone');
  assert.match(pki.keyPem, /^-----BEGIN PRIVATE KEY-----\n/);
  // The options object may be omitted.
  assert.equal(core.demoPki(randomSeed()).spc, 'DEMO');
});

for (const attest of ['A', 'B', 'C']) {
  test(`a header signed with a random demo PKI verifies valid with attest ${attest} against the demo root`, () => {
    const pki = core.demoPki(randomSeed(), { spc: '123J', org: 'Acme Voice' });
    const header = signWith(pki, attest);
    const v = new core.Verifier([pki.rootPem]).verify(header, { certs: { [X5U]: pki.chainPem } });
    assert.equal(v.status, 'valid', v.reason);
    assert.equal(v.attest, attest);
    assert.equal(v.verstat, 'TN-Validation-Passed');
    const o = outcomes(v);
    assert.equal(o['cert.profile'], 'pass', JSON.stringify(v.checks.find((c) => c.id === 'cert.profile')));
    assert.equal(o['cert.chain'], 'pass');
    assert.equal(o.signature, 'pass');
    assert.equal(v.signer.spc, '123J');
    assert.equal(v.signer.common_name, 'SHAKEN 123J');
    assert.equal(v.signer.organization, 'Acme Voice (DEMO)');
    assert.match(v.signer.anchor.subject, /stircheck DEMO root/);
  });
}

test('the same demo header is invalid against the built-in trust store (cert.chain fails)', () => {
  const pki = core.demoPki(randomSeed(), {});
  const header = signWith(pki, 'A');
  const v = new core.Verifier().verify(header, { certs: { [X5U]: pki.chainPem } });
  assert.equal(v.status, 'invalid');
  assert.equal(v.verstat, 'TN-Validation-Failed');
  assert.equal(outcomes(v)['cert.chain'], 'fail');
  assert.equal(v.trust.source, 'built-in');
});

test('demoPki is deterministic for a seed and honours now/days', () => {
  const seed = new Uint8Array(32).fill(7);
  const now = 1_748_779_200;
  const a = core.demoPki(seed, { now, days: 2 });
  const b = core.demoPki(seed, { now, days: 2 });
  assert.deepEqual(a, b);
  assert.notEqual(core.demoPki(seed.map((x, i) => (i === 0 ? 8 : x)), { now, days: 2 }).keyPem, a.keyPem);
  const header = signWith(a, 'A', now);
  const verifier = new core.Verifier([a.rootPem]);
  const opts = (at) => ({ at, certs: { [X5U]: a.chainPem } });
  assert.equal(verifier.verify(header, opts(now + 10)).status, 'valid');
  // Valid from now - 3600 to now + 2 days: a fresh call three days later fails on validity.
  const later = now + 3 * 86_400;
  const late = verifier.verify(signWith(a, 'A', later), opts(later + 10));
  assert.equal(late.status, 'invalid');
  assert.equal(outcomes(late)['cert.validity'], 'fail');
});

test('bad input is a JS Error with a human message', () => {
  const bad = [
    [new Uint8Array(31), {}, /32 bytes/],
    [[1, 2, 3], {}, /Uint8Array/],
    [randomSeed(), { spc: 'demo' }, /SPC must be exactly 4 characters/],
    [randomSeed(), { org: '' }, /organization name/],
    [randomSeed(), { days: 0 }, /1 to 825 days/],
    [randomSeed(), { days: 1.5 }, /whole number of days/],
    [randomSeed(), { now: -5 }, /unix seconds/],
    [randomSeed(), { spcc: 'DEMO' }, /unknown field `spcc`/],
    [randomSeed(), 'DEMO', /options must be an object/],
  ];
  for (const [seed, options, message] of bad) {
    assert.throws(() => core.demoPki(seed, options), (e) => e instanceof Error && message.test(e.message), `${JSON.stringify(options)}`);
  }
});
