// Where the time of one SBC verification goes inside the isolate (issue 11 item 3), stage by
// stage, in Node with the worker's own modules and the wasm build: the chain is cached (in the
// ChainCache and in the core), as in the load test. Each stage runs N times in a loop and is
// timed as CPU time of this process (process.cpuUsage, stable on a loaded machine) and wall time.
//   node bench/sbc-stages.mjs [--n 5000]
// For a flame graph of the same loop: node --cpu-prof --cpu-prof-dir=target/prof bench/sbc-stages.mjs
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { REPO, TEST_ORIGIN } from '../worker/test/harness.mjs';
import { makePki, makeIdentity } from '../worker/test/pki.mjs';
import { runJob, finishView } from '../worker/src/webcrypto.js';
import { ChainCache } from '../worker/src/cache.js';
import { gatherChains } from '../worker/src/chains.js';

const { values } = parseArgs({ options: { n: { type: 'string', default: '5000' } } });
const N = Math.max(100, Number(values.n));
const core = await import(join(REPO, 'worker', 'pkg', 'stircheck.js'));
core.initSync({ module: readFileSync(join(REPO, 'worker', 'pkg', 'stircheck_bg.wasm')) });

const pki = makePki();
const x5u = `${TEST_ORIGIN}/stages/chain.pem`;
const time = Math.floor(Date.now() / 1000);
const signed = makeIdentity({ key: pki.leafKey, x5u, iat: time, orig: '12155551212', dest: '12155551213' });
const body = JSON.stringify({ verificationRequest: { from: { tn: '12155551212' }, to: { tn: ['12155551213'] }, time, identity: signed.identity } });
const verifier = new core.Verifier([pki.root]);
const cache = new ChainCache({ load: async () => ({ ok: true, pem: pki.chain, expiresAt: Date.now() / 1000 + 3600 }) });

const pem = pki.chain;
const input = `From: <tel:+12155551212>\r\nTo: <tel:+12155551213>\r\nIdentity: ${signed.identity}`;
const apiOpts = { at: time, certs: { [x5u]: pem } };
/** The SBC path of worker/src/sbc.js, minus HTTP. */
async function sbcRequest(view = 'sbc') {
  const req = core.sbcVerificationRequest(body);
  try {
    const got = await gatherChains(req.needed, undefined, cache);
    for (const url in got.certs) req.supply(url, got.certs[url]);
    for (const url in got.fetchErrors) req.unavailable(url, got.fetchErrors[url]);
    return await finishView(req.prepare(verifier), view);
  } finally {
    req.free();
  }
}
const check = JSON.parse(await sbcRequest());
if (check.verificationResponse.verstat !== 'TN-Validation-Passed') throw new Error(JSON.stringify(check));
pki.cleanup();

async function time_(label, fn) {
  for (let i = 0; i < Math.min(500, N); i++) await fn();
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  for (let i = 0; i < N; i++) await fn();
  const c = process.cpuUsage(c0);
  const us = ((performance.now() - t0) / N) * 1000;
  // CPU time of this process per iteration: stable when other work loads the machine (wall is not).
  const cpu = (c.user + c.system) / N;
  console.log(`${label.padEnd(66)} ${cpu.toFixed(1).padStart(7)} µs CPU ${us.toFixed(1).padStart(8)} µs wall`);
  return cpu;
}

const p0 = verifier.prepare(input, apiOpts);
const job = p0.jobs()[0];
p0.free();
console.log(`${N} iterations each, Node ${process.version}`);
await time_('sbcVerificationRequest (parse body, build input, needed)', () => core.sbcVerificationRequest(body).free());
await time_('gatherChains (cache hit)', () => gatherChains([x5u], undefined, cache));
await time_('SBC: parse + supply + prepare + jobs + finishView, no crypto', () => {
  const req = core.sbcVerificationRequest(body);
  req.supply(x5u, pem);
  const p = req.prepare(verifier);
  p.jobs();
  p.finishView([true], 'sbc');
  p.free();
  req.free();
});
await time_('api: neededCerts + prepare + jobs + finishView(compact), no crypto', () => {
  core.neededCerts(input);
  const p = verifier.prepare(input, apiOpts);
  p.jobs();
  p.finishView([true], 'compact');
  p.free();
});
await time_('api: neededCerts + prepare + jobs + finishView(full), no crypto', () => {
  core.neededCerts(input);
  const p = verifier.prepare(input, apiOpts);
  p.jobs();
  p.finishView([true], 'full');
  p.free();
});
await time_('api: neededCerts + prepare + jobs + finish (object) + JSON.stringify', () => {
  core.neededCerts(input);
  const p = verifier.prepare(input, apiOpts);
  p.jobs();
  JSON.stringify(p.finish([true]));
  p.free();
});
await time_('runJob: WebCrypto ES256 verify (key cached)', () => runJob(job));
await time_('whole SBC request minus HTTP (sbcRequest)', () => sbcRequest());
