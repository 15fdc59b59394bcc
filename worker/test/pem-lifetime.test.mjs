// Unit tests: PEM chain inspection and the cache-lifetime rules (no wasm, no network).
import test from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { makePki } from './pki.mjs';
import { parsePemChain, certNotAfter } from '../src/pem.js';
import { chainLifetime, advertisedLifetime, MIN_TTL, MAX_TTL, NEGATIVE_TTL } from '../src/lifetime.js';

const pki = makePki();
test.after(() => pki.cleanup());

test('a PEM chain is split into certificates, leaf first, explanatory text dropped', () => {
  const r = parsePemChain(`subject=CN = SHAKEN 123A\n${pki.leaf}\nissuer text\n${pki.intermediate}`);
  assert.equal(r.ok, true);
  assert.equal(r.ders.length, 2);
  assert.equal(r.pem, `${pki.leaf.trim()}\n${pki.intermediate.trim()}\n`);
});

test('bodies that are not PEM certificates are refused with a reason', () => {
  const cases = [
    ['<html>hello</html>', /no "BEGIN CERTIFICATE"/],
    ['', /no "BEGIN CERTIFICATE"/],
    ['-----BEGIN PRIVATE KEY-----\nQUFB\n-----END PRIVATE KEY-----\n', /"PRIVATE KEY" block/],
    ['-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n', /not valid base64/],
    ['-----BEGIN CERTIFICATE-----\nQUFB\n-----END CERTIFICATE-----\n', /does not contain a certificate/],
    [`${pki.leaf}-----BEGIN CERTIFICATE-----\nQUFB`, /malformed PEM block/],
    ['\0\x30\x82', /binary/],
    [pki.leaf.repeat(11), /11 certificates/],
  ];
  for (const [body, why] of cases) {
    const r = parsePemChain(body);
    assert.equal(r.ok, false, JSON.stringify(body.slice(0, 40)));
    assert.match(r.reason, why);
  }
});

test('certNotAfter reads the leaf notAfter exactly as openssl does', () => {
  const out = execFileSync('openssl', ['x509', '-noout', '-enddate', '-in', join(pki.dir, 'leaf.pem')], { encoding: 'utf8' });
  const expected = Date.parse(out.trim().replace('notAfter=', '')) / 1000;
  const { ders } = parsePemChain(pki.leaf);
  assert.equal(certNotAfter(ders[0]), expected);
  assert.equal(certNotAfter(new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x01])), null);
});

const h = (o) => new Headers(o);
const NOW = 1_800_000_000;

test('advertised lifetime: s-maxage, max-age, no-store, Expires', () => {
  assert.equal(advertisedLifetime(h({ 'cache-control': 'public, max-age=7200' }), NOW), 7200);
  assert.equal(advertisedLifetime(h({ 'cache-control': 'max-age=60, s-maxage=9000' }), NOW), 9000);
  assert.equal(advertisedLifetime(h({ 'cache-control': 'no-store' }), NOW), 0);
  assert.equal(advertisedLifetime(h({ 'cache-control': 'no-cache, max-age=9999' }), NOW), 0);
  const date = new Date(NOW * 1000).toUTCString();
  const exp = new Date((NOW + 5000) * 1000).toUTCString();
  assert.equal(advertisedLifetime(h({ expires: exp, date }), NOW), 5000);
  assert.equal(advertisedLifetime(h({ expires: 'garbage' }), NOW), 0);
  assert.equal(advertisedLifetime(h({}), NOW), null);
});

test('lifetime is clamped to [1 h, 24 h] and never passes the leaf notAfter', () => {
  const far = NOW + 365 * 86400;
  const life = (cc, notAfter = far) => chainLifetime({ headers: h(cc ? { 'cache-control': cc } : {}), now: NOW, leafNotAfter: notAfter });
  assert.equal(life('max-age=60'), MIN_TTL);
  assert.equal(life('no-store'), MIN_TTL);
  assert.equal(life(null), MIN_TTL);
  assert.equal(life('max-age=7200'), 7200);
  assert.equal(life('max-age=9999999'), MAX_TTL);
  assert.equal(life('max-age=7200', NOW + 1800), 1800, 'leaf expires in 30 min: cache only until then');
  assert.equal(life('max-age=7200', NOW - 10), NEGATIVE_TTL, 'already expired leaf: short-lived entry');
  assert.equal(chainLifetime({ headers: null, now: NOW, leafNotAfter: null }), MIN_TTL);
});
