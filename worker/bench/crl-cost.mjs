// What checking revocation costs an SBC call on the cached path (issue 13): the same SBC
// verification (/stir/v1/verification) for a leaf WITHOUT a CRL distribution point and for one
// WITH one (its CRL fetched once, then cached), run alternately A/B/A/B with autocannon on the
// real worker under workerd (test egress, test root as the operator trust store). Prints req/s
// and p50/p99 per run; every answer is checked to be 2xx and both verdicts TN-Validation-Passed.
//   node worker/bench/crl-cost.mjs [--duration 4] [--connections 8] [--rounds 2]
import os from 'node:os';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { startWorker, TEST_ORIGIN } from '../test/harness.mjs';
import { makePki, addLeaf, makeCrl, makeIdentity } from '../test/pki.mjs';

const { values } = parseArgs({
  options: { duration: { type: 'string', default: '4' }, connections: { type: 'string', default: '8' }, rounds: { type: 'string', default: '2' } },
});
const duration = Math.max(1, Math.min(30, Number(values.duration)));
const connections = Math.max(1, Math.min(64, Number(values.connections)));
const rounds = Math.max(1, Math.min(5, Number(values.rounds)));

const pki = makePki();
const dp = 'https://crl.stircheck.test:8443/bench/ca.crl';
const plain = addLeaf(pki, { name: 'plain' });
const withDp = addLeaf(pki, { name: 'withdp', dp });
const other = addLeaf(pki, { name: 'other' });
const crl = makeCrl(pki, { revoke: [other.file] });
const w = await startWorker({ pki, trustPem: pki.root });
try {
  const pem = { 'content-type': 'application/pem-certificate-chain', 'cache-control': 'max-age=7200' };
  w.certs.serve(`${TEST_ORIGIN}/bench/plain.pem`, plain.chain, pem);
  w.certs.serve(`${TEST_ORIGIN}/bench/withdp.pem`, withDp.chain, pem);
  w.certs.serve(dp, crl.der, { 'content-type': 'application/pkix-crl', 'cache-control': 'max-age=7200' });
  const body = (leaf, name) => JSON.stringify({
    verificationRequest: {
      from: { tn: '12155551212' }, to: { tn: ['12155551213'] }, time: Math.floor(Date.now() / 1000),
      identity: makeIdentity({ key: leaf.key, x5u: `${TEST_ORIGIN}/bench/${name}.pem` }).identity,
    },
  });
  const cases = { 'no CRL DP': body(plain, 'plain'), 'CRL DP (cached CRL)': body(withDp, 'withdp') };
  for (const [name, b] of Object.entries(cases)) {
    const r = await fetch(`${w.base}/stir/v1/verification`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: b });
    const a = (await r.json()).verificationResponse;
    if (a.verstat !== 'TN-Validation-Passed') throw new Error(`${name}: ${JSON.stringify(a)}`);
  }
  console.log(`SBC /stir/v1/verification, ${duration} s x ${connections} connections per run; load average ${os.loadavg().map((x) => x.toFixed(1)).join(' ')}`);
  for (let i = 0; i < rounds; i++) {
    for (const [name, b] of Object.entries(cases)) {
      const res = await autocannon({ url: `${w.base}/stir/v1/verification`, method: 'POST', headers: { 'content-type': 'application/json' }, body: b, connections, duration });
      const failed = res.non2xx + res.errors + res.timeouts;
      console.log(`  ${name.padEnd(22)} ${String(Math.round(res.requests.average)).padStart(6)} req/s  p50 ${res.latency.p50} ms  p99 ${res.latency.p99} ms  failed ${failed}`);
    }
  }
  console.log(`  upstream fetches: x5u ${w.certs.hits(`${TEST_ORIGIN}/bench/withdp.pem`)}, CRL ${w.certs.hits(dp)} (1 each = the warm-up)`);
  console.log(`  load average after: ${os.loadavg().map((x) => x.toFixed(1)).join(' ')}`);
} finally {
  await w.stop();
}
