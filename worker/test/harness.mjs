// Starts the real worker under workerd for integration tests, next to the test certificate
// repository that receives all of the worker's outbound fetches (see workerd.test.capnp).
// Fails loudly, never skips, when the wasm build or workerd is missing.

import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { makePki } from './pki.mjs';
import { startCertServer } from './cert-server.mjs';

export { TEST_ORIGIN } from './cert-server.mjs';

const here = dirname(fileURLToPath(import.meta.url));
export const REPO = join(here, '..', '..');
const WORKERD = join(REPO, 'node_modules', '.bin', 'workerd');
const WASM = join(REPO, 'worker', 'pkg', 'stircheck_bg.wasm');

export function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject).listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/**
 * @param {object} [o]
 * @param {number} [o.slowMs] delay of the repository's slow.pem
 * @param {string} [o.trustPem] operator trust binding (STIRCHECK_TRUST_PEM)
 * @param {object} [o.pki] the PKI the repository serves (default: a fresh makePki(); cleaned up by stop())
 * @param {Record<string,string>} [o.env] more bindings read from the environment (STIRCHECK_SIGNING_*, STIRCHECK_TENANTS)
 * @param {string[]} [o.args] more workerd arguments (e.g. --inspector-addr for profiling)
 * @param {string} [o.dataDir] Durable Object storage directory (default: a fresh one, removed by stop())
 */
export async function startWorker({ slowMs = 5000, trustPem, pki: given, env: bindings = {}, args = [], dataDir } = {}) {
  if (!existsSync(WASM)) {
    throw new Error(`${WASM} is missing: build it with scripts/build-wasm.sh (make test does this first)`);
  }
  if (!existsSync(WORKERD)) throw new Error(`${WORKERD} is missing: run scripts/setup.sh`);
  const pki = given ?? makePki();
  const certs = await startCertServer({ chain: pki.chain, slowMs });
  const port = await freePort();
  const env = { ...process.env };
  for (const k of Object.keys(env)) if (k.startsWith('STIRCHECK_')) delete env[k];
  if (trustPem) env.STIRCHECK_TRUST_PEM = trustPem;
  Object.assign(env, bindings);
  const ownData = !dataDir;
  const data = dataDir ?? mkdtempSync(join(tmpdir(), 'stircheck-do-'));
  const dropData = () => ownData && rmSync(data, { recursive: true, force: true });
  const child = spawn(WORKERD, [
    'serve', join(REPO, 'worker', 'test', 'workerd.test.capnp'),
    '--socket-addr', `http=127.0.0.1:${port}`,
    '--external-addr', `test-egress=127.0.0.1:${certs.port}`,
    '--directory-path', `assets=${join(REPO, 'www')}`,
    '--directory-path', `history-storage=${data}`,
    ...args,
  ], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout.on('data', (d) => (log += d));
  child.stderr.on('data', (d) => (log += d));
  const exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));

  const base = `http://127.0.0.1:${port}`;
  const fail = async (message) => {
    child.kill('SIGTERM');
    await exited;
    await certs.close();
    pki.cleanup();
    dropData();
    throw new Error(`${message}\n${log}`);
  };
  const deadline = Date.now() + 15000;
  for (;;) {
    const code = await Promise.race([exited, new Promise((r) => setTimeout(() => r(undefined), 100))]);
    if (code !== undefined) await fail(`workerd exited (${code}) while starting`);
    let res;
    try {
      res = await fetch(`${base}/api/health`);
    } catch (e) {
      if (Date.now() > deadline) await fail(`workerd did not start listening: ${e.message}`);
      continue; // not listening yet
    }
    const text = await res.text();
    if (res.ok) break;
    await fail(`the worker answered /api/health with ${res.status}: ${text}`);
  }

  return {
    base,
    pki,
    certs,
    /** workerd's process id (benchmarks sample its RSS). */
    pid: child.pid,
    log: () => log,
    /** POST /api/verify with a JSON body; returns { status, headers, body }. */
    async verify(body) {
      const res = await fetch(`${base}/api/verify`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      const text = await res.text();
      let parsed;
      try {
        parsed = JSON.parse(text);
      } catch {
        throw new Error(`non-JSON answer ${res.status}: ${text.slice(0, 200)}`);
      }
      return { status: res.status, headers: res.headers, body: parsed };
    },
    async stop() {
      child.kill('SIGTERM');
      await exited;
      await certs.close();
      pki.cleanup();
      dropData();
    },
  };
}
