// CPU profile of the real worker inside workerd under load (issue 11 item 3: where the time of a
// request goes). Starts the worker with workerd's inspector on a loopback port, starts the V8
// profiler over the DevTools protocol, drives one endpoint with autocannon, stops the profiler,
// writes the .cpuprofile (open it in Chrome DevTools) and prints the top functions by self time.
//   node worker/bench/profile.mjs [--endpoint sbc|compact|full] [--duration 5] [--out FILE]
// Function names inside the wasm module are only shown for a build that keeps its name section
// (wasm-opt strips it): NO_WASM_OPT=1 FORCE=1 bash scripts/build-wasm.sh before profiling.
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import WebSocket from 'ws';
import { startWorker, freePort, TEST_ORIGIN } from '../test/harness.mjs';
import { makePki, makeIdentity } from '../test/pki.mjs';

const { values } = parseArgs({
  options: {
    endpoint: { type: 'string', default: 'sbc' },
    duration: { type: 'string', default: '5' },
    connections: { type: 'string', default: '8' },
    out: { type: 'string', default: 'target/worker.cpuprofile' },
    top: { type: 'string', default: '40' },
  },
});

const pki = makePki();
const inspector = await freePort();
const w = await startWorker({ pki, trustPem: pki.root, args: [`--inspector-addr=127.0.0.1:${inspector}`] });
try {
  const time = Math.floor(Date.now() / 1000);
  const id = makeIdentity({ key: pki.leafKey, x5u: `${TEST_ORIGIN}/profile/chain.pem`, iat: time });
  const input = `From: <tel:+12155551212>\r\nTo: <tel:+12155551213>\r\nIdentity: ${id.identity}`;
  const [path, body] = {
    sbc: ['/stir/v1/verification', { verificationRequest: { from: { tn: '12155551212' }, to: { tn: ['12155551213'] }, time, identity: id.identity } }],
    compact: ['/api/verify', { input, at: time, view: 'compact' }],
    full: ['/api/verify', { input, at: time }],
  }[values.endpoint];
  const url = w.base + path;
  const send = () => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  for (let i = 0; i < 50; i++) await (await send()).text(); // warm: JIT, chain cache, CryptoKey

  const ws = new WebSocket(`ws://127.0.0.1:${inspector}/main`);
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  let next = 1;
  const pending = new Map();
  ws.on('message', (m) => {
    const msg = JSON.parse(m);
    if (msg.id && pending.has(msg.id)) pending.get(msg.id)(msg);
  });
  const cdp = (method, params = {}) =>
    new Promise((resolve) => {
      const id = next++;
      pending.set(id, resolve);
      ws.send(JSON.stringify({ id, method, params }));
    });
  await cdp('Profiler.enable');
  await cdp('Profiler.setSamplingInterval', { interval: 100 });
  await cdp('Profiler.start');
  const r = await autocannon({ url, method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body),
    connections: Number(values.connections), duration: Number(values.duration) });
  const { result } = await cdp('Profiler.stop');
  ws.close();
  writeFileSync(values.out, JSON.stringify(result.profile));

  const p = result.profile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const self = new Map();
  let total = 0;
  p.samples.forEach((s, i) => {
    const dt = p.timeDeltas[i];
    total += dt;
    const f = byId.get(s).callFrame;
    const key = `${f.functionName || '(anonymous)'} ${f.url.split('/').pop()}:${f.lineNumber}`;
    self.set(key, (self.get(key) ?? 0) + dt);
  });
  console.log(`${values.endpoint}: ${Math.round(r.requests.average)} req/s during the profile, ${r.non2xx + r.errors} failed; profile in ${values.out}`);
  for (const [k, t] of [...self].sort((a, b) => b[1] - a[1]).slice(0, Number(values.top))) {
    console.log(`${((t / total) * 100).toFixed(1).padStart(5)} %  ${k.slice(0, 150)}`);
  }
} finally {
  await w.stop();
  pki.cleanup();
}
