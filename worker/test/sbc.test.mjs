// Integration: the SBC interface (POST /stir/v1/verification, POST /stir/v1/signing) on the real
// worker (wasm core + WebCrypto) under workerd, chains fetched from the local test repository
// through the test egress. Fails, never skips, without the wasm build.
import test from 'node:test';
import assert from 'node:assert/strict';
import { startWorker, TEST_ORIGIN } from './harness.mjs';
import { makePki, makeIdentity, tamper } from './pki.mjs';

const TOKEN = 'sbc-test-token-0123456789abcdef';
const ORIG = '12155551212';
const DEST = '12155551213';
const SIGNING_X5U = `${TEST_ORIGIN}/sbc-signer/chain.pem`;

const pki = makePki();
// The operator's deployment: test root as the trust store, signing on with the test leaf's key.
const w = await startWorker({
  pki,
  trustPem: pki.root,
  env: {
    STIRCHECK_SIGNING_TOKEN: TOKEN,
    STIRCHECK_SIGNING_KEY_PEM: pki.leafKey.export({ type: 'pkcs8', format: 'pem' }),
    STIRCHECK_SIGNING_X5U: SIGNING_X5U,
  },
});
// A deployment without signing bindings.
const off = await startWorker({ pki, trustPem: pki.root });
test.after(async () => {
  await w.stop();
  await off.stop();
});

const now = () => Math.floor(Date.now() / 1000);

async function post(base, path, body, headers = {}) {
  const res = await fetch(base + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error(`non-JSON answer ${res.status}: ${text.slice(0, 200)}`);
  }
  return { status: res.status, headers: res.headers, body: parsed };
}

const verification = (req, base = w.base) => post(base, '/stir/v1/verification', { verificationRequest: req });
const signing = (req, headers = { authorization: `Bearer ${TOKEN}` }, base = w.base) =>
  post(base, '/stir/v1/signing', { signingRequest: req }, headers);
const call = (identity, o = {}) => ({ from: { tn: ORIG }, to: { tn: [DEST] }, time: now(), identity, ...o });
const exception = (r) => r.body.requestError?.serviceException;
const identity = (dir, o = {}) => makeIdentity({ key: pki.leafKey, x5u: `${TEST_ORIGIN}/${dir}/chain.pem`, orig: ORIG, dest: DEST, ...o }).identity;

test('signing is off (404) when no token is configured', async () => {
  const r = await signing({ attest: 'A', orig: { tn: ORIG }, dest: { tn: [DEST] } }, { authorization: `Bearer ${TOKEN}` }, off.base);
  assert.equal(r.status, 404);
  assert.equal(exception(r).messageId, 'SVC4006');
  assert.match(exception(r).text, /signing is not enabled/);
  // Verification needs no configuration.
  const v = await verification(call(identity('sbc-off')), off.base);
  assert.equal(v.status, 200);
  assert.equal(v.body.verificationResponse.verstat, 'TN-Validation-Passed');
});

test('an unknown /stir/ path is a 404 in the SBC error shape that quotes the path bounded', async () => {
  const long = `/stir/${'a'.repeat(3000)}`;
  const r = await post(w.base, long, {});
  assert.equal(r.status, 404);
  assert.equal(exception(r).messageId, 'SVC4006');
  assert.ok(exception(r).text.length < 200, `${exception(r).text.length} characters`);
  assert.match(exception(r).text, /^no such resource: \/stir\/a+…$/);
  const short = await post(w.base, '/stir/v1/nothing', {});
  assert.equal(exception(short).text, 'no such resource: /stir/v1/nothing');
});

test('a compressed SBC body is refused (415 in the SBC shape), not verified as garbage', async () => {
  const r = await post(w.base, '/stir/v1/verification', { verificationRequest: call(identity('sbc-enc')) }, { 'content-encoding': 'br' });
  assert.equal(r.status, 415);
  assert.match(exception(r).text, /unsupported content encoding "br"/);
});

test('signing is refused without the token (401) and with a wrong one (403)', async () => {
  const req = { attest: 'A', orig: { tn: ORIG }, dest: { tn: [DEST] } };
  const none = await signing(req, {});
  assert.equal(none.status, 401);
  assert.equal(exception(none).messageId, 'SVC4010');
  assert.match(none.headers.get('www-authenticate'), /^Bearer/);
  for (const auth of [`Bearer ${TOKEN}x`, `Bearer ${TOKEN.slice(0, -1)}`, 'Bearer wrong', `Basic ${TOKEN}`]) {
    const r = await signing(req, { authorization: auth });
    assert.ok(r.status === 403 || r.status === 401, `${auth}: ${r.status}`);
    assert.ok(!r.body.signingResponse, auth);
  }
  assert.equal((await signing(req, { authorization: 'Bearer wrong' })).status, 403);
});

test('sign -> verify round trip: Passed with the attestation, chain fetched once and cached', async () => {
  const s = await signing({ attest: 'B', orig: { tn: `+1-215-555-1212` }, dest: { tn: [DEST] } });
  assert.equal(s.status, 200, JSON.stringify(s.body));
  const id = s.body.signingResponse.identity;
  assert.match(id, new RegExp(`^[\\w-]+\\.[\\w-]+\\.[\\w-]+;info=<${SIGNING_X5U.replace(/[.]/g, '\\.')}>;alg=ES256;ppt=shaken$`));
  const first = await verification(call(id));
  assert.equal(first.status, 200);
  const r = first.body.verificationResponse;
  assert.equal(r.verstat, 'TN-Validation-Passed', r.reasondesc);
  assert.equal(r.attest, 'B');
  assert.equal(r.reasoncode, undefined);
  assert.equal(r.reasonheader, undefined);
  assert.match(r.reasondesc, /SPC 123A/);
  assert.equal(first.headers.get('x-stircheck-cache'), 'miss');
  const second = await verification(call(id));
  assert.equal(second.headers.get('x-stircheck-cache'), 'hit');
  assert.equal(w.certs.hits(SIGNING_X5U), 1);
});

test('tampered -> Failed 438; from/to mismatch -> 438; stale time -> 403; x5u 404 -> 436', async () => {
  const good = identity('sbc-fail');
  const cases = [
    ['tampered', call(tamper(good)), 'TN-Validation-Failed', 438, 'Invalid Identity Header'],
    ['from mismatch', call(good, { from: { tn: '12155550000' } }), 'No-TN-Validation', 438, 'Invalid Identity Header'],
    ['to mismatch', call(good, { to: { tn: ['12155550000'] } }), 'No-TN-Validation', 438, 'Invalid Identity Header'],
    ['stale', call(good, { time: now() + 3600 }), 'No-TN-Validation', 403, 'Stale Date'],
    ['x5u 404', call(identity('sbc-fail', { x5u: `${TEST_ORIGIN}/sbc-fail/404.pem` })), 'No-TN-Validation', 436, 'Bad Identity Info'],
  ];
  for (const [name, req, verstat, code, text] of cases) {
    const res = await verification(req);
    assert.equal(res.status, 200, `${name}: a verification outcome is a 200`);
    const r = res.body.verificationResponse;
    assert.deepEqual([r.verstat, r.reasoncode, r.reasontext], [verstat, code, text], `${name}: ${r.reasondesc}`);
    assert.equal(r.reasonheader, `STIR;cause=${code};text="${text}"`, name);
    assert.equal(r.attest, undefined, name);
    assert.equal(typeof r.reasondesc, 'string', name);
  }
});

test('several identities: a valid SHAKEN one decides; all bad fails', async () => {
  const good = identity('sbc-many');
  const bad = tamper(good);
  const r = (await verification(call([bad, good]))).body.verificationResponse;
  assert.equal(r.verstat, 'TN-Validation-Passed', r.reasondesc);
  assert.equal(r.attest, 'A');
  const both = (await verification(call([bad, bad]))).body.verificationResponse;
  assert.equal(both.reasoncode, 438);
});

test('verdicts equal /api/verify\'s for the same call', async () => {
  const good = identity('sbc-same');
  const reqs = [
    call(good),
    call(tamper(good)),
    call(good, { from: { tn: '12155550000' } }),
    call(good, { time: now() - 600 }),
    call(identity('sbc-same', { x5u: `${TEST_ORIGIN}/sbc-same/404.pem` })),
    call([tamper(good), good], { to: { tn: [DEST, '12155559999'] } }),
  ];
  for (const req of reqs) {
    const sbc = (await verification(req)).body.verificationResponse;
    const ids = [].concat(req.identity);
    const lines = [`From: <tel:+${req.from.tn}>`, `To: <tel:+${req.to.tn[0]}>`, ...ids.map((i) => `Identity: ${i}`)];
    const api = (await w.verify({ input: lines.join('\r\n'), at: req.time, view: 'compact' })).body;
    assert.equal(sbc.verstat, api.verstat);
    assert.equal(sbc.reasoncode ?? null, api.sip_code);
    assert.equal(sbc.reasondesc, api.reason);
    assert.equal(sbc.attest ?? null, api.attest);
  }
});

test('request errors: missing/ill-typed fields -> 400 SVC4000/SVC4001 naming the field', async () => {
  const good = identity('sbc-errors');
  const cases = [
    [{ to: { tn: [DEST] }, time: now(), identity: good }, 'SVC4000', 'verificationRequest.from'],
    [{ from: {}, to: { tn: [DEST] }, time: now(), identity: good }, 'SVC4000', 'verificationRequest.from.tn'],
    [{ from: { tn: ORIG }, to: { tn: [DEST] }, identity: good }, 'SVC4000', 'verificationRequest.time'],
    [{ from: { tn: ORIG }, to: { tn: [DEST] }, time: now() }, 'SVC4000', 'verificationRequest.identity'],
    [{ from: { tn: 12155551212 }, to: { tn: [DEST] }, time: now(), identity: good }, 'SVC4001', 'verificationRequest.from.tn'],
    [{ from: { tn: 'alice' }, to: { tn: [DEST] }, time: now(), identity: good }, 'SVC4001', 'verificationRequest.from.tn'],
    [{ from: { tn: ORIG }, to: { tn: DEST }, time: now(), identity: good }, 'SVC4001', 'verificationRequest.to.tn'],
    [{ from: { tn: ORIG }, to: { tn: [DEST] }, time: 'now', identity: good }, 'SVC4001', 'verificationRequest.time'],
    [{ from: { tn: ORIG }, to: { tn: [DEST] }, time: 1.5, identity: good }, 'SVC4001', 'verificationRequest.time'],
    [{ from: { tn: ORIG }, to: { tn: [DEST] }, time: now(), identity: 7 }, 'SVC4001', 'verificationRequest.identity'],
    [{ from: { tn: ORIG }, to: { tn: [DEST] }, time: now(), identity: [good, `${good}\r\nFrom: <tel:+1>`] }, 'SVC4001', 'verificationRequest.identity[1]'],
  ];
  for (const [req, id, variable] of cases) {
    const r = await verification(req);
    assert.equal(r.status, 400, JSON.stringify(req));
    assert.equal(exception(r).messageId, id, JSON.stringify(r.body));
    assert.deepEqual(exception(r).variables, [variable]);
  }
  const notJson = await post(w.base, '/stir/v1/verification', '{"verificationRequest": ');
  assert.equal(notJson.status, 400);
  assert.equal(exception(notJson).messageId, 'SVC4002');
  const noEnvelope = await post(w.base, '/stir/v1/verification', { from: { tn: ORIG } });
  assert.deepEqual([noEnvelope.status, exception(noEnvelope).variables], [400, ['verificationRequest']]);
  const sign = await signing({ attest: 'D', orig: { tn: ORIG }, dest: { tn: [DEST] } });
  assert.deepEqual([sign.status, exception(sign).messageId, exception(sign).variables], [400, 'SVC4001', ['signingRequest.attest']]);
  const text = await post(w.base, '/stir/v1/verification', 'x', { 'content-type': 'text/plain' });
  assert.equal(text.status, 415);
});

test('a body that is not UTF-8 -> 400 SVC4002, on verification and on signing', async () => {
  const bytes = new Uint8Array([...new TextEncoder().encode('{"verificationRequest": {"from": {"tn": "'), 0xff, 0xfe, ...new TextEncoder().encode('"}}}')]);
  for (const [path, headers] of [['/stir/v1/verification', {}], ['/stir/v1/signing', { authorization: `Bearer ${TOKEN}` }]]) {
    const res = await fetch(w.base + path, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: bytes });
    assert.equal(res.status, 400, path);
    const e = (await res.json()).requestError.serviceException;
    assert.equal(e.messageId, 'SVC4002', path);
    assert.match(e.text, /not valid UTF-8/, path);
  }
});

test('every SBC answer carries the API security headers: verdicts, request errors, 404, 405', async () => {
  const answers = [
    await fetch(w.base + '/stir/v1/verification', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ verificationRequest: call(identity('sbc-headers')) }) }),
    await fetch(w.base + '/stir/v1/verification', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '[1]' }),
    await fetch(w.base + '/stir/v1/nothing', { method: 'POST', body: '{}' }),
    await fetch(w.base + '/stir/v1/verification'),
    await fetch(off.base + '/stir/v1/signing', { method: 'POST', body: '{}' }),
  ];
  assert.deepEqual(answers.map((r) => r.status), [200, 400, 404, 405, 404]);
  for (const res of answers) {
    const what = `${res.status} ${res.url}`;
    assert.match(res.headers.get('content-security-policy') ?? '', /default-src 'none'; frame-ancestors 'none'; sandbox/, what);
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff', what);
    assert.equal(res.headers.get('referrer-policy'), 'no-referrer', what);
    assert.equal(res.headers.get('x-frame-options'), 'DENY', what);
    assert.equal(res.headers.get('cache-control'), 'no-store', what);
    assert.match(res.headers.get('content-type'), /^application\/json/, what);
    await res.arrayBuffer();
  }
  assert.equal(answers[0].headers.get('x-stircheck-cache'), 'miss');
});

test('wrong method -> 405 with Allow; unknown path -> 404; body over the bound -> 413', async () => {
  for (const path of ['/stir/v1/verification', '/stir/v1/signing']) {
    const res = await fetch(w.base + path);
    assert.equal(res.status, 405, path);
    assert.equal(res.headers.get('allow'), 'POST');
    assert.equal((await res.json()).requestError.serviceException.messageId, 'SVC4005');
  }
  const none = await post(w.base, '/stir/v1/nothing', {});
  assert.equal(none.status, 404);
  const big = JSON.stringify({ verificationRequest: { ...call(identity('sbc-big')), pad: 'x'.repeat(70 * 1024) } });
  const declared = await post(w.base, '/stir/v1/verification', big);
  assert.equal(declared.status, 413);
  assert.equal(exception(declared).messageId, 'SVC4004');
  // Without a Content-Length (chunked), the bound holds while reading.
  const enc = new TextEncoder().encode(big);
  const stream = new ReadableStream({
    start(c) {
      for (let i = 0; i < enc.length; i += 8192) c.enqueue(enc.slice(i, i + 8192));
      c.close();
    },
  });
  const res = await fetch(w.base + '/stir/v1/verification', { method: 'POST', headers: { 'content-type': 'application/json' }, body: stream, duplex: 'half' });
  assert.equal(res.status, 413);
  const signBig = await post(w.base, '/stir/v1/signing', big, { authorization: `Bearer ${TOKEN}` });
  assert.equal(signBig.status, 413);
});

test('/api/verify compact view: exactly the DESIGN keys, in the body or as ?view=compact', async () => {
  const input = `From: <tel:+${ORIG}>\r\nTo: <tel:+${DEST}>\r\nIdentity: ${identity('sbc-compact')}`;
  const body = (await w.verify({ input, view: 'compact' })).body;
  assert.deepEqual(Object.keys(body).sort(),
    ['attest', 'dest', 'failed_check', 'orig', 'outcome', 'reason', 'signer', 'sip_code', 'status', 'verified_at', 'verstat']);
  assert.equal(body.status, 'valid', body.reason);
  assert.equal(body.orig, ORIG);
  assert.deepEqual(body.dest, [DEST]);
  assert.deepEqual(body.signer, { spc: '123A', org: 'stircheck test carrier' });
  assert.equal(body.failed_check, null);
  const q = await fetch(`${w.base}/api/verify?view=compact`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: input });
  const qb = await q.json();
  assert.equal(qb.status, 'valid');
  assert.equal(qb.checks, undefined);
  const full = (await w.verify({ input })).body;
  assert.ok(Array.isArray(full.checks) && full.trust.anchors.length === 1);
  assert.equal((await w.verify({ input, view: 'tiny' })).status, 400);
});
