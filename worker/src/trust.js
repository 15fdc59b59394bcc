// The operator's trust store. By default the core's built-in, dated snapshot of STI-CA roots is
// used. An operator who holds the STI-PA's list deploys it as a PEM bundle in the text binding
// STIRCHECK_TRUST_PEM (a Cloudflare secret or var, or a workerd binding; see worker/README.md).
// A request's own `trust` field still replaces it for that request.

const CERT = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g;

/**
 * @param {object} env the worker's bindings
 * @returns {string[] | null} PEM bundles for `new Verifier(...)`, or null for the built-in snapshot
 * @throws {Error} when the binding is set but holds no certificate (a deployment mistake that must
 *   not silently fall back to the snapshot)
 */
export function operatorTrust(env) {
  const pem = env?.STIRCHECK_TRUST_PEM;
  if (pem === undefined || pem === null || pem === '') return null;
  if (typeof pem !== 'string') throw new Error('STIRCHECK_TRUST_PEM must be a text binding holding PEM certificates');
  const certs = pem.match(CERT);
  if (!certs) throw new Error('STIRCHECK_TRUST_PEM holds no "BEGIN CERTIFICATE" block');
  return [certs.join('\n')];
}
