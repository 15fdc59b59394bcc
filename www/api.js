/**
 * The page's access to the stircheck wasm core: loading it once, holding the Verifier for the current
 * trust store, and running one verification with the options the page collected.
 *
 * Why a module of its own: renderers only see plain Verdict objects and the controller only sees this
 * small surface, so the self-check page can reuse it, and a core API change touches one file.
 */
import { verifyWithWebCrypto } from './webcrypto.js';

/**
 * Load and initialise the wasm module (www/pkg, built by scripts/build-wasm.sh).
 * @returns {Promise<object>} the module namespace (Verifier, decode, neededCerts, sign, version)
 */
export async function loadCore(path = './pkg/stircheck.js') {
  const core = await import(path);
  await core.default();
  return core;
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
    return info;
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
   * Verify with WebCrypto where the browser has it (falls back to the core's own crypto).
   * @param {string} text
   * @param {object} options VerifyOptions (docs/js-api.md)
   * @returns {Promise<object>} Verdict
   */
  async verify(text, options) {
    return toPlain(await verifyWithWebCrypto(this.verifier, text, options));
  }
}
