// Integration: POST /api/verify on the real worker (wasm core + WebCrypto) under workerd, with
// chains fetched from the local test repository. Fails, never skips, without the wasm build.
import test from 'node:test';
import assert from 'node:assert/strict';
import { startWorker, TEST_ORIGIN } from './harness.mjs';
import { makeIdentity, tamper } from './pki.mjs';

const w = await startWorker();
test.after(() => w.stop());

/** An Identity header signed by the test leaf, naming `x5u` (default: a chain.pem under `dir`). */
const identity = (dir, o = {}) => makeIdentity({ key: w.pki.leafKey, x5u: `${TEST_ORIGIN}/${dir}/chain.pem`, ...o }).identity;
const check = (verdict, id) => verdict.checks.find((c) => c.id === id);

test('a valid call: verdict valid, attestation A, signer SPC, chain fetched once then cached', async () => {
  const input = `Identity: ${identity('valid')}`;
  const first = await w.verify({ input, trust: [w.pki.root] });
  assert.equal(first.status, 200);
  const v = first.body;
  assert.equal(v.status, 'valid', v.reason);
  assert.equal(v.attest, 'A');
  assert.equal(v.verstat, 'TN-Validation-Passed');
  assert.equal(v.sip_code, null);
  assert.equal(v.signer.spc, '123A');
  assert.equal(v.trust.source, 'custom');
  assert.equal(check(v, 'signature').outcome, 'pass');
  assert.equal(first.headers.get('x-stircheck-cache'), 'miss');
  const second = await w.verify({ input, trust: [w.pki.root] });
  assert.equal(second.body.status, 'valid');
  assert.equal(second.headers.get('x-stircheck-cache'), 'hit');
  assert.equal(w.certs.hits(`${TEST_ORIGIN}/valid/chain.pem`), 1);
});

test('a whole SIP INVITE as text/plain is accepted', async () => {
  const invite = [
    'INVITE sip:+12155551213@sbc.example.net SIP/2.0',
    'Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK776asdhds',
    'From: <sip:+12155551212@carrier.example.net;user=phone>;tag=1928301774',
    'To: <sip:+12155551213@sbc.example.net;user=phone>',
    'Call-ID: a84b4c76e66710@pc33.example.net',
    'CSeq: 314159 INVITE',
    `Identity: ${identity('invite')}`,
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n');
  const res = await fetch(`${w.base}/api/verify`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: invite });
  assert.equal(res.status, 200);
  const v = await res.json();
  assert.equal(v.sip_code, 437, 'text/plain has no trust field: the test root is not in the built-in snapshot');
  assert.equal(check(v, 'call.orig').outcome, 'pass');
  assert.equal(check(v, 'call.dest').outcome, 'pass');
});

test('invalid verdicts: tampered claims 438, untrusted root 437, stale iat 403', async () => {
  const good = identity('invalid');
  const tampered = (await w.verify({ input: tamper(good), trust: [w.pki.root] })).body;
  assert.equal(tampered.status, 'invalid');
  assert.equal(tampered.sip_code, 438, tampered.reason);
  assert.equal(tampered.verstat, 'TN-Validation-Failed');
  assert.equal(check(tampered, 'signature').outcome, 'fail');

  const untrusted = (await w.verify({ input: good })).body;
  assert.equal(untrusted.sip_code, 437, untrusted.reason);
  assert.equal(untrusted.trust.source, 'built-in');

  const stale = (await w.verify({ input: identity('invalid', { iat: Math.floor(Date.now() / 1000) - 3600 }), trust: [w.pki.root] })).body;
  assert.equal(stale.sip_code, 403, stale.reason);
  // ... but verifying as of that time (historical mode) is valid.
  const asOf = (await w.verify({ input: identity('invalid', { iat: 1_800_000_000 }), at: 1_800_000_010, trust: [w.pki.root] })).body;
  assert.equal(asOf.status, 'valid', asOf.reason);
});

test('a cached chain does not carry trust from one request\'s trust store to another', async () => {
  const input = identity('trust-scope');
  assert.equal((await w.verify({ input, trust: [w.pki.root] })).body.status, 'valid');
  const again = await w.verify({ input });
  assert.equal(again.headers.get('x-stircheck-cache'), 'hit');
  assert.equal(again.body.sip_code, 437, 'the built-in store does not trust the test root');
});

test('chains supplied in `certs` are used without fetching', async () => {
  const x5u = `${TEST_ORIGIN}/supplied/chain.pem`;
  const r = await w.verify({ input: identity('supplied'), certs: { [x5u]: w.pki.chain }, trust: [w.pki.root] });
  assert.equal(r.body.status, 'valid', r.body.reason);
  assert.equal(r.headers.get('x-stircheck-cache'), null);
  assert.equal(w.certs.hits(x5u), 0);
});

test('no Identity header: no-identity, nothing fetched', async () => {
  const r = await w.verify({ input: 'INVITE sip:+12155551213@a.example SIP/2.0\r\nFrom: <sip:+12155551212@b.example>\r\n\r\n' });
  assert.equal(r.status, 200);
  assert.equal(r.body.status, 'no-identity');
  assert.equal(r.body.verstat, 'No-TN-Validation');
});

test('every fetch failure gives the 436 verdict with a reason a person understands', async () => {
  const cases = [
    ['404.pem', /answered 404/],
    ['500.pem', /answered 500/],
    ['slow.pem', /did not answer within 3 s/],
    ['big.pem', /larger than 64 KiB/],
    ['not-pem', /labelled it "text\/html"/],
    ['key.pem', /holds no PEM certificate/],
    ['redirect-http', /redirected to http:.*must use https/],
    ['redirect-private', /redirected to https:\/\/10\.0\.0\.1.*private-use/],
    ['redirect-loop', /too many redirects/],
  ];
  await Promise.all(cases.map(async ([name, why]) => {
    const x5u = `${TEST_ORIGIN}/fail/${name}`;
    const v = (await w.verify({ input: makeIdentity({ key: w.pki.leafKey, x5u }).identity, trust: [w.pki.root] })).body;
    assert.equal(v.status, 'invalid', name);
    assert.equal(v.sip_code, 436, `${name}: ${v.reason}`);
    assert.equal(v.verstat, 'No-TN-Validation', name);
    const fetchCheck = check(v, 'cert.fetch');
    assert.equal(fetchCheck.outcome, 'fail', name);
    assert.match(fetchCheck.detail, why, name);
    assert.match(v.reason, why, `${name}: the verdict's reason carries the fetch failure`);
  }));
  const ok = (await w.verify({ input: makeIdentity({ key: w.pki.leafKey, x5u: `${TEST_ORIGIN}/fail/redirect-ok` }).identity, trust: [w.pki.root] })).body;
  assert.equal(ok.status, 'valid', `an allowed redirect is followed: ${ok.reason}`);
});

test('SSRF attempts in x5u are refused with the 436 verdict and never fetched', async () => {
  const before = w.certs.totalHits();
  const attempts = [
    'http://certs.stircheck.test/chain.pem',
    'https://127.0.0.1/chain.pem',
    'https://10.0.0.1/chain.pem',
    'https://[::1]/chain.pem',
    'https://169.254.169.254/latest/meta-data/',
    'https://user:secret@certs.stircheck.test:8443/chain.pem',
    'https://certs.stircheck.test:22/chain.pem',
  ];
  for (const x5u of attempts) {
    const r = await w.verify({ input: makeIdentity({ key: w.pki.leafKey, x5u }).identity, trust: [w.pki.root] });
    assert.equal(r.status, 200, x5u);
    assert.equal(r.body.status, 'invalid', x5u);
    assert.equal(r.body.sip_code, 436, `${x5u}: ${r.body.reason}`);
    assert.match(check(r.body, 'cert.fetch').detail, /x5u URL refused/, x5u);
  }
  assert.equal(w.certs.totalHits(), before, 'no refused URL reached the network');
});

test('spellings of one x5u share one cached chain across verifications', async () => {
  const canonical = `${TEST_ORIGIN}/spelled/chain.pem`;
  const spellings = [canonical, 'HTTPS://Certs.Stircheck.Test.:8443/spelled/./chain.pem', 'https://certs.stircheck.test:8443/x/../spelled/%63hain.pem'];
  for (const [i, x5u] of spellings.entries()) {
    const r = await w.verify({ input: makeIdentity({ key: w.pki.leafKey, x5u }).identity, trust: [w.pki.root] });
    assert.equal(r.body.status, 'valid', `${x5u}: ${r.body.reason}`);
    assert.equal(r.headers.get('x-stircheck-cache'), i === 0 ? 'miss' : 'hit', x5u);
  }
  assert.equal(w.certs.hits(canonical), 1);
});

test('50 concurrent verifications for one x5u cause exactly one fetch', async () => {
  const x5u = `${TEST_ORIGIN}/burst/chain.pem`;
  const input = makeIdentity({ key: w.pki.leafKey, x5u }).identity;
  const all = await Promise.all(Array.from({ length: 50 }, () => w.verify({ input, trust: [w.pki.root] })));
  assert.ok(all.every((r) => r.status === 200 && r.body.status === 'valid'), 'all valid');
  assert.equal(w.certs.hits(x5u), 1);
});

test('a bad `trust` PEM is a 400, not a 5xx', async () => {
  const r = await w.verify({ input: identity('badtrust'), trust: ['not a certificate'] });
  assert.equal(r.status, 400);
  assert.equal(typeof r.body.error, 'string');
});
