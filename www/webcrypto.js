/**
 * verifyWithWebCrypto(verifier, text, options) — run a stircheck verification with the host's
 * WebCrypto doing the signature checks (docs/js-api.md, "JS helper").
 *
 * Why: ECDSA in WebCrypto is about ten times faster than the core's portable wasm code. The core stays
 * sans-IO and deterministic: `prepare` parses and lists the signature checks it needs (crypto jobs),
 * this helper performs them, and `finish` completes the verdict. A job WebCrypto cannot do (unknown
 * algorithm, key import refused, no `crypto.subtle` in an insecure context) is answered `null`, so the
 * core runs its built-in code for that job: both paths must give identical verdicts.
 *
 * This file is copied verbatim into the edge worker: keep it free of imports and of DOM access.
 */

/** Imported keys by algorithm + SPKI; a verifier sees the same few leaf/CA keys again and again. */
const keyCache = new Map();
const KEY_CACHE_LIMIT = 256;

/** WebCrypto parameters for a job, or null when WebCrypto has no such algorithm. */
function algorithmFor(job) {
  const hash = { ES256: 'SHA-256', ES384: 'SHA-384', ES512: 'SHA-512', RS256: 'SHA-256' }[job.alg];
  if (!hash) return null;
  if (job.alg === 'RS256') {
    return {
      importParams: { name: 'RSASSA-PKCS1-v1_5', hash },
      verifyParams: { name: 'RSASSA-PKCS1-v1_5' },
    };
  }
  if (!['P-256', 'P-384', 'P-521'].includes(job.curve)) return null;
  return {
    importParams: { name: 'ECDSA', namedCurve: job.curve },
    verifyParams: { name: 'ECDSA', hash },
  };
}

function hex(bytes) {
  let out = '';
  for (const b of bytes) out += b.toString(16).padStart(2, '0');
  return out;
}

async function importKey(subtle, job, importParams) {
  const cacheKey = `${job.alg}|${job.curve}|${hex(job.spki)}`;
  let key = keyCache.get(cacheKey);
  if (!key) {
    key = subtle.importKey('spki', job.spki, importParams, false, ['verify']);
    if (keyCache.size >= KEY_CACHE_LIMIT) keyCache.delete(keyCache.keys().next().value);
    keyCache.set(cacheKey, key);
    // A refused import must not stay cached as a rejected promise.
    key.catch(() => keyCache.delete(cacheKey));
  }
  return key;
}

/** true/false from WebCrypto, or null = "could not run it here, let the core do it". */
async function runJob(subtle, job) {
  const params = algorithmFor(job);
  if (!params) return null;
  try {
    const key = await importKey(subtle, job, params.importParams);
    return await subtle.verify(params.verifyParams, key, job.signature, job.message);
  } catch {
    return null;
  }
}

/**
 * Verify `text` like `verifier.verify(text, options)`, doing the signature checks with WebCrypto.
 * @param {{ verify: Function, prepare: Function }} verifier a stircheck `Verifier`
 * @param {string} text anything the core accepts (SIP message, header lines, Identity value, JWS)
 * @param {object} [options] VerifyOptions (docs/js-api.md)
 * @returns {Promise<object>} the Verdict
 */
export async function verifyWithWebCrypto(verifier, text, options) {
  const subtle = globalThis.crypto && globalThis.crypto.subtle;
  if (!subtle || typeof verifier.prepare !== 'function') return verifier.verify(text, options);
  const pending = verifier.prepare(text, options);
  try {
    const jobs = pending.jobs();
    const results = await Promise.all(jobs.map((job) => runJob(subtle, job)));
    return pending.finish(results);
  } finally {
    // `finish` may consume the wasm object; freeing twice or after consumption must not throw.
    try {
      if (typeof pending.free === 'function') pending.free();
    } catch {
      /* already released by finish */
    }
  }
}
