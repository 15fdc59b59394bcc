// JS API tests of the wasm build (docs/js-api.md; src/wasm.rs is the truth), run by `node --test`.
//
// A shared fixture table (tests/js/fixtures.mjs: the production Verizon header with its real chain,
// the RFC 8224 example, the libstirshaken fixtures, fresh demo-PKI headers and tampered variants,
// SIP INVITEs, real CA chains signed with ES384/P-521/RSA, garbage) goes through every path:
//   p256       Verifier.verify (the core's RustCrypto code in wasm)
//   webcrypto  verifyWithWebCrypto of www/webcrypto.js on Node's crypto.subtle
//   worker     worker/src/webcrypto.js, the build copy of www/webcrypto.js the worker imports
//   null       prepare + finish(all null): the core runs every job itself
//   cli        target/release/stircheck verify --json (ring natively), same time, chain and store
// and the verdicts must be identical. The one field allowed to differ is trust.name (the CLI
// names a custom store after its files; wasm has no file names). Every WebCrypto answer is also
// checked against node:crypto, so a helper that quietly answered `null` (falling back to the
// core) could not pass.
//
// Nothing here skips: a missing wasm build, CLI or corpus fails with a message saying what to do.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash, createPublicKey, verify as nodeVerify } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { verifyWithWebCrypto } from '../../www/webcrypto.js';
import { verifyWithWebCrypto as workerVerifyWithWebCrypto } from '../../worker/src/webcrypto.js';
import {
  CLI,
  OFFLINE_CRL_FETCH_ERROR,
  OFFLINE_FETCH_ERROR,
  REPO,
  WWW_PKG,
  buildTable,
  demoPki,
  flipSignatureChar,
  loadWasm,
  sipInvite,
  verizon,
} from './fixtures.mjs';

// --- builds ------------------------------------------------------------------------------------

function newestInput() {
  let newest = 0;
  const walk = (p) => {
    const st = statSync(p);
    if (st.isDirectory()) for (const f of readdirSync(p)) walk(join(p, f));
    else newest = Math.max(newest, st.mtimeMs);
  };
  for (const p of ['src', 'Cargo.toml', 'Cargo.lock']) walk(join(REPO, p));
  return newest;
}

/** The native CLI, built (`cargo build --release`) when missing or older than the sources. */
function ensureCli() {
  if (existsSync(CLI) && statSync(CLI).mtimeMs >= newestInput()) return;
  const r = spawnSync('cargo', ['build', '--release', '--bin', 'stircheck'], { cwd: REPO, encoding: 'utf8', timeout: 30 * 60_000 });
  if (r.status !== 0 || !existsSync(CLI)) {
    throw new Error(`cannot build the CLI (${CLI}) with \`cargo build --release\`:\n${(r.stderr ?? String(r.error)).slice(-3000)}`);
  }
}

function ensureWasmFresh() {
  const wasm = join(WWW_PKG, 'stircheck_bg.wasm');
  if (!existsSync(wasm)) throw new Error(`${wasm} is missing: run \`bash scripts/build-wasm.sh\` (make test-js does)`);
  if (statSync(wasm).mtimeMs < newestInput()) {
    throw new Error(`${wasm} is older than src/: run \`bash scripts/build-wasm.sh\` so the wasm and the CLI are the same code`);
  }
}

ensureWasmFresh();
const core = await loadWasm();
ensureCli();
const rows = await buildTable(core);
const work = mkdtempSync(join(tmpdir(), 'stircheck-js-api-'));
process.on('exit', () => rmSync(work, { recursive: true, force: true }));

// --- the paths ---------------------------------------------------------------------------------

/** wasm VerifyOptions for a row: the chain for every x5u the input names, like CLI --cert. */
function wasmOptions(row) {
  const opts = row.asOfCall ? { asOfCall: true } : { at: row.at };
  const urls = core.neededCerts(row.text);
  if (row.chain) opts.certs = Object.fromEntries(urls.map((u) => [u, row.chain]));
  else if (urls.length) opts.fetchErrors = Object.fromEntries(urls.map((u) => [u, OFFLINE_FETCH_ERROR]));
  // The CLI runs with --offline, so each CRL distribution point of the chain is "not fetched"
  // with the CLI's reason; tell the wasm verifier the same (the core lists the URLs).
  if (row.chain) {
    const crls = core.crlUrls(row.chain);
    if (crls.length) opts.crlFetchErrors = Object.fromEntries(crls.map((u) => [u, OFFLINE_CRL_FETCH_ERROR]));
  }
  return opts;
}

let fileNo = 0;
function tempFile(name, content) {
  const p = join(work, `${fileNo++}-${name}`);
  writeFileSync(p, content);
  return p;
}

/** CLI verdict (and exit code) for a row. */
function cliVerify(row) {
  const args = ['verify', tempFile('input.txt', row.text), '--json', '--offline'];
  if (row.asOfCall) args.push('--as-of-call');
  else args.push('--at', String(row.at));
  if (row.chain) args.push('--cert', tempFile('chain.pem', row.chain));
  for (const pem of row.trust ?? []) args.push('--trust', tempFile('trust.pem', pem));
  const r = spawnSync(CLI, args, { encoding: 'utf8' });
  assert.ok(r.status === 0 || r.status === 1, `CLI exit ${r.status}: ${r.stderr}`);
  return { verdict: JSON.parse(r.stdout), code: r.status };
}

/** A verifier whose Pending records the jobs and the results the host passed to finish(). */
function recording(verifier) {
  const rec = { jobs: null, results: null };
  const wrapped = {
    verify: (t, o) => verifier.verify(t, o),
    prepare(t, o) {
      const p = verifier.prepare(t, o);
      return {
        jobs: () => (rec.jobs = p.jobs()),
        finish: (r) => ((rec.results = r), p.finish(r)),
        free: () => p.free(),
      };
    },
  };
  return { rec, wrapped };
}

const HASH = { ES256: 'sha256', ES384: 'sha384', ES512: 'sha512', RS256: 'sha256' };
const CURVE = { prime256v1: 'P-256', secp384r1: 'P-384', secp521r1: 'P-521' };

/** The job's answer by node:crypto (OpenSSL), independent of WebCrypto and of the core. */
function oracle(job) {
  const key = createPublicKey({ key: Buffer.from(job.spki), format: 'der', type: 'spki' });
  const signer = job.alg === 'RS256' ? key : { key, dsaEncoding: 'ieee-p1363' };
  return nodeVerify(HASH[job.alg], job.message, signer, job.signature);
}

/** A CryptoJob as docs/js-api.md describes it, and consistent with its own SPKI. */
function assertJobShape(job, i) {
  assert.equal(job.id, i);
  assert.ok(['ES256', 'ES384', 'ES512', 'RS256'].includes(job.alg), job.alg);
  assert.ok(['passport', 'certificate'].includes(job.purpose), job.purpose);
  for (const k of ['spki', 'message', 'signature']) assert.ok(job[k] instanceof Uint8Array, `${k} is a Uint8Array`);
  const key = createPublicKey({ key: Buffer.from(job.spki), format: 'der', type: 'spki' });
  if (job.alg === 'RS256') {
    assert.equal(key.asymmetricKeyType, 'rsa');
    assert.equal(job.curve, null);
  } else {
    assert.equal(key.asymmetricKeyType, 'ec');
    assert.equal(job.curve, CURVE[key.asymmetricKeyDetails.namedCurve], 'curve names the SPKI curve');
    assert.equal(job.signature.length, { 'P-256': 64, 'P-384': 96, 'P-521': 132 }[job.curve], 'fixed-size r||s');
  }
}

const plain = (v) => JSON.parse(JSON.stringify(v));
const check = (verdict, id) => verdict.checks.find((c) => c.id === id);

// --- the table ---------------------------------------------------------------------------------

test('the fixture table covers what the tests rely on', () => {
  assert.ok(rows.length >= 30, `${rows.length} rows`);
  const statuses = new Set(rows.map((r) => r.expect.status));
  assert.deepEqual([...statuses].sort(), ['invalid', 'no-identity', 'valid']);
  for (const code of [403, 428, 436, 437, 438]) assert.ok(rows.some((r) => r.expect.sip_code === code), `a row expects ${code}`);
});

for (const row of rows) {
  test(`verdict: ${row.name}`, async () => {
    const opts = wasmOptions(row);

    const v = new core.Verifier(row.trust);
    const p256 = plain(v.verify(row.text, opts));

    const web = recording(new core.Verifier(row.trust));
    const webcrypto = plain(await verifyWithWebCrypto(web.wrapped, row.text, opts));
    const worker = plain(await workerVerifyWithWebCrypto(new core.Verifier(row.trust), row.text, opts));

    const nullVerifier = new core.Verifier(row.trust);
    const pending = nullVerifier.prepare(row.text, opts);
    const jobs = pending.jobs();
    const allNull = plain(pending.finish(jobs.map(() => null)));

    const cli = cliVerify(row);

    // Expected outcome.
    assert.equal(p256.status, row.expect.status, p256.reason);
    assert.equal(p256.attest, row.expect.attest, p256.reason);
    if ('sip_code' in row.expect) assert.equal(p256.sip_code, row.expect.sip_code, p256.reason);
    for (const [id, outcome] of Object.entries(row.expect.checks ?? {})) {
      assert.equal(check(p256, id)?.outcome, outcome, `${id}: ${check(p256, id)?.detail}`);
    }
    assert.equal(p256.verified_at, row.asOfCall ? p256.identities[0].iat : row.at);
    if (row.expect.jobKinds) {
      const kinds = jobs.map((j) => `${j.alg}/${j.curve}`);
      for (const k of row.expect.jobKinds) assert.ok(kinds.includes(k), `a ${k} job among ${kinds}`);
    }

    // The jobs, and WebCrypto's answer to each, checked against node:crypto.
    jobs.forEach(assertJobShape);
    assert.equal(web.rec.jobs.length, jobs.length);
    assert.deepEqual(
      web.rec.results,
      web.rec.jobs.map(oracle),
      'WebCrypto answered every job (no null fallback) and as node:crypto does',
    );
    const sig = check(p256, 'signature');
    const passportJob = jobs.findIndex((j) => j.purpose === 'passport');
    if (passportJob >= 0) assert.equal(sig.outcome, web.rec.results[passportJob] ? 'pass' : 'fail', sig.detail);

    // Identical verdicts on every path.
    assert.deepEqual(webcrypto, p256, 'www/webcrypto.js verdict = p256 verdict');
    assert.deepEqual(worker, p256, 'worker/src/webcrypto.js verdict = p256 verdict');
    assert.deepEqual(allNull, p256, 'finish(all null) = p256 verdict');
    assert.equal(cli.code, p256.status === 'valid' ? 0 : 1, 'CLI exit code');
    let cliVerdict = cli.verdict;
    if (row.trust) {
      // The one legitimate difference: a custom store's name (CLI: its file paths; wasm: none),
      // shown in trust.name and quoted by cert.chain when no path reaches an anchor.
      assert.equal(p256.trust.name, 'custom trust store');
      assert.match(cliVerdict.trust.name, /trust\.pem$/);
      const quoted = JSON.stringify(cliVerdict.trust.name).slice(1, -1);
      cliVerdict = JSON.parse(JSON.stringify(cliVerdict).replaceAll(quoted, p256.trust.name));
    }
    assert.deepEqual(cliVerdict, p256, 'CLI verdict = wasm verdict');

    // A second call hits the chain cache: same verdict, only cert.fetch says where the chain came from.
    if (v.cacheSize() > 0) {
      for (const again of [plain(v.verify(row.text, opts)), plain(await verifyWithWebCrypto(v, row.text, opts))]) {
        assert.match(check(again, 'cert.fetch').detail, /from cache/);
        const strip = (x) => {
          const y = structuredClone(x);
          for (const c of [...y.checks, ...y.identities.flatMap((i) => i.checks)]) if (c.id === 'cert.fetch') c.detail = '';
          return y;
        };
        assert.deepEqual(strip(again), strip(p256), 'cached verdict = uncached verdict');
      }
    } else {
      assert.notEqual(p256.status, 'valid', 'a valid verdict leaves its chain in the cache');
    }
  });
}

// --- the two-phase API -------------------------------------------------------------------------

const vz = verizon();
const vzOpts = { at: vz.iat, certs: { [vz.x5u]: vz.chain } };

test('finish() uses the host results: all true passes a tampered header, all false fails a good one', () => {
  const v = new core.Verifier([vz.root]);
  const tampered = flipSignatureChar(vz.text);
  assert.equal(v.verify(tampered, vzOpts).status, 'invalid');
  const p = v.prepare(tampered, vzOpts);
  const lied = p.finish(p.jobs().map(() => true));
  assert.equal(lied.status, 'valid');
  assert.equal(check(lied, 'signature').outcome, 'pass');

  const q = new core.Verifier([vz.root]).prepare(vz.text, vzOpts);
  const failed = q.finish(q.jobs().map(() => false));
  assert.equal(failed.status, 'invalid');
  assert.equal(check(failed, 'cert.chain').outcome, 'fail');
  assert.equal(check(failed, 'signature').outcome, 'fail');
});

test('finish() with too few results runs the missing jobs itself', () => {
  const direct = plain(new core.Verifier([vz.root]).verify(vz.text, vzOpts));
  const p = new core.Verifier([vz.root]).prepare(vz.text, vzOpts);
  assert.equal(p.jobs().length, 3, 'Verizon: two CA signatures and the PASSporT signature');
  assert.deepEqual(plain(p.finish([])), direct);
});

test('Pending: finish twice and jobs after finish throw; bad results throw', () => {
  const v = new core.Verifier([vz.root]);
  const p = v.prepare(vz.text, vzOpts);
  p.finish(p.jobs().map(() => null));
  assert.throws(() => p.finish([]), (e) => e instanceof Error && /already finished/.test(e.message));
  assert.throws(() => p.jobs(), (e) => e instanceof Error && /already finished/.test(e.message));
  const q = v.prepare(vz.text, vzOpts);
  assert.throws(() => q.finish(['yes', 1]), (e) => e instanceof Error && /results must be an array of true\/false\/null/.test(e.message));
  assert.throws(() => q.finish('nope'), (e) => e instanceof Error && /results must be/.test(e.message));
  // A rejected call leaves the verification pending (v's cache holds the chain: one job left).
  assert.equal(q.jobs().length, 1, 'chain cached: only the PASSporT signature is a job');
  assert.equal(q.finish([null]).status, 'valid');
});

test('jobViews: the jobs of jobs(), their bytes as views of wasm memory; gone after finish', () => {
  const p = new core.Verifier([vz.root]).prepare(vz.text, vzOpts);
  const copies = p.jobs();
  const views = p.jobViews();
  assert.equal(views.length, 3);
  for (const [i, v] of views.entries()) {
    const c = copies[i];
    for (const k of ['id', 'alg', 'curve', 'purpose']) assert.equal(v[k], c[k], k);
    for (const k of ['spki', 'message', 'signature']) {
      assert.deepEqual(Buffer.from(v[k]), Buffer.from(c[k]), k);
      assert.notEqual(v[k].buffer, c[k].buffer, `${k}: a view, not the copy`);
    }
  }
  // Every job object's bytes of jobs() share one buffer of their own, not wasm memory.
  assert.equal(copies[0].spki.buffer, copies[0].signature.buffer);
  assert.equal(views[0].spki.buffer, views[1].spki.buffer, 'views of the one wasm memory');
  assert.equal(p.finish(copies.map(() => null)).status, 'valid');
  assert.throws(() => p.jobViews(), (e) => e instanceof Error && /already finished/.test(e.message));
});

test('bad options throw a JS Error with a message, on every entry point', async () => {
  const v = new core.Verifier();
  const cases = [
    [{ at: 'x' }, /bad options/],
    [{ at: -5 }, /options\.at must be unix seconds/],
    [{ at: Number.NaN }, /options\.at must be unix seconds/],
    [{ maxAge: -1 }, /options\.maxAge/],
    [{ asOfCall: 'yes' }, /bad options/],
    [{ certs: 'pem' }, /bad options/],
    [{ trust: ['not a certificate'] }, /./],
    [{ bogus: 1 }, /bad options.*bogus/],
    ['at=5', /bad options/],
  ];
  for (const [opts, re] of cases) {
    const ok = (e) => e instanceof Error && re.test(e.message) && e.message.length > 5;
    assert.throws(() => v.verify(vz.text, opts), ok, `verify ${JSON.stringify(opts)}`);
    assert.throws(() => v.prepare(vz.text, opts), ok, `prepare ${JSON.stringify(opts)}`);
    await assert.rejects(verifyWithWebCrypto(v, vz.text, opts), ok, `verifyWithWebCrypto ${JSON.stringify(opts)}`);
  }
  // undefined and null options mean "now, defaults".
  for (const o of [undefined, null, {}]) {
    const before = Math.floor(Date.now() / 1000);
    const verdict = v.verify('garbage', o);
    assert.ok(verdict.verified_at >= before && verdict.verified_at <= before + 5, 'default time is now');
    assert.equal(verdict.max_age, 60);
  }
});

test('Verifier constructor: bad trust throws, a custom store is reported as such', () => {
  assert.throws(() => new core.Verifier('pem'), (e) => e instanceof Error && /trust must be an array of PEM strings/.test(e.message));
  assert.throws(() => new core.Verifier(['garbage']), (e) => e instanceof Error && e.message.length > 5);
  const info = new core.Verifier([vz.root]).trustInfo();
  assert.equal(info.source, 'custom');
  assert.equal(info.anchors.length, 1);
  const der = Buffer.from(vz.root.replace(/-----[A-Z ]+-----|\s/g, ''), 'base64');
  assert.equal(info.anchors[0].sha256, createHash('sha256').update(der).digest('hex'));
  assert.match(info.anchors[0].subject, /Metaswitch STI-CA SHAKEN Root/);
});

test('trustInfo() of the built-in store: the 2025-08-18 snapshot of trust/', () => {
  const info = new core.Verifier().trustInfo();
  assert.equal(info.source, 'built-in');
  assert.equal(info.date, '2025-08-18');
  assert.match(info.name, /2025-08-18/);
  const files = readdirSync(join(REPO, 'trust')).filter((f) => f.endsWith('.pem'));
  const expected = files.map((f) => {
    const der = Buffer.from(readFileSync(join(REPO, 'trust', f), 'utf8').replace(/-----[A-Z ]+-----|\s/g, ''), 'base64');
    return createHash('sha256').update(der).digest('hex');
  });
  assert.equal(info.anchors.length, 19);
  assert.deepEqual(info.anchors.map((a) => a.sha256).sort(), expected.sort());
  for (const a of info.anchors) {
    assert.equal(typeof a.subject, 'string');
    assert.ok(Number.isInteger(a.not_after) && a.not_after > Date.parse('2030-01-01') / 1000, a.subject);
  }
  // The verdict carries the store that was used.
  assert.deepEqual(new core.Verifier().verify('garbage', { at: 1e9 }).trust, info);
});

test('cacheSize / clearCache', () => {
  const v = new core.Verifier([vz.root]);
  assert.equal(v.cacheSize(), 0);
  v.verify(vz.text, vzOpts);
  assert.equal(v.cacheSize(), 1);
  v.verify(vz.text, vzOpts);
  assert.equal(v.cacheSize(), 1, 'same x5u + bytes + store: one entry');
  // A per-call store is a different key: the entry validated against another store is not reused.
  const other = v.verify(vz.text, { ...vzOpts, trust: [demoPki().root] });
  assert.equal(other.status, 'invalid');
  assert.equal(check(other, 'cert.chain').outcome, 'fail');
  v.clearCache();
  assert.equal(v.cacheSize(), 0);
  assert.doesNotMatch(check(v.verify(vz.text, vzOpts), 'cert.fetch').detail, /from cache/);
});

// --- the other exports -------------------------------------------------------------------------

test('neededCerts: x5u URLs in order, deduplicated; none for garbage', () => {
  assert.deepEqual(core.neededCerts(vz.text), [vz.x5u]);
  assert.deepEqual(core.neededCerts(`Identity: ${vz.text};info=<${vz.x5u}>;alg=ES256;ppt="shaken"`), [vz.x5u]);
  const demo = demoPki();
  const a = core.sign({ keyPem: demo.key, x5u: 'https://a.example.com/a.pem', attest: 'A', orig: '12025550142', dest: ['12025550199'], iat: 1e9 });
  const b = core.sign({ keyPem: demo.key, x5u: 'https://b.example.com/b.pem', attest: 'B', orig: '12025550142', dest: ['12025550199'], iat: 1e9 });
  const invite = sipInvite({ identity: `${b}\r\n${a}\r\n${b}`, from: '12025550142', to: '12025550199' });
  assert.deepEqual(core.neededCerts(invite), ['https://b.example.com/b.pem', 'https://a.example.com/a.pem']);
  assert.deepEqual(core.neededCerts('garbage'), []);
  assert.deepEqual(core.neededCerts(''), []);
});

test('decode: the PASSporT without verifying; never throws; same as `stircheck decode --json`', () => {
  const d = core.decode(vz.text);
  assert.equal(d.error, null);
  assert.equal(d.identities.length, 1);
  const id = d.identities[0];
  assert.equal(id.header.x5u, vz.x5u);
  assert.equal(id.header.alg, 'ES256');
  assert.deepEqual(id.claims, vz.entry.decoded_payload);
  assert.equal(id.iat, vz.iat);
  for (const text of ['garbage', '', '\u0000', 'eyJ.eyJ.', vz.text.replace(/\.[^.]+\./, '.!!!.')]) {
    const g = core.decode(text);
    assert.ok(g.error !== null || g.identities.every((i) => i.form === 'invalid' || i.checks.some((c) => c.outcome === 'fail')), JSON.stringify(text));
  }
  for (const text of [vz.text, sipInvite({ identity: `Identity: ${vz.text}`, from: '19194132055', to: '18724016341' }), 'garbage']) {
    const r = spawnSync(CLI, ['decode', tempFile('decode.txt', text), '--json'], { encoding: 'utf8' });
    assert.deepEqual(plain(core.decode(text)), JSON.parse(r.stdout), `decode of ${text.slice(0, 20)}`);
  }
});

test('sign: a verifiable header line; bad input throws an Error', () => {
  const demo = demoPki();
  const line = core.sign({ keyPem: demo.key, x5u: 'https://certs.example.com/c.pem', attest: 'B', orig: '+1 202-555-0142', dest: ['12025550199'], iat: 1_800_000_000 });
  assert.match(line, /^Identity: [\w-]+\.[\w-]+\.[\w-]{86};info=<https:\/\/certs\.example\.com\/c\.pem>;alg=ES256;ppt=shaken$/);
  const claims = core.decode(line).identities[0].claims;
  assert.equal(claims.attest, 'B');
  assert.equal(claims.orig.tn, '12025550142');
  assert.equal(claims.iat, 1_800_000_000);
  const base = { keyPem: demo.key, x5u: 'https://certs.example.com/c.pem', attest: 'A', orig: '12025550142', dest: ['12025550199'] };
  for (const [bad, re] of [
    [{ ...base, attest: 'D' }, /attest must be A, B or C/],
    [{ ...base, keyPem: 'nope' }, /./],
    [{ ...base, dest: [] }, /destination/],
    [{ ...base, orig: 'alice' }, /./],
    [{ ...base, x5u: 'http://10.0.0.1/c.pem' }, /x5u/],
    [{ ...base, extra: 1 }, /bad sign options/],
    [{ x5u: 'https://certs.example.com/c.pem' }, /bad sign options/],
  ]) {
    assert.throws(() => core.sign(bad), (e) => e instanceof Error && re.test(e.message), JSON.stringify(Object.keys(bad)));
  }
});

test('advise: attestation levels by scenario; bad scenarios throw', () => {
  const a = core.advise({ role: 'originating', relationship: 'direct', number: 'assigned-by-signer', verification: 'carrier-records' });
  assert.equal(a.attest, 'A');
  assert.equal(typeof a.why, 'string');
  assert.ok(Array.isArray(a.to_reach_a) && Array.isArray(a.caveats));
  const gw = core.advise({ role: 'gateway', relationship: 'none', number: 'unknown', verification: 'none' });
  assert.equal(gw.attest, 'C');
  assert.ok(gw.to_reach_a.length > 0, 'says how to reach A');
  const b = core.advise({ role: 'originating', relationship: 'direct', number: 'unknown', verification: 'none' });
  assert.equal(b.attest, 'B');
  assert.throws(() => core.advise({ role: 'pirate', relationship: 'direct', number: 'unknown', verification: 'none' }), (e) => e instanceof Error && /role/.test(e.message));
  assert.throws(() => core.advise({ role: 'originating' }), (e) => e instanceof Error && /relationship/.test(e.message));
  assert.throws(() => core.advise({ role: 'originating', relationship: 'direct', number: 'unknown', verification: 'none', x: 1 }), (e) => e instanceof Error && /x/.test(e.message));
});

test('version() is the crate version, and the CLI reports the same', () => {
  const cargo = readFileSync(join(REPO, 'Cargo.toml'), 'utf8').match(/^version = "([^"]+)"/m)[1];
  assert.equal(core.version(), cargo);
  const r = spawnSync(CLI, ['--version'], { encoding: 'utf8' });
  assert.equal(r.stdout.trim(), `stircheck ${cargo}`);
});

test('verifyWithWebCrypto without crypto.subtle falls back to the core, same verdict', async () => {
  const direct = plain(new core.Verifier([vz.root]).verify(vz.text, vzOpts));
  const desc = Object.getOwnPropertyDescriptor(globalThis, 'crypto');
  Object.defineProperty(globalThis, 'crypto', { value: undefined, configurable: true, writable: true });
  try {
    assert.equal(globalThis.crypto, undefined);
    assert.deepEqual(plain(await verifyWithWebCrypto(new core.Verifier([vz.root]), vz.text, vzOpts)), direct);
    assert.deepEqual(plain(await workerVerifyWithWebCrypto(new core.Verifier([vz.root]), vz.text, vzOpts)), direct);
  } finally {
    Object.defineProperty(globalThis, 'crypto', desc);
  }
  assert.ok(globalThis.crypto.subtle, 'crypto restored');
});
