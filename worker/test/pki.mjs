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
  const { f, ossl, key, serial } = tools({ dir });

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

  const leaf = issueLeaf(dir, { name: 'leaf', spc, days: leafDays });
  const pki = {
    dir,
    root: readFileSync(f('root.pem'), 'utf8'),
    intermediate: readFileSync(f('int.pem'), 'utf8'),
    leaf: leaf.pem,
    leafKey: leaf.key,
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
  pki.chain = pki.leaf + pki.intermediate;
  return pki;
}

/** The openssl CLI in a PKI's directory: file paths, commands, a P-256 key, a random serial. */
function tools({ dir }) {
  const f = (name) => join(dir, name);
  const ossl = (...args) => execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  const key = (name) => ossl('genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', f(name));
  const serial = () => '0x' + randomBytes(12).toString('hex').replace(/^./, '5');
  return { f, ossl, key, serial };
}

/**
 * A SHAKEN leaf `<name>.pem` (key `<name>.key`) issued by the intermediate in `dir`, optionally
 * naming a CRL distribution point (and the STI-PA signer as its cRLIssuer).
 */
function issueLeaf(dir, { name, spc, days, dp, crlIssuer = false }) {
  const { f, ossl, key, serial } = tools({ dir });
  key(`${name}.key`);
  ossl('req', '-new', '-key', f(`${name}.key`), '-subj', `/C=US/O=stircheck test carrier/CN=SHAKEN ${spc}`, '-out', f(`${name}.csr`));
  const ext = [
    'basicConstraints=critical,CA:FALSE',
    'keyUsage=critical,digitalSignature',
    'subjectKeyIdentifier=hash',
    'authorityKeyIdentifier=keyid:always',
    'certificatePolicies=2.16.840.1.114569.1.1.3',
    tnAuthListExt(spc),
  ];
  if (dp) {
    ext.push('crlDistributionPoints=dp_sect', '', '[dp_sect]', `fullname=URI:${dp}`);
    if (crlIssuer) ext.push('CRLissuer=dirName:stipa_dn', '', '[stipa_dn]', ...STIPA_DN);
  }
  writeFileSync(f(`${name}.ext`), ext.join('\n') + '\n');
  ossl('x509', '-req', '-in', f(`${name}.csr`), '-CA', f('int.pem'), '-CAkey', f('int.key'), '-set_serial', serial(),
    '-days', String(days), '-sha256', '-extfile', f(`${name}.ext`), '-out', f(`${name}.pem`));
  return {
    pem: readFileSync(f(`${name}.pem`), 'utf8'),
    key: createPrivateKey(readFileSync(f(`${name}.key`), 'utf8')),
  };
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

// ---- CRLs (issue 13): more leaves naming CRL distribution points, CRL signers, CRLs ----------
// All made with the openssl CLI in the PKI's directory, fresh for each run.

export const STIPA_SUBJECT = '/C=US/O=stircheck test/CN=stircheck Test STI-PA CRL Signer';
const STIPA_DN = ['C = US', 'O = stircheck test', 'CN = stircheck Test STI-PA CRL Signer'];

/**
 * Another leaf under the test intermediate (same SPC), naming a CRL distribution point.
 * @param {object} pki makePki()
 * @param {object} o
 * @param {string} o.name file stem
 * @param {string} [o.dp] the distribution point URL (none: no CRL Distribution Points)
 * @param {boolean} [o.crlIssuer] the distribution point names the STI-PA signer as cRLIssuer (indirect CRL)
 * @returns {{ pem: string, chain: string, key: KeyObject, file: string }}
 */
export function addLeaf(pki, { name, dp, crlIssuer = false, spc = '123A' }) {
  const { pem, key } = issueLeaf(pki.dir, { name, spc, days: 365, dp, crlIssuer });
  return { pem, chain: pem + pki.intermediate, key, file: `${name}.pem` };
}

/** The STI-PA-style CRL signer: issued by the test root, KeyUsage cRLSign (made once per PKI). */
export function stipaSigner(pki) {
  if (pki.stipa) return pki.stipa;
  const { f, ossl, key, serial } = tools(pki);
  key('stipa.key');
  ossl('req', '-new', '-key', f('stipa.key'), '-subj', STIPA_SUBJECT, '-out', f('stipa.csr'));
  writeFileSync(f('stipa.ext'), 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,cRLSign\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid:always\n');
  ossl('x509', '-req', '-in', f('stipa.csr'), '-CA', f('root.pem'), '-CAkey', f('root.key'), '-set_serial', serial(),
    '-days', '1825', '-sha256', '-extfile', f('stipa.ext'), '-out', f('stipa.pem'));
  pki.stipa = { pem: readFileSync(f('stipa.pem'), 'utf8'), cert: 'stipa.pem', key: 'stipa.key' };
  return pki.stipa;
}

/** A self-signed certificate bearing the intermediate's name: a forged CRL signer (not under the root). */
function rogueSigner(pki) {
  if (pki.rogue) return pki.rogue;
  const { f, ossl, key } = tools(pki);
  key('rogue.key');
  ossl('req', '-x509', '-new', '-key', f('rogue.key'), '-sha256', '-days', '365',
    '-subj', '/C=US/O=stircheck test/CN=stircheck Test Intermediate CA',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign', '-out', f('rogue.pem'));
  pki.rogue = { cert: 'rogue.pem', key: 'rogue.key' };
  return pki.rogue;
}

let crlCount = 0;
/**
 * A CRL made with `openssl ca -gencrl`.
 * @param {object} pki
 * @param {object} o
 * @param {"intermediate"|"stipa"|"rogue"} [o.signer] who signs it (intermediate: a direct CRL of the leaves' issuer)
 * @param {string[]} [o.revoke] certificate files (in pki.dir) to list as revoked
 * @param {Date} [o.lastUpdate] thisUpdate (default now)
 * @param {Date} [o.nextUpdate] nextUpdate (default in 7 days)
 * @returns {{ pem: string, der: Buffer }} (pem: the X509 CRL block only)
 */
export function makeCrl(pki, { signer = 'intermediate', revoke = [], lastUpdate, nextUpdate } = {}) {
  const { f, ossl } = tools(pki);
  const s = signer === 'stipa' ? stipaSigner(pki) : signer === 'rogue' ? rogueSigner(pki) : { cert: 'int.pem', key: 'int.key' };
  const n = ++crlCount;
  writeFileSync(f(`index-${n}.txt`), '');
  writeFileSync(f(`crlnumber-${n}`), '01\n');
  writeFileSync(f(`ca-${n}.cnf`), [
    '[ca]', 'default_ca = CA_default', '[CA_default]',
    `database = ${f(`index-${n}.txt`)}`, `crlnumber = ${f(`crlnumber-${n}`)}`,
    'default_md = sha256', 'default_crl_days = 7', 'unique_subject = no', 'crl_extensions = crl_ext',
    '[crl_ext]', 'authorityKeyIdentifier = keyid:always',
  ].join('\n') + '\n');
  const common = ['-config', f(`ca-${n}.cnf`), '-keyfile', f(s.key), '-cert', f(s.cert)];
  for (const file of revoke) ossl('ca', ...common, '-revoke', f(file), '-crl_reason', 'keyCompromise');
  const stamp = (d) => d.toISOString().replace(/[-:T]/g, '').slice(0, 14) + 'Z';
  const times = [];
  if (lastUpdate) times.push('-crl_lastupdate', stamp(lastUpdate));
  if (nextUpdate) times.push('-crl_nextupdate', stamp(nextUpdate));
  ossl('ca', ...common, '-gencrl', ...times, '-out', f(`crl-${n}.pem`));
  const pem = readFileSync(f(`crl-${n}.pem`), 'utf8');
  const der = execFileSync('openssl', ['crl', '-in', f(`crl-${n}.pem`), '-outform', 'DER'], { cwd: pki.dir });
  return { pem, der };
}
