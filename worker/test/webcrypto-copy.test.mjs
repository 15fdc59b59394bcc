// The page and the worker share one WebCrypto helper: worker/src/webcrypto.js must be a byte
// copy of www/webcrypto.js (scripts/build-wasm.sh makes it; workerd cannot import from www/).
import test from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO } from './harness.mjs';

test('worker/src/webcrypto.js is byte-identical to www/webcrypto.js', () => {
  const page = readFileSync(join(REPO, 'www', 'webcrypto.js'));
  const worker = readFileSync(join(REPO, 'worker', 'src', 'webcrypto.js'));
  assert.ok(page.equals(worker), 'run scripts/build-wasm.sh (or cp www/webcrypto.js worker/src/) to resync');
});
