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
 * One file for the page and the edge worker: scripts/build-wasm.sh copies it byte for byte to
 * worker/src/webcrypto.js (workerd cannot import outside the worker's folder), and
 * worker/test/webcrypto-copy.test.mjs fails if the two differ. Keep it free of imports and DOM access.
 */

/**
 * Imported keys by algorithm + curve + SPKI, oldest first: the CryptoKey once imported, so a
 * repeat job verifies without waiting on a promise; while the import runs, its promise (so
 * concurrent imports of one key coalesce).
 */
const keyCache = new Map();
/** A page sees a handful of keys; a worker isolate the leaf and CA keys of many carriers. */
const KEY_CACHE_LIMIT = 2000;

/** WebCrypto parameters per job algorithm and key curve, made once (not per job). */
const ALGORITHMS = new Map();
for (const [alg, hash] of [['ES256', 'SHA-256'], ['ES384', 'SHA-384'], ['ES512', 'SHA-512']]) {
  for (const curve of ['P-256', 'P-384', 'P-521']) {
    ALGORITHMS.set(`${alg}|${curve}`, { importParams: { name: 'ECDSA', namedCurve: curve }, verifyParams: { name: 'ECDSA', hash } });
  }
}
ALGORITHMS.set('RS256|null', { importParams: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, verifyParams: { name: 'RSASSA-PKCS1-v1_5' } });

/** WebCrypto parameters for a job, or undefined when WebCrypto has no such algorithm. */
function algorithmFor(job) {
  return ALGORITHMS.get(`${job.alg}|${job.curve}`);
}

/** The job's key: a CryptoKey when imported before, else the import's promise. */
function importKey(subtle, job, importParams) {
  // The SPKI bytes as a binary string: an exact key, ~4x cheaper to build per request than hex.
  const id = `${job.alg}|${job.curve}|${String.fromCharCode.apply(null, job.spki)}`;
  let key = keyCache.get(id);
  if (key) {
    // Refresh recency: Map keeps insertion order, so re-inserting moves it to the young end.
    keyCache.delete(id);
  } else {
    const importing = subtle.importKey('spki', job.spki, importParams, false, ['verify']);
    // Imported: keep the key itself. Refused: it must not stay cached as a rejected promise.
    importing.then(
      (k) => keyCache.get(id) === importing && keyCache.set(id, k),
      () => keyCache.get(id) === importing && keyCache.delete(id),
    );
    while (keyCache.size >= KEY_CACHE_LIMIT) keyCache.delete(keyCache.keys().next().value);
    key = importing;
  }
  keyCache.set(id, key);
  return key;
}

/** true/false from WebCrypto, or null = "could not run it here, let the core do it". */
export function runJob(job, subtle = globalThis.crypto && globalThis.crypto.subtle) {
  return startJob(job, subtle, false);
}

/**
 * `runJob`; with `views` (the job's bytes are views of wasm memory, `Pending.jobViews`) the
 * bytes reach WebCrypto before this returns — WebCrypto copies what it is given when called —
 * or are copied first when the key must be awaited: nothing reads a view after an await.
 */
async function startJob(job, subtle, views) {
  const params = algorithmFor(job);
  if (!params || !subtle) return null;
  try {
    let key = importKey(subtle, job, params.importParams);
    let { signature, message } = job;
    if (typeof key.then === 'function') {
      if (views) [signature, message] = [signature.slice(), message.slice()];
      key = await key;
    }
    return await subtle.verify(params.verifyParams, key, signature, message);
  } catch {
    return null;
  }
}

/**
 * Runs every job of `pending` (a wasm Pending), then `finish(results)`; frees it either way.
 * `fallback(job)` (optional) answers the jobs WebCrypto could not run; without it they stay `null`
 * and the core runs them itself.
 */
async function settle(pending, subtle, finish, fallback) {
  try {
    // Without a fallback no job is used after the first await below, so views of the module's
    // memory serve (no buffer per job); a fallback answers jobs later, from copies.
    const views = !fallback && subtle && typeof pending.jobViews === 'function';
    const jobs = views ? pending.jobViews() : pending.jobs();
    let results = jobs.length === 1 ? [await startJob(jobs[0], subtle, views)] : await Promise.all(jobs.map((job) => startJob(job, subtle, views)));
    if (fallback && results.includes(null)) {
      results = await Promise.all(results.map((r, i) => (r === null ? fallback(jobs[i]) : r)));
    }
    return finish(results);
  } finally {
    // wasm memory: `finish` leaves the Pending object allocated until it is freed.
    pending.free();
  }
}

/**
 * Verify `text` like `verifier.verify(text, options)`, doing the signature checks with WebCrypto.
 * @param {{ verify?: Function, prepare: Function }} verifier a stircheck `Verifier`
 * @param {string} text anything the core accepts (SIP message, header lines, Identity value, JWS)
 * @param {object} [options] VerifyOptions (docs/js-api.md)
 * @param {(job: object) => Promise<boolean> | boolean} [fallback] answers a job WebCrypto cannot
 *   run; needed with the page's module, which has no signature code of its own (www/api.js)
 * @returns {Promise<object>} the Verdict
 */
export async function verifyWithWebCrypto(verifier, text, options, fallback) {
  const subtle = globalThis.crypto && globalThis.crypto.subtle;
  if ((!subtle && !fallback) || typeof verifier.prepare !== 'function') return verifier.verify(text, options);
  const pending = verifier.prepare(text, options);
  return settle(pending, subtle, (results) => pending.finish(results), fallback);
}

/**
 * Like verifyWithWebCrypto, but the core renders the verdict in `view` ("full", "compact",
 * "sbc") and hands over JSON text, which the caller sends as it is (no parse + re-serialize).
 * @returns {Promise<string>}
 */
export async function verifyView(verifier, text, options, view) {
  return finishView(verifier.prepare(text, options), view);
}

/** The jobs of an already prepared `pending` on WebCrypto, then its verdict as JSON text in `view`. */
export async function finishView(pending, view) {
  const subtle = globalThis.crypto && globalThis.crypto.subtle;
  return settle(pending, subtle, (results) => pending.finishView(results, view));
}

/**
 * `finishView` with the JSON as UTF-8 bytes (a Uint8Array): an HTTP body as it is, without
 * decoding the text into a JS string that the runtime encodes again to send it (worker only:
 * the page's module has no `finishViewBytes`).
 * @returns {Promise<Uint8Array>}
 */
export async function finishViewBytes(pending, view) {
  const subtle = globalThis.crypto && globalThis.crypto.subtle;
  return settle(pending, subtle, (results) => pending.finishViewBytes(results, view));
}
