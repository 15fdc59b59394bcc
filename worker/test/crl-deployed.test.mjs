// Integration (issue 13): CRLs the operator deploys in the STIRCHECK_CRLS binding, for networks
// that cannot reach a distribution point, under workerd with the test egress. A current deployed
// CRL is used without fetching; one past its nextUpdate only when the fetch fails (the verdict
// then warns it is stale); a binding that cannot be used stops the worker loudly.
import test from 'node:test';
import assert from 'node:assert/strict';
import { startWorker, TEST_ORIGIN } from './harness.mjs';
import { makePki, addLeaf, makeCrl, makeIdentity } from './pki.mjs';

const CRL_ORIGIN = 'https://crl.stircheck.test:8443';
const PEM = { 'content-type': 'application/pem-certificate-chain' };
const DER_CRL = { 'content-type': 'application/pkix-crl' };
const day = 86400e3;

const pki = makePki();
// Three leaves under one intermediate, each naming its own distribution point.
const unreachable = `${CRL_ORIGIN}/down/ca.crl`; // the repository answers 404: "cannot reach"
const staleDp = `${CRL_ORIGIN}/stale/ca.crl`;
const liveDp = `${CRL_ORIGIN}/live/ca.crl`;
const revoked = addLeaf(pki, { name: 'revoked', dp: unreachable });
const listedNowhere = addLeaf(pki, { name: 'fine', dp: staleDp });
const live = addLeaf(pki, { name: 'live', dp: liveDp });
const deployed = {
  [unreachable]: makeCrl(pki, { revoke: ['revoked.pem'] }).pem,
  [staleDp]: makeCrl(pki, { lastUpdate: new Date(Date.now() - 10 * day), nextUpdate: new Date(Date.now() - day) }).pem,
  [liveDp]: makeCrl(pki, { lastUpdate: new Date(Date.now() - 10 * day), nextUpdate: new Date(Date.now() - day) }).der.toString('base64'),
};
const w = await startWorker({ pki, trustPem: pki.root, env: { STIRCHECK_CRLS: JSON.stringify(deployed) } });
test.after(() => w.stop());

const leaves = { revoked, fine: listedNowhere, live };
for (const [name, leaf] of Object.entries(leaves)) w.certs.serve(`${TEST_ORIGIN}/${name}/leaf.pem`, leaf.chain, PEM);
// The live distribution point serves a current CRL: fetched, it replaces the stale deployed one.
w.certs.serve(liveDp, makeCrl(pki).der, DER_CRL);

const input = (name) => `Identity: ${makeIdentity({ key: leaves[name].key, x5u: `${TEST_ORIGIN}/${name}/leaf.pem` }).identity}`;
const revocation = (v) => v.checks.find((c) => c.id === 'cert.revocation');

test('health counts the deployed CRLs', async () => {
  const h = await (await fetch(`${w.base}/api/health`)).json();
  assert.equal(h.cache.deployedCrls, 3);
});

test('a current deployed CRL is used without fetching the distribution point: revoked -> 437', async () => {
  const v = (await w.verify({ input: input('revoked') })).body;
  assert.equal(v.sip_code, 437, v.reason);
  assert.match(revocation(v).detail, /was revoked/);
  assert.equal(w.certs.hits(unreachable), 0, 'a current deployed CRL needs no fetch');
});

test('a stale deployed CRL is used when the distribution point cannot be reached, with the stale warning', async () => {
  const v = (await w.verify({ input: input('fine') })).body;
  assert.equal(v.status, 'valid', v.reason);
  assert.equal(w.certs.hits(staleDp), 1, 'a stale deployed CRL: the distribution point is tried first');
  assert.equal(revocation(v).outcome, 'warn');
  assert.match(revocation(v).detail, /past its nextUpdate/);
});

test('a stale deployed CRL gives way to a current one fetched from the distribution point', async () => {
  const v = (await w.verify({ input: input('live') })).body;
  assert.equal(revocation(v).outcome, 'pass', revocation(v).detail);
  assert.equal(w.certs.hits(liveDp), 1);
});

test('an unusable STIRCHECK_CRLS binding makes the worker refuse to run, loudly', async () => {
  const p = makePki();
  try {
    await assert.rejects(startWorker({ pki: p, env: { STIRCHECK_CRLS: 'not json' } }), /STIRCHECK_CRLS is not JSON/);
    await assert.rejects(startWorker({ pki: p, env: { STIRCHECK_CRLS: JSON.stringify({ 'http://crl.example/x.crl': 'x' }) } }), /STIRCHECK_CRLS: .*refused/);
    await assert.rejects(startWorker({ pki: p, env: { STIRCHECK_CRLS: JSON.stringify({ [liveDp]: 'junk' }) } }), /cannot be used/);
  } finally {
    p.cleanup();
  }
});
