// Pastes through the worker (POST /api/verify under workerd, chains fetched from the local test
// repository): each paste shape, sent as the JSON request's `input` and as a text/plain body,
// verifies like the clean header; a webhook body posted as text/plain is read too. Fails, never
// skips, without the wasm build.
import test from 'node:test';
import assert from 'node:assert/strict';
import { startWorker, TEST_ORIGIN } from './harness.mjs';
import { makeIdentity } from './pki.mjs';
import { comparable, pasteShapes } from '../../tests/js/paste-shapes.mjs';

const w = await startWorker();
test.after(() => w.stop());

const ORIG = '12155551212';
const DEST = '12155551213';
const at = Math.floor(Date.now() / 1000);
const { identity, token } = makeIdentity({ key: w.pki.leafKey, x5u: `${TEST_ORIGIN}/paste/chain.pem`, iat: at, orig: ORIG, dest: DEST });
const line = `Identity: ${identity}`;

async function plain(text) {
  const res = await fetch(`${w.base}/api/verify?`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: text });
  assert.equal(res.status, 200);
  return res.json();
}

test('every paste shape gives the clean header\'s verdict through the worker', async () => {
  // Warm the chain cache first, so every verdict below words cert.fetch as a cache hit.
  await w.verify({ input: line, at, trust: [w.pki.root] });
  for (const { name, text, clean } of pasteShapes(line, { orig: ORIG, dest: DEST })) {
    const want = (await w.verify({ input: clean, at, trust: [w.pki.root] })).body;
    assert.equal(want.status, 'valid', `${name}: ${want.reason}`);
    assert.equal(want.outcome, 'verified');
    const got = await w.verify({ input: text, at, trust: [w.pki.root] });
    assert.equal(got.status, 200, name);
    assert.deepEqual(comparable(got.body), comparable(want), name);
  }
});

test('a webhook body posted as text/plain is read, with its From/To', async () => {
  const body = `AccountSid=AC1&From=%2B${ORIG}&To=%2B${DEST}&StirPassportToken=${token}`;
  const v = await plain(body);
  const input = v.checks.find((c) => c.id === 'input');
  assert.match(input.detail, /found 1 Identity header in a form-encoded body/);
  assert.equal(v.checks.find((c) => c.id === 'call.orig').outcome, 'pass');
  // text/plain has no trust field: the test root is not in the built-in store, so the answer is
  // "failed" on cert.chain and names the signer read from the certificate.
  assert.equal(v.outcome, 'failed');
  assert.equal(v.summary.signer, 'stircheck test carrier (SPC 123A)');
  assert.match(v.summary.action, /STI-PA trust list/);
});

test('an unreachable x5u is "could not check" with the paste-chain action', async () => {
  const dead = makeIdentity({ key: w.pki.leafKey, x5u: `${TEST_ORIGIN}/dead/404.pem`, iat: at }).identity;
  const v = (await w.verify({ input: JSON.stringify({ StirPassportToken: dead.split(';')[0] }), at, trust: [w.pki.root] })).body;
  assert.equal(v.outcome, 'unverified', v.reason);
  assert.match(v.summary.headline, /^The signing certificate could not be downloaded/);
  assert.match(v.summary.action, /paste the certificate chain/);
});
