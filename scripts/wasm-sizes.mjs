#!/usr/bin/env node
// What is big in a wasm module: code bytes per crate (from the name section: build without
// stripping, e.g. target/wasm32-unknown-unknown/<profile>/stircheck.wasm before wasm-bindgen), the
// data section, and the largest functions. A twiggy-like table without installing twiggy.
//   node scripts/wasm-sizes.mjs MODULE.wasm [--top N] [--json] [--grep REGEX] [--modules CRATE]
// --modules CRATE splits that crate's code by module (CRATE::a::b counts for CRATE::a).
// Per-crate attribution: a Rust symbol counts for the first crate named in its path that is not
// core/alloc/std (so `core::ptr::drop_in_place<x509_cert::…>` counts for x509_cert), else for that.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

const { values: opt, positionals } = parseArgs({
  allowPositionals: true,
  options: { top: { type: 'string', default: '25' }, json: { type: 'boolean', default: false }, grep: { type: 'string' }, modules: { type: 'string' } },
});
const file = positionals[0];
if (!file) {
  console.error('usage: wasm-sizes.mjs MODULE.wasm [--top N] [--json] [--grep REGEX]');
  process.exit(2);
}
const buf = readFileSync(file);

let pos = 8;
function leb() {
  let result = 0, shift = 0, b;
  do {
    b = buf[pos++];
    result += (b & 0x7f) * 2 ** shift;
    shift += 7;
  } while (b & 0x80);
  return result;
}
const sections = [];
let imports = 0;
const bodies = [];
const names = new Map();
let dataBytes = 0;
while (pos < buf.length) {
  const id = buf[pos++];
  const size = leb();
  const start = pos;
  const end = pos + size;
  let name = ['custom', 'type', 'import', 'function', 'table', 'memory', 'global', 'export', 'start', 'element', 'code', 'data', 'datacount'][id] ?? `id${id}`;
  if (id === 0) {
    const n = leb();
    name = `custom:${buf.subarray(pos, pos + n).toString()}`;
    pos += n;
    if (name === 'custom:name') readNames(end);
  } else if (id === 2) {
    const count = leb();
    for (let i = 0; i < count; i++) {
      pos += leb(); // module
      pos += leb(); // field
      const kind = buf[pos++];
      if (kind === 0) { leb(); imports++; } else if (kind === 1) { pos++; const f = leb(); leb(); if (f & 1) leb(); } else if (kind === 2) { const f = leb(); leb(); if (f & 1) leb(); } else if (kind === 3) { pos += 2; }
    }
  } else if (id === 10) {
    const count = leb();
    for (let i = 0; i < count; i++) {
      const s = leb();
      bodies.push(s);
      pos += s;
    }
  } else if (id === 11) {
    dataBytes = size;
  }
  sections.push({ name, size });
  pos = end;
}

function readNames(end) {
  while (pos < end) {
    const sub = buf[pos++];
    const size = leb();
    const subEnd = pos + size;
    if (sub === 1) {
      const count = leb();
      for (let i = 0; i < count; i++) {
        const idx = leb();
        const n = leb();
        names.set(idx, buf.subarray(pos, pos + n).toString());
        pos += n;
      }
    }
    pos = subEnd;
  }
}

/** Legacy Rust mangling to a readable path (enough to find crate names). */
function demangle(sym) {
  const m = /^_ZN(.*)E$/.exec(sym);
  if (!m) return sym;
  const parts = [];
  let s = m[1];
  while (s.length) {
    const lm = /^(\d+)/.exec(s);
    if (!lm) break;
    const n = Number(lm[1]);
    parts.push(s.slice(lm[1].length, lm[1].length + n));
    s = s.slice(lm[1].length + n);
  }
  if (/^h[0-9a-f]{16}$/.test(parts.at(-1) ?? '')) parts.pop();
  return parts
    .join('::')
    .replace(/\$LT\$/g, '<').replace(/\$GT\$/g, '>').replace(/\$u20\$/g, ' ').replace(/\$RF\$/g, '&')
    .replace(/\$BP\$/g, '*').replace(/\$C\$/g, ',').replace(/\$u7b\$/g, '{').replace(/\$u7d\$/g, '}')
    .replace(/\$u5b\$/g, '[').replace(/\$u5d\$/g, ']').replace(/\$u27\$/g, "'").replace(/\.\./g, '::');
}

const STD = new Set(['core', 'alloc', 'std', 'compiler_builtins', 'dlmalloc', '_']);
function crateOf(readable) {
  const found = [...readable.matchAll(/(?:^|[<&*( ,])([a-z_][a-z0-9_]*)::([a-z_][a-z0-9_]*)?/g)];
  const hit = found.find((x) => !STD.has(x[1])) ?? found[0];
  if (!hit) return readable.startsWith('__wbg') || readable.startsWith('__wbindgen') ? 'wasm-bindgen glue' : '(unnamed)';
  return hit[1] === opt.modules && hit[2] ? `${hit[1]}::${hit[2]}` : hit[1];
}

const perCrate = new Map();
const funcs = [];
const re = opt.grep ? new RegExp(opt.grep) : null;
let codeTotal = 0;
bodies.forEach((size, i) => {
  const raw = names.get(imports + i) ?? `func[${imports + i}]`;
  const readable = demangle(raw);
  const crate = crateOf(readable);
  codeTotal += size;
  perCrate.set(crate, (perCrate.get(crate) ?? 0) + size);
  if (!re || re.test(readable)) funcs.push({ size, crate, name: readable });
});
funcs.sort((a, b) => b.size - a.size);
const crates = [...perCrate].sort((a, b) => b[1] - a[1]);
const top = Number(opt.top);
if (opt.json) {
  console.log(JSON.stringify({ file, total: buf.length, sections, code: codeTotal, data: dataBytes, crates: Object.fromEntries(crates), top: funcs.slice(0, top) }, null, 1));
} else {
  const kb = (n) => `${(n / 1024).toFixed(1)} KiB`;
  console.log(`${file}: ${buf.length} B (${kb(buf.length)}); code ${kb(codeTotal)} in ${bodies.length} functions; data ${kb(dataBytes)}`);
  console.log('\nsections:');
  for (const s of sections.filter((x) => x.size > 1024)) console.log(`  ${s.name.padEnd(28)} ${kb(s.size).padStart(12)}`);
  console.log('\ncode by crate:');
  for (const [c, n] of crates.slice(0, top)) console.log(`  ${c.padEnd(28)} ${kb(n).padStart(12)} ${((100 * n) / codeTotal).toFixed(1).padStart(5)} %`);
  console.log(`\nlargest functions${re ? ` matching ${re}` : ''}:`);
  for (const f of funcs.slice(0, top)) console.log(`  ${kb(f.size).padStart(10)}  ${f.name.slice(0, 150)}`);
}
