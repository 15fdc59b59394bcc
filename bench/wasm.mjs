// Verifications per second of the wasm build (issue 3 "A benchmark script", issue 6 "wasm under
// Node and workerd with WebCrypto and with p256"), next to the host's own ES256 verify.
//
//   node bench/wasm.mjs [--seconds 3] [--jsonl] [--json-out FILE] [--runtime all|node|workerd]
//                       [--cases NAME,NAME]   (only these cases, workerd ones in this order; default: all)
//                       [--ab DIR] [--rounds N]
// --ab DIR: a second build of the full module (DIR/stircheck.js + DIR/stircheck_bg.wasm) in the
// same workerd isolate; every workerd case runs on worker/pkg, then again on DIR (`b:<case>`),
// --rounds times: an A/B comparison interleaved in one process. Each row also shows the CPU time
// per verification of the process that ran it (this one, or all of workerd's threads): wall-clock
// on a loaded machine stretches, CPU time far less. The first seconds of an isolate are warm-up
// (V8 compiles the wasm and the JS again, optimised, in the background): read later rounds.
//
// Input: the production Verizon header of the corpus (ES256 PASSporT, leaf + 1 intermediate,
// Metaswitch root as the only anchor), verified as of its iat — the same fixture as
// tests/js/api.test.mjs. Every case first checks that it really produces a `valid` verdict (and,
// for the chain cases, that the cache was or was not used), then runs for about --seconds.
//
// Cases (runtime node; the same again with runtime workerd, without node-crypto-es256; --runtime
// picks one):
//   p256-cached        Verifier.verify, RustCrypto in wasm; the validated chain comes from the
//                      verifier's cache (filled by the first call): 1 ES256 verify per call
//   p256-uncached      same, clearCache() before every call: chain parse + path validation
//                      (2 CA signatures) + the PASSporT signature, 3 ES256 verifies per call
//   webcrypto-cached   verifyWithWebCrypto (node: www/webcrypto.js; workerd: worker/src/webcrypto.js),
//                      sequential awaits, one verification at a time; imported keys stay cached
//                      in the helper across calls (that is how the helpers work)
//                      and the Verdict arrives as a JS object (the page's API: the core's JSON
//                      text parsed by the engine). Kept as it was so the numbers stay comparable
//                      across runs; it is NOT what a worker does with a verdict.
//   webcrypto-cached-json  what POST /api/verify does in the isolate (worker/src/app.js minus HTTP
//                      and fetching): readInput(text) once, the cached chain as the bytes the
//                      worker keeps (supplyBytes), prepare(verifier, {at}), the jobs on WebCrypto,
//                      finishViewBytes('full') — the full Verdict as JSON bytes, the HTTP body as
//                      sent (no JSON.parse / JSON.stringify, no decode + re-encode)
//   webcrypto-cached-sbc   what POST /stir/v1/verification does in the isolate (worker/src/sbc.js
//                      minus HTTP and the chain-cache lookup): sbcVerificationRequestBytes(body)
//                      for the same call as a verificationRequest (from/to = the PASSporT's
//                      numbers, time = iat), supplyBytes(x5u, chain), prepare, WebCrypto,
//                      finishViewBytes('sbc'). This is the worker's hot path and the row to read
//                      against issue 14's "wasm in workerd + WebCrypto, cached chain" target; the
//                      webcrypto-cached row is the page's path.
//   webcrypto-uncached same as webcrypto-cached, clearCache() before every call
//   webcrypto-es256    crypto.subtle.verify alone on the PASSporT signing input (key imported once)
//   node-crypto-es256  (node only) crypto.verify('sha256', …, {dsaEncoding: 'ieee-p1363'}) alone
//                      on the same signing input with a KeyObject made once: the host's native rate
//   stage-sbc-*        (workerd only, run only when named in --cases) webcrypto-cached-sbc step by
//                      step, to see where its time goes (bench/workerd/worker.js STAGES): request,
//                      prepare, jobs, finish (the wasm steps, the one job answered `true`), hops
//                      (a stand-in WebCrypto that answers at once), verify (the job on
//                      crypto.subtle.verify directly), runjob (through the helper's runJob)
// Node cases run in this process; workerd cases run inside one workerd isolate
// (bench/workerd/bench.capnp) in a loop per request, timed from here (workerd's clock does not
// advance while code runs). The HTTP load test of the real worker is worker/bench/load.mjs.
//
// Output: a table on stdout (on stderr with --jsonl), and one JSON object per case
//   {"bench":"wasm","runtime":"node"|"workerd","case":"p256-cached",
//    "crypto":"p256"|"webcrypto"|"node-crypto","chain":"cached"|"uncached"|null,
//    "ops":12345,"seconds":3.001,"ops_per_sec":4113.6,"us_per_op":243.1,
//    "input":"verizon-5807 ES256, 2-cert chain","node":"v20.20.2","wasm_bytes":947735}
// on stdout with --jsonl, and/or written to FILE with --json-out (JSON lines, one per case).
// Exit status 1 if any case could not run (the table says why).

import { spawn } from 'node:child_process';
import { createPublicKey, verify as nodeVerify } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import net from 'node:net';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { REPO, WWW_PKG, loadWasm, requireCorpus, verizon } from '../tests/js/fixtures.mjs';
import { verifyWithWebCrypto, finishViewBytes } from '../www/webcrypto.js';
import { cpuSeconds } from './cpu.mjs';

const { values: args } = parseArgs({
  options: {
    seconds: { type: 'string', default: '3' },
    jsonl: { type: 'boolean', default: false },
    'json-out': { type: 'string' },
    runtime: { type: 'string', default: 'all' },
    cases: { type: 'string' },
    ab: { type: 'string' },
    rounds: { type: 'string', default: '1' },
  },
});
const ROUNDS = Math.max(1, Math.min(20, Number(args.rounds) || 1));
const SECONDS = Math.max(0.2, Math.min(30, Number(args.seconds) || 3));
const wanted = (name) => !args.cases || args.cases.split(',').includes(name);
const say = args.jsonl ? (s) => process.stderr.write(`${s}\n`) : (s) => process.stdout.write(`${s}\n`);

requireCorpus();
const core = await loadWasm();
const vz = verizon();
const opts = { at: vz.iat, certs: { [vz.x5u]: vz.chain } };
const INPUT = `verizon-5807 ES256, ${vz.chain.match(/BEGIN CERTIFICATE/g).length}-cert chain`;
const WASM_BYTES = statSync(join(WWW_PKG, 'stircheck_bg.wasm')).size;
const results = [];
/** The same call as an SBC verificationRequest (the numbers the PASSporT signed, as of its iat). */
const claims = JSON.parse(Buffer.from(vz.text.split('.')[1], 'base64url'));
const sbcRequest = {
  verificationRequest: {
    from: { tn: claims.orig.tn },
    to: { tn: claims.dest.tn },
    time: vz.iat,
    identity: `${vz.text};info=<${vz.x5u}>;alg=ES256;ppt=shaken`,
  },
};
const sbcBody = new TextEncoder().encode(JSON.stringify(sbcRequest));
/** The chain as the worker's SBC path keeps it for the core (encoded once). */
const chainBytes = new TextEncoder().encode(vz.chain);

function record(runtime, name, ops, seconds, error, cpuSeconds) {
  const [crypto, chain] = name.startsWith('node-crypto')
    ? ['node-crypto', null]
    : [name.split('-')[0], /cached/.test(name) ? name.split('-')[1] : null];
  const r = { bench: 'wasm', runtime, case: name, crypto, chain, input: INPUT, node: process.version, wasm_bytes: WASM_BYTES };
  if (error) r.error = error;
  else Object.assign(r, { ops, seconds: +seconds.toFixed(3), ops_per_sec: +(ops / seconds).toFixed(1), us_per_op: +((seconds / ops) * 1e6).toFixed(1) });
  // CPU time of the process that ran the loop (this one, or workerd's threads): a loaded
  // machine stretches wall-clock time, far less the CPU time a verification takes.
  if (!error && cpuSeconds) r.cpu_us_per_op = +((cpuSeconds / ops) * 1e6).toFixed(1);
  results.push(r);
  if (args.jsonl) process.stdout.write(`${JSON.stringify(r)}\n`);
  const cpu = r.cpu_us_per_op ? ` ${r.cpu_us_per_op.toFixed(1).padStart(9)} µs CPU` : '';
  say(error ? `  ${runtime.padEnd(8)} ${name.padEnd(22)} ERROR: ${error}` : `  ${runtime.padEnd(8)} ${name.padEnd(22)} ${r.ops_per_sec.toFixed(0).padStart(9)} /s ${r.us_per_op.toFixed(1).padStart(9)} µs${cpu}`);
}

/** Run `fn` (sync or async) in chunks for ~SECONDS after a short warm-up; returns [ops, seconds]. */
async function timeIt(fn) {
  const warmEnd = performance.now() + Math.min(300, SECONDS * 100);
  while (performance.now() < warmEnd) await fn();
  let ops = 0;
  let chunk = 1;
  const start = performance.now();
  const end = start + SECONDS * 1000;
  let now = start;
  const cpu0 = process.cpuUsage();
  while (now < end) {
    for (let i = 0; i < chunk; i++) await fn();
    ops += chunk;
    now = performance.now();
    if (now - start < 50) chunk *= 2; // aim for cheap clock reads without overshooting
  }
  const cpu = process.cpuUsage(cpu0);
  return [ops, (now - start) / 1000, (cpu.user + cpu.system) / 1e6];
}

function assertVerdict(v, cached, what) {
  if (v.status !== 'valid') throw new Error(`${what}: verdict is ${v.status}: ${v.reason}`);
  const fromCache = /from cache/.test(v.checks.find((c) => c.id === 'cert.fetch').detail);
  if (cached !== null && fromCache !== cached) throw new Error(`${what}: chain ${fromCache ? 'came' : 'did not come'} from the cache`);
}

// --- node --------------------------------------------------------------------------------------

const [h, p, s] = vz.text.split('.');
const message = Buffer.from(`${h}.${p}`);
const signature = Buffer.from(s, 'base64url');
const leafKey = (() => {
  const pending = new core.Verifier([vz.root]).prepare(vz.text, opts);
  const job = pending.jobs().find((j) => j.purpose === 'passport');
  pending.free();
  return job.spki;
})();

const nodeCases = {
  'p256-cached': () => {
    const v = new core.Verifier([vz.root]);
    v.verify(vz.text, opts);
    assertVerdict(v.verify(vz.text, opts), true, 'p256-cached');
    return () => v.verify(vz.text, opts);
  },
  'p256-uncached': () => {
    const v = new core.Verifier([vz.root]);
    v.verify(vz.text, opts);
    v.clearCache();
    assertVerdict(v.verify(vz.text, opts), false, 'p256-uncached');
    return () => {
      v.clearCache();
      v.verify(vz.text, opts);
    };
  },
  'webcrypto-cached': async () => {
    const v = new core.Verifier([vz.root]);
    await verifyWithWebCrypto(v, vz.text, opts);
    assertVerdict(await verifyWithWebCrypto(v, vz.text, opts), true, 'webcrypto-cached');
    return () => verifyWithWebCrypto(v, vz.text, opts);
  },
  'webcrypto-cached-json': async () => {
    const v = new core.Verifier([vz.root]);
    const once = async () => {
      const read = core.readInput(vz.text);
      try {
        read.supplyBytes(vz.x5u, chainBytes);
        return await finishViewBytes(read.prepare(v, { at: vz.iat }), 'full');
      } finally {
        read.free();
      }
    };
    await once();
    assertVerdict(JSON.parse(new TextDecoder().decode(await once())), true, 'webcrypto-cached-json');
    return once;
  },
  'webcrypto-cached-sbc': async () => {
    const v = new core.Verifier([vz.root]);
    const once = async () => {
      const req = core.sbcVerificationRequestBytes(sbcBody);
      try {
        for (const url of req.needed) req.supplyBytes(url, chainBytes);
        return await finishViewBytes(req.prepare(v), 'sbc');
      } finally {
        req.free();
      }
    };
    await once();
    const answer = JSON.parse(new TextDecoder().decode(await once())).verificationResponse;
    if (answer.verstat !== 'TN-Validation-Passed') throw new Error(`webcrypto-cached-sbc: ${JSON.stringify(answer)}`);
    assertVerdict(await verifyWithWebCrypto(v, vz.text, opts), true, 'webcrypto-cached-sbc (after)');
    return once;
  },
  'webcrypto-uncached': async () => {
    const v = new core.Verifier([vz.root]);
    v.clearCache();
    assertVerdict(await verifyWithWebCrypto(v, vz.text, opts), false, 'webcrypto-uncached');
    return () => {
      v.clearCache();
      return verifyWithWebCrypto(v, vz.text, opts);
    };
  },
  'webcrypto-es256': async () => {
    const key = await crypto.subtle.importKey('spki', leafKey, { name: 'ECDSA', namedCurve: 'P-256' }, false, ['verify']);
    const alg = { name: 'ECDSA', hash: 'SHA-256' };
    if (!(await crypto.subtle.verify(alg, key, signature, message))) throw new Error('WebCrypto rejects the Verizon signature');
    return () => crypto.subtle.verify(alg, key, signature, message);
  },
  'node-crypto-es256': () => {
    const key = { key: createPublicKey({ key: Buffer.from(leafKey), format: 'der', type: 'spki' }), dsaEncoding: 'ieee-p1363' };
    if (!nodeVerify('sha256', message, key, signature)) throw new Error('node:crypto rejects the Verizon signature');
    return () => nodeVerify('sha256', message, key, signature);
  },
};

say(`wasm benchmark: ${INPUT}, as of iat ${vz.iat}; ~${SECONDS} s per case; node ${process.version}; wasm ${WASM_BYTES} bytes`);
say(`  runtime  case                       verify/s     per op`);
let failed = false;
if (!['all', 'node', 'workerd'].includes(args.runtime)) throw new Error(`--runtime must be all, node or workerd, not ${args.runtime}`);
for (const [name, setup] of args.runtime === 'workerd' ? [] : Object.entries(nodeCases).filter(([n]) => wanted(n))) {
  try {
    const fn = await setup();
    const [ops, secs, cpu] = await timeIt(fn);
    record('node', name, ops, secs, undefined, cpu);
  } catch (e) {
    failed = true;
    record('node', name, 0, 0, e.message);
  }
}

// --- workerd -----------------------------------------------------------------------------------

/**
 * `--ab DIR`: a config like bench/workerd/bench.capnp in a temporary folder, with a second build
 * of the module (DIR/stircheck.js, DIR/stircheck_bg.wasm) as pkgB/: cases named `b:<case>` run
 * on it, in the same isolate, interleaved with the same case on worker/pkg.
 */
function abConfig(dir) {
  const tmp = mkdtempSync(join(tmpdir(), 'stircheck-ab-'));
  for (const [from, to] of [
    [join(REPO, 'bench', 'workerd', 'worker.js'), 'worker.js'],
    [join(REPO, 'worker', 'src', 'webcrypto.js'), 'webcrypto.js'],
    [join(REPO, 'worker', 'pkg', 'stircheck.js'), 'pkg/stircheck.js'],
    [join(REPO, 'worker', 'pkg', 'stircheck_bg.wasm'), 'pkg/stircheck_bg.wasm'],
    [join(dir, 'stircheck.js'), 'pkgB/stircheck.js'],
    [join(dir, 'stircheck_bg.wasm'), 'pkgB/stircheck_bg.wasm'],
  ]) {
    mkdirSync(dirname(join(tmp, to)), { recursive: true });
    copyFileSync(from, join(tmp, to));
  }
  const bench = readFileSync(join(REPO, 'bench', 'workerd', 'bench.capnp'), 'utf8')
    .replace(/"\.\.\/\.\.\/worker\/src\/webcrypto\.js"/, '"webcrypto.js"')
    .replaceAll('"../../worker/pkg/', '"pkg/')
    .replace('(name = "pkg/stircheck_bg.wasm", wasm = embed "pkg/stircheck_bg.wasm"),',
      '(name = "pkg/stircheck_bg.wasm", wasm = embed "pkg/stircheck_bg.wasm"),\n    (name = "pkgB/stircheck.js", esModule = embed "pkgB/stircheck.js"),\n    (name = "pkgB/stircheck_bg.wasm", wasm = embed "pkgB/stircheck_bg.wasm"),');
  if (!bench.includes('pkgB/')) throw new Error('--ab: bench.capnp no longer has the expected module lines');
  writeFileSync(join(tmp, 'bench.capnp'), bench);
  return join(tmp, 'bench.capnp');
}


function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject).listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

async function workerdCases() {
  const WORKERD = join(REPO, 'node_modules', '.bin', 'workerd');
  for (const f of [WORKERD, join(REPO, 'worker', 'pkg', 'stircheck_bg.wasm')]) {
    if (!existsSync(f)) throw new Error(`${f} is missing (scripts/setup.sh, scripts/build-wasm.sh)`);
  }
  const port = await freePort();
  const config = args.ab ? abConfig(args.ab) : join(REPO, 'bench', 'workerd', 'bench.capnp');
  const child = spawn(WORKERD, ['serve', config, '--socket-addr', `http=127.0.0.1:${port}`], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stdout.on('data', (d) => (log += d));
  child.stderr.on('data', (d) => (log += d));
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const base = `http://127.0.0.1:${port}`;
  try {
    const deadline = Date.now() + 15000;
    for (;;) {
      const code = await Promise.race([exited, new Promise((r) => setTimeout(() => r(undefined), 100))]);
      if (code !== undefined) throw new Error(`workerd exited (${code}): ${log}`);
      try {
        const res = await fetch(`${base}/setup`, { method: 'POST', body: JSON.stringify({ text: vz.text, at: vz.iat, x5u: vz.x5u, chain: vz.chain, root: vz.root, sbc: sbcRequest, ab: !!args.ab }) });
        if (!res.ok) throw new Error(`setup: ${res.status} ${await res.text()}`);
        break;
      } catch (e) {
        if (!/ECONNREFUSED|fetch failed/.test(e.message) || Date.now() > deadline) throw new Error(`${e.message}\n${log}`);
      }
    }
    const runOnce = async (name, n) => {
      const cpu0 = cpuSeconds(child.pid);
      const t0 = performance.now();
      let res;
      let body;
      try {
        res = await fetch(`${base}/run?case=${name}&n=${n}`);
        body = await res.text();
      } catch (e) {
        throw new Error(`${name} n=${n}: ${e.message}${e.cause ? ` (${e.cause.message ?? e.cause})` : ''}; workerd log: ${log.slice(-500)}`);
      }
      const secs = (performance.now() - t0) / 1000;
      const cpu = cpu0 === null ? null : cpuSeconds(child.pid) - cpu0;
      if (!res.ok) throw new Error(`${name}: ${res.status} ${body.slice(0, 300)}`);
      return [JSON.parse(body), secs, cpu];
    };
    // Each /run request is timed from here; its HTTP round trip (~1 ms) is left in: it is well
    // under 0.1 % of a ~SECONDS request. Calibrate n until a request takes >= 0.25 s, then scale.
    // The stage-* rows (bench/workerd/worker.js STAGES: the SBC path without WebCrypto, step by
    // step) run only when named in --cases.
    // With --cases, the workerd rows run in the order given (a name may repeat: the same row
    // again in the same isolate, e.g. to see warm-up).
    const known = ['p256-cached', 'p256-uncached', 'webcrypto-cached', 'webcrypto-cached-json', 'webcrypto-cached-sbc', 'webcrypto-uncached', 'webcrypto-es256'];
    const stages = ['stage-sbc-request', 'stage-sbc-prepare', 'stage-sbc-jobs', 'stage-sbc-finish', 'stage-sbc-hops', 'stage-sbc-verify', 'stage-sbc-runjob'];
    const named = args.cases ? args.cases.split(',').filter((n) => known.includes(n) || stages.includes(n)) : known;
    // --ab: every case as A (worker/pkg) then B (the other build), --rounds times.
    const order = [];
    for (let r = 0; r < ROUNDS; r++) for (const n of named) order.push(...(args.ab ? [n, `b:${n}`] : [n]));
    for (const name of order) {
      try {
        let n = 10;
        let probeSecs;
        for (;;) {
          const [probe, secs] = await runOnce(name, n);
          if (probe.status !== 'valid') throw new Error(`verdict is ${probe.status}`);
          if (probe.fetch !== null && /from cache/.test(probe.fetch) !== /-cached(-|$)/.test(name)) throw new Error(`cache use is wrong: ${probe.fetch}`);
          if (secs >= 0.25 || n >= 250_000) {
            probeSecs = secs;
            break;
          }
          n *= 4;
        }
        const total = Math.min(1_000_000, Math.max(n, Math.round((n * SECONDS) / probeSecs)));
        const [r, secs, cpu] = await runOnce(name, total);
        if (r.status !== 'valid') throw new Error(`verdict is ${r.status}`);
        record('workerd', name, r.n, secs, undefined, cpu);
      } catch (e) {
        failed = true;
        record('workerd', name, 0, 0, e.message);
      }
    }
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
}

if (args.runtime !== 'node') {
  try {
    await workerdCases();
  } catch (e) {
    failed = true;
    record('workerd', 'startup', 0, 0, e.message.split('\n')[0]);
  }
}

// Ratios to the host's native ES256 verify, for the reader of the table.
const native = results.find((r) => r.case === 'node-crypto-es256' && r.ops_per_sec);
if (native) {
  say(`  ratio to node:crypto ES256 (${native.ops_per_sec.toFixed(0)}/s):`);
  for (const r of results.filter((x) => x.ops_per_sec && x !== native)) {
    say(`    ${r.runtime.padEnd(8)} ${r.case.padEnd(22)} ${(r.ops_per_sec / native.ops_per_sec).toFixed(2)}×`);
  }
}
if (args['json-out']) writeFileSync(args['json-out'], results.map((r) => JSON.stringify(r)).join('\n') + '\n');
process.exitCode = failed ? 1 : 0;
