// Runs the core's signature checks on WebCrypto (docs/js-api.md "two-phase" API). The core parses
// and decides; the host does the ECDSA/RSA math, because crypto.subtle.verify in workerd is ~13x
// faster than the core's portable p256 code in wasm (TOOLCHAIN.md). Any job WebCrypto cannot run
// is answered `null`, and the core runs its built-in path for that one job, so the verdict is the
// same either way.
//
// Same contract as the page's helper (www/webcrypto.js); the worker keeps its own copy because it
// also caches imported keys across requests: a repeat caller's SPKI is imported once per isolate.

/** alg (JOSE / the core's job.alg) -> WebCrypto parameters. */
const ALGS = {
  ES256: { kind: 'ECDSA', hash: 'SHA-256' },
  ES384: { kind: 'ECDSA', hash: 'SHA-384' },
  ES512: { kind: 'ECDSA', hash: 'SHA-512' },
  RS256: { kind: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
};

const MAX_KEYS = 2000;
/** Imported keys by alg + curve + SPKI bytes. Holds promises so concurrent imports coalesce. */
const keys = new Map();

/**
 * Verifies `text` with `verifier` (a core `Verifier`), doing the crypto jobs in WebCrypto.
 * @returns {Promise<object>} the Verdict
 */
export async function verifyWithWebCrypto(verifier, text, options) {
  const pending = verifier.prepare(text, options);
  try {
    const results = await Promise.all(pending.jobs().map(runJob));
    return pending.finish(results);
  } finally {
    pending.free(); // wasm memory: finish() leaves the Pending object allocated
  }
}

/**
 * Like verifyWithWebCrypto, but the core renders the verdict in `view` ("full", "compact",
 * "sbc") and hands over JSON text, which the caller sends as it is (no parse + re-serialize).
 * @returns {Promise<string>}
 */
export async function verifyView(verifier, text, options, view) {
  const pending = verifier.prepare(text, options);
  try {
    const jobs = pending.jobs();
    const results = jobs.length === 1 ? [await runJob(jobs[0])] : await Promise.all(jobs.map(runJob));
    return pending.finishView(results, view);
  } finally {
    pending.free();
  }
}

/** One crypto job -> true/false from WebCrypto, or null when WebCrypto cannot answer. */
export async function runJob(job) {
  const alg = ALGS[job.alg];
  const subtle = globalThis.crypto?.subtle;
  if (!alg || !subtle) return null;
  try {
    const key = await importKey(subtle, job, alg);
    const params = alg.kind === 'ECDSA' ? { name: 'ECDSA', hash: alg.hash } : { name: alg.kind };
    return await subtle.verify(params, key, job.signature, job.message);
  } catch {
    return null; // unsupported curve, unparsable key...: let the core decide
  }
}

function importKey(subtle, job, alg) {
  const id = `${job.alg}/${job.curve}/${hex(job.spki)}`;
  let key = keys.get(id);
  if (!key) {
    if (keys.size >= MAX_KEYS) keys.clear();
    const params = alg.kind === 'ECDSA' ? { name: 'ECDSA', namedCurve: job.curve } : { name: alg.kind, hash: alg.hash };
    key = subtle.importKey('spki', job.spki, params, false, ['verify']);
    key.catch(() => keys.delete(id));
    keys.set(id, key);
  }
  return key;
}

function hex(bytes) {
  let s = '';
  for (let i = 0; i < bytes.length; i++) s += (bytes[i] < 16 ? '0' : '') + bytes[i].toString(16);
  return s;
}
