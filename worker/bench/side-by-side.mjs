// The side-by-side load table of issue 11: the same SBC verification body, the same load
// generator and connections, in one run, against
//   floor     a worker that reads the body and answers a fixed JSON (bench/baseline/floor.js)
//   es256     a worker that parses the JSON, finds the token and does one WebCrypto ES256 verify
//             with a key imported once (bench/baseline/es256.js): the practical limit
//   sbc       stircheck POST /stir/v1/verification (chain fetched through the test egress once,
//             then cached; test root deployed as the operator trust binding)
//   compact   stircheck POST /api/verify {"view":"compact"} for the same call
//   full      stircheck POST /api/verify, the full Verdict, for the same call
// all under workerd on 127.0.0.1. Every answer must be 2xx and the stircheck ones are checked to
// say the call passed before the run. RSS of the stircheck workerd is sampled before and after
// each of its runs (memory must stay flat across repeated runs).
//   node worker/bench/side-by-side.mjs [--duration 8] [--connections 8] [--rounds 1] [--warmup 2] [--json]
// --warmup: seconds of the same load on each target before the measured rounds (not reported).
// --json prints one JSON object per row (for scripts/bench.sh); otherwise a table.
import { spawn } from 'node:child_process';
import { createPublicKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { startWorker, freePort, REPO, TEST_ORIGIN } from '../test/harness.mjs';
import { makePki, makeIdentity } from '../test/pki.mjs';
import { cpuSeconds } from '../../bench/cpu.mjs';

const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '8' },
    connections: { type: 'string', default: '8' },
    rounds: { type: 'string', default: '1' },
    warmup: { type: 'string', default: '2' },
    json: { type: 'boolean', default: false },
  },
});
const duration = Math.max(1, Math.min(60, Number(values.duration)));
const connections = Math.max(1, Math.min(64, Number(values.connections)));
const rounds = Math.max(1, Math.min(5, Number(values.rounds)));
const warmup = Math.max(0, Math.min(30, Number(values.warmup)));
const ORIG = '12155551212';
const DEST = '12155551213';


const rssKb = (pid) => {
  try {
    return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);
  } catch {
    return null;
  }
};

async function startBaselines(spkiB64) {
  const [floor, es256] = [await freePort(), await freePort()];
  const child = spawn(join(REPO, 'node_modules', '.bin', 'workerd'), [
    'serve', join(REPO, 'bench', 'baseline', 'baseline.capnp'),
    '--socket-addr', `floor=127.0.0.1:${floor}`, '--socket-addr', `es256=127.0.0.1:${es256}`,
  ], { env: { ...process.env, ES256_SPKI: spkiB64 }, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout.on('data', (d) => (log += d));
  child.stderr.on('data', (d) => (log += d));
  const exited = new Promise((r) => child.once('exit', r));
  const deadline = Date.now() + 15000;
  for (const port of [floor, es256]) {
    for (;;) {
      try {
        await fetch(`http://127.0.0.1:${port}/`, { method: 'POST', body: '{}' });
        break;
      } catch {
        if (Date.now() > deadline) throw new Error(`baseline workerd did not start:\n${log}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  }
  return {
    floor: `http://127.0.0.1:${floor}/`,
    es256: `http://127.0.0.1:${es256}/`,
    pid: child.pid,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

async function drive(url, body, seconds = duration) {
  const r = await autocannon({ url, method: 'POST', headers: { 'content-type': 'application/json' }, body, connections, duration: seconds });
  return {
    requests: r.requests.total,
    requests_per_s: Math.round(r.requests.average),
    p50_ms: r.latency.p50,
    p99_ms: r.latency.p99,
    failed: r.non2xx + r.errors + r.timeouts,
  };
}

const pki = makePki();
const w = await startWorker({ pki, trustPem: pki.root });
let baselines = null;
const rows = [];
try {
  const x5u = `${TEST_ORIGIN}/side/chain.pem`;
  const time = Math.floor(Date.now() / 1000);
  const signed = makeIdentity({ key: pki.leafKey, x5u, iat: time, orig: ORIG, dest: DEST });
  // The same call for every worker: time = iat, so the body stays fresh for the whole run.
  const sbcBody = JSON.stringify({ verificationRequest: { from: { tn: ORIG }, to: { tn: [DEST] }, time, identity: signed.identity } });
  const input = `From: <tel:+${ORIG}>\r\nTo: <tel:+${DEST}>\r\nIdentity: ${signed.identity}`;
  const fullBody = JSON.stringify({ input, at: time });
  const compactBody = JSON.stringify({ input, at: time, view: 'compact' });

  const spki = createPublicKey(pki.leafKey).export({ type: 'spki', format: 'der' });
  baselines = await startBaselines(Buffer.from(spki).toString('base64'));

  // Check every target answers as it should before measuring (and warm the chain cache).
  const check = async (url, body, ok) => {
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    const text = await res.text();
    if (!res.ok || !ok(JSON.parse(text))) throw new Error(`${url} answered ${res.status}: ${text.slice(0, 300)}`);
    return res;
  };
  const passed = (b) => b.verificationResponse?.verstat === 'TN-Validation-Passed';
  await check(baselines.floor, sbcBody, passed);
  await check(baselines.es256, sbcBody, passed);
  await check(`${w.base}/stir/v1/verification`, sbcBody, passed);
  const cached = await check(`${w.base}/stir/v1/verification`, sbcBody, passed);
  if (cached.headers.get('x-stircheck-cache') !== 'hit') throw new Error('the chain cache did not warm up');
  await check(`${w.base}/api/verify`, compactBody, (b) => b.status === 'valid');
  await check(`${w.base}/api/verify`, fullBody, (b) => b.status === 'valid');

  const targets = [
    ['floor', 'HTTP floor: read the body, answer fixed JSON', baselines.floor, sbcBody, baselines.pid],
    ['es256', 'ES256-only: parse JSON, find the token, one WebCrypto verify (key imported once)', baselines.es256, sbcBody, baselines.pid],
    ['sbc', 'stircheck POST /stir/v1/verification (chain cached)', `${w.base}/stir/v1/verification`, sbcBody, w.pid],
    ['compact', 'stircheck POST /api/verify, view compact', `${w.base}/api/verify`, compactBody, w.pid],
    ['full', 'stircheck POST /api/verify, full Verdict', `${w.base}/api/verify`, fullBody, w.pid],
  ];
  // Warm-up, not measured: each target under the same load for --warmup s first, so every
  // isolate runs its optimised code (JIT tiers, wasm tier-up) when the measured runs start.
  if (warmup > 0) for (const [, , url, body] of targets) await drive(url, body, warmup);
  for (let round = 1; round <= rounds; round++) {
    for (const [id, label, url, body, pid] of targets) {
      const rss_before_kb = rssKb(pid);
      const cpu0 = cpuSeconds(pid);
      const r = await drive(url, body);
      const cpu = cpu0 === null ? null : cpuSeconds(pid) - cpu0;
      const cpu_us_per_req = cpu === null || !r.requests ? null : +((cpu / r.requests) * 1e6).toFixed(1);
      rows.push({ bench: 'side-by-side', id, label, round, connections, duration_s: duration, ...r, cpu_us_per_req, rss_before_kb, rss_after_kb: rssKb(pid) });
      if (!values.json) process.stderr.write(`  ${id}: ${r.requests_per_s} req/s\n`);
    }
  }
  const fetches = w.certs.totalHits();
  const machine = `${os.cpus().length} x ${os.cpus()[0]?.model?.trim()}, load ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`;
  const best = (id) => Math.max(...rows.filter((r) => r.id === id).map((r) => r.requests_per_s));
  for (const r of rows) {
    r.vs_es256 = +(r.requests_per_s / best('es256')).toFixed(2);
    r.repository_fetches = fetches;
    r.machine = machine;
  }
  if (values.json) for (const r of rows) console.log(JSON.stringify(r));
  else {
    console.log(`same body, ${connections} connections, ${duration} s each, workerd on loopback; ${machine}`);
    console.log('| worker | round | req/s | p50 | p99 | failed | vs ES256-only | workerd CPU per request | RSS before → after |');
    console.log('|---|---:|---:|---:|---:|---:|---:|---:|---|');
    for (const r of rows) {
      console.log(`| ${r.label} | ${r.round} | ${r.requests_per_s.toLocaleString('en-US')} | ${r.p50_ms} ms | ${r.p99_ms} ms | ${r.failed} | ${r.vs_es256.toFixed(2)}× | ${r.cpu_us_per_req ?? '?'} µs | ${(r.rss_before_kb / 1024).toFixed(0)} → ${(r.rss_after_kb / 1024).toFixed(0)} MB |`);
    }
    console.log(`certificate fetches during the run: ${fetches} (1 = the warm-up)`);
  }
  if (rows.some((r) => r.failed > 0)) process.exitCode = 1;
} finally {
  await baselines?.stop();
  await w.stop();
}
