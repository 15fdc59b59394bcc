// Inspecting a fetched certificate chain before it is cached: is the body really PEM
// certificates, and when does the leaf expire? The cache needs the leaf's notAfter at fetch time
// (an entry must never outlive it), before any verification has run, so this reads just that
// one field with a minimal DER walk instead of waiting for the core's verdict.

const BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----\r?\n([\s\S]*?)-----END \1-----/g;
/** More certificates than any real SHAKEN chain has (leaf + a couple of intermediates). */
export const MAX_CERTS = 10;

/**
 * Extracts the certificates of a PEM chain.
 * @param {string} text response body
 * @returns {{ ok: true, pem: string, ders: Uint8Array[] } | { ok: false, reason: string }}
 *   `pem` is the chain normalised to only its CERTIFICATE blocks, leaf first as served.
 */
export function parsePemChain(text) {
  if (text.includes('\0')) return bad('it is binary data, not a PEM certificate chain');
  const blocks = [];
  const ders = [];
  let rest = text;
  for (const m of text.matchAll(BLOCK)) {
    if (m[1] !== 'CERTIFICATE') return bad(`it contains a "${m[1]}" block, not only certificates`);
    const b64 = m[2].replace(/\s+/g, '');
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(b64)) return bad('a certificate block is not valid base64');
    const der = base64ToBytes(b64);
    if (!looksLikeCertificate(der)) return bad('a certificate block does not contain a certificate');
    blocks.push(m[0]);
    ders.push(der);
    rest = rest.replace(m[0], '');
  }
  if (blocks.length === 0) return bad('it is not a PEM certificate chain (no "BEGIN CERTIFICATE" block)');
  if (blocks.length > MAX_CERTS) return bad(`it holds ${blocks.length} certificates (at most ${MAX_CERTS})`);
  if (rest.includes('-----BEGIN')) return bad('it contains a malformed PEM block');
  return { ok: true, pem: blocks.join('\n') + '\n', ders };
}

function bad(why) {
  return { ok: false, reason: `the certificate repository's response is unusable: ${why}` };
}

function base64ToBytes(b64) {
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** A DER SEQUENCE whose length covers the whole block, holding a SEQUENCE (the TBSCertificate). */
function looksLikeCertificate(der) {
  try {
    const outer = readTlv(der, 0);
    return outer.tag === 0x30 && outer.end === der.length && readTlv(der, outer.start).tag === 0x30;
  } catch {
    return false;
  }
}

/** Reads one DER TLV at `pos`: its tag, content start and end. Throws on truncated input. */
function readTlv(der, pos) {
  if (pos + 2 > der.length) throw new Error('truncated DER');
  const tag = der[pos];
  let len = der[pos + 1];
  let start = pos + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 4 || start + n > der.length) throw new Error('bad DER length');
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + der[start + i];
    start += n;
  }
  const end = start + len;
  if (end > der.length) throw new Error('truncated DER');
  return { tag, start, end };
}

/**
 * The notAfter of a DER certificate, in unix seconds, or null if it cannot be read.
 * Certificate ::= SEQ { tbs SEQ { [0] version?, serial, sigAlg, issuer, validity SEQ {nb, na}, ...} }
 */
export function certNotAfter(der) {
  try {
    const cert = readTlv(der, 0);
    const tbs = readTlv(der, cert.start);
    let field = readTlv(der, tbs.start);
    if (field.tag === 0xa0) field = readTlv(der, field.end); // explicit version: skip
    const sigAlg = readTlv(der, field.end); // field is the serial number
    const issuer = readTlv(der, sigAlg.end);
    const validity = readTlv(der, issuer.end);
    if (validity.tag !== 0x30) return null;
    const notBefore = readTlv(der, validity.start);
    const notAfter = readTlv(der, notBefore.end);
    return parseTime(notAfter.tag, String.fromCharCode(...der.subarray(notAfter.start, notAfter.end)));
  } catch {
    return null;
  }
}

/** UTCTime (tag 0x17, YYMMDDHHMMSSZ, RFC 5280 §4.1.2.5.1) or GeneralizedTime (0x18). */
function parseTime(tag, s) {
  let m;
  if (tag === 0x17 && (m = s.match(/^(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)Z$/))) {
    const yy = Number(m[1]);
    m = [m[0], String(yy >= 50 ? 1900 + yy : 2000 + yy), ...m.slice(2)];
  } else if (tag !== 0x18 || !(m = s.match(/^(\d{4})(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)Z$/))) {
    return null;
  }
  const [, y, mo, d, h, mi, se] = m.map(Number);
  return Date.UTC(y, mo - 1, d, h, mi, se) / 1000;
}
