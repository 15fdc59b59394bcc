// Page load benchmark (issue 14): headless Chromium against the real worker under workerd, the
// network throttled through the DevTools protocol to 10 Mbit/s down and up with 40 ms added latency
// (per request). Times navigation start -> "verifier ready" (html[data-ready="true"]) and counts the
// bytes on the wire (CDP encodedDataLength), for a first visit (fresh context, empty cache) and a
// repeat visit (new tab in the same context). Median of --runs (default 3).
//   node bench/page-load.mjs [--runs N] [--json] [--no-throttle (to see the CPU part alone)]
import { parseArgs } from 'node:util';
import { launch } from '../tests/browser/harness.mjs';
import { startWorker } from '../worker/test/harness.mjs';

const { values: opt } = parseArgs({ options: { runs: { type: 'string', default: '3' }, json: { type: 'boolean', default: false }, 'no-throttle': { type: 'boolean', default: false } } });
const RUNS = Math.max(1, Number(opt.runs) || 3);
const THROTTLE = { offline: false, latency: 40, downloadThroughput: 10e6 / 8, uploadThroughput: 10e6 / 8 };

async function visit(context, url) {
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  if (!opt['no-throttle']) await cdp.send('Network.emulateNetworkConditions', THROTTLE);
  let bytes = 0;
  let wasm = 0;
  const urls = new Map();
  cdp.on('Network.requestWillBeSent', (e) => urls.set(e.requestId, e.request.url));
  cdp.on('Network.loadingFinished', (e) => {
    bytes += e.encodedDataLength;
    if (urls.get(e.requestId)?.endsWith('.wasm')) wasm += e.encodedDataLength;
  });
  const t0 = performance.now();
  await page.goto(url);
  await page.waitForSelector('html[data-ready="true"]', { timeout: 60000 });
  const ms = performance.now() - t0;
  await new Promise((r) => setTimeout(r, 300));
  await page.close();
  return { ms, bytes, wasm };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const env = await launch({ withStatic: false });
const w = await startWorker();
try {
  const first = [];
  const repeat = [];
  for (let i = 0; i < RUNS; i++) {
    const context = await env.browser.newContext();
    first.push(await visit(context, `${w.base}/`));
    repeat.push(await visit(context, `${w.base}/`));
    await context.close();
  }
  const row = (name, xs) => ({
    kind: 'page', visit: name, runs: xs.length, ready_ms: Math.round(median(xs.map((x) => x.ms))),
    bytes: median(xs.map((x) => x.bytes)), wasm_bytes: median(xs.map((x) => x.wasm)),
  });
  const rows = [row('first', first), row('repeat', repeat)];
  for (const r of rows) {
    if (opt.json) console.log(JSON.stringify(r));
    else console.log(`${r.visit} visit: ready after ${r.ready_ms} ms, ${r.bytes} B on the wire (wasm ${r.wasm_bytes} B), median of ${r.runs}`);
  }
} finally {
  await env.close();
  await w.stop();
}
