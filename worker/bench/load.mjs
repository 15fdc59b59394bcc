// Bounded load test of POST /api/verify with a warm certificate cache (issue 4 "Done when").
// Starts the real worker under workerd on loopback (test config: x5u fetches go to the local test
// repository), deploys the test root as the operator trust store (so each request is what an SBC
// sends: the Identity header only), warms the cache with one request, checks it is valid, then
// runs autocannon for a fixed time and prints requests/s and p50/p99 latency.
//   node worker/bench/load.mjs [--duration 10] [--connections 8] [--json]
// Traffic stays on 127.0.0.1; the run is bounded in time and stops by itself.
import os from 'node:os';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { startWorker, TEST_ORIGIN } from '../test/harness.mjs';
import { makePki, makeIdentity } from '../test/pki.mjs';

const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '8' },
    json: { type: 'boolean', default: false },
  },
});
const duration = Math.max(1, Math.min(60, Number(values.duration)));
const connections = Math.max(1, Math.min(64, Number(values.connections)));

const pki = makePki();
const w = await startWorker({ pki, trustPem: pki.root });
try {
  // iat = now: the 60 s freshness window covers the whole run.
  const input = `Identity: ${makeIdentity({ key: pki.leafKey, x5u: `${TEST_ORIGIN}/bench/chain.pem` }).identity}`;
  const body = JSON.stringify({ input });
  const warm = await w.verify({ input });
  if (warm.body.status !== 'valid') throw new Error(`warm-up verdict is not valid: ${warm.body.reason}`);
  const cached = await w.verify({ input });
  if (cached.headers.get('x-stircheck-cache') !== 'hit') throw new Error('the chain cache did not warm up');

  const result = await autocannon({
    url: `${w.base}/api/verify`,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
    connections,
    duration,
  });
  const failed = result.non2xx + result.errors + result.timeouts;
  const summary = {
    endpoint: 'POST /api/verify (warm chain cache, WebCrypto ES256, operator trust binding)',
    duration_s: duration,
    connections,
    requests: result.requests.total,
    requests_per_s: Math.round(result.requests.average),
    latency_ms: { p50: result.latency.p50, p99: result.latency.p99, max: result.latency.max },
    failed,
    repository_fetches: w.certs.totalHits(),
    machine: `${os.cpus().length} x ${os.cpus()[0]?.model?.trim()}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
  };
  if (values.json) console.log(JSON.stringify(summary));
  else {
    console.log(`${summary.endpoint}`);
    console.log(`  ${duration} s, ${connections} connections, ${summary.requests} requests, ${failed} failed`);
    console.log(`  ${summary.requests_per_s} req/s   p50 ${summary.latency_ms.p50} ms   p99 ${summary.latency_ms.p99} ms   max ${summary.latency_ms.max} ms`);
    console.log(`  certificate fetches during the run: ${summary.repository_fetches} (1 = the warm-up)`);
    console.log(`  machine: ${summary.machine}`);
  }
  if (failed > 0) process.exitCode = 1;
} finally {
  await w.stop();
}
