/**
 * The operator's own trust store (PEM roots), kept in this browser's localStorage.
 *
 * Why: the STI-PA list of approved STI-CA roots is not public, so the built-in snapshot may be stale
 * or incomplete for an operator who has the real list. Keeping it in localStorage means it survives
 * reloads without ever leaving the browser. Storage can be missing or full (private windows, quotas):
 * every function here degrades to "no custom store" instead of throwing.
 */

const STORAGE_KEY = 'stircheck.trustStore.v1';

/** Largest PEM accepted; the whole STI-PA list is well under this. */
export const MAX_TRUST_BYTES = 2 * 1024 * 1024;

/**
 * @typedef {{ name: string, pem: string, roots: number, savedAt: number }} CustomTrust
 */

function storage() {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null; // access denied (e.g. storage disabled for file://)
  }
}

/** Number of `BEGIN CERTIFICATE` blocks: a cheap pre-check before the core parses the bundle. */
export function countPemCertificates(pem) {
  return (String(pem).match(/-----BEGIN CERTIFICATE-----/g) ?? []).length;
}

/** @returns {CustomTrust | null} the saved store, or null when none (or unreadable). */
export function loadCustomTrust() {
  const raw = storage()?.getItem(STORAGE_KEY);
  if (!raw) return null;
  try {
    const value = JSON.parse(raw);
    if (typeof value?.pem !== 'string' || !value.pem) return null;
    return {
      name: typeof value.name === 'string' ? value.name : 'trust store',
      pem: value.pem,
      roots: Number.isInteger(value.roots) ? value.roots : countPemCertificates(value.pem),
      savedAt: typeof value.savedAt === 'number' ? value.savedAt : 0,
    };
  } catch {
    return null;
  }
}

/**
 * Save a store. Returns false (store still usable for this page view) when the browser refused.
 * @param {CustomTrust} trust
 */
export function saveCustomTrust(trust) {
  try {
    storage()?.setItem(STORAGE_KEY, JSON.stringify(trust));
    return storage() !== null;
  } catch {
    return false;
  }
}

/** Forget the custom store (back to the built-in snapshot). */
export function clearCustomTrust() {
  try {
    storage()?.removeItem(STORAGE_KEY);
  } catch {
    /* nothing saved, nothing to clear */
  }
}

/**
 * Switch `session` to the roots in a chosen PEM file and keep them in this browser.
 * Both pages use it, so the wording and the "old store stays on failure" rule are one.
 * @returns {Promise<string>} the sentence to show the operator
 */
export async function applyTrustFile(session, file) {
  try {
    if (file.size > MAX_TRUST_BYTES) throw new Error(`the file is larger than ${MAX_TRUST_BYTES / 1048576} MiB`);
    const pem = await file.text();
    const info = session.setTrust(pem);
    const saved = saveCustomTrust({ name: file.name, pem, roots: info.anchors.length, savedAt: Date.now() });
    return saved
      ? `Loaded ${info.anchors.length} root certificate(s) from ${file.name}; kept in this browser.`
      : `Loaded ${info.anchors.length} root certificate(s) for this visit only (the browser refused to store it).`;
  } catch (error) {
    return `Could not use ${file.name}: ${error?.message ?? error}. The previous trust store is still in use.`;
  }
}

/** Back to the built-in store; returns the sentence to show. */
export function resetTrust(session) {
  clearCustomTrust();
  session.setTrust(null);
  return 'Back to the built-in trust store.';
}
