// Where the time of one SBC verification goes inside the isolate (issue 11 item 3), stage by
// stage, in Node with the worker's own modules and the wasm build: the chain is cached (in the
// ChainCache and in the core), as in the load test. Each stage runs N times in a loop and is
// timed with performance.now(); the rows add up to one request minus HTTP.
//   node bench/sbc-stages.mjs [--n 5000]
// For a flame graph of the same loop: node --cpu-prof --cpu-prof-dir=target/prof bench/sbc-stages.mjs
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { REPO, TEST_ORIGIN } from '../worker/test/harness.mjs';
import { makePki, makeIdentity } from '../worker/test/pki.mjs';
import { runJob, verifyView } from '../worker/src/webcrypto.js';
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

const req = core.sbcVerificationRequest(body);
const got = await gatherChains(core.neededCerts(req.input), undefined, cache);
const opts = { at: req.at, certs: got.certs };
const check = JSON.parse(await verifyView(verifier, req.input, opts, 'sbc'));
if (check.verificationResponse.verstat !== 'TN-Validation-Passed') throw new Error(JSON.stringify(check));
pki.cleanup();

async function time_(label, fn) {
  for (let i = 0; i < Math.min(500, N); i++) await fn();
  const t0 = performance.now();
  for (let i = 0; i < N; i++) await fn();
  const us = ((performance.now() - t0) / N) * 1000;
  console.log(`${label.padEnd(58)} ${us.toFixed(1).padStart(8)} µs`);
  return us;
}

const pendingJobs = () => {
  const p = verifier.prepare(req.input, opts);
  const j = p.jobs();
  return [p, j];
};
const [p0, jobs0] = pendingJobs();
const job = jobs0[0];
p0.free();
console.log(`${N} iterations each, Node ${process.version}`);
await time_('TextDecoder + sbcVerificationRequest (body -> input)', () => core.sbcVerificationRequest(body));
await time_('neededCerts', () => core.neededCerts(req.input));
await time_('gatherChains (cache hit)', () => gatherChains([x5u], undefined, cache));
await time_('prepare (parse + checks + cache lookup)', () => verifier.prepare(req.input, opts).free());
await time_('prepare + jobs() (job objects with Uint8Arrays)', () => {
  const [p] = pendingJobs();
  p.free();
});
await time_('runJob: WebCrypto ES256 verify (key cached)', () => runJob(job));
await time_('whole verifyView(..., "sbc")', () => verifyView(verifier, req.input, opts, 'sbc'));
await time_('whole verifyView(..., "compact")', () => verifyView(verifier, req.input, opts, 'compact'));
await time_('whole verifyView(..., "full")', () => verifyView(verifier, req.input, opts, 'full'));
await time_('prepare + jobs + finishView(sbc), no crypto (results [true])', () => {
  const [p] = pendingJobs();
  p.finishView([true], 'sbc');
  p.free();
});
