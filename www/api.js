/**
 * The page's access to the stircheck wasm core: loading it once, holding the Verifier for the current
 * trust store, and running one verification with the options the page collected.
 *
 * Why a module of its own: renderers only see plain Verdict objects and the controller only sees this
 * small surface, so the self-check page can reuse it, and a core API change touches one file.
 */
import { verifyWithWebCrypto } from './webcrypto.js';

/**
 * The page's first module (scripts/build-wasm.sh "page"): parsing, every check and the verdict,
 * with the signatures handed to WebCrypto as crypto jobs. No RustCrypto, signer, demo PKI or advisor.
 */
export const PAGE_CORE = builtGlue('page') ?? './pkg/stircheck_page.js';
/**
 * The full module, a build of the same crate with every feature: the core's own RustCrypto
 * verification (no WebCrypto, or a curve the browser lacks), the demo PKI and signer, the advisor.
 * Loaded only when one of those is needed.
 */
export const FULL_CORE = builtGlue('full') ?? './pkg/stircheck.js';

/**
 * In the page's bundle (scripts/build-assets.mjs), the fingerprinted glue of a module, compiled in as
 * `STIRCHECK_PKG`: imported directly (cached `immutable`) instead of through the revalidated
 * `pkg/<module>.js` re-export. Unbundled (the source modules), undefined: the re-export is used.
 */
function builtGlue(which) {
  // eslint-disable-next-line no-undef
  return typeof STIRCHECK_PKG === 'undefined' ? undefined : STIRCHECK_PKG[which];
}

const modules = new Map();

/** Import and initialise one wasm module once per page view (a failed load is retried next time). */
function load(path) {
  let promise = modules.get(path);
  if (!promise) {
    // Relative to the page, not to this file: bundled, this code runs from pkg/.
    promise = import(new URL(path, globalThis.document?.baseURI ?? import.meta.url).href).then(async (core) => {
      await core.default();
      return core;
    });
    promise.catch(() => modules.delete(path));
    modules.set(path, promise);
  }
  return promise;
}

/** Whether this browser can run the crypto jobs itself (no `crypto.subtle` outside secure contexts). */
export function hasWebCrypto() {
  return Boolean(globalThis.crypto && globalThis.crypto.subtle);
}

/**
 * Load and initialise the wasm core (www/pkg, built by scripts/build-wasm.sh): the small page module
 * when WebCrypto can check the signatures, else the full module, which checks them itself.
 * @param {string} [path] a module to load instead (tests)
 * @returns {Promise<object>} the module namespace (Verifier, decode, neededCerts, version, ...)
 */
export function loadCore(path) {
  return load(path ?? (hasWebCrypto() ? PAGE_CORE : FULL_CORE));
}

/** The full module (demo signer, examples, advisor, self-check answers, RustCrypto fallback). */
export function loadFullCore() {
  return load(FULL_CORE);
}

/** Whether `core` can verify signatures itself (the full module) or only through crypto jobs. */
function checksSignaturesItself(core) {
  return typeof core?.Verifier?.prototype?.verify === 'function';
}

/**
 * A job WebCrypto could not run (a curve this browser lacks, a refused key import), run by the full
 * module's RustCrypto code. The page module has no signature code of its own.
 */
async function fallbackJob(job) {
  let full;
  try {
    full = await loadFullCore();
  } catch (error) {
    const what = job.curve ? `${job.alg} signature on ${job.curve}` : `${job.alg} signature`;
    throw new Error(`this browser cannot check a ${what} itself, and the fallback verifier could not be loaded (${error?.message ?? error})`);
  }
  return full.verifyJob(job);
}

/**
 * Deep-copy a value into plain objects and arrays (Map -> object, BigInt -> number). The core's
 * results are already plain: src/wasm.rs hands every result over as one JSON string parsed by the
 * engine. So for them this is only a defensive copy the renderers may change freely.
 */
export function toPlain(value) {
  if (value instanceof Map) {
    const out = {};
    for (const [k, v] of value) out[String(k)] = toPlain(v);
    return out;
  }
  if (Array.isArray(value)) return value.map(toPlain);
  if (value && typeof value === 'object' && !ArrayBuffer.isView(value)) {
    const out = {};
    for (const [k, v] of Object.entries(value)) out[k] = toPlain(v);
    return out;
  }
  return typeof value === 'bigint' ? Number(value) : value;
}

export class VerifierSession {
  /** @param {object} core the loaded module */
  constructor(core) {
    this.core = core;
    this.verifier = new core.Verifier(null);
    /** How a job WebCrypto cannot run is answered: the full module's own code, else `fallbackJob`. */
    this.fallback = checksSignaturesItself(core) ? undefined : fallbackJob;
    /** The custom trust store's PEM (null: the built-in one); the full module's Verifier, once made. */
    this.trustPem = null;
    this.full = null;
  }

  /** The full module, loaded on first use (demo signer, examples). */
  fullCore() {
    return checksSignaturesItself(this.core) && typeof this.core.sign === 'function' ? Promise.resolve(this.core) : loadFullCore();
  }

  /**
   * Switch trust stores. A custom PEM bundle is parsed first, so a bad file throws here (with the
   * core's message) and the previous store stays in use.
   * @param {string | null} pem custom roots, or null for the built-in snapshot
   * @returns {object} TrustInfo of the new store
   */
  setTrust(pem) {
    const next = new this.core.Verifier(pem ? [pem] : null);
    const info = toPlain(next.trustInfo());
    if (pem && !(info?.anchors?.length > 0)) {
      next.free?.();
      throw new Error('the file contains no usable root certificate');
    }
    this.verifier.free?.();
    this.verifier = next;
    this.trustPem = pem || null;
    return info;
  }

  /**
   * A Verifier of the full module for the trust store in use (made on first need, remade when the
   * store changes): for input the page module cannot verify itself (`canVerify`).
   */
  async fullVerifier() {
    const core = await loadFullCore();
    const pem = this.trustPem ?? null;
    if (this.full?.core !== core || this.full.pem !== pem) {
      this.full?.verifier.free?.();
      this.full = { core, pem, verifier: new core.Verifier(pem ? [pem] : null) };
    }
    return this.full.verifier;
  }

  /** TrustInfo of the store in use ({ source, name, date, anchors }). */
  trustInfo() {
    return toPlain(this.verifier.trustInfo());
  }

  /** x5u URLs the input needs certificates for; [] when the input has none or does not parse. */
  neededCerts(text) {
    try {
      return Array.from(this.core.neededCerts(text) ?? []);
    } catch {
      return [];
    }
  }

  /**
   * Verify with WebCrypto where the browser has it; a job it cannot run goes to the core's own
   * crypto (the full module's, loaded then if this is the page module).
   * @param {string} text
   * @param {object} options VerifyOptions (docs/js-api.md)
   * @returns {Promise<object>} Verdict
   */
  async verify(text, options) {
    // The page module leaves out what only some input needs (a PASSporT's `rcdi` digests): the
    // core says when, and that input is verified by the full module, so the verdict is the same.
    if (typeof this.core.canVerify === 'function' && !this.core.canVerify(text)) {
      return toPlain(await verifyWithWebCrypto(await this.fullVerifier(), text, options, undefined));
    }
    return toPlain(await verifyWithWebCrypto(this.verifier, text, options, this.fallback));
  }
}
