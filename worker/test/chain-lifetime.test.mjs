// Unit tests: what the worker learns from the core about a fetched chain (wasm inspectChain, the
// verifier's own parser) and the cache-lifetime rule, which is the core's (wasm `cacheLifetime`,
// src/fetch_rules/lifetime.rs) for every kind of fetched body (no network).
import test from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { makePki } from './pki.mjs';
import { loadCore } from './core.mjs';
import { cacheLifetime, cacheLimits } from '../src/fetcher.js';

const pki = makePki();
test.after(() => pki.cleanup());
const core = await loadCore();
const enc = (s) => new TextEncoder().encode(s);
const notAfterOf = (file) => {
  const out = execFileSync('openssl', ['x509', '-noout', '-enddate', '-in', join(pki.dir, file)], { encoding: 'utf8' });
  return Date.parse(out.trim().replace('notAfter=', '')) / 1000;
};

test('a PEM chain: certificates kept leaf first, explanatory text dropped, dates as openssl reads them', () => {
  const r = core.inspectChain(enc(`subject=CN = SHAKEN 123A\n${pki.leaf}\nissuer text\n${pki.intermediate}`));
  assert.equal(r.ok, true, r.reason);
  assert.equal(r.count, 2);
  assert.equal(r.keyOnly, false);
  assert.equal(r.pem, `${pki.leaf.trim()}\n${pki.intermediate.trim()}\n`);
  assert.equal(r.leafNotAfter, notAfterOf('leaf.pem'));
  assert.equal(r.notAfter, Math.min(notAfterOf('leaf.pem'), notAfterOf('int.pem')));
});

test('DER of one certificate is a chain of one; a bare PUBLIC KEY is key-only', () => {
  const der = execFileSync('openssl', ['x509', '-in', join(pki.dir, 'leaf.pem'), '-outform', 'DER']);
  const r = core.inspectChain(new Uint8Array(der));
  assert.equal(r.ok, true, r.reason);
  assert.equal(r.count, 1);
  assert.equal(r.pem, `${pki.leaf.trim()}\n`);
  const key = execFileSync('openssl', ['x509', '-in', join(pki.dir, 'leaf.pem'), '-noout', '-pubkey'], { encoding: 'utf8' });
  const k = core.inspectChain(enc(key));
  assert.equal(k.ok, true, k.reason);
  assert.equal(k.keyOnly, true);
  assert.equal(k.count, 0);
  assert.equal(k.notAfter, null);
  assert.match(k.pem, /BEGIN PUBLIC KEY/);
});

test('bodies that are not a usable chain are refused with the core\'s reason', () => {
  const cases = [
    ['<html>hello</html>', /no PEM certificate/],
    ['   ', /empty/],
    ['-----BEGIN PRIVATE KEY-----\nQUFB\n-----END PRIVATE KEY-----\n', /no PEM certificate/],
    ['-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n', /not valid PEM/],
    ['-----BEGIN CERTIFICATE-----\nQUFB\n-----END CERTIFICATE-----\n', /certificate #1/],
    [pki.leaf.repeat(9), /over the limit of 8/],
  ];
  for (const [body, why] of cases) {
    const r = core.inspectChain(enc(body));
    assert.equal(r.ok, false, JSON.stringify(body.slice(0, 40)));
    assert.match(r.reason, why);
    assert.equal(r.pem, null);
  }
  assert.equal(core.inspectChain(new Uint8Array(70 * 1024).fill(0x41)).ok, false);
  assert.ok(readFileSync(join(pki.dir, 'leaf.pem')).length > 0);
});

const h = (o) => new Headers(o);
const NOW = 1_800_000_000;
const { minTtl: MIN_TTL, maxTtl: MAX_TTL, negativeTtl: NEGATIVE_TTL } = cacheLimits(core);

test('the core\'s bounds: 1 h .. 24 h, failures 60 s', () => {
  assert.deepEqual([MIN_TTL, MAX_TTL, NEGATIVE_TTL], [3600, 86400, 60]);
});

test('advertised lifetime: s-maxage, max-age, Expires - Date (clamped to the bounds)', () => {
  const life = (headers) => cacheLifetime(core, h(headers), NOW, null);
  assert.equal(life({ 'cache-control': 'public, max-age=7200' }), 7200);
  assert.equal(life({ 'cache-control': 'max-age=60, s-maxage=9000' }), 9000);
  assert.equal(life({ 'cache-control': 'no-store' }), MIN_TTL);
  assert.equal(life({ 'cache-control': 'no-cache, max-age=9999' }), MIN_TTL);
  const date = new Date(NOW * 1000).toUTCString();
  const exp = new Date((NOW + 5000) * 1000).toUTCString();
  assert.equal(life({ expires: exp, date }), 5000);
  assert.equal(life({ expires: new Date((NOW + 90000) * 1000).toUTCString(), date }), MAX_TTL);
  assert.equal(life({ expires: 'garbage' }), MIN_TTL);
  assert.equal(life({}), MIN_TTL);
});

test('lifetime is clamped to [1 h, 24 h] and never passes the chain notAfter / CRL nextUpdate', () => {
  const far = NOW + 365 * 86400;
  const life = (cc, notAfter = far) => cacheLifetime(core, h(cc ? { 'cache-control': cc } : {}), NOW, notAfter);
  assert.equal(life('max-age=60'), MIN_TTL);
  assert.equal(life('no-store'), MIN_TTL);
  assert.equal(life(null), MIN_TTL);
  assert.equal(life('max-age=7200'), 7200);
  assert.equal(life('max-age=9999999'), MAX_TTL);
  assert.equal(life('max-age=7200', NOW + 1800), 1800, 'chain expires in 30 min: cache only until then');
  assert.equal(life('max-age=7200', NOW - 10), NEGATIVE_TTL, 'already expired chain: short-lived entry');
  assert.equal(cacheLifetime(core, null, NOW, null), MIN_TTL);
});
