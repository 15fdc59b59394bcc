// workerd integration tests of the inbound-call webhooks and the per-number history (issue 15):
// the real worker and wasm core, the test PKI's chain fetched through the test egress, history in
// the local-disk Durable Object storage. Provider signatures are computed here independently,
// from each provider's documented recipe, with Node's crypto.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac, generateKeyPairSync, sign as edSign } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startWorker, TEST_ORIGIN } from './harness.mjs';
import { makePki, makeIdentity, tamper } from './pki.mjs';

const TWILIO_A = 'twilio-auth-token-of-acme';
const TWILIO_B = 'twilio-auth-token-of-beta';
const READ_A = 'read-token-acme-0123456789';
const READ_B = 'read-token-beta-0123456789';
const CALLS_A = 'calls-token-acme-0123456789';
const BW_USER = 'bw-user';
const BW_PASS = 'bw-password-0123456789';
const telnyx = generateKeyPairSync('ed25519');
const telnyxRaw = telnyx.publicKey.export({ format: 'der', type: 'spki' }).subarray(-32);

const tenants = [
  {
    id: 'acme', read_token: READ_A, twilio_auth_token: TWILIO_A, calls_token: CALLS_A,
    telnyx_public_key: Buffer.from(telnyxRaw).toString('base64'), bandwidth_username: BW_USER, bandwidth_password: BW_PASS,
    max_calls: 3,
  },
  { id: 'beta', read_token: READ_B, twilio_auth_token: TWILIO_B, keep_tokens: true },
];

const pki = makePki();
const dataDir = mkdtempSync(join(tmpdir(), 'stircheck-history-'));
let w;
const start = () => startWorker({ pki, trustPem: pki.root, env: { STIRCHECK_TENANTS: JSON.stringify(tenants) }, dataDir });

before(async () => {
  w = await start();
});
after(async () => {
  await w?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const x5u = `${TEST_ORIGIN}/hooks/chain.pem`;
const signed = (o = {}) => makeIdentity({ key: pki.leafKey, x5u, ...o });

/** Twilio's recipe: full URL, then the POST params sorted by name, name+value; HMAC-SHA1, base64. */
function twilioSignature(token, url, params) {
  const base = url + Object.keys(params).sort().map((k) => k + params[k]).join('');
  return createHmac('sha1', token).update(base).digest('base64');
}

async function twilioCall(params, { tenant = 'acme', token = TWILIO_A, signature } = {}) {
  const url = `${w.base}/api/hooks/twilio?tenant=${tenant}`;
  const headers = { 'content-type': 'application/x-www-form-urlencoded' };
  const sig = signature === undefined ? twilioSignature(token, url, params) : signature;
  if (sig !== null) headers['x-twilio-signature'] = sig;
  const res = await fetch(url, { method: 'POST', headers, body: new URLSearchParams(params).toString() });
  return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
}

async function history(token, ...numbers) {
  const q = numbers.map((n) => `number=${encodeURIComponent(n)}`).join('&');
  const res = await fetch(`${w.base}/api/history?${q}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  return { status: res.status, body: await res.json() };
}

let sid = 0;
const call = (from, extra = {}) => ({ CallSid: `CA${++sid}`, From: `+${from}`, To: '+12025550100', ...extra });

test('a Twilio webhook with a correct signature is verified, stored and answered with TwiML naming level and signer', async () => {
  const from = '12155550001';
  const id = signed({ orig: from, dest: '12025550100', attest: 'A' });
  const r = await twilioCall(call(from, { StirPassportToken: id.identity, StirVerstat: 'TN-Validation-Passed-A' }));
  assert.equal(r.status, 200, r.text);
  assert.match(r.type, /^text\/xml/);
  assert.equal(
    r.text,
    '<?xml version="1.0" encoding="UTF-8"?>\n<Response><Say>This call was signed at level A by stircheck test carrier; the signature checks out.</Say><Hangup/></Response>\n',
  );
  const h = await history(READ_A, from);
  assert.equal(h.status, 200);
  const [rec] = h.body.calls[from];
  assert.equal(h.body.calls[from].length, 1);
  assert.equal(rec.outcome, 'verified');
  assert.equal(rec.attest, 'A');
  assert.equal(rec.signer, 'stircheck test carrier (SPC 123A)');
  assert.equal(rec.provider, 'twilio');
  assert.equal(rec.provider_verstat, 'TN-Validation-Passed-A');
  assert.equal(rec.failed_check, null);
  assert.match(rec.headline, /attestation A/);
  assert.equal(rec.token, undefined, 'the raw token is not kept unless the tenant asks');
});

test('a wrong or missing Twilio signature is 403 and stores nothing', async () => {
  const from = '12155550002';
  const params = call(from, { StirPassportToken: signed({ orig: from, dest: '12025550100' }).identity });
  assert.equal((await twilioCall(params, { signature: null })).status, 403);
  assert.equal((await twilioCall(params, { signature: 'bm90IHRoZSBzaWduYXR1cmU=' })).status, 403);
  assert.equal((await twilioCall(params, { token: TWILIO_B })).status, 403, "another tenant's auth token");
  // A valid signature over different parameters (the body was altered in transit).
  const sig = twilioSignature(TWILIO_A, `${w.base}/api/hooks/twilio?tenant=acme`, params);
  assert.equal((await twilioCall({ ...params, From: '+12155559999' }, { signature: sig })).status, 403);
  assert.deepEqual((await history(READ_A, from, '12155559999')).body.calls, { [from]: [], 12155559999: [] });
});

test('an unsigned inbound call is stored as unsigned and said so', async () => {
  const from = '12155550003';
  const r = await twilioCall(call(from, { StirVerstat: 'No-TN-Validation' }));
  assert.equal(r.status, 200, r.text);
  assert.match(r.text, /<Say>This call arrived unsigned: it carried no STIR\/SHAKEN signature\.<\/Say><Hangup\/>/);
  const [rec] = (await history(READ_A, from)).body.calls[from];
  assert.equal(rec.outcome, 'unsigned');
  assert.equal(rec.status, 'no-identity');
  assert.equal(rec.passport, false);
});

test('a tampered PASSporT is stored as failed with its failing check, and the caller hears why', async () => {
  const from = '12155550004';
  const r = await twilioCall(call(from, { StirPassportToken: tamper(signed({ orig: from, dest: '12025550100' }).identity) }));
  assert.equal(r.status, 200);
  assert.match(r.text, /<Say>This call was signed by stircheck test carrier, but the signature does not check out: [^<]+\.<\/Say>/);
  const [rec] = (await history(READ_A, from)).body.calls[from];
  assert.equal(rec.outcome, 'failed');
  assert.equal(rec.failed_check, 'signature');
  assert.equal(rec.sip_code, 438);
  assert.equal(rec.attest, null);
  assert.equal(rec.claimed_attest, 'B');
});

test('POST /api/calls needs the tenant calls token, and verifies as of the call time', async () => {
  const from = '12155550005';
  // Signed ten minutes from now (the test leaf is only minutes old, so "the past" is before its
  // notBefore): verified as of that call time it passes, verified now its iat is in the future.
  const iat = Math.floor(Date.now() / 1000) + 600;
  const body = { identity: signed({ orig: from, dest: '12025550100', iat }).identity, from, to: '12025550100' };
  const post = (b, token) => fetch(`${w.base}/api/calls`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(b),
  });
  assert.equal((await post(body)).status, 401);
  assert.equal((await post(body, READ_A)).status, 403, 'a read token cannot write');
  assert.equal((await post(body, 'x'.repeat(30))).status, 403);
  assert.equal((await history(READ_A, from)).body.calls[from].length, 0);

  const atCall = await post({ ...body, time: iat + 5 }, CALLS_A);
  assert.equal(atCall.status, 200);
  const a = await atCall.json();
  assert.equal(a.record.outcome, 'verified');
  assert.equal(a.record.verified_at, iat + 5);
  assert.equal(a.stored, true);
  const now = await (await post(body, CALLS_A)).json();
  assert.equal(now.record.outcome, 'failed', 'ten minutes ahead is refused when verified now');
  assert.equal(now.record.failed_check, 'time.iat');
  assert.equal((await post({ from }, CALLS_A).then((r) => r.json())).record.outcome, 'unsigned');
  const bad = await post({ identity: 'x' }, CALLS_A);
  assert.equal(bad.status, 400);
  assert.match((await bad.json()).error, /"from" is required/);
  assert.deepEqual((await history(READ_A, from)).body.calls[from].map((c) => c.outcome), ['unsigned', 'failed', 'verified']);
});

test('history is readable only with a read token, and only the tenant’s own', async () => {
  const from = '12155550006';
  assert.equal((await twilioCall(call(from), { tenant: 'beta', token: TWILIO_B })).status, 200);
  assert.equal((await twilioCall(call(from, { StirPassportToken: signed({ orig: from, dest: '12025550100' }).identity }))).status, 200);
  const noToken = await history(null, from);
  assert.equal(noToken.status, 401);
  assert.equal(noToken.body.calls, undefined);
  assert.equal((await history('not-a-token-0123456789', from)).status, 403);
  assert.equal((await history(TWILIO_A, from)).status, 403, 'a webhook secret is not a read token');
  const a = (await history(READ_A, from)).body.calls[from];
  const b = (await history(READ_B, from)).body.calls[from];
  assert.deepEqual(a.map((c) => c.outcome), ['verified']);
  assert.deepEqual(b.map((c) => c.outcome), ['unsigned']);
  assert.equal(b[0].call_id.startsWith('CA'), true);
  // beta's own numbers list does not show acme's numbers.
  const list = await (await fetch(`${w.base}/api/history`, { headers: { authorization: `Bearer ${READ_B}` } })).json();
  assert.deepEqual(list.numbers.map((n) => n.number), [from]);
});

test('a tenant with keep_tokens keeps the raw token', async () => {
  const from = '12155550007';
  const id = signed({ orig: from, dest: '12025550100' });
  assert.equal((await twilioCall(call(from, { StirPassportToken: id.identity }), { tenant: 'beta', token: TWILIO_B })).status, 200);
  const [rec] = (await history(READ_B, from)).body.calls[from];
  assert.equal(rec.token, id.identity);
});

test('bounds: the N+1th call evicts the oldest; an oversize body is 413 and stores nothing', async () => {
  const from = '12155550008';
  const sids = [];
  for (let i = 0; i < 4; i++) {
    const p = call(from);
    sids.push(p.CallSid);
    assert.equal((await twilioCall(p)).status, 200);
  }
  const kept = (await history(READ_A, from)).body.calls[from];
  assert.equal(kept.length, 3, 'max_calls = 3');
  assert.deepEqual(kept.map((c) => c.call_id), sids.slice(1).reverse(), 'newest first, the first call evicted');

  const big = call('12155550009', { Padding: 'x'.repeat(70 * 1024) });
  const r = await twilioCall(big);
  assert.equal(r.status, 413);
  const calls = await fetch(`${w.base}/api/calls`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${CALLS_A}` },
    body: JSON.stringify({ from: '12155550009', sip: 'x'.repeat(70 * 1024) }),
  });
  assert.equal(calls.status, 413);
  assert.equal((await history(READ_A, '12155550009')).body.calls['12155550009'].length, 0);
});

test('Telnyx call.initiated: Ed25519 signature over timestamp|body, replay window', async () => {
  const from = '12155550010';
  const id = signed({ orig: from, dest: '12025550100', attest: 'B' });
  const event = {
    data: {
      event_type: 'call.initiated', record_type: 'event',
      payload: {
        call_control_id: 'v3:abc', direction: 'incoming', from: `+${from}`, to: '+12025550100',
        shaken_stir_attestation: 'B', shaken_stir_validated: true, custom_headers: [{ name: 'Identity', value: id.identity }],
      },
    },
  };
  const send = (body, { ts = Math.floor(Date.now() / 1000), key = telnyx.privateKey, sig } = {}) => fetch(`${w.base}/api/hooks/telnyx?tenant=acme`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'telnyx-timestamp': String(ts),
      'telnyx-signature-ed25519': sig ?? edSign(null, Buffer.from(`${ts}|${body}`), key).toString('base64'),
    },
    body,
  });
  const body = JSON.stringify(event);
  const ok = await send(body);
  assert.equal(ok.status, 200);
  const a = await ok.json();
  assert.equal(a.sentence, 'This call was signed at level B by stircheck test carrier; the signature checks out.');
  assert.equal(a.record.provider_attest, 'B');
  assert.equal((await send(body, { key: generateKeyPairSync('ed25519').privateKey })).status, 403);
  assert.equal((await send(body, { ts: Math.floor(Date.now() / 1000) - 600 })).status, 403, 'replayed');
  assert.equal((await send(body, { sig: '' })).status, 403);
  // Without the Identity header the call is unsigned for stircheck, and the sentence says whose claim remains.
  const bare = structuredClone(event);
  delete bare.data.payload.custom_headers;
  const b = await (await send(JSON.stringify(bare))).json();
  assert.equal(b.record.outcome, 'unsigned');
  assert.equal(b.record.provider_attest, 'B');
  assert.equal(b.sentence, 'Telnyx passed on no signature, so stircheck could not check this call; Telnyx reported level B.');
  const other = JSON.stringify({ data: { event_type: 'call.hangup', payload: {} } });
  assert.deepEqual(await (await send(other)).json(), { ignored: 'call.hangup' });
  assert.deepEqual((await history(READ_A, from)).body.calls[from].map((c) => c.outcome), ['unsigned', 'verified']);
});

test('Bandwidth initiate callback: callback credentials (Basic) and BXML', async () => {
  const from = '12155550011';
  const id = signed({ orig: from, dest: '12025550100', attest: 'C' });
  const body = JSON.stringify({
    eventType: 'initiate', callId: 'c-123', from: `+${from}`, to: '+12025550100', direction: 'inbound',
    stirShaken: { verstat: 'TN-Validation-Passed', attestationIndicator: 'C', originatingId: 'x', identity: id.identity },
  });
  const send = (user, pass) => fetch(`${w.base}/api/hooks/bandwidth?tenant=acme`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(user ? { authorization: `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}` } : {}) },
    body,
  });
  assert.equal((await send()).status, 401);
  assert.equal((await send(BW_USER, 'wrong-password-0123')).status, 401);
  const r = await send(BW_USER, BW_PASS);
  assert.equal(r.status, 200);
  assert.match(await r.text(), /<SpeakSentence>This call was signed at level C by stircheck test carrier; the signature checks out\.<\/SpeakSentence><Hangup\/>/);
  const [rec] = (await history(READ_A, from)).body.calls[from];
  assert.equal(rec.attest, 'C');
  assert.equal(rec.provider, 'bandwidth');
});

test('webhook URL mistakes are 4xx: unknown tenant, provider not configured, wrong media type', async () => {
  assert.equal((await twilioCall(call('12155550012'), { tenant: 'nobody' })).status, 404);
  const telnyxOnBeta = await fetch(`${w.base}/api/hooks/telnyx?tenant=beta`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
  assert.equal(telnyxOnBeta.status, 404);
  const url = `${w.base}/api/hooks/twilio?tenant=acme`;
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
  assert.equal(res.status, 415);
  assert.equal((await fetch(url)).status, 405);
});

test('history survives a workerd restart (local-disk Durable Object storage)', async () => {
  const from = '12155550013';
  assert.equal((await twilioCall(call(from, { StirPassportToken: signed({ orig: from, dest: '12025550100' }).identity }))).status, 200);
  await w.stop();
  w = await start();
  const h = await history(READ_A, from, '12155550001');
  assert.equal(h.body.calls[from].length, 1);
  assert.equal(h.body.calls[from][0].outcome, 'verified');
  assert.equal(h.body.calls['12155550001'][0].attest, 'A', 'the first test’s call is still there');
});

test('a malformed STIRCHECK_TENANTS stops the worker loudly instead of running without tenants', async () => {
  const bad = [
    [JSON.stringify([{ id: 'x', read_token: 'short' }]), /read_token/],
    [JSON.stringify([{ id: 'x', read_token: READ_A, telnyx_public_key: 'AAAA' }]), /telnyx_public_key/],
    [JSON.stringify([{ id: 'x', read_token: READ_A, twillio_auth_token: 'typo' }]), /unknown field "twillio_auth_token"/],
    ['{not json', /not valid JSON/],
  ];
  for (const [tenantsJson, why] of bad) {
    await assert.rejects(
      startWorker({ pki: makePki(), env: { STIRCHECK_TENANTS: tenantsJson } }),
      (e) => /answered \/api\/health with 500/.test(e.message) && why.test(e.message),
    );
  }
});
