// Benchmark worker for bench/wasm.mjs (see bench.capnp). Time inside workerd does not advance
// while code runs (timers are coarsened to I/O), so the caller times each /run request from
// outside; one request runs `n` verifications back to back.
//   POST /setup  {text, at, x5u, chain, root, sbc}  the fixture (sent by bench/wasm.mjs); `sbc` is
//                                                   the same call as an SBC verificationRequest body
//   GET  /run?case=<name>&n=<count>                 -> {n, status, fetch} of the last verification
import * as coreA from './pkg/stircheck.js';
import wasmModule from './pkg/stircheck_bg.wasm';
import { verifyWithWebCrypto, finishViewBytes, runJob } from './webcrypto.js';

let fixture = null;
/** The module and verifier the running case uses: A (./pkg), or B (./pkgB, `bench/wasm.mjs --ab`)
 * for a case named `b:<case>`, so two builds run interleaved in one isolate. */
let core = coreA;
let verifier = null;
const variants = {};
let rawKey = null;
/** The SBC request body as the runtime hands it to the worker: bytes. */
let sbcBody = null;
/** The chain as the worker's SBC path keeps it for the core: encoded once. */
let chainBytes = null;

const b64url = (s) => Uint8Array.from(atob(s.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0));

async function run(name, n) {
  const opts = { at: fixture.at, certs: { [fixture.x5u]: fixture.chain } };
  if (name === 'webcrypto-es256') {
    // crypto.subtle.verify alone on the PASSporT's signing input (key imported once).
    const [h, p, s] = fixture.text.split('.');
    const message = new TextEncoder().encode(`${h}.${p}`);
    const signature = b64url(s);
    let ok = false;
    for (let i = 0; i < n; i++) ok = await crypto.subtle.verify({ name: 'ECDSA', hash: 'SHA-256' }, rawKey, signature, message);
    return { n, status: ok ? 'valid' : 'invalid', fetch: null };
  }
  if (name === 'webcrypto-cached-json') {
    // /api/verify's wasm path: read the input once, the cached chain as the encoded bytes the
    // worker keeps, prepare, WebCrypto, the full Verdict as JSON bytes (the HTTP body as sent).
    let bytes = null;
    for (let i = 0; i < n; i++) {
      const read = core.readInput(fixture.text);
      try {
        read.supplyBytes(fixture.x5u, chainBytes);
        bytes = await finishViewBytes(read.prepare(verifier, { at: fixture.at }), 'full');
      } finally {
        read.free();
      }
    }
    const v = JSON.parse(new TextDecoder().decode(bytes));
    return { n, status: v.status, fetch: v.checks.find((c) => c.id === 'cert.fetch')?.detail ?? null };
  }
  if (name === 'webcrypto-cached-sbc') {
    // POST /stir/v1/verification's wasm path (worker/src/sbc.js minus HTTP and the chain cache
    // lookup): the body bytes to the core, the chain supplied (as the encoded bytes the worker
    // keeps), WebCrypto, the SBC answer as bytes.
    let bytes = null;
    for (let i = 0; i < n; i++) {
      const req = core.sbcVerificationRequestBytes(sbcBody);
      try {
        for (const url of req.needed) req.supplyBytes(url, chainBytes);
        bytes = await finishViewBytes(req.prepare(verifier), 'sbc');
      } finally {
        req.free();
      }
    }
    const answer = JSON.parse(new TextDecoder().decode(bytes)).verificationResponse;
    // The answer does not say where the chain came from: one verification after the loop does.
    const after = await verifyWithWebCrypto(verifier, fixture.text, opts);
    const fetch = after.checks.find((c) => c.id === 'cert.fetch')?.detail ?? null;
    return { n, status: answer.verstat === 'TN-Validation-Passed' ? 'valid' : `invalid (${answer.reasondesc})`, fetch };
  }
  if (name.startsWith('stage-')) {
    // Stages of webcrypto-cached-sbc without WebCrypto (the one job answered `true`): what the
    // wasm core and its glue cost beside the signature, in this isolate. Diagnostic rows only
    // (bench/wasm.mjs runs them when named in --cases); the verdict they give is not a result.
    const stage = STAGES[name];
    if (!stage) throw new Error(`unknown stage ${name}`);
    let out = null;
    for (let i = 0; i < n; i++) out = await stage();
    return { n, status: out === false ? 'invalid' : 'valid', fetch: null };
  }
  const [path, chain] = name.split('-'); // p256|webcrypto - cached|uncached
  let v = null;
  for (let i = 0; i < n; i++) {
    if (chain === 'uncached') verifier.clearCache();
    v = path === 'webcrypto' ? await verifyWithWebCrypto(verifier, fixture.text, opts) : verifier.verify(fixture.text, opts);
  }
  return { n, status: v.status, fetch: v.checks.find((c) => c.id === 'cert.fetch')?.detail ?? null };
}

/** One SBC request's wasm steps up to `upTo` (request, supply, prepare, jobs, finish). */
function sbcSteps(upTo) {
  const req = core.sbcVerificationRequestBytes(sbcBody);
  try {
    if (upTo === 'request') return true;
    for (const url of req.needed) req.supplyBytes(url, chainBytes);
    const p = req.prepare(verifier);
    try {
      if (upTo === 'prepare') return true;
      const jobs = p.jobs();
      if (upTo === 'jobs') return jobs.length === 1;
      const bytes = p.finishViewBytes([true], 'sbc');
      return bytes.length > 0;
    } finally {
      p.free();
    }
  } finally {
    req.free();
  }
}

/** One SBC verification whose jobs `answer(job)` answers (once the chain is cached, the one
 * PASSporT job); true when it verified. */
async function sbcWith(answer) {
  const req = core.sbcVerificationRequestBytes(sbcBody);
  try {
    for (const url of req.needed) req.supplyBytes(url, chainBytes);
    const p = req.prepare(verifier);
    try {
      const results = [];
      for (const job of p.jobs()) results.push(await answer(job));
      return p.finishViewBytes(results, 'sbc').length > 0 && results.every((r) => r === true);
    } finally {
      p.free();
    }
  } finally {
    req.free();
  }
}

/** The webcrypto-cached-sbc loop with a WebCrypto stand-in that answers `true` at once: the
 * promise hops and job handling of the helper, without the signature. */
const fakeSubtle = { importKey: async () => ({}), verify: async () => true };
const STAGES = {
  'stage-sbc-request': () => sbcSteps('request'),
  'stage-sbc-prepare': () => sbcSteps('prepare'),
  'stage-sbc-jobs': () => sbcSteps('jobs'),
  'stage-sbc-finish': () => sbcSteps('finish'),
  // The job's own arrays to crypto.subtle.verify with the key imported at setup (no helper).
  // (A CA job, on the first call before the chain is cached, goes through runJob.)
  'stage-sbc-verify': () =>
    sbcWith((job) => (job.purpose === 'passport' ? crypto.subtle.verify({ name: 'ECDSA', hash: 'SHA-256' }, rawKey, job.signature, job.message) : runJob(job))),
  // The job through the helper's runJob (its CryptoKey cache), the answer to finishViewBytes.
  'stage-sbc-runjob': () => sbcWith((job) => runJob(job)),
  'stage-sbc-hops': () => sbcWith((job) => runJob(job, fakeSubtle)),
};

export default {
  async fetch(request) {
    const url = new URL(request.url);
    if (url.pathname === '/setup') {
      fixture = await request.json();
      coreA.initSync({ module: wasmModule });
      variants.a = { core: coreA, verifier: new coreA.Verifier([fixture.root]) };
      if (fixture.ab) {
        // Module names built from a variable: the bundler-free config lists them (--ab).
        const dir = './pkgB/';
        const coreB = await import(`${dir}stircheck.js`);
        coreB.initSync({ module: (await import(`${dir}stircheck_bg.wasm`)).default });
        variants.b = { core: coreB, verifier: new coreB.Verifier([fixture.root]) };
      }
      ({ core, verifier } = variants.a);
      sbcBody = new TextEncoder().encode(JSON.stringify(fixture.sbc));
      chainBytes = new TextEncoder().encode(fixture.chain);
      const pending = verifier.prepare(fixture.text, { at: fixture.at, certs: { [fixture.x5u]: fixture.chain } });
      const job = pending.jobs().find((j) => j.purpose === 'passport');
      pending.free();
      rawKey = await crypto.subtle.importKey('spki', job.spki, { name: 'ECDSA', namedCurve: 'P-256' }, false, ['verify']);
      return Response.json({ ok: true, version: core.version(), variants: Object.keys(variants) });
    }
    if (url.pathname === '/run') {
      if (!fixture) return new Response('POST /setup first', { status: 409 });
      const n = Math.max(1, Math.min(1_000_000, Number(url.searchParams.get('n')) || 1));
      let name = url.searchParams.get('case');
      const variant = name.startsWith('b:') ? 'b' : 'a';
      if (!variants[variant]) return new Response(`no variant ${variant}: run bench/wasm.mjs --ab DIR`, { status: 409 });
      ({ core, verifier } = variants[variant]);
      if (variant === 'b') name = name.slice(2);
      try {
        return Response.json(await run(name, n));
      } catch (e) {
        return new Response(String(e && e.stack ? e.stack : e), { status: 500 });
      }
    }
    return new Response('not found', { status: 404 });
  },
};
