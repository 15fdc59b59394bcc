/**
 * "Try an example": a valid and a tampered demo header, signed in the page so they are fresh ("now").
 *
 * Why sign in the page: a fixed example header would be stale a minute after it was made and fail
 * the freshness check. The demo PKI in www/demo/ (root, chain, private key) is labelled DEMO and is
 * trusted only when the page verifies a demo example (it passes the demo root as the trust store for
 * that one verification); real headers are never checked against it.
 */

/** Where demo headers say their certificate is. The page serves this chain itself (see app.js). */
export const DEMO_X5U = 'https://certs.example.com/stircheck-demo/demo-chain.pem';
export const DEMO_FILES = Object.freeze({
  root: './demo/demo-root.pem',
  chain: './demo/demo-chain.pem',
  key: './demo/demo-key.pem',
});
/** Fictional numbers (555-01xx is reserved for fiction in the NANP). */
export const DEMO_ORIG = '12025550142';
export const DEMO_DEST = '12025550199';

let pkiPromise = null;

async function fetchText(path) {
  const response = await fetch(path);
  if (!response.ok) throw new Error(`demo file ${path} is missing (${response.status})`);
  return response.text();
}

/**
 * Load the demo PKI once per page view (a failed load is retried on the next click).
 * @returns {Promise<{ root: string, chain: string, key: string }>}
 */
export function loadDemoPki() {
  if (!pkiPromise) {
    pkiPromise = Promise.all([fetchText(DEMO_FILES.root), fetchText(DEMO_FILES.chain), fetchText(DEMO_FILES.key)]).then(
      ([root, chain, key]) => ({ root, chain, key }),
    );
    pkiPromise.catch(() => (pkiPromise = null));
  }
  return pkiPromise;
}

function base64urlToText(segment) {
  const b64 = segment.replace(/-/g, '+').replace(/_/g, '/');
  const bytes = Uint8Array.from(atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4)), (c) => c.charCodeAt(0));
  return new TextDecoder().decode(bytes);
}

function textToBase64url(text) {
  let binary = '';
  for (const b of new TextEncoder().encode(text)) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/**
 * Rewrite the claims of a signed Identity line without re-signing — what an attacker upgrading the
 * attestation would do. The signature then no longer matches.
 * @param {string} identityLine "Identity: <jws>;info=<...>;..."
 * @param {(claims: object) => void} edit
 */
export function tamperClaims(identityLine, edit) {
  const match = /^(\s*Identity:\s*)([^.;\s]+)\.([^.;\s]+)\.([^;\s]*)(.*)$/s.exec(identityLine);
  if (!match) throw new Error('not an Identity header line');
  const [, prefix, header, payload, signature, rest] = match;
  const claims = JSON.parse(base64urlToText(payload));
  edit(claims);
  return `${prefix}${header}.${textToBase64url(JSON.stringify(claims))}.${signature}${rest}`;
}

/**
 * Sign a demo PASSporT as of `nowSeconds`.
 * @param {{ sign: Function }} core the wasm module
 * @param {{ key: string }} pki
 * @param {{ broken?: boolean, nowSeconds?: number }} [opts] broken: signed with attestation B, then
 *   the claims are edited to say A
 * @returns {string} an `Identity:` header line
 */
export function makeDemoHeader(core, pki, { broken = false, nowSeconds = Date.now() / 1000 } = {}) {
  const options = {
    keyPem: pki.key,
    x5u: DEMO_X5U,
    attest: broken ? 'B' : 'A',
    orig: DEMO_ORIG,
    dest: [DEMO_DEST],
    iat: Math.floor(nowSeconds),
  };
  if (globalThis.crypto?.randomUUID) options.origid = globalThis.crypto.randomUUID();
  const line = core.sign(options);
  return broken ? tamperClaims(line, (claims) => (claims.attest = 'A')) : line;
}
