// Renders target/bench/results.jsonl (written by scripts/bench.sh) as the markdown of
// bench/RESULTS.md: every figure as verifications/s and as a ratio to `openssl speed ecdsap256`
// verify/s from the same run, then the issue-6 targets, met or missed and by how much.
//   node scripts/bench-table.mjs results.jsonl --machine M --rustc R --load L --elapsed S
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

const { values: a, positionals } = parseArgs({
  allowPositionals: true,
  options: { machine: { type: 'string' }, rustc: { type: 'string' }, load: { type: 'string' }, elapsed: { type: 'string' } },
});
const rows = readFileSync(positionals[0], 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
const openssl = rows.find((r) => r.kind === 'openssl');
const base = openssl?.per_s;
const crit = (id) => rows.find((r) => r.kind === 'criterion' && r.id === id);
const fmt = (n) => (n == null ? 'n/a' : Math.round(n).toLocaleString('en-US'));
const ratio = (n) => (n == null || !base ? 'n/a' : `${(n / base).toFixed(2)}×`);
const out = [];
const line = (cells) => out.push(`| ${cells.join(' | ')} |`);

out.push('# stircheck benchmark results', '');
out.push(`Written by \`make bench\` (scripts/bench.sh) on ${new Date().toISOString().slice(0, 10)}: ${a.machine ?? 'unknown machine'}, ` +
  `${a.rustc ?? ''}, ${openssl?.version ?? 'no OpenSSL'}; load average ${a.load ?? '?'} (before -> after); ${a.elapsed ?? '?'} s.`);
out.push('Input: the production Verizon PASSporT from `../shared/corpus` (ES256, attest A) with its real chain ' +
  '(leaf + Metaswitch issuing CA; Metaswitch root in the built-in trust store), verified as of its iat.', '');
out.push('Native one-core rows are CPU time of the benchmark thread, like `openssl speed` (CPU user time); ' +
  'batch, wasm and load-test rows are wall-clock and need a quiet machine (see the load average).', '');

line(['benchmark', 'verifications/s', 'vs OpenSSL']);
line(['---', '---:', '---:']);
if (base) line(['`openssl speed -seconds 3 ecdsap256` verify (1 core)', fmt(base), '1.00×']);
const native = [
  ['decode/decode', 'decode only (`stircheck::decode::decode`, no crypto)'],
  ['es256/ring', 'ES256 signature alone, ring'],
  ['es256/rustcrypto', 'ES256 signature alone, RustCrypto p256'],
  ['verify_cached/ring', '**full verify, cached chain, ring (native default)**'],
  ['verify_cached/rustcrypto', 'full verify, cached chain, RustCrypto'],
  ['verify_chain/ring', '**full verify, chain parsed + validated every call, ring**'],
  ['verify_chain/rustcrypto', 'full verify, chain parsed + validated every call, RustCrypto'],
];
for (const [id, label] of native) {
  const r = crit(id);
  if (r) line([label, fmt(r.per_s), ratio(r.per_s)]);
}
const batch = rows.filter((r) => r.kind === 'batch');
for (const b of batch) {
  line([`\`stircheck verify --batch --threads ${b.threads}\` (${fmt(b.n)} inputs, wall)` + (b.threads > 1 ? `: ${b.speedup.toFixed(2)}× one thread` : ''),
    fmt(b.per_s), ratio(b.per_s)]);
}
const wasm = rows.filter((r) => r.kind === 'wasm');
for (const w of wasm) {
  const label = `wasm in ${w.runtime}: ${w.case}`;
  line([label, w.error ? `error: ${w.error}` : fmt(w.ops_per_sec), w.error ? '' : ratio(w.ops_per_sec)]);
}
const load = rows.find((r) => r.kind === 'load');
if (load) line([`worker HTTP load test (workerd, ${load.connections} connections, POST /api/verify, warm cache)`, fmt(load.requests_per_s), ratio(load.requests_per_s)]);

// Targets (issue 6 "Done when").
out.push('', '## Targets', '');
line(['target', 'measured', 'result']);
line(['---', '---:', '---']);
const target = (name, value, want, unit = '×') => {
  if (value == null) return line([name, 'not measured', '—']);
  const met = value >= want;
  const by = met ? `met (+${(((value / want) - 1) * 100).toFixed(0)} %)` : `**missed by ${((1 - value / want) * 100).toFixed(0)} %**`;
  line([`${name} ≥ ${want}${unit}`, `${value.toFixed(2)}${unit}`, by]);
};
const r = (id) => (crit(id) && base ? crit(id).per_s / base : null);
target('full verify, cached chain, vs OpenSSL', r('verify_cached/ring'), 1.1);
target('full verify, chain validated every call, vs OpenSSL', r('verify_chain/ring'), 0.5);
const b2 = batch.find((b) => b.threads === 2);
target('batch on 2 cores vs 1 core', b2?.speedup ?? null, 1.8);
const wc = wasm.find((w) => w.runtime === 'workerd' && w.case === 'webcrypto-cached' && !w.error);
target('wasm in workerd with WebCrypto (cached chain) vs OpenSSL', wc && base ? wc.ops_per_sec / base : null, 0.9);
const es = crit('es256/ring');
if (es && base) {
  out.push('', `For scale: ring's ES256 verify alone is ${(es.per_s / base).toFixed(2)}× OpenSSL here, ` +
    `so a complete verification can reach at most that with a cached chain, and about a third of it ` +
    `when the chain's two CA signatures are also verified on every call.`);
}
console.log(out.join('\n'));
