// Page load benchmark (issue 14): headless Chromium against the real worker under workerd, the
// network throttled through the DevTools protocol to 10 Mbit/s down and up with 40 ms added latency
// (per request). Times navigation start -> "verifier ready" (html[data-ready="true"]) on the page's
// own clock (performance.now() when the attribute is set; timeOrigin = navigation start), and also
// as Node sees it (page.goto -> waitForSelector returns, which adds Playwright's polling), and counts
// the bytes on the wire (CDP encodedDataLength), for a first visit (fresh context, empty cache) and
// a repeat visit (new tab in the same context). Median of --runs (default 3). Also reports where the
// time went, on the page's clock: HTML, scripts and wasm received (Resource Timing), wasm streaming
// compilation, the core loaded and the Verifier created (www/app.js user-timing marks), the service
// check (/api/health) answered; the renderer's main-thread busy time (CDP Performance TaskDuration);
// and the machine's load average, so a CPU-bound load and a network-bound one can be told apart.
// Chromium is started without the WebUI omnibox popup: new headless Chromium (156) builds two
// top-chrome WebUI renderers for every new tab, ~0.9 s of CPU on this 2-core machine during a load,
// which is the test browser's own start-up work, not the page's (a user's browser has it running).
//   node bench/page-load.mjs [--runs N] [--json] [--no-throttle (to see the CPU part alone)]
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { launch } from '../tests/browser/harness.mjs';
import { startWorker } from '../worker/test/harness.mjs';

const { values: opt } = parseArgs({ options: { runs: { type: 'string', default: '3' }, json: { type: 'boolean', default: false }, 'no-throttle': { type: 'boolean', default: false } } });
const RUNS = Math.max(1, Number(opt.runs) || 3);
const THROTTLE = { offline: false, latency: 40, downloadThroughput: 10e6 / 8, uploadThroughput: 10e6 / 8 };

/** In the page, before its scripts: when wasm compilation/instantiation starts and ends; when ready. */
function recordWasmTimes() {
  window.__wasmTimes = [];
  new MutationObserver((_, obs) => {
    if (document.documentElement.dataset.ready === 'true') {
      window.__readyAt = performance.now();
      obs.disconnect();
    }
  }).observe(document, { attributes: true, subtree: true, attributeFilter: ['data-ready'] });
  for (const f of ['instantiateStreaming', 'compileStreaming', 'instantiate', 'compile']) {
    const orig = WebAssembly[f];
    WebAssembly[f] = async function (...args) {
      const entry = { f, start: performance.now(), end: null };
      window.__wasmTimes.push(entry);
      const out = await orig.apply(this, args);
      entry.end = performance.now();
      return out;
    };
  }
}

async function visit(context, url) {
  const page = await context.newPage();
  await page.addInitScript(recordWasmTimes);
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Performance.enable');
  if (!opt['no-throttle']) await cdp.send('Network.emulateNetworkConditions', THROTTLE);
  let bytes = 0;
  let wasm = 0;
  const urls = new Map();
  let requestCount = 0;
  cdp.on('Network.requestWillBeSent', (e) => urls.set(e.requestId, e.request.url));
  // Requests that went to the server (a revalidation counts; a response from the cache does not).
  const sent = [];
  cdp.on('Network.responseReceivedExtraInfo', (e) => {
    requestCount++;
    sent.push(`${urls.get(e.requestId) ?? e.requestId} ${e.statusCode}`);
  });
  cdp.on('Network.loadingFinished', (e) => {
    bytes += e.encodedDataLength;
    if (urls.get(e.requestId)?.endsWith('.wasm')) wasm += e.encodedDataLength;
  });
  const metric = async () => Object.fromEntries((await cdp.send('Performance.getMetrics')).metrics.map((m) => [m.name, m.value]));
  const m0 = await metric();
  const t0 = performance.now();
  await page.goto(url);
  await page.waitForSelector('html[data-ready="true"]', { timeout: 60000 });
  const ms = performance.now() - t0;
  const m1 = await metric();
  // Page clock: where the wasm time went (fetch vs compile), from Resource Timing and the hooks above.
  const detail = await page.evaluate(() => {
    const res = performance.getEntriesByType('resource');
    const w = res.find((r) => r.name.endsWith('.wasm'));
    const c = window.__wasmTimes.find((t) => t.f === 'instantiateStreaming' || t.f === 'compileStreaming') ?? window.__wasmTimes[0];
    const nav = performance.getEntriesByType('navigation')[0];
    const mark = (n) => performance.getEntriesByName(`stircheck:${n}`)[0]?.startTime ?? null;
    const lastEnd = (re) => Math.max(0, ...res.filter((r) => re.test(new URL(r.name).pathname)).map((r) => r.responseEnd));
    return {
      readyAt: window.__readyAt ?? null,
      wasmFetch: w ? [w.startTime, w.responseEnd] : null,
      wasmCompile: c ? [c.start, c.end] : null,
      streaming: Boolean(c && /Streaming/.test(c.f)),
      stages: {
        html: nav?.responseEnd ?? null,
        scripts: lastEnd(/\.m?js$/),
        css: lastEnd(/\.css$/),
        domContentLoaded: nav?.domContentLoadedEventStart ?? null,
        coreLoaded: mark('core-loaded'),
        verifierCreated: mark('verifier-created'),
        serviceChecked: mark('service-checked'),
      },
      requests: res.filter((r) => r.transferSize > 0 || r.responseStart > 0).length,
    };
  });
  await new Promise((r) => setTimeout(r, 300));
  await page.close();
  return {
    ms, bytes, wasm, requests: requestCount, sent,
    // Main-thread busy time of the renderer during the load (CDP Performance metrics, seconds).
    cpu: (m1.TaskDuration - m0.TaskDuration) * 1000,
    script: (m1.ScriptDuration - m0.ScriptDuration) * 1000,
    ...detail,
  };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const env = await launch({ withStatic: false, args: ['--disable-features=WebUIOmniboxPopup,WebUIOmniboxFullPopup,WebUIOmniboxAimPopup'] });
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
  const round = (x) => (x == null ? null : Math.round(x));
  const row = (name, xs) => {
    const mid = (f) => round(median(xs.map(f).filter((v) => v != null)));
    return {
      kind: 'page', visit: name, runs: xs.length, ready_ms: mid((x) => x.readyAt), ready_wall_ms: mid((x) => x.ms),
      bytes: median(xs.map((x) => x.bytes)), wasm_bytes: median(xs.map((x) => x.wasm)), requests: median(xs.map((x) => x.sent.length)),
      // navigation start -> each stage, page clock (median per stage)
      stages_ms: Object.fromEntries(Object.keys(xs[0].stages).map((k) => [k, mid((x) => x.stages[k])])),
      cpu_ms: mid((x) => x.cpu), script_ms: mid((x) => x.script),
      // navigation start -> the wasm's first/last byte, and compile (instantiateStreaming) start -> end
      wasm_fetch_ms: xs[0].wasmFetch ? [mid((x) => x.wasmFetch?.[0]), mid((x) => x.wasmFetch?.[1])] : null,
      wasm_compile_ms: xs[0].wasmCompile ? [mid((x) => x.wasmCompile?.[0]), mid((x) => x.wasmCompile?.[1])] : null,
      streaming: xs.every((x) => x.streaming),
      sent: xs[0].sent,
      load_avg: loadavg().map((l) => Number(l.toFixed(2))),
    };
  };
  const rows = [row('first', first), row('repeat', repeat)];
  for (const r of rows) {
    if (opt.json) console.log(JSON.stringify(r));
    else {
      console.log(`${r.visit} visit: ready after ${r.ready_ms} ms (page clock; ${r.ready_wall_ms} ms as Node sees it), ${r.bytes} B on the wire (wasm ${r.wasm_bytes} B, ${r.requests} requests to the server), median of ${r.runs}; ` +
        `stages ${Object.entries(r.stages_ms).map(([k, v]) => `${k} ${v}`).join(', ')} ms; ` +
        `renderer main thread busy ${r.cpu_ms} ms (script ${r.script_ms} ms); wasm fetched ${r.wasm_fetch_ms?.join('-')} ms, ` +
        `${r.streaming ? 'streaming ' : ''}compile ${r.wasm_compile_ms?.join('-')} ms after navigation start; load average ${r.load_avg.join(' ')}`);
    }
  }
} finally {
  await env.close();
  await w.stop();
}
