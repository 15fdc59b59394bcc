// A throwaway SHAKEN test PKI, made fresh for each test run with the openssl CLI:
// root CA -> intermediate CA -> leaf ("SHAKEN <SPC>", TNAuthList SPC, KeyUsage digitalSignature
// critical, BasicConstraints CA:FALSE critical), all EC P-256; plus PASSporT/Identity signing with
// Node crypto. Nothing here is a real carrier's key or certificate.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPrivateKey, randomBytes, randomUUID, sign } from 'node:crypto';

/** TNAuthList (RFC 8226 §9) holding one SPC: SEQUENCE { [0] EXPLICIT IA5String spc }. */
function tnAuthListExt(spc) {
  const hex = Buffer.from(spc, 'ascii').toString('hex').match(/../g).join(':');
  const ia5 = 2 + spc.length;
  const tagged = 2 + ia5;
  const toHex = (n) => n.toString(16).padStart(2, '0');
  return `1.3.6.1.5.5.7.1.26=DER:30:${toHex(tagged)}:a0:${toHex(ia5)}:16:${toHex(spc.length)}:${hex}`;
}

/**
 * @param {object} [o]
 * @param {string} [o.spc] Service Provider Code in the leaf's TNAuthList
 * @param {number} [o.leafDays] leaf validity in days from now
 * @returns {{ root: string, intermediate: string, leaf: string, chain: string, leafKey: KeyObject,
 *   dir: string, cleanup: () => void }}
 */
export function makePki({ spc = '123A', leafDays = 365 } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'stircheck-pki-'));
  const f = (name) => join(dir, name);
  const ossl = (...args) => execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  const serial = () => '0x' + randomBytes(12).toString('hex').replace(/^./, '5');
  const key = (name) => ossl('genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', f(name));

  key('root.key');
  ossl('req', '-x509', '-new', '-key', f('root.key'), '-sha256', '-days', '3650', '-set_serial', serial(),
    '-subj', '/C=US/O=stircheck test/CN=stircheck Test Root CA',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign',
    '-addext', 'subjectKeyIdentifier=hash', '-out', f('root.pem'));

  key('int.key');
  ossl('req', '-new', '-key', f('int.key'), '-subj', '/C=US/O=stircheck test/CN=stircheck Test Intermediate CA', '-out', f('int.csr'));
  writeFileSync(f('int.ext'), [
    'basicConstraints=critical,CA:TRUE,pathlen:0',
    'keyUsage=critical,keyCertSign,cRLSign',
    'subjectKeyIdentifier=hash',
    'authorityKeyIdentifier=keyid:always',
  ].join('\n') + '\n');
  ossl('x509', '-req', '-in', f('int.csr'), '-CA', f('root.pem'), '-CAkey', f('root.key'), '-set_serial', serial(),
    '-days', '1825', '-sha256', '-extfile', f('int.ext'), '-out', f('int.pem'));

  key('leaf.key');
  ossl('req', '-new', '-key', f('leaf.key'), '-subj', `/C=US/O=stircheck test carrier/CN=SHAKEN ${spc}`, '-out', f('leaf.csr'));
  writeFileSync(f('leaf.ext'), [
    'basicConstraints=critical,CA:FALSE',
    'keyUsage=critical,digitalSignature',
    'subjectKeyIdentifier=hash',
    'authorityKeyIdentifier=keyid:always',
    'certificatePolicies=2.16.840.1.114569.1.1.3',
    tnAuthListExt(spc),
  ].join('\n') + '\n');
  ossl('x509', '-req', '-in', f('leaf.csr'), '-CA', f('int.pem'), '-CAkey', f('int.key'), '-set_serial', serial(),
    '-days', String(leafDays), '-sha256', '-extfile', f('leaf.ext'), '-out', f('leaf.pem'));

  const read = (name) => readFileSync(f(name), 'utf8');
  const pki = {
    dir,
    root: read('root.pem'),
    intermediate: read('int.pem'),
    leaf: read('leaf.pem'),
    leafKey: createPrivateKey(read('leaf.key')),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
  pki.chain = pki.leaf + pki.intermediate;
  return pki;
}

const b64url = (buf) => Buffer.from(buf).toString('base64url');

/**
 * A SHAKEN PASSporT and its Identity header value, signed with ES256 (r||s) by `key`.
 * @param {object} o
 * @param {KeyObject} o.key leaf private key
 * @param {string} o.x5u certificate URL (both the header's x5u and the Identity info param)
 * @param {number} [o.iat] default now
 * @param {string} [o.attest] A/B/C
 * @param {string} [o.info] Identity info parameter, default = x5u
 */
export function makeIdentity({ key, x5u, iat = Math.floor(Date.now() / 1000), attest = 'A', info = x5u,
  orig = '12155551212', dest = '12155551213' }) {
  const header = { alg: 'ES256', ppt: 'shaken', typ: 'passport', x5u };
  const claims = { attest, dest: { tn: [dest] }, iat, orig: { tn: orig }, origid: randomUUID() };
  const signingInput = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`;
  const sig = sign('sha256', Buffer.from(signingInput), { key, dsaEncoding: 'ieee-p1363' });
  const token = `${signingInput}.${b64url(sig)}`;
  return { token, header, claims, identity: `${token};info=<${info}>;alg=ES256;ppt=shaken` };
}

/** The same Identity with one claim changed after signing (the signature no longer matches). */
export function tamper(identity) {
  const cut = identity.indexOf(';');
  const [h, p, sig] = identity.slice(0, cut).split('.');
  const claims = JSON.parse(Buffer.from(p, 'base64url').toString());
  claims.attest = claims.attest === 'A' ? 'B' : 'A';
  return `${h}.${b64url(JSON.stringify(claims))}.${sig}${identity.slice(cut)}`;
}
