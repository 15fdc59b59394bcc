// The shared URL list (tests/fixtures/urls.json) through the worker's one fetcher (src/fetcher.js)
// for all three kinds of URL it fetches (x5u chains, CRL distribution points, rcd content), with
// the real core deciding: the same decision and canonical form for every kind, zero upstream
// requests for a refused URL, exactly one (at the canonical form) for an accepted one, and the
// same decision for the URL as a redirect target. (/api/x5u runs the same list under workerd in
// url-list.test.mjs; crl.test.mjs shows refused distribution points are not fetched there.)
import test from 'node:test';
import assert from 'node:assert/strict';
import { safeFetch } from '../src/fetcher.js';
import { loadCore, urlList } from './core.mjs';

const core = await loadCore();
const KINDS = ['x5u', 'crl', 'rcd'];
const list = urlList();

test('the list is the shared one', () => {
  assert.ok(list.length >= 80);
  assert.ok(list.some((e) => e.ok) && list.some((e) => !e.ok));
});

for (const kind of KINDS) {
  test(`${kind}: every URL gets the listed decision; refused URLs cause no request`, async () => {
    for (const e of list) {
      const asked = [];
      const fetch = async (url) => {
        asked.push(url);
        return new Response('not here', { status: 404 });
      };
      const r = await safeFetch(core, kind, e.url, { fetch });
      const label = `${kind} ${JSON.stringify(e.url)}`;
      if (e.ok) {
        assert.deepEqual(asked, [e.canonical], label);
        assert.equal(r.ok, false, label);
        assert.match(r.reason, /404/, label);
      } else {
        assert.equal(asked.length, 0, `${label} reached the network`);
        assert.equal(r.refused, true, label);
        assert.ok(r.reason.includes(e.why), `${label}: ${r.reason}`);
      }
    }
  });
}

test('checkUrl and resolveRedirect decide identically for every kind', () => {
  const base = 'https://cr.example.com/certs/a.pem';
  for (const e of list) {
    const decisions = KINDS.map((k) => core.checkUrl(k, e.url));
    for (const d of decisions) {
      assert.equal(d.ok, e.ok, e.url);
      assert.equal(d.canonical, decisions[0].canonical, e.url);
      assert.equal(d.reason, decisions[0].reason, e.url);
    }
    const hops = KINDS.map((k) => core.resolveRedirect(k, base, e.url));
    for (const h of hops) {
      assert.equal(h.ok, hops[0].ok, e.url);
      assert.equal(h.canonical, hops[0].canonical, e.url);
    }
  }
});
