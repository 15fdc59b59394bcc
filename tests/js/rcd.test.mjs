// Rich call data through the wasm build (docs/js-api.md "Rich call data"): the demo signer signs
// a branded call with rcdi digests; rcdUrls lists the logo to fetch; verify with `resources`
// (base64) shows the brand verified with the logo bytes, and changed bytes, a tampered /nam
// digest or an unobtainable logo leave it "not verified" while the call itself stays valid.
// Run by `node --test` (make test-js); www/pkg must be built (bash scripts/build-wasm.sh).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { webcrypto } from 'node:crypto';
import { loadWasm } from './fixtures.mjs';

const core = await loadWasm();

const X5U = 'https://certs.example.com/stircheck-demo/leaf.pem';
const ICN = 'https://brand.example.com/acme/logo.png';
const LOGO = Buffer.from('\x89PNG\r\n\x1a\n\0\0\0\rIHDR demo logo', 'latin1');
const b64 = (buf) => Buffer.from(buf).toString('base64');

const pki = core.demoPki(webcrypto.getRandomValues(new Uint8Array(32)), {});
const verifier = new core.Verifier([pki.rootPem]);

function branded(tamper) {
  const rcd = { nam: 'Acme Pharmacy', icn: ICN, crn: 'Your prescription is ready' };
  if (tamper) rcd.tamper = tamper;
  return core.sign({
    keyPem: pki.keyPem, x5u: X5U, attest: 'A', orig: '12025550142', dest: ['12025550199'],
    iat: Math.floor(Date.now() / 1000), rcd, rcdResources: { [ICN]: b64(LOGO) },
  });
}

function verify(header, extra = {}) {
  return verifier.verify(header, { certs: { [X5U]: pki.chainPem }, ...extra });
}

const integrity = (v) => v.identities[0].checks.find((c) => c.id === 'rcd.integrity');

test('rcdUrls lists the logo an rcdi digest covers; none for a plain call', () => {
  assert.deepEqual(core.rcdUrls(branded()), [ICN]);
  const plain = core.sign({ keyPem: pki.keyPem, x5u: X5U, attest: 'A', orig: '12025550142', dest: ['12025550199'] });
  assert.deepEqual(core.rcdUrls(plain), []);
  assert.deepEqual(core.rcdUrls('not a header'), []);
  assert.equal(verify(plain).rcd, null);
});

test('a branded call with the right logo bytes is verified, logo data handed over', () => {
  const v = verify(branded(), { resources: { [ICN]: b64(LOGO) } });
  assert.equal(v.status, 'valid', v.reason);
  assert.equal(integrity(v).outcome, 'pass', integrity(v).detail);
  assert.equal(v.rcd.verified, true, v.rcd.reason);
  assert.equal(v.rcd.source, 'shaken');
  assert.equal(v.rcd.nam, 'Acme Pharmacy');
  assert.equal(v.rcd.crn, 'Your prescription is ready');
  assert.equal(v.rcd.icn.verified, true);
  assert.equal(v.rcd.icn.content_type, 'image/png');
  assert.equal(v.rcd.icn.data, b64(LOGO));
  assert.deepEqual(v.rcd.digests.map((d) => [d.pointer, d.result]).sort(), [['/icn', 'match'], ['/nam', 'match']]);
  assert.deepEqual(v.identities[0].rcd, v.rcd);
});

test('changed logo bytes: not verified, no logo data, the call stays valid', () => {
  const v = verify(branded(), { resources: { [ICN]: b64(Buffer.concat([LOGO, Buffer.from('x')])) } });
  assert.equal(v.status, 'valid');
  assert.equal(integrity(v).outcome, 'fail');
  assert.equal(v.rcd.verified, false);
  assert.equal(v.rcd.icn.data, null);
  assert.match(v.rcd.reason, /^Branded name not verified: the \/icn digest does not match/);
});

test('a tampered /nam digest: not verified, the SHAKEN verdict not flipped', () => {
  const v = verify(branded('nam'), { resources: { [ICN]: b64(LOGO) } });
  assert.equal(v.status, 'valid');
  assert.equal(v.attest, 'A');
  assert.equal(v.rcd.verified, false);
  assert.equal(v.rcd.reason, 'Branded name not verified: the /nam digest does not match its value');
});

test('a logo that could not be fetched: a warning with the reason, not verified', () => {
  const v = verify(branded(), { resourceFetchErrors: { [ICN]: 'the server answered HTTP 404' } });
  assert.equal(v.status, 'valid');
  assert.equal(integrity(v).outcome, 'warn');
  assert.match(integrity(v).detail, /HTTP 404/);
  assert.equal(v.rcd.verified, false);
});

test('bad options and bad sign options are errors, not ignored', () => {
  assert.throws(() => verify(branded(), { resources: { [ICN]: '***' } }), /options.resources/);
  assert.throws(() => verify(branded(), { resourcez: {} }), /unknown field `resourcez`/);
  assert.throws(() => core.sign({
    keyPem: pki.keyPem, x5u: X5U, attest: 'A', orig: '12025550142', dest: ['12025550199'], rcd: { nam: 'A', icn: ICN },
  }), /content of the icn URL/);
  assert.throws(() => core.sign({
    keyPem: pki.keyPem, x5u: X5U, attest: 'A', orig: '12025550142', dest: ['12025550199'], rcd: { nam: 'A', tamper: 'x' },
  }), /tamper/);
});

test('demoLogo: a real PNG the demo signer and the verifier agree on', () => {
  const logo = core.demoLogo();
  assert.equal(logo.url, 'https://brand.example.com/stircheck-demo/logo.png');
  assert.ok(Buffer.from(logo.pngBase64, 'base64').subarray(0, 8).equals(Buffer.from('\x89PNG\r\n\x1a\n', 'latin1')));
  const header = core.sign({
    keyPem: pki.keyPem, x5u: X5U, attest: 'A', orig: '12025550142', dest: ['12025550199'],
    rcd: { nam: 'Acme (DEMO)', icn: logo.url }, rcdResources: { [logo.url]: logo.pngBase64 },
  });
  assert.deepEqual(core.rcdUrls(header), [logo.url]);
  const v = verify(header, { resources: { [logo.url]: logo.pngBase64 } });
  assert.equal(v.rcd.verified, true, v.rcd.reason);
  assert.equal(v.rcd.icn.data, logo.pngBase64);
});

test('rcdUrls(text, resources): a second round finds the logo inside a fetched jCard', () => {
  const jcl = 'https://brand.example.com/acme/card.json';
  const card = '["vcard",[["fn",{},"text","Acme"]]]';
  const header = core.sign({
    keyPem: pki.keyPem, x5u: X5U, attest: 'A', orig: '12025550142', dest: ['12025550199'],
    rcd: { nam: 'Acme', jcl }, rcdResources: { [jcl]: b64(card) },
  });
  assert.deepEqual(core.rcdUrls(header), [jcl]);
  assert.deepEqual(core.rcdUrls(header, { [jcl]: b64(card) }), [jcl]);
  const v = verify(header, { resources: { [jcl]: b64(card) } });
  assert.equal(v.rcd.verified, true, v.rcd.reason);
  assert.equal(v.rcd.jcl.verified, true);
  assert.throws(() => core.rcdUrls(header, { [jcl]: '%%%' }), /base64/);
});
