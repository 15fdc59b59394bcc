// The real wasm core (worker/pkg) for the worker's Node unit tests: the rules are the core's, so
// the tests use it rather than a stand-in. Fails (never skips) when the build is missing.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO } from './harness.mjs';

export async function loadCore() {
  const js = join(REPO, 'worker', 'pkg', 'stircheck.js');
  const wasm = join(REPO, 'worker', 'pkg', 'stircheck_bg.wasm');
  for (const f of [js, wasm]) {
    if (!existsSync(f)) throw new Error(`${f} is missing: build it with scripts/build-wasm.sh`);
  }
  const core = await import(js);
  core.initSync({ module: readFileSync(wasm) });
  return core;
}

/** The shared URL list (tests/fixtures/urls.json). */
export function urlList() {
  return JSON.parse(readFileSync(join(REPO, 'tests', 'fixtures', 'urls.json'), 'utf8')).urls;
}
