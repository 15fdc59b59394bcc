// The shared URL list (tests/fixtures/urls.json) through the wasm exports of www/pkg: checkUrl
// gives the listed decision and canonical form for every fetch kind, exactly as the core does
// natively (tests/fetch_rules.rs) and the worker does over HTTP (worker/test/url-list.test.mjs).
// Also pins the other fetch-rule exports the shells use (resolveRedirect, fetchLimits, acceptBody).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO, loadWasm } from './fixtures.mjs';

const core = await loadWasm();
const list = JSON.parse(readFileSync(join(REPO, 'tests', 'fixtures', 'urls.json'), 'utf8')).urls;

test('checkUrl: the shared list gets its decision for x5u, crl and rcd', () => {
  assert.ok(list.length >= 80, `${list.length} URLs`);
  const names = { x5u: 'x5u URL', crl: 'CRL distribution point URL', rcd: 'rcd content URL' };
  for (const kind of ['x5u', 'crl', 'rcd']) {
    for (const e of list) {
      const d = core.checkUrl(kind, e.url);
      const label = `${kind} ${JSON.stringify(e.url)}`;
      assert.equal(d.ok, e.ok, `${label}: ${d.reason}`);
      if (e.ok) {
        assert.equal(d.canonical, e.canonical, label);
        assert.equal(d.reason, null);
        assert.equal(core.checkUrl(kind, d.canonical).canonical, e.canonical, `${label}: fixed point`);
      } else {
        assert.equal(d.canonical, null);
        assert.ok(d.reason.includes(e.why), `${label}: ${d.reason}`);
        assert.equal(d.message, `${names[kind]} refused: ${d.reason}`);
      }
    }
  }
  assert.throws(() => core.checkUrl('ftp', 'https://a.example.com/'), /unknown fetch kind/);
});

test('resolveRedirect, fetchLimits, acceptBody', () => {
  const base = 'https://cr.example.com:8443/sti/a.pem';
  assert.equal(core.resolveRedirect('x5u', base, 'b.pem').canonical, 'https://cr.example.com:8443/sti/b.pem');
  assert.equal(core.resolveRedirect('x5u', base, '//Other.Example.com/c').canonical, 'https://other.example.com/c');
  assert.match(core.resolveRedirect('x5u', base, 'https://169.254.169.254/').reason, /special-purpose/);
  assert.deepEqual(core.fetchLimits('x5u').maxBytes, 64 * 1024);
  assert.ok(core.fetchLimits('crl').maxBytes > core.fetchLimits('x5u').maxBytes);
  assert.equal(core.acceptBody('x5u', 'application/pem-certificate-chain', new Uint8Array([1])).ok, true);
  assert.equal(core.acceptBody('x5u', null, new Uint8Array([1])).ok, true);
  assert.match(core.acceptBody('x5u', 'text/html; charset=utf-8', new Uint8Array([1])).reason, /text\/html/);
  assert.match(core.acceptBody('x5u', null, new Uint8Array(64 * 1024 + 1)).reason, /larger than 64 KiB/);
  assert.match(core.acceptBody('rcd', null, new Uint8Array([1])).reason, /did not say/);
});
