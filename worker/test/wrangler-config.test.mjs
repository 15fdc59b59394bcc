// The Cloudflare deployment config (wrangler.toml) bundles the same worker: `wrangler deploy
// --dry-run` builds the upload (worker module + the wasm as a compiled module) without deploying.
import test from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { REPO } from './harness.mjs';

const WRANGLER = join(REPO, 'node_modules', '.bin', 'wrangler');

test('wrangler deploy --dry-run bundles the worker and its wasm', async () => {
  assert.ok(existsSync(WRANGLER), `${WRANGLER} missing: run scripts/setup.sh`);
  assert.ok(existsSync(join(REPO, 'worker', 'pkg', 'stircheck_bg.wasm')), 'worker/pkg missing: run scripts/build-wasm.sh');
  const out = mkdtempSync(join(tmpdir(), 'stircheck-wrangler-'));
  try {
    const { stdout } = await promisify(execFile)(WRANGLER, ['deploy', '--dry-run', '--outdir', out], {
      cwd: join(REPO, 'worker'),
      env: { ...process.env, CI: 'true', WRANGLER_SEND_METRICS: 'false', NO_COLOR: '1' },
      timeout: 120000,
    });
    assert.match(stdout, /env\.ASSETS/);
    const files = readdirSync(out);
    assert.ok(files.includes('index.js'), files.join(', '));
    assert.ok(files.some((f) => f.endsWith('stircheck_bg.wasm')), `no wasm module in ${files.join(', ')}`);
    const bundle = readFileSync(join(out, 'index.js'), 'utf8');
    assert.match(bundle, /finishViewBytes/);
    assert.match(bundle, /createSbc/);
    assert.match(bundle, /safeFetch/);
    assert.match(bundle, /checkUrl/);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});
