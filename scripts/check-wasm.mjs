// Usage: node scripts/check-wasm.mjs GLUE.js MODULE.wasm
// Proves a wasm-bindgen module instantiates against its generated JS glue (the same `initSync`
// path the worker uses), and calls `version()` when the module exports it. Exit 1 otherwise.
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';

const [glue, wasm] = process.argv.slice(2);
if (!glue || !wasm) {
  console.error('usage: check-wasm.mjs GLUE.js MODULE.wasm');
  process.exit(2);
}
try {
  const mod = await import(pathToFileURL(resolve(glue)).href);
  const module = new WebAssembly.Module(readFileSync(wasm));
  mod.initSync({ module });
  const v = typeof mod.version === 'function' ? ` (version() = ${mod.version()})` : '';
  console.error(`check-wasm: ${wasm} instantiates${v}`);
} catch (e) {
  console.error(`check-wasm: ${wasm} does not instantiate: ${e && e.stack || e}`);
  process.exit(1);
}
