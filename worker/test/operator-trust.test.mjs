// Integration: the operator's trust store deployed as the STIRCHECK_TRUST_PEM binding replaces
// the built-in snapshot for every request; a request's own `trust` still overrides it.
import test from 'node:test';
import assert from 'node:assert/strict';
import { startWorker, TEST_ORIGIN } from './harness.mjs';
import { makePki, makeIdentity } from './pki.mjs';

// The operator trusts a root made for this test; the worker's repository serves its own PKI,
// so sign with a leaf from `w.pki` and deploy `w.pki.root` as the operator's store.
const probe = makePki();
const w = await startWorker({ trustPem: probe.root });
test.after(async () => {
  await w.stop();
  probe.cleanup();
});

test('the operator trust binding is the default trust store', async () => {
  const health = await (await fetch(`${w.base}/api/health`)).json();
  assert.equal(health.trust.source, 'custom');
  assert.equal(health.trust.anchors, 1);
  // Signed under w.pki, whose root is NOT the operator's: untrusted (437) by default...
  const input = makeIdentity({ key: w.pki.leafKey, x5u: `${TEST_ORIGIN}/op/chain.pem` }).identity;
  const byDefault = (await w.verify({ input })).body;
  assert.equal(byDefault.sip_code, 437, byDefault.reason);
  assert.equal(byDefault.trust.source, 'custom');
  // ...and valid when the request brings that root itself.
  const withOwn = (await w.verify({ input, trust: [w.pki.root] })).body;
  assert.equal(withOwn.status, 'valid', withOwn.reason);
});

test('a trust binding without certificates makes the worker refuse to run, loudly', async () => {
  await assert.rejects(startWorker({ trustPem: 'not a pem' }), /misconfigured|no "BEGIN CERTIFICATE"/);
});
