// Does workerd's WebCrypto run every job kind the core asks of it? The jobs come from the shared
// fixture table (tests/js/fixtures.mjs: the production Verizon chain, real CTIA / NetNumber /
// Neustar chains with ES384, P-384, P-521 and RSA CA signatures, demo-PKI headers), as the wasm
// core lists them; a probe worker in workerd runs each through the worker's own `runJob`
// (worker/src/webcrypto.js). Every answer must be the node:crypto (OpenSSL) answer: true for a
// genuine signature, false for one with a flipped byte, and never null (null would mean the
// worker quietly hands that kind of job to the core's slower portable code).
// Nothing skips: a missing wasm build, workerd or corpus fails with what to do.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createPublicKey, verify as nodeVerify } from 'node:crypto';
import { buildTable, loadWasm } from '../../tests/js/fixtures.mjs';
import { REPO, freePort } from './harness.mjs';

const WORKERD = join(REPO, 'node_modules', '.bin', 'workerd');
const HASH = { ES256: 'sha256', ES384: 'sha384', ES512: 'sha512', RS256: 'sha256' };

/** node:crypto's answer for a job: independent of WebCrypto and of the core. */
function oracle(job) {
  const key = createPublicKey({ key: Buffer.from(job.spki), format: 'der', type: 'spki' });
  return nodeVerify(HASH[job.alg], job.message, job.alg === 'RS256' ? key : { key, dsaEncoding: 'ieee-p1363' }, job.signature);
}

/** Every distinct job of the fixture table (one per alg/curve/key/message), as the core lists them. */
async function tableJobs() {
  const core = await loadWasm();
  const seen = new Map();
  for (const row of await buildTable(core)) {
    const opts = { at: row.at ?? Math.floor(Date.now() / 1000) };
    const urls = core.neededCerts(row.text);
    if (!row.chain || !urls.length) continue;
    opts.certs = Object.fromEntries(urls.map((u) => [u, row.chain]));
    const pending = new core.Verifier(row.trust).prepare(row.text, opts);
    try {
      for (const j of pending.jobs()) {
        const job = { alg: j.alg, curve: j.curve, spki: Buffer.from(j.spki), message: Buffer.from(j.message), signature: Buffer.from(j.signature) };
        seen.set(`${job.alg}|${job.curve}|${job.spki.toString('hex')}|${job.message.toString('hex')}|${job.signature.toString('hex')}`, job);
      }
    } finally {
      pending.free();
    }
  }
  return [...seen.values()];
}

async function startProbe() {
  if (!existsSync(WORKERD)) throw new Error(`${WORKERD} is missing: run scripts/setup.sh`);
  const port = await freePort();
  const child = spawn(WORKERD, ['serve', join(REPO, 'worker', 'test', 'webcrypto-probe.capnp'), '--socket-addr', `http=127.0.0.1:${port}`], { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout.on('data', (d) => (log += d));
  child.stderr.on('data', (d) => (log += d));
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 15000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`workerd exited (${child.exitCode}):\n${log}`);
    try {
      await fetch(base);
      break;
    } catch (e) {
      if (Date.now() > deadline) {
        child.kill('SIGTERM');
        throw new Error(`workerd did not start listening: ${e.message}\n${log}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  const stopped = new Promise((r) => child.once('exit', r));
  return {
    async run(jobs) {
      const wire = jobs.map((j) => ({ alg: j.alg, curve: j.curve, spki: j.spki.toString('base64'), message: j.message.toString('base64'), signature: j.signature.toString('base64') }));
      const res = await fetch(base, { method: 'POST', body: JSON.stringify(wire) });
      assert.equal(res.status, 200, log);
      return res.json();
    },
    async stop() {
      child.kill('SIGTERM');
      await stopped;
    },
  };
}

test('workerd WebCrypto, through the worker\'s runJob, answers every job kind of the fixture table like OpenSSL', async () => {
  const jobs = await tableJobs();
  const kinds = new Set(jobs.map((j) => `${j.alg}/${j.curve}`));
  for (const k of ['ES256/P-256', 'ES384/P-384', 'ES256/P-384', 'ES384/P-521', 'RS256/null']) {
    assert.ok(kinds.has(k), `the fixture table yields a ${k} job (has ${[...kinds].join(', ')})`);
  }
  const flipped = jobs.map((j) => {
    const signature = Buffer.from(j.signature);
    signature[signature.length >> 1] ^= 0x01;
    return { ...j, signature };
  });
  const probe = await startProbe();
  try {
    const got = await probe.run([...jobs, ...flipped]);
    assert.equal(got.length, 2 * jobs.length);
    [...jobs, ...flipped].forEach((j, i) => {
      const what = `${i < jobs.length ? 'genuine' : 'flipped'} ${j.alg}/${j.curve} job`;
      assert.notEqual(got[i], null, `${what}: workerd's WebCrypto refused it (the worker would fall back to the core)`);
      assert.equal(got[i], oracle(j), `${what}: workerd and OpenSSL disagree`);
    });
    assert.ok(jobs.some((j) => oracle(j)), 'some genuine job verifies');
    assert.ok(flipped.every((j) => !oracle(j)), 'every flipped job fails for OpenSSL');
  } finally {
    await probe.stop();
  }
});
