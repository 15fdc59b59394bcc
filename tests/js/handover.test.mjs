// The worker's cheap handover paths of the wasm build (issue 14): one kept read of the input
// (`readInput`), verdicts as UTF-8 bytes (`finishViewBytes`), SBC bodies as bytes
// (`sbcVerificationRequestBytes`, `SbcSigner.respondBytes`). Each must give exactly what the
// string/object path gives for the same input; run by `node --test`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { finishView, finishViewBytes, verifyWithWebCrypto } from '../../www/webcrypto.js';
import { demoPki, loadWasm, verizon } from './fixtures.mjs';

const core = await loadWasm();
const vz = verizon();
const opts = { at: vz.iat, certs: { [vz.x5u]: vz.chain } };
const text = (bytes) => new TextDecoder('utf-8', { fatal: true }).decode(bytes);
/** A verifier whose chain cache already holds the Verizon chain: every verdict below is a hit. */
async function warmVerifier() {
  const v = new core.Verifier([vz.root]);
  assert.equal((await verifyWithWebCrypto(v, vz.text, opts)).status, 'valid');
  return v;
}
/** Equal JSON texts, without printing 12 KB of each when they differ. */
function sameText(a, b, what) {
  if (a === b) return;
  let i = 0;
  while (a[i] === b[i]) i++;
  assert.fail(`${what}: differ at ${i}: …${a.slice(Math.max(0, i - 80), i + 80)}… vs …${b.slice(Math.max(0, i - 80), i + 80)}…`);
}

test('readInput: the URLs neededUrls lists, and prepare gives the verdict prepare(text) gives', async () => {
  const v = await warmVerifier();
  const read = core.readInput(vz.text);
  assert.deepEqual({ x5u: read.x5u, rcd: read.rcd }, core.neededUrls(vz.text));
  assert.deepEqual(read.x5u, [vz.x5u]);
  const fromRead = await finishView(read.prepare(v, opts), 'full');
  const fromText = await finishView(v.prepare(vz.text, opts), 'full');
  sameText(fromRead, fromText, 'readInput vs prepare(text)');
  assert.equal(JSON.parse(fromRead).status, 'valid');
  // A second prepare reads the input again: same verdict.
  sameText(await finishView(read.prepare(v, opts), 'full'), fromText, 'second prepare');
  read.free();
});

test('readInput: bad options throw a JS Error and leave the read usable', async () => {
  const v = new core.Verifier([vz.root]);
  const read = core.readInput(vz.text);
  assert.throws(() => read.prepare(v, { at: 'yesterday' }), (e) => e instanceof Error && /bad options/.test(e.message));
  assert.throws(() => read.prepare(v, { asofcall: true }), (e) => e instanceof Error && /unknown field `asofcall`/.test(e.message));
  const verdict = JSON.parse(await finishView(read.prepare(v, opts), 'compact'));
  assert.equal(verdict.status, 'valid');
  read.free();
});

test('ReadInput.supplyBytes: a chain as bytes is as good as options.certs; options.certs wins', async () => {
  const v = await warmVerifier();
  const direct = await finishView(v.prepare(vz.text, opts), 'full');
  const read = core.readInput(vz.text);
  read.supplyBytes(vz.x5u, new TextEncoder().encode(vz.chain));
  sameText(await finishView(read.prepare(v, { at: vz.iat }), 'full'), direct, 'supplyBytes vs certs');
  // The kept chain serves a second prepare too.
  sameText(await finishView(read.prepare(v, { at: vz.iat }), 'full'), direct, 'second prepare');
  read.free();
  // A wrong chain as bytes: the request's own `certs` entry for the URL is the one used.
  const both = core.readInput(vz.text);
  both.supplyBytes(vz.x5u, new TextEncoder().encode(vz.root));
  sameText(await finishView(both.prepare(v, opts), 'full'), direct, 'options.certs wins');
  assert.notEqual(JSON.parse(await finishView(both.prepare(v, { at: vz.iat }), 'compact')).status, 'valid');
  both.free();
});

test('readInput of garbage and of nothing: no URLs, the verdict says why', async () => {
  const v = new core.Verifier(null);
  for (const input of ['', 'hello world', 'Identity: not-a-jws']) {
    const read = core.readInput(input);
    assert.deepEqual([read.x5u, read.rcd], [[], []], input);
    const fromRead = JSON.parse(await finishView(read.prepare(v, { at: vz.iat }), 'full'));
    const direct = await verifyWithWebCrypto(v, input, { at: vz.iat });
    assert.deepEqual(fromRead, direct, input);
    assert.notEqual(fromRead.status, 'valid');
    read.free();
  }
});

test('finishViewBytes: the UTF-8 bytes of finishView, every view, valid and failed verdicts', async () => {
  const v = await warmVerifier();
  const tampered = vz.text.slice(0, -3) + (vz.text.endsWith('A') ? 'B' : 'A') + vz.text.slice(-2);
  for (const input of [vz.text, tampered]) {
    for (const view of ['full', 'compact', 'sbc']) {
      const bytes = await finishViewBytes(v.prepare(input, opts), view);
      assert.ok(bytes instanceof Uint8Array, view);
      sameText(text(bytes), await finishView(v.prepare(input, opts), view), `${view} ${input === vz.text ? 'valid' : 'tampered'}`);
    }
  }
  // The texts are not ASCII (every check's spec names a §): they arrive as UTF-8, not Latin-1.
  const full = await finishViewBytes(v.prepare(vz.text, opts), 'full');
  assert.ok(full.some((b) => b >= 0x80));
  assert.match(JSON.parse(text(full)).checks[0].spec, /§/);
  const p = v.prepare(vz.text, opts);
  assert.throws(() => p.finishViewBytes([true], 'everything'), (e) => e instanceof Error && /unknown view/.test(e.message));
  // The bad view left the work in place.
  assert.equal(JSON.parse(text(p.finishViewBytes([null], 'compact'))).status, 'valid');
  assert.throws(() => p.finishViewBytes([true], 'full'), (e) => e instanceof Error && /already finished/.test(e.message));
  p.free();
});

test('sbcVerificationRequestBytes: the answer sbcVerificationRequest gives; not UTF-8 is SVC4002', async () => {
  const v = new core.Verifier([vz.root]);
  const claims = JSON.parse(Buffer.from(vz.text.split('.')[1], 'base64url'));
  const body = JSON.stringify({
    verificationRequest: { from: { tn: claims.orig.tn }, to: { tn: claims.dest.tn }, time: vz.iat, identity: `${vz.text};info=<${vz.x5u}>;alg=ES256;ppt=shaken` },
  });
  const answers = [];
  // Text body + chain as text; bytes body + chain as bytes (supplyBytes): the same answer.
  const ways = [
    [core.sbcVerificationRequest(body), (req, url) => req.supply(url, vz.chain)],
    [core.sbcVerificationRequestBytes(new TextEncoder().encode(body)), (req, url) => req.supplyBytes(url, new TextEncoder().encode(vz.chain))],
  ];
  for (const [req, supply] of ways) {
    assert.deepEqual(req.needed, [vz.x5u]);
    assert.equal(req.at, vz.iat);
    for (const url of req.needed) supply(req, url);
    answers.push(text(await finishViewBytes(req.prepare(v), 'sbc')));
    req.free();
  }
  assert.equal(answers[0], answers[1]);
  // A chain supplied as bytes that is not the chain fails like the same text would.
  const wrong = core.sbcVerificationRequestBytes(new TextEncoder().encode(body));
  wrong.supplyBytes(vz.x5u, new TextEncoder().encode(vz.root));
  const failed = JSON.parse(text(await finishViewBytes(wrong.prepare(v), 'sbc'))).verificationResponse;
  wrong.free();
  assert.equal(failed.verstat, 'TN-Validation-Failed');
  assert.equal(JSON.parse(answers[0]).verificationResponse.verstat, 'TN-Validation-Passed');

  const bad = core.sbcVerificationRequestBytes(new Uint8Array([0x7b, 0x22, 0xff, 0x22, 0x7d]));
  assert.equal(bad.status, 400);
  const e = JSON.parse(bad.body).requestError.serviceException;
  assert.equal(e.messageId, 'SVC4002');
  assert.match(e.text, /not valid UTF-8/);
  // A request error in bytes is the same error as in text.
  const notJson = [core.sbcVerificationRequest('[1]'), core.sbcVerificationRequestBytes(new TextEncoder().encode('[1]'))];
  assert.deepEqual(notJson[1], notJson[0]);
});

test('SbcSigner.respondBytes: the answer respond gives; not UTF-8 is SVC4002', () => {
  const pki = demoPki();
  const signer = new core.SbcSigner(pki.key, 'https://certs.example.com/stircheck-demo/leaf.pem');
  const body = JSON.stringify({ signingRequest: { attest: 'A', orig: { tn: '12025550142' }, dest: { tn: ['12025550199'] }, iat: 1_700_000_000, origid: '8f2c1b7a-3d4e-4f5a-9b6c-7d8e9f0a1b2c' } });
  const a = signer.respond(body, 1_700_000_000);
  const b = signer.respondBytes(new TextEncoder().encode(body), 1_700_000_000);
  assert.equal(a.status, 200);
  assert.deepEqual(b, a);
  const bad = signer.respondBytes(new Uint8Array([0xc3, 0x28]), 1_700_000_000);
  assert.equal(bad.status, 400);
  assert.equal(JSON.parse(bad.body).requestError.serviceException.messageId, 'SVC4002');
});

test('jobs(): plain objects with the fields runJob and verifyJob read, fresh arrays per call', () => {
  const v = new core.Verifier([vz.root]);
  v.clearCache();
  const p = v.prepare(vz.text, opts);
  const jobs = p.jobs();
  assert.ok(jobs.length >= 1);
  const again = p.jobs();
  for (const [i, j] of jobs.entries()) {
    assert.deepEqual(Object.keys(j), ['id', 'alg', 'curve', 'spki', 'message', 'signature', 'purpose']);
    assert.equal(j.id, i);
    assert.equal(j.alg, 'ES256');
    assert.equal(j.curve, 'P-256');
    assert.ok(['passport', 'certificate'].includes(j.purpose));
    assert.ok(j.spki instanceof Uint8Array && j.message instanceof Uint8Array && j.signature.length === 64);
    // Each call hands out its own arrays: a caller changing one cannot change the core's job.
    assert.notEqual(again[i].spki, j.spki);
    assert.deepEqual(again[i], j);
  }
  assert.ok(jobs.some((j) => j.purpose === 'passport'));
  p.free();
});
