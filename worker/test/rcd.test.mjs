// Integration (issue 13): Rich Call Data content (icn logos, jcl cards) the worker fetches with
// fetch kind "rcd" through the same fetcher and cache machinery as x5u and CRLs, under workerd
// with the test egress: GET /api/rcd (for the page's `resources`), and — once the core lists rcd
// URLs (wasm `rcdUrls`) — /api/verify fetching them itself.
import test from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { startWorker, TEST_ORIGIN } from './harness.mjs';
import { addLeaf, makeCrl } from './pki.mjs';
import { loadCore } from './core.mjs';

const LOGO_ORIGIN = 'https://logos.stircheck.test:8443';
const w = await startWorker();
test.after(() => w.stop());

const get = (u) => fetch(`${w.base}/api/rcd?url=${encodeURIComponent(u)}`);
// Eight PNG signature bytes and some random "image" data: the worker does not judge the bytes.
const logo = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), randomBytes(600)]);

test('GET /api/rcd: the bytes as base64 JSON with the declared media type, fetched once and cached', async () => {
  const u = `${LOGO_ORIGIN}/a/logo.png`;
  w.certs.serve(u, logo, { 'content-type': 'image/png', 'cache-control': 'max-age=600' });
  const r = await get(u);
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type'), /application\/json/);
  assert.equal(r.headers.get('access-control-allow-origin'), '*');
  const body = await r.json();
  assert.deepEqual(body, { url: u, contentType: 'image/png', data: logo.toString('base64') });
  assert.equal((await get(u)).headers.get('x-stircheck-cache'), 'hit');
  assert.equal(w.certs.hits(u), 1);
});

test('GET /api/rcd: wrong or missing media type, over the 256 KiB bound, 404 -> 502 with the reason; refused URL -> 400, no request', async () => {
  const cases = [
    ['html', '<p>hi</p>', { 'content-type': 'text/html' }, /text\/html/],
    ['untyped', logo, {}, /did not say what media type/],
    ['big', Buffer.alloc(256 * 1024 + 1, 1), { 'content-type': 'image/png' }, /larger than 256 KiB/],
  ];
  for (const [name, body, headers, why] of cases) {
    const u = `${LOGO_ORIGIN}/bad/${name}.png`;
    w.certs.serve(u, body, headers);
    const r = await get(u);
    assert.equal(r.status, 502, name);
    assert.match((await r.json()).error, why, name);
  }
  const missing = await get(`${LOGO_ORIGIN}/none/missing.png`);
  assert.equal(missing.status, 502);
  const before = w.certs.totalHits();
  for (const u of ['http://logos.stircheck.test/x.png', 'https://127.0.0.1/x.png', 'https://logos.stircheck.test:8443/x.png?size=2']) {
    const r = await get(u);
    assert.equal(r.status, 400, u);
    assert.match((await r.json()).error, /refused/, u);
  }
  assert.equal(w.certs.totalHits(), before, 'no refused URL was fetched');
});

test('GET /api/rcd: a 50-way concurrent burst is one upstream fetch', async () => {
  const u = `${LOGO_ORIGIN}/burst/logo.png`;
  w.certs.serve(u, logo, { 'content-type': 'image/png' }, { delayMs: 150 });
  const all = await Promise.all(Array.from({ length: 50 }, () => get(u).then((r) => r.status)));
  assert.ok(all.every((s) => s === 200), JSON.stringify(all));
  assert.equal(w.certs.hits(u), 1);
});

// ---- /api/verify and the SBC interface fetching the rcd content themselves -------------------

const core = await loadCore();
const PEM = { 'content-type': 'application/pem-certificate-chain' };
const PNG = { 'content-type': 'image/png', 'cache-control': 'max-age=600' };
let n = 0;
/** A branded call (rcd nam + icn with rcdi digests over the logo) signed by a new test leaf. */
function branded({ dp = false, tamper } = {}) {
  const id = `r${++n}`;
  const leaf = addLeaf(w.pki, { name: id, dp: dp ? `https://crl.stircheck.test:8443/${id}/ca.crl` : undefined });
  const x5u = `${TEST_ORIGIN}/${id}/leaf.pem`;
  const icn = `${LOGO_ORIGIN}/${id}/logo.png`;
  w.certs.serve(x5u, leaf.chain, PEM);
  const rcd = { nam: 'Acme Pharmacy', icn, crn: 'Your prescription is ready', ...(tamper ? { tamper } : {}) };
  const line = core.sign({
    keyPem: leaf.key.export({ type: 'pkcs8', format: 'pem' }), x5u, attest: 'A', orig: '12155551212', dest: ['12155551213'],
    iat: Math.floor(Date.now() / 1000), rcd, rcdResources: { [icn]: logo.toString('base64') },
  });
  return { id, leaf, x5u, icn, line, dpUrl: dp ? `https://crl.stircheck.test:8443/${id}/ca.crl` : null };
}
const verifyLine = (b, extra = {}) => w.verify({ input: b.line, trust: [w.pki.root], ...extra });
const integrity = (v) => v.checks.find((c) => c.id === 'rcd.integrity') ?? v.identities[0].checks.find((c) => c.id === 'rcd.integrity');

test('/api/verify fetches the logo the rcdi digest covers: brand verified, logo bytes handed over, then cached', async () => {
  const b = branded();
  w.certs.serve(b.icn, logo, PNG);
  const v = (await verifyLine(b)).body;
  assert.equal(v.status, 'valid', v.reason);
  assert.equal(v.rcd.verified, true, v.rcd.reason);
  assert.equal(v.rcd.nam, 'Acme Pharmacy');
  assert.equal(v.rcd.icn.verified, true);
  assert.equal(v.rcd.icn.data, logo.toString('base64'));
  const again = (await verifyLine(b)).body;
  assert.equal(again.rcd.verified, true);
  assert.equal(w.certs.hits(b.icn), 1, 'the logo was fetched once');
});

test('changed logo bytes at the URL: rcd not verified (no logo data), the call stays valid', async () => {
  const b = branded();
  w.certs.serve(b.icn, Buffer.concat([logo, Buffer.from('x')]), PNG);
  const v = (await verifyLine(b)).body;
  assert.equal(v.status, 'valid', v.reason);
  assert.equal(v.rcd.verified, false);
  assert.equal(v.rcd.icn.data, null);
  assert.match(v.rcd.reason, /\/icn digest does not match/);
});

test('a tampered /nam digest: not verified, the SHAKEN verdict not flipped', async () => {
  const b = branded({ tamper: 'nam' });
  w.certs.serve(b.icn, logo, PNG);
  const v = (await verifyLine(b)).body;
  assert.equal(v.status, 'valid');
  assert.equal(v.rcd.verified, false);
  assert.match(v.rcd.reason, /\/nam digest does not match/);
});

test('a logo that cannot be fetched (404, wrong media type): a warning with the reason, not verified', async () => {
  const missing = branded();
  const v = (await verifyLine(missing)).body;
  assert.equal(v.status, 'valid');
  assert.equal(v.rcd.verified, false);
  assert.equal(integrity(v).outcome, 'warn');
  assert.match(integrity(v).detail + v.rcd.reason, /404/);
  const html = branded();
  w.certs.serve(html.icn, '<svg onload=alert(1)>', { 'content-type': 'text/html' });
  const h = (await verifyLine(html)).body;
  assert.equal(h.rcd.verified, false);
  assert.match(integrity(h).detail + h.rcd.reason, /text\/html/);
});

test('`resources` supplies the logo: verified with no fetch', async () => {
  const b = branded();
  const v = (await verifyLine(b, { resources: { [b.icn]: logo.toString('base64') } })).body;
  assert.equal(v.rcd.verified, true, v.rcd.reason);
  assert.equal(w.certs.hits(b.icn), 0);
});

test('a 50-way concurrent burst of a branded call with a CRL distribution point: one fetch each of x5u, CRL and logo', async () => {
  const b = branded({ dp: true });
  w.certs.serve(b.icn, logo, PNG, { delayMs: 100 });
  w.certs.serve(b.dpUrl, makeCrl(w.pki).der, { 'content-type': 'application/pkix-crl' }, { delayMs: 100 });
  const all = await Promise.all(Array.from({ length: 50 }, () => verifyLine(b)));
  // On an overloaded machine a request may reach its 3 s fetch budget first: then it must say so.
  for (const r of all) {
    assert.equal(r.status, 200);
    assert.ok(r.body.rcd.verified || /fetch budget/.test(JSON.stringify(r.body.rcd)), r.body.rcd.reason);
    const rev = r.body.checks.find((c) => c.id === 'cert.revocation');
    assert.ok(rev.outcome === 'pass' || /fetch budget/.test(rev.detail), rev.detail);
  }
  assert.ok(all.filter((r) => r.body.rcd.verified).length >= 1);
  assert.deepEqual([w.certs.hits(b.x5u), w.certs.hits(b.dpUrl), w.certs.hits(b.icn)], [1, 1, 1]);
});

// The SBC interface needs the test root as operator trust store: a second worker on the same PKI.
const op = await startWorker({ pki: w.pki, trustPem: w.pki.root });
test.after(() => op.stop());

test('SBC interface: the logo is fetched too (same fetcher and cache), the call passes', async () => {
  {
    const b = branded();
    op.certs.serve(b.x5u, b.leaf.chain, PEM);
    op.certs.serve(b.icn, logo, PNG);
    const res = await fetch(`${op.base}/stir/v1/verification`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ verificationRequest: { from: { tn: '12155551212' }, to: { tn: ['12155551213'] }, time: Math.floor(Date.now() / 1000), identity: b.line.replace(/^Identity:\s*/i, '') } }),
    });
    const a = (await res.json()).verificationResponse;
    assert.equal(a.verstat, 'TN-Validation-Passed', JSON.stringify(a));
    assert.equal(op.certs.hits(b.icn), 1);
  }
});
