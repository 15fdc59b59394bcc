// The shared URL list (tests/fixtures/urls.json) against the running worker under workerd:
// GET /api/x5u?url=... must refuse (400, "x5u URL refused: <the listed reason>") exactly the URLs
// the list refuses, with zero upstream requests for them, and fetch every accepted URL once at
// its canonical form (all egress goes to the test repository, which counts what it receives).
// The same list runs through the core natively (tests/fetch_rules.rs) and through the wasm
// export (tests/js/fetch-rules.test.mjs).
import test from 'node:test';
import assert from 'node:assert/strict';
import { startWorker } from './harness.mjs';
import { urlList } from './core.mjs';

const w = await startWorker();
test.after(() => w.stop());

test('every URL of the shared list gets the listed decision from /api/x5u', async () => {
  const list = urlList();
  assert.ok(list.length >= 80);
  const refused = list.filter((e) => !e.ok);
  const before = w.certs.totalHits();
  for (const e of refused) {
    const r = await fetch(`${w.base}/api/x5u?url=${encodeURIComponent(e.url)}`);
    const body = await r.json();
    assert.equal(r.status, 400, `${JSON.stringify(e.url)}: ${body.error}`);
    assert.ok(body.error.startsWith('x5u URL refused: ') && body.error.includes(e.why), `${JSON.stringify(e.url)}: ${body.error}`);
  }
  assert.equal(w.certs.totalHits(), before, 'no refused URL caused an upstream request');

  const accepted = list.filter((e) => e.ok);
  for (const e of accepted) {
    const r = await fetch(`${w.base}/api/x5u?url=${encodeURIComponent(e.url)}`);
    await r.arrayBuffer();
    // The test repository serves a chain at .../chain.pem and 404 elsewhere (-> 502).
    assert.ok(r.status === 200 || r.status === 502, `${e.url}: ${r.status}`);
    assert.ok(w.certs.hits(e.canonical) >= 1, `${e.url} was fetched at ${e.canonical}`);
  }
  const canonicals = new Set(accepted.map((e) => e.canonical));
  assert.equal(w.certs.totalHits() - before, canonicals.size, 'one upstream request per canonical URL');
  for (const c of canonicals) assert.equal(w.certs.hits(c), 1, c);
});
