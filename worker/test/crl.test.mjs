// Integration (issue 13): cert.revocation from CRL distribution points the worker fetches itself,
// on /api/verify and the SBC interface, under workerd with the test egress. The test PKI gets
// more leaves naming distribution points and CRLs made with `openssl ca` for this run
// (test/pki.mjs); the test repository serves them at ordinary https URLs and counts requests.
import test from 'node:test';
import assert from 'node:assert/strict';
import { startWorker, TEST_ORIGIN } from './harness.mjs';
import { addLeaf, makeCrl, makeIdentity, stipaSigner } from './pki.mjs';

const ORIG = '12155551212';
const DEST = '12155551213';
const CRL_ORIGIN = 'https://crl.stircheck.test:8443';
const PEM = { 'content-type': 'application/pem-certificate-chain', 'cache-control': 'max-age=7200' };
const DER_CRL = { 'content-type': 'application/pkix-crl', 'cache-control': 'max-age=3600' };

const w = await startWorker();
test.after(() => w.stop());

let n = 0;
/** A new leaf (its own x5u and distribution point URL, so its own cache entries and hit counts). */
function scenario({ dp = true, crlIssuer = false, dps } = {}) {
  const id = `c${++n}`;
  const dpUrl = `${CRL_ORIGIN}/${id}/ca.crl`;
  const leaf = addLeaf(w.pki, { name: id, dp: dps ?? (dp ? dpUrl : undefined), crlIssuer });
  const x5u = `${TEST_ORIGIN}/${id}/leaf.pem`;
  w.certs.serve(x5u, leaf.chain, PEM);
  const identity = () => makeIdentity({ key: leaf.key, x5u, orig: ORIG, dest: DEST }).identity;
  return { id, dpUrl, leaf, x5u, identity };
}
const verify = (s, extra = {}) => w.verify({ input: `Identity: ${s.identity()}`, trust: [w.pki.root], ...extra });
const revocation = (v) => v.checks.find((c) => c.id === 'cert.revocation');

// The SBC interface here has no trust binding: the test root is trusted only through `trust`.
// So SBC tests use a second worker with the test root as operator trust store.
const CALLS_TOKEN = 'calls-token-crl-test-0123456789';
const op = await startWorker({
  pki: w.pki,
  trustPem: w.pki.root,
  env: { STIRCHECK_TENANTS: JSON.stringify([{ id: 'crl', read_token: 'read-token-crl-0123456789', calls_token: CALLS_TOKEN }]) },
});
test.after(() => op.stop());
/** Same scenario served by the operator worker's repository too. */
function alsoOnOperator(s, crlBody, headers) {
  op.certs.serve(s.x5u, s.leaf.chain, PEM);
  if (crlBody) op.certs.serve(s.dpUrl, crlBody, headers);
}
async function sbcOn(base, s) {
  const res = await fetch(`${base}/stir/v1/verification`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ verificationRequest: { from: { tn: ORIG }, to: { tn: [DEST] }, time: Math.floor(Date.now() / 1000), identity: s.identity() } }),
  });
  return { status: res.status, body: (await res.json()).verificationResponse };
}

test('revoked serial on the CRL at the distribution point -> 437 (/api/verify and SBC), the verdict names the CRL', async () => {
  const s = scenario();
  const crl = makeCrl(w.pki, { revoke: [s.leaf.file] });
  w.certs.serve(s.dpUrl, crl.der, DER_CRL);
  const v = (await verify(s)).body;
  assert.equal(v.status, 'invalid');
  assert.equal(v.sip_code, 437, v.reason);
  assert.equal(revocation(v).outcome, 'fail');
  assert.match(revocation(v).detail, /was revoked on/);
  const r = v.revocation.find((x) => x.url === s.dpUrl);
  assert.ok(r, JSON.stringify(v.revocation));
  assert.equal(r.result, 'revoked');
  assert.equal(r.source, 'distribution-point');
  assert.ok(r.this_update > 0 && r.next_update > r.this_update);
  assert.equal(w.certs.hits(s.dpUrl), 1);

  alsoOnOperator(s, crl.der, DER_CRL);
  const a = (await sbcOn(op.base, s)).body;
  assert.equal(a.verstat, 'TN-Validation-Failed');
  assert.equal(a.reasoncode, 437, JSON.stringify(a));
  assert.equal(op.certs.hits(s.dpUrl), 1);
});

test('serial not listed -> revocation passes; the CRL is then cached (no second fetch)', async () => {
  const s = scenario();
  const other = scenario();
  w.certs.serve(s.dpUrl, makeCrl(w.pki, { revoke: [other.leaf.file] }).der, DER_CRL);
  const v = (await verify(s)).body;
  assert.equal(v.status, 'valid', v.reason);
  assert.equal(revocation(v).outcome, 'pass', revocation(v).detail);
  assert.match(revocation(v).detail, /not revoked/);
  const again = (await verify(s)).body;
  assert.equal(revocation(again).outcome, 'pass');
  assert.equal(w.certs.hits(s.dpUrl), 1, 'second call used the cached CRL');

  alsoOnOperator(s, makeCrl(w.pki, { revoke: [other.leaf.file] }).der, DER_CRL);
  const a = (await sbcOn(op.base, s)).body;
  assert.equal(a.verstat, 'TN-Validation-Passed', JSON.stringify(a));
});

test('a CRL signed by an unrelated key bearing the issuer\'s name is not used (no pass, no 437)', async () => {
  const s = scenario();
  w.certs.serve(s.dpUrl, makeCrl(w.pki, { signer: 'rogue', revoke: [s.leaf.file] }).pem, { 'content-type': 'application/x-pem-file' });
  const v = (await verify(s)).body;
  const c = revocation(v);
  assert.notEqual(c.outcome, 'pass');
  assert.notEqual(v.sip_code, 437, 'a forged CRL must not revoke either');
  assert.match(c.detail, /does not verify/);
});

test('a CRL past its nextUpdate -> warning saying so', async () => {
  const s = scenario();
  const day = 86400e3;
  const stale = makeCrl(w.pki, { lastUpdate: new Date(Date.now() - 10 * day), nextUpdate: new Date(Date.now() - day) });
  w.certs.serve(s.dpUrl, stale.der, DER_CRL);
  const v = (await verify(s)).body;
  assert.equal(v.status, 'valid', v.reason);
  assert.equal(revocation(v).outcome, 'warn');
  assert.match(revocation(v).detail, /past its nextUpdate/);
  assert.equal(v.revocation.find((x) => x.url === s.dpUrl).result, 'stale');
});

test('indirect STI-PA-style CRL (cRLIssuer in the distribution point, signer under the root) works', async () => {
  const revoked = scenario({ crlIssuer: true });
  const fine = scenario({ crlIssuer: true });
  const signer = stipaSigner(w.pki).pem;
  const crl = makeCrl(w.pki, { signer: 'stipa', revoke: [revoked.leaf.file] });
  // The STI-PA CRL with its signer's certificate, as one PEM bundle.
  for (const s of [revoked, fine]) w.certs.serve(s.dpUrl, crl.pem + signer, { 'content-type': 'application/x-pem-file' });
  const bad = (await verify(revoked)).body;
  assert.equal(bad.sip_code, 437, bad.reason);
  assert.match(revocation(bad).detail, /STI-PA CRL Signer/);
  const good = (await verify(fine)).body;
  assert.equal(good.status, 'valid', good.reason);
  assert.equal(revocation(good).outcome, 'pass', revocation(good).detail);
});

test('a CRL over the size bound or of the wrong media type is not used, and the verdict says why', async () => {
  const big = scenario();
  w.certs.serve(big.dpUrl, Buffer.alloc(1024 * 1024 + 10, 0x30), DER_CRL);
  const v1 = (await verify(big)).body;
  assert.equal(revocation(v1).outcome, 'warn');
  assert.match(revocation(v1).detail, /larger than 1024 KiB/);
  const r1 = v1.revocation.find((x) => x.url === big.dpUrl);
  assert.equal(r1.result, 'unavailable');

  const html = scenario();
  w.certs.serve(html.dpUrl, makeCrl(w.pki).der, { 'content-type': 'text/html' });
  const v2 = (await verify(html)).body;
  assert.equal(revocation(v2).outcome, 'warn');
  assert.match(revocation(v2).detail, /text\/html/);

  const junk = scenario();
  w.certs.serve(junk.dpUrl, 'not a CRL at all', { 'content-type': 'application/pkix-crl' });
  const v3 = (await verify(junk)).body;
  assert.match(revocation(v3).detail, /not a usable CRL/);
  // Failures are remembered (negative entries): no refetch on the next call.
  await verify(junk);
  assert.equal(w.certs.hits(junk.dpUrl), 1);
});

test('refused distribution point URLs are never fetched; the verdict says they were refused', async () => {
  const ok = `${CRL_ORIGIN}/ssrf-ok/ca.crl`;
  // One leaf, three distribution points (one fullName each would need three; the URIs of one fullName suffice).
  const s = scenario({ dps: `${ok},URI:http://crl.stircheck.test/plain.crl,URI:https://10.0.0.1/private.crl` });
  w.certs.serve(ok, makeCrl(w.pki).der, DER_CRL);
  const before = w.certs.totalHits();
  const v = (await verify(s)).body;
  assert.equal(w.certs.totalHits() - before, 2, 'the x5u and the one allowed CRL URL, nothing else');
  assert.equal(w.certs.hits('http://crl.stircheck.test/plain.crl'), 0);
  assert.equal(w.certs.hits('https://10.0.0.1/private.crl'), 0);
  assert.match(revocation(v).detail + JSON.stringify(v.revocation), /refused/);
});

test('a 50-way concurrent burst for a new signer: exactly one upstream fetch of the x5u and of the CRL', async () => {
  const s = scenario();
  w.certs.serve(s.dpUrl, makeCrl(w.pki).der, DER_CRL, { delayMs: 150 });
  const all = await Promise.all(Array.from({ length: 50 }, () => verify(s)));
  // On an overloaded machine a request may reach its 3 s fetch budget first: then it must say so.
  for (const r of all) {
    assert.equal(r.status, 200);
    const c = revocation(r.body);
    assert.ok(c.outcome === 'pass' || /fetch budget/.test(c.detail), c.detail);
  }
  assert.ok(all.some((r) => revocation(r.body).outcome === 'pass'));
  assert.equal(w.certs.hits(s.x5u), 1);
  assert.equal(w.certs.hits(s.dpUrl), 1);
});

test('a slow distribution point does not hold the call past the request fetch budget; the fetch goes on for later calls', async () => {
  const s = scenario();
  // x5u takes 1.5 s, the CRL 2.5 s: together past the 3 s budget, each within the 3 s fetch timeout.
  w.certs.serve(s.x5u, s.leaf.chain, PEM, { delayMs: 1500 });
  w.certs.serve(s.dpUrl, makeCrl(w.pki).der, DER_CRL, { delayMs: 2500 });
  const t0 = Date.now();
  const v = (await verify(s)).body;
  const ms = Date.now() - t0;
  assert.ok(ms < 3600, `answered after ${ms} ms`);
  assert.equal(v.status, 'valid', v.reason);
  assert.equal(revocation(v).outcome, 'warn');
  assert.match(revocation(v).detail, /fetch budget/);
  // The background fetch completes and is cached: the next call passes without another fetch.
  await new Promise((r) => setTimeout(r, 1500));
  const later = (await verify(s)).body;
  assert.equal(revocation(later).outcome, 'pass', revocation(later).detail);
  assert.equal(w.certs.hits(s.dpUrl), 1);
});

test('`resources` supplies the CRL of a distribution point (no fetch); `crls` supplies CRLs by issuer', async () => {
  const s = scenario();
  const crl = makeCrl(w.pki, { revoke: [s.leaf.file] });
  const v = (await verify(s, { resources: { [s.dpUrl]: crl.der.toString('base64') } })).body;
  assert.equal(v.sip_code, 437, v.reason);
  assert.equal(w.certs.hits(s.dpUrl), 0);

  const t = scenario({ dp: false });
  const supplied = (await verify(t, { crls: [makeCrl(w.pki, { revoke: [t.leaf.file] }).pem] })).body;
  assert.equal(supplied.sip_code, 437, supplied.reason);
  const notListed = (await verify(t, { crls: [makeCrl(w.pki).der.toString('base64')] })).body;
  assert.equal(revocation(notListed).outcome, 'pass', revocation(notListed).detail);

  const bad = (await verify(s, { resources: { [s.dpUrl]: Buffer.from('junk').toString('base64') } })).body;
  assert.match(revocation(bad).detail, /supplied resource is not a usable CRL/);
});

test('`crls` / `resources` of the wrong shape or size are 400s', async () => {
  const s = scenario({ dp: false });
  const cases = [
    [{ crls: 'pem' }, /"crls" must be an array/],
    [{ crls: [5] }, /"crls" must be an array/],
    [{ crls: [''] }, /"crls" must be an array/],
    [{ crls: Array(17).fill('x') }, /at most 16 CRLs/],
    [{ resources: [] }, /"resources" must be an object/],
    [{ resources: { [s.dpUrl]: 5 } }, /standard base64/],
    [{ resources: { [s.dpUrl]: 'not base64!' } }, /standard base64/],
    [{ resources: { [s.dpUrl]: 'QUJD' + '=' } }, /standard base64/],
    [{ resources: Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`${CRL_ORIGIN}/${i}`, 'QUJD'])) }, /more than 16/],
  ];
  for (const [extra, why] of cases) {
    const r = await verify(s, extra);
    assert.equal(r.status, 400, JSON.stringify(extra).slice(0, 80));
    assert.match(r.body.error, why);
  }
});

test('SBC interface: a slow distribution point does not hold the answer past the budget', async () => {
  const s = scenario();
  alsoOnOperator(s);
  op.certs.serve(s.x5u, s.leaf.chain, PEM, { delayMs: 1000 });
  op.certs.serve(s.dpUrl, makeCrl(w.pki).der, DER_CRL, { delayMs: 2800 });
  const t0 = Date.now();
  const a = (await sbcOn(op.base, s)).body;
  const ms = Date.now() - t0;
  assert.ok(ms < 3600, `answered after ${ms} ms`);
  assert.equal(a.verstat, 'TN-Validation-Passed', JSON.stringify(a));
});

test('GET /api/crl serves a distribution point\'s CRL as PEM (cached), 400 for a refused URL, 502 for a failing one', async () => {
  const s = scenario();
  const crl = makeCrl(w.pki, { revoke: [s.leaf.file] });
  w.certs.serve(s.dpUrl, crl.der, DER_CRL);
  const get = (u) => fetch(`${w.base}/api/crl?url=${encodeURIComponent(u)}`);
  const r = await get(s.dpUrl);
  assert.equal(r.status, 200);
  assert.equal(r.headers.get('content-type'), 'application/x-pem-file');
  assert.equal(r.headers.get('access-control-allow-origin'), '*');
  assert.equal((await r.text()).trim(), crl.pem.trim());
  assert.equal((await get(s.dpUrl)).headers.get('x-stircheck-cache'), 'hit');
  assert.equal(w.certs.hits(s.dpUrl), 1);
  const refused = await get('http://crl.stircheck.test/x.crl');
  assert.equal(refused.status, 400);
  assert.match((await refused.json()).error, /CRL distribution point URL refused/);
  const down = await get(`${CRL_ORIGIN}/nowhere/none.crl`);
  assert.equal(down.status, 502);
  assert.match((await down.json()).error, /404/);
});

test('webhook / call log (/api/calls): a revoked signer is a failed call at cert.revocation', async () => {
  const s = scenario();
  alsoOnOperator(s, makeCrl(w.pki, { revoke: [s.leaf.file] }).der, DER_CRL);
  const res = await fetch(`${op.base}/api/calls`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${CALLS_TOKEN}` },
    body: JSON.stringify({ identity: s.identity(), from: ORIG, to: DEST }),
  });
  assert.equal(res.status, 200);
  const a = await res.json();
  assert.equal(a.record.outcome, 'failed', JSON.stringify(a.record));
  assert.equal(a.record.failed_check, 'cert.revocation');
  assert.equal(op.certs.hits(s.dpUrl), 1);
});

test('the production Verizon header: the worker tries its real CRL distribution point and the verdict says why revocation was not checked', async () => {
  const { verizon } = await import('../../tests/js/fixtures.mjs');
  const vz = verizon();
  const before = w.certs.totalHits();
  const v = (await w.verify({ input: vz.text, at: vz.iat, certs: { [vz.x5u]: vz.chain }, trust: [vz.root] })).body;
  assert.equal(v.status, 'valid', v.reason);
  const dp = v.revocation.find((r) => r.source === 'distribution-point');
  assert.ok(dp, JSON.stringify(v.revocation));
  assert.match(dp.url, /^https:\/\/authenticate-api\.iconectiv\.com\//);
  assert.equal(dp.result, 'unavailable');
  // Offline here: the test egress answers 404 for it; the reason reaches the check's detail.
  assert.equal(w.certs.hits(dp.url), 1);
  assert.equal(w.certs.totalHits() - before, 1, 'only the distribution point was fetched (the chain was supplied)');
  const c = revocation(v);
  assert.equal(c.outcome, 'warn');
  assert.ok(c.detail.includes(dp.url), c.detail);
  assert.match(c.detail, /could not be fetched: the repository answered 404/);
});
