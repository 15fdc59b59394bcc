// Where the time of one verification goes inside an isolate (issue 11 item 3, issue 14), stage
// by stage, in Node with the worker's own modules and the wasm build (worker/pkg). The chain is
// cached (in the FetchCache and in the core), as in the load test.
//
//   node bench/sbc-stages.mjs [--n 300] [--rounds 7] [--only NAME,NAME]
//
// Timing on a loaded machine lies, so each row is the CPU time of this process
// (process.cpuUsage) per iteration, and the rows are interleaved: every round runs every row for
// --n iterations in turn, and the table shows the median round (and the spread: min–max). Two
// rows measured this way differ by what one does more than the other, which is how the stages
// are read: e.g. "api: ... + finishViewBytes(full)" − "api: ... + finishViewBytes(compact)" is the
// cost of serializing the full Verdict; "finish (object)" − "finishViewBytes(full)" is handing it
// to JS as an object (decode the text, JSON.parse).
// For a flame graph of the same loop: node --cpu-prof --cpu-prof-dir=target/prof bench/sbc-stages.mjs
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { REPO, TEST_ORIGIN } from '../worker/test/harness.mjs';
import { makePki, makeIdentity } from '../worker/test/pki.mjs';
import { runJob, finishViewBytes } from '../worker/src/webcrypto.js';
import { FetchCache } from '../worker/src/cache.js';
import { gatherChains } from '../worker/src/chains.js';

const { values } = parseArgs({
  options: { n: { type: 'string', default: '300' }, rounds: { type: 'string', default: '7' }, only: { type: 'string' } },
});
const N = Math.max(20, Number(values.n));
const ROUNDS = Math.max(1, Number(values.rounds));
const core = await import(join(REPO, 'worker', 'pkg', 'stircheck.js'));
core.initSync({ module: readFileSync(join(REPO, 'worker', 'pkg', 'stircheck_bg.wasm')) });

const pki = makePki();
const x5u = `${TEST_ORIGIN}/stages/chain.pem`;
const time = Math.floor(Date.now() / 1000);
const signed = makeIdentity({ key: pki.leafKey, x5u, iat: time, orig: '12155551212', dest: '12155551213' });
const body = JSON.stringify({ verificationRequest: { from: { tn: '12155551212' }, to: { tn: ['12155551213'] }, time, identity: signed.identity } });
const verifier = new core.Verifier([pki.root]);
const cache = new FetchCache({ load: async () => ({ ok: true, pem: pki.chain, expiresAt: Date.now() / 1000 + 3600 }) });
const pem = pki.chain;
/** The chain encoded once, as worker/src/sbc.js keeps it for the core. */
const pemBytes = new TextEncoder().encode(pem);
pki.cleanup();

const input = `From: <tel:+12155551212>\r\nTo: <tel:+12155551213>\r\nIdentity: ${signed.identity}`;
const apiOpts = { at: time, certs: { [x5u]: pem } };

const sbcBytes = new TextEncoder().encode(body);
/** The SBC path of worker/src/sbc.js, minus HTTP (no CRLs, no rcd: the test chain has neither). */
async function sbcRequest(view = 'sbc') {
  const req = core.sbcVerificationRequestBytes(sbcBytes);
  try {
    const got = await gatherChains(core, req.needed, undefined, cache);
    for (const url in got.certs) req.supplyBytes(url, pemBytes);
    for (const url in got.fetchErrors) req.unavailable(url, got.fetchErrors[url]);
    return await finishViewBytes(req.prepare(verifier), view);
  } finally {
    req.free();
  }
}
const check = JSON.parse(new TextDecoder().decode(await sbcRequest()));
if (check.verificationResponse.verstat !== 'TN-Validation-Passed') throw new Error(JSON.stringify(check));

const p0 = verifier.prepare(input, apiOpts);
const job = p0.jobs()[0];
const fullText = p0.finishView([true], 'full');
p0.free();
if (JSON.parse(fullText).status !== 'valid') throw new Error(fullText.slice(0, 300));
const fullObject = JSON.parse(fullText);
const key = await crypto.subtle.importKey('spki', job.spki, { name: 'ECDSA', namedCurve: 'P-256' }, false, ['verify']);

/** One SBC request's wasm steps, without fetching or crypto (the result `true` is given). */
function sbcNoCrypto(view) {
  const req = core.sbcVerificationRequestBytes(sbcBytes);
  req.supplyBytes(x5u, pemBytes);
  const p = req.prepare(verifier);
  p.jobs();
  const out = p.finishViewBytes([true], view);
  p.free();
  req.free();
  return out;
}
/** The /api/verify steps on the wasm side (worker/src/app.js): the input read once, the cached
 * chain as encoded bytes, prepared with the remaining options. */
function api(finish) {
  const read = core.readInput(input);
  read.supplyBytes(x5u, pemBytes);
  const p = read.prepare(verifier, { at: time });
  read.free();
  p.jobs();
  const out = finish(p);
  p.free();
  return out;
}
const rows = [
  ['sbc: sbcVerificationRequestBytes(body) (read body, build input, parse it)', () => core.sbcVerificationRequestBytes(sbcBytes).free()],
  ['sbc: gatherChains (cache hit)', () => gatherChains(core, [x5u], undefined, cache)],
  ['sbc: request + supply + prepare + jobs + finishViewBytes(sbc), no crypto', () => sbcNoCrypto('sbc')],
  ['sbc: the same with finishViewBytes(full)', () => sbcNoCrypto('full')],
  ['api: readInput(input) + free', () => core.readInput(input).free()],
  ['api: readInput + supplyBytes + prepare + jobs + free', () => api(() => null)],
  ['api: ... + finishViewBytes(compact)', () => api((p) => p.finishViewBytes([true], 'compact'))],
  ['api: ... + finishViewBytes(full) (verdict as JSON bytes)', () => api((p) => p.finishViewBytes([true], 'full'))],
  ['api: ... + finishView(full) (verdict as a JS string)', () => api((p) => p.finishView([true], 'full'))],
  ['api: ... + finish (verdict as an object)', () => api((p) => p.finish([true]))],
  ['js: JSON.parse(full verdict text)', () => JSON.parse(fullText)],
  ['js: JSON.stringify(full verdict object)', () => JSON.stringify(fullObject)],
  ['crypto: runJob (WebCrypto ES256, key cached in the helper)', () => runJob(job)],
  ['crypto: crypto.subtle.verify alone', () => crypto.subtle.verify({ name: 'ECDSA', hash: 'SHA-256' }, key, job.signature, job.message)],
  ['whole SBC request minus HTTP (sbcRequest)', () => sbcRequest()],
].filter(([name]) => !values.only || values.only.split(',').some((w) => name.includes(w)));

/** CPU µs per iteration of `fn` over N iterations. */
async function cpuPerOp(fn) {
  const c0 = process.cpuUsage();
  for (let i = 0; i < N; i++) await fn();
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / N;
}

for (const [, fn] of rows) for (let i = 0; i < Math.min(300, N); i++) await fn(); // warm up (JIT tiers)
const samples = rows.map(() => []);
for (let r = 0; r < ROUNDS; r++) {
  // Rotate the order each round so no row always follows the same neighbour (GC debt, caches).
  for (let k = 0; k < rows.length; k++) {
    const i = (k + r) % rows.length;
    samples[i].push(await cpuPerOp(rows[i][1]));
  }
}
console.log(`${N} iterations × ${ROUNDS} interleaved rounds per row, CPU µs per iteration (median, min–max); Node ${process.version}`);
rows.forEach(([name], i) => {
  const s = samples[i].sort((a, b) => a - b);
  const med = s[Math.floor(s.length / 2)];
  console.log(`${name.padEnd(72)} ${med.toFixed(1).padStart(7)}  (${s[0].toFixed(1)}–${s[s.length - 1].toFixed(1)})`);
});
console.log(`full verdict: ${fullText.length} bytes of JSON`);
