// Shared fixture table for the JS API tests (tests/js/api.test.mjs) and the wasm benchmark
// (bench/wasm.mjs). Built at run time from the read-only corpus (../shared/corpus, or
// $STIRCHECK_CORPUS) and the demo PKI in www/demo; demo headers are signed fresh with the wasm `sign()`.
//
// A row: { name, text, at, asOfCall?, chain (PEM, leaf first) | null, trust (PEM[]) | null (= built-in),
//          expect: { status, attest, sip_code, checks?: { [checkId]: outcome },
//                    jobKinds?: ["ALG/curve", ...] that must be among the crypto jobs } }
// Every option of a row maps one to one onto the CLI (`--at`/`--as-of-call`, `--cert`, `--trust`,
// `--offline`) and onto the wasm VerifyOptions, so the three verdicts can be compared whole.

import { existsSync, readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const REPO = resolve(here, '..', '..');
export const CORPUS = resolve(REPO, process.env.STIRCHECK_CORPUS ?? '../shared/corpus');
export const WWW_PKG = join(REPO, 'www', 'pkg');
export const CLI = join(REPO, 'target', 'release', 'stircheck');

/** What the CLI says for an x5u it may not fetch (src/bin/stircheck/main.rs, `--offline`). */
export const OFFLINE_FETCH_ERROR = 'fetching is off (--offline); pass the chain with --cert';
/** What the CLI says for a CRL distribution point it may not fetch (`--offline`). */
export const OFFLINE_CRL_FETCH_ERROR = 'fetching is off (--offline); supply it with --resource URL=FILE';

/** Load the wasm build of www/pkg synchronously; throws (never skips) when it is missing. */
export async function loadWasm() {
  const js = join(WWW_PKG, 'stircheck.js');
  const wasm = join(WWW_PKG, 'stircheck_bg.wasm');
  for (const f of [js, wasm]) {
    if (!existsSync(f)) throw new Error(`${f} is missing: build it with \`bash scripts/build-wasm.sh\` (make test-js does this first)`);
  }
  const core = await import(js);
  core.initSync({ module: readFileSync(wasm) });
  return core;
}

export function requireCorpus() {
  if (!existsSync(join(CORPUS, 'headers.jsonl'))) {
    throw new Error(`the shared corpus is missing at ${CORPUS} (set STIRCHECK_CORPUS to its folder)`);
  }
}

const read = (...p) => readFileSync(join(...p), 'utf8');
const PEM_RE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

function pemToDer(pem) {
  return Buffer.from(pem.replace(/-----[A-Z ]+-----|\s/g, ''), 'base64');
}
function derToPem(der) {
  const b64 = der.toString('base64').match(/.{1,64}/g).join('\n');
  return `-----BEGIN CERTIFICATE-----\n${b64}\n-----END CERTIFICATE-----\n`;
}
const sha256 = (buf) => createHash('sha256').update(buf).digest('hex');

let leavesCache;
/** The leaf at `position` (0-based) of certs/leaves.pem, checked against its index sha256. */
export function corpusLeaf(sha) {
  const index = read(CORPUS, 'certs', 'index.jsonl')
    .split('\n')
    .filter((l) => l.includes(sha))
    .map((l) => JSON.parse(l))
    .find((e) => e.sha256 === sha);
  if (!index) throw new Error(`certificate ${sha} is not in certs/index.jsonl`);
  leavesCache ??= read(CORPUS, 'certs', index.bundle ?? 'leaves.pem').match(PEM_RE);
  const pem = leavesCache[index.position];
  if (!pem || sha256(pemToDer(pem)) !== sha) {
    throw new Error(`leaves.pem position ${index.position} is not certificate ${sha}`);
  }
  return { pem: `${pem}\n`, index };
}

/** First leaf in certs/index.jsonl issued by `issuerCn` and valid at `at` (unix s). */
function corpusLeafIssuedBy(issuerCn, at) {
  for (const line of read(CORPUS, 'certs', 'index.jsonl').split('\n')) {
    if (!line.includes(issuerCn)) continue;
    const e = JSON.parse(line);
    if (e.ca || !e.issuer.includes(`CN=${issuerCn}`) || e.position === undefined) continue;
    if (Date.parse(e.notBefore) / 1000 < at && at < Date.parse(e.notAfter) / 1000) return corpusLeaf(e.sha256);
  }
  throw new Error(`no corpus leaf issued by ${issuerCn} valid at ${at}`);
}

export function corpusHeaders() {
  return read(CORPUS, 'headers.jsonl')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l));
}

/** The production Verizon header (attest A) with its real chain and the Metaswitch root. */
export function verizon() {
  const entry = corpusHeaders().find((e) => e.kind === 'production' && /sti\.verizon\.com/.test(e.x5u ?? '') && e.cert_sha256);
  if (!entry) throw new Error('the corpus has no production Verizon header with cert_sha256');
  const leaf = corpusLeaf(entry.cert_sha256);
  const intermediates = entry.chain_in_corpus.filter((f) => f.startsWith('intermediates/'));
  const rootFile = entry.chain_in_corpus.find((f) => f.startsWith('roots/'));
  if (!/Metaswitch/.test(rootFile ?? '')) throw new Error(`Verizon root is not Metaswitch: ${rootFile}`);
  const intermediatePems = intermediates.map((f) => read(CORPUS, 'certs', f));
  return {
    entry,
    text: entry.identity,
    iat: Number(entry.iat),
    x5u: entry.x5u,
    leaf: leaf.pem,
    intermediates: intermediatePems,
    chain: [leaf.pem, ...intermediatePems].join(''),
    root: read(CORPUS, 'certs', rootFile),
  };
}

export function demoPki() {
  const d = join(REPO, 'www', 'demo');
  return { root: read(d, 'demo-root.pem'), chain: read(d, 'demo-chain.pem'), key: read(d, 'demo-key.pem') };
}

/** notBefore of the first certificate of a PEM bundle, unix seconds (via the wasm decoder-free X509). */
async function notBefore(pem) {
  const { X509Certificate } = await import('node:crypto');
  return Math.floor(Date.parse(new X509Certificate(pemToDer(pem.match(PEM_RE)[0])).validFrom) / 1000);
}

// --- token surgery ---------------------------------------------------------------------------

const b64u = {
  decode: (s) => Buffer.from(s, 'base64url'),
  encode: (b) => Buffer.from(b).toString('base64url'),
};

/** Split "Identity: a.b.c;params" or "a.b.c" into its parts. */
function splitToken(text) {
  const m = /^(\s*(?:Identity:\s*)?)([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]*)(.*)$/s.exec(text);
  if (!m) throw new Error(`not a JWS / Identity line: ${text.slice(0, 40)}`);
  const [, prefix, header, payload, signature, rest] = m;
  return { prefix, header, payload, signature, rest };
}
const joinToken = (t) => `${t.prefix}${t.header}.${t.payload}.${t.signature}${t.rest}`;

/** Change one character in the middle of the signature (a different, still well-formed r||s). */
export function flipSignatureChar(text) {
  const t = splitToken(text);
  const i = 20;
  const c = t.signature[i];
  t.signature = t.signature.slice(0, i) + (c === 'A' ? 'B' : 'A') + t.signature.slice(i + 1);
  return joinToken(t);
}

/** Rewrite the claims without re-signing. */
export function editClaims(text, edit) {
  const t = splitToken(text);
  const claims = JSON.parse(b64u.decode(t.payload).toString('utf8'));
  edit(claims);
  t.payload = b64u.encode(JSON.stringify(claims));
  return joinToken(t);
}

/** Re-encode the fixed-size r||s ES256 signature as a DER ECDSA-Sig-Value (a common signer bug). */
export function derSignature(text) {
  const t = splitToken(text);
  const sig = b64u.decode(t.signature);
  const int = (b) => {
    let i = 0;
    while (i < b.length - 1 && b[i] === 0) i++;
    let v = b.subarray(i);
    if (v[0] & 0x80) v = Buffer.concat([Buffer.from([0]), v]);
    return Buffer.concat([Buffer.from([2, v.length]), v]);
  };
  const body = Buffer.concat([int(sig.subarray(0, 32)), int(sig.subarray(32))]);
  t.signature = b64u.encode(Buffer.concat([Buffer.from([0x30, body.length]), body]));
  return joinToken(t);
}

/** A copy of a certificate PEM with one bit of its signature (last DER byte) flipped. */
function corruptCertSignature(pem) {
  const der = Buffer.from(pemToDer(pem));
  der[der.length - 1] ^= 0x01;
  return derToPem(der);
}

export function sipInvite({ identity, from, to, callId = 'a84b4c76e66710@pc33.example.com' }) {
  return [
    `INVITE sip:+${to}@example.com;user=phone SIP/2.0`,
    'Via: SIP/2.0/UDP pc33.example.com;branch=z9hG4bK776asdhds',
    'Max-Forwards: 70',
    `To: <sip:+${to}@example.com;user=phone>`,
    `From: "Demo" <sip:+${from}@example.com;user=phone>;tag=1928301774`,
    `Call-ID: ${callId}`,
    'CSeq: 314159 INVITE',
    'Contact: <sip:alice@pc33.example.com>',
    identity,
    'Content-Type: application/sdp',
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n');
}

// --- the table ---------------------------------------------------------------------------------

/**
 * Build the fixture table.
 * @param {object} core the initialised wasm module (for `sign`)
 * @returns {Promise<object[]>}
 */
export async function buildTable(core) {
  requireCorpus();
  const rows = [];
  const add = (row) => rows.push({ asOfCall: false, trust: null, chain: null, ...row });

  // Production Verizon header, real chain, Metaswitch root, as of its iat.
  const vz = verizon();
  const vzBase = { at: vz.iat, chain: vz.chain, trust: [vz.root] };
  const passCert = { signature: 'pass', 'cert.chain': 'pass', 'cert.validity': 'pass', 'time.iat': 'pass' };
  add({ name: 'verizon: bare JWS, chain, Metaswitch root, at iat', text: vz.text, ...vzBase, expect: { status: 'valid', attest: 'A', sip_code: null, checks: passCert } });
  add({ name: 'verizon: as an Identity header line with params', text: `Identity: ${vz.text};info=<${vz.x5u}>;alg=ES256;ppt="shaken"`, ...vzBase, expect: { status: 'valid', attest: 'A', sip_code: null, checks: { ...passCert, 'identity.syntax': 'pass' } } });
  add({ name: 'verizon: as of the call (asOfCall)', text: vz.text, at: undefined, asOfCall: true, chain: vz.chain, trust: [vz.root], expect: { status: 'valid', attest: 'A', sip_code: null, checks: passCert } });
  add({ name: 'verizon: built-in trust snapshot, at iat', text: vz.text, at: vz.iat, chain: vz.chain, trust: null, expect: { status: 'valid', attest: 'A', sip_code: null, checks: passCert } });
  add({ name: 'verizon: verified now (stale iat, expired leaf)', text: vz.text, ...vzBase, at: vz.iat + 5 * 365 * 86400, expect: { status: 'invalid', attest: null, sip_code: 403, checks: { 'time.iat': 'fail', signature: 'pass' } } });
  add({ name: 'verizon: signature char flipped', text: flipSignatureChar(vz.text), ...vzBase, expect: { status: 'invalid', attest: null, sip_code: 438, checks: { signature: 'fail', 'cert.chain': 'pass' } } });
  add({ name: 'verizon: claims changed (orig)', text: editClaims(vz.text, (c) => (c.orig.tn = '19194132056')), ...vzBase, expect: { status: 'invalid', attest: null, sip_code: 438, checks: { signature: 'fail' } } });
  add({ name: 'verizon: DER signature', text: derSignature(vz.text), ...vzBase, expect: { status: 'invalid', attest: null, sip_code: 438, checks: { signature: 'fail' } } });
  add({ name: 'verizon: chain without the intermediate', text: vz.text, ...vzBase, chain: vz.leaf, expect: { status: 'invalid', attest: null, sip_code: 437, checks: { 'cert.chain': 'fail', signature: 'pass' } } });
  add({ name: 'verizon: intermediate with a corrupted CA signature', text: vz.text, ...vzBase, chain: [vz.leaf, ...vz.intermediates.map(corruptCertSignature)].join(''), expect: { status: 'invalid', attest: null, sip_code: 437, checks: { 'cert.chain': 'fail', signature: 'pass' } } });
  add({ name: 'verizon: untrusted (demo root as the store)', text: vz.text, ...vzBase, trust: [demoPki().root], expect: { status: 'invalid', attest: null, sip_code: 437, checks: { 'cert.chain': 'fail', signature: 'pass' } } });
  add({ name: 'verizon: no chain (offline)', text: vz.text, at: vz.iat, chain: null, trust: [vz.root], expect: { status: 'invalid', attest: null, sip_code: 436, checks: { 'cert.fetch': 'fail' } } });

  // RFC 8224 §4 example with the RFC's public key: the signature verifies, SHAKEN rules reject it.
  const rfc = corpusHeaders().find((e) => e.kind === 'rfc-example');
  if (!rfc) throw new Error('the corpus has no rfc-example header');
  add({
    name: 'RFC 8224 example with its public key',
    text: `Identity: ${rfc.identity}`,
    at: Number(rfc.iat),
    chain: read(CORPUS, rfc.public_key_file),
    trust: [vz.root],
    expect: { status: 'invalid', attest: null, sip_code: 436, checks: { signature: 'pass', 'cert.chain': 'fail', 'x5u.url': 'fail' } },
  });

  // libstirshaken fixture headers, test SP certificate, SignalWire test CA as the store.
  const lss = corpusHeaders().filter((e) => e.cert_file === 'fixtures/libstirshaken/examples_cache_sp.pem' && !e.duplicate_of_earlier_token);
  if (lss.length < 3) throw new Error(`expected libstirshaken fixture headers, found ${lss.length}`);
  const lssCa = read(CORPUS, 'fixtures', 'libstirshaken', 'examples_ca_ca.pem');
  const lssSp = read(CORPUS, 'fixtures', 'libstirshaken', 'examples_cache_sp.pem');
  lss.forEach((e, i) => {
    // Header values with parameters become an Identity header line; bare JWSs stay bare.
    const params = e.identity.includes(';');
    const text = params ? `Identity: ${e.identity}` : e.identity;
    const http = e.x5u.startsWith('http:');
    const badTn = e.decoded_payload?.orig?.tn === 'Bob' || typeof e.decoded_payload?.orig === 'string';
    // openssl verified every one of these signatures; the SP test certificate's TNAuthList is
    // malformed (437), and some claims are not SHAKEN (438) or the x5u is http (436).
    add({
      name: `libstirshaken #${i + 1} (${http ? 'http x5u' : 'https x5u'}${params ? ', with params' : ''}${badTn ? ', bad orig' : ''})`,
      text,
      at: Number(e.iat) + 5,
      chain: lssSp,
      trust: [lssCa],
      expect: {
        status: 'invalid',
        attest: null,
        sip_code: http ? 436 : badTn ? 438 : 437,
        checks: { signature: 'pass', 'cert.chain': 'pass', 'cert.profile': 'fail' },
      },
    });
  });

  // Demo PKI: headers signed now with the wasm sign(); the demo leaf's notBefore may be recent.
  const demo = demoPki();
  const T = Math.max(Math.floor(Date.now() / 1000), (await notBefore(demo.chain)) + 120);
  const DEMO_X5U = 'https://certs.example.com/stircheck-demo/demo-chain.pem';
  const ORIG = '12025550142';
  const DEST = '12025550199';
  const demoSign = (o = {}) => core.sign({ keyPem: demo.key, x5u: DEMO_X5U, attest: 'A', orig: ORIG, dest: [DEST], iat: T, ...o });
  const demoBase = { at: T, chain: demo.chain, trust: [demo.root] };
  const demoA = demoSign();
  for (const attest of ['A', 'B', 'C']) {
    add({ name: `demo: signed now, attest ${attest}`, text: attest === 'A' ? demoA : demoSign({ attest }), ...demoBase, expect: { status: 'valid', attest, sip_code: null, checks: passCert } });
  }
  add({ name: 'demo: two destinations, origid given', text: demoSign({ dest: [DEST, '12025550100'], origid: '123e4567-e89b-12d3-a456-426614174000' }), ...demoBase, expect: { status: 'valid', attest: 'A', sip_code: null, checks: passCert } });
  add({ name: 'demo: attest B edited to A', text: editClaims(demoSign({ attest: 'B' }), (c) => (c.attest = 'A')), ...demoBase, expect: { status: 'invalid', attest: null, sip_code: 438, checks: { signature: 'fail' } } });
  add({ name: 'demo: signature char flipped', text: flipSignatureChar(demoA), ...demoBase, expect: { status: 'invalid', attest: null, sip_code: 438, checks: { signature: 'fail' } } });
  add({ name: 'demo: DER signature', text: derSignature(demoA), ...demoBase, expect: { status: 'invalid', attest: null, sip_code: 438, checks: { signature: 'fail' } } });
  add({ name: 'demo: iat one hour old', text: demoSign({ iat: T - 3600 }), ...demoBase, expect: { status: 'invalid', attest: null, sip_code: 403, checks: { 'time.iat': 'fail', signature: 'pass' } } });
  add({ name: 'demo: iat in the future', text: demoSign({ iat: T + 3600 }), ...demoBase, expect: { status: 'invalid', attest: null, sip_code: 403, checks: { 'time.iat': 'fail', signature: 'pass' } } });
  add({ name: 'demo: built-in store does not trust the demo root', text: demoA, ...demoBase, trust: null, expect: { status: 'invalid', attest: null, sip_code: 437, checks: { 'cert.chain': 'fail', signature: 'pass' } } });

  // A whole SIP INVITE, with the From/To the PASSporT signed and with changed ones.
  const header = demoA;
  add({ name: 'SIP INVITE, From/To match', text: sipInvite({ identity: header, from: ORIG, to: DEST }), ...demoBase, expect: { status: 'valid', attest: 'A', sip_code: null, checks: { ...passCert, 'call.orig': 'pass', 'call.dest': 'pass' } } });
  add({ name: 'SIP INVITE, From changed', text: sipInvite({ identity: header, from: '12025550111', to: DEST }), ...demoBase, expect: { status: 'invalid', attest: null, sip_code: 438, checks: { 'call.orig': 'fail', signature: 'pass' } } });
  add({ name: 'SIP INVITE, To changed', text: sipInvite({ identity: header, from: ORIG, to: '12025550111' }), ...demoBase, expect: { status: 'invalid', attest: null, checks: { 'call.dest': 'fail', signature: 'pass' } } });
  add({ name: 'SIP INVITE without Identity', text: sipInvite({ identity: 'P-Asserted-Identity: <sip:+12025550142@example.com;user=phone>', from: ORIG, to: DEST }), ...demoBase, expect: { status: 'no-identity', attest: null, sip_code: 428 } });

  // Real chains whose CA signatures use the other algorithms (the PASSporT is demo-signed, so its
  // signature fails: these rows check that both crypto paths validate the same paths).
  const chainRow = (name, issuerCn, intermediateFile, rootFile, at, jobKinds) => {
    const leaf = corpusLeafIssuedBy(issuerCn, at);
    add({
      name,
      text: demoSign({ x5u: 'https://certs.example.net/sti/leaf.pem', iat: at }),
      at,
      chain: leaf.pem + read(CORPUS, 'certs', 'intermediates', intermediateFile),
      trust: [read(CORPUS, 'certs', 'roots', rootFile)],
      expect: { status: 'invalid', attest: null, sip_code: 438, checks: { 'cert.chain': 'pass', signature: 'fail' }, jobKinds },
    });
  };
  chainRow('CTIA chain: ES384 by P-384 CAs', 'SHAKEN Intermediate CA 4', 'SHAKEN_Intermediate_CA_4_152da8c7466f18a0.pem', 'SHAKEN_Root_CA_ee1cf83becad4777.pem', Date.parse('2025-06-01T00:00:00Z') / 1000, ['ES384/P-384']);
  chainRow('NetNumber chain: ES256 by P-384, ES384 by P-521', 'NetNumber SHAKEN Root Intermediate', 'NetNumber_SHAKEN_Root_Intermed_e449803766edf02a.pem', 'NetNumber_SHAKEN_Root_CA_1_2dd1386ca717f31d.pem', Date.parse('2025-06-01T00:00:00Z') / 1000, ['ES256/P-384', 'ES384/P-521']);
  chainRow('Neustar chain: RS256 by RSA CAs', 'Neustar Certified Caller ID CA', 'Neustar_Certified_Caller_ID_CA_dade1a52e76c29fc.pem', 'Neustar_Certified_Caller_ID_Ro_4a77c17cd411cb0f.pem', Date.parse('2022-06-01T00:00:00Z') / 1000, ['RS256/null']);

  // Not a header at all.
  add({ name: 'garbage', text: 'hello, this is not a SIP message', at: T, expect: { status: 'invalid', attest: null, sip_code: 438, checks: { input: 'fail' } } });
  add({ name: 'binary-ish garbage', text: '\u0000\u0001\u0002 eyJ.eyJ. ;;;', at: T, expect: { status: 'invalid', attest: null } });
  add({ name: 'empty input', text: '', at: T, expect: { status: 'invalid', attest: null, sip_code: 438, checks: { input: 'fail' } } });
  return rows;
}
