// Tenants of the webhook receiver: operator-configured in the binding STIRCHECK_TENANTS (a JSON
// array; a Cloudflare secret or a workerd `fromEnvironment` binding), never by a request:
//   [{ "id": "acme", "read_token": "...", "twilio_auth_token"?: "...", "telnyx_public_key"?: "<base64>",
//      "bandwidth_username"?: "...", "bandwidth_password"?: "...", "calls_token"?: "...",
//      "numbers"?: ["12025550142"], "keep_tokens"?: false, "max_calls"?: 50, "retention_days"?: 90 }]
// A binding that is set but malformed stops the worker loudly (like STIRCHECK_TRUST_PEM) instead of
// running with fewer tenants than the operator thinks. Secrets are compared in constant time.

/** Numbers one history read may ask for. */
export const MAX_NUMBERS_PER_READ = 100;

const ID = /^[A-Za-z0-9_-]{1,64}$/;
const MIN_TOKEN = 16;
const FIELDS = new Set([
  'id', 'read_token', 'twilio_auth_token', 'telnyx_public_key', 'bandwidth_username', 'bandwidth_password',
  'calls_token', 'numbers', 'keep_tokens', 'max_calls', 'retention_days',
]);

/**
 * @param {object} env bindings
 * @param {object} core the wasm core (canonicalTn, webhookLimits)
 * @returns {Map<string, object>} tenant id -> tenant (empty when the binding is unset)
 */
export function parseTenants(env, core) {
  const raw = env?.STIRCHECK_TENANTS;
  const tenants = new Map();
  if (raw === undefined || raw === null || raw === '') return tenants;
  const fail = (why) => {
    throw new Error(`STIRCHECK_TENANTS: ${why}`);
  };
  let list;
  try {
    list = typeof raw === 'string' ? JSON.parse(raw) : raw;
  } catch (e) {
    fail(`not valid JSON (${e.message})`);
  }
  if (!Array.isArray(list)) fail('must be a JSON array of tenants');
  const limits = core.webhookLimits();
  for (const [i, t] of list.entries()) {
    const where = `tenant ${i + 1}`;
    if (!t || typeof t !== 'object' || Array.isArray(t)) fail(`${where} must be an object`);
    for (const k of Object.keys(t)) if (!FIELDS.has(k)) fail(`${where}: unknown field "${k}"`);
    if (typeof t.id !== 'string' || !ID.test(t.id)) fail(`${where}: "id" must be 1-64 letters, digits, "-" or "_"`);
    if (tenants.has(t.id)) fail(`tenant "${t.id}" is listed twice`);
    const secret = (k, min = 1) => {
      if (t[k] === undefined || t[k] === null) return null;
      if (typeof t[k] !== 'string' || t[k].length < min) fail(`tenant "${t.id}": "${k}" must be a string of at least ${min} characters`);
      return t[k];
    };
    const readToken = secret('read_token', MIN_TOKEN);
    if (!readToken) fail(`tenant "${t.id}": "read_token" is required`);
    const bandwidthUser = secret('bandwidth_username');
    const bandwidthPassword = secret('bandwidth_password', MIN_TOKEN);
    if (Boolean(bandwidthUser) !== Boolean(bandwidthPassword)) fail(`tenant "${t.id}": set both bandwidth_username and bandwidth_password`);
    const telnyxKey = secret('telnyx_public_key');
    if (telnyxKey && base64Bytes(telnyxKey)?.length !== 32) fail(`tenant "${t.id}": "telnyx_public_key" must be the base64 Ed25519 public key (32 bytes)`);
    let numbers = null;
    if (t.numbers !== undefined && t.numbers !== null) {
      if (!Array.isArray(t.numbers)) fail(`tenant "${t.id}": "numbers" must be an array`);
      numbers = new Set(t.numbers.map((n) => core.canonicalTn(String(n)) ?? fail(`tenant "${t.id}": "${n}" is not a telephone number`)));
    }
    const bounded = (k, dflt, max) => {
      if (t[k] === undefined || t[k] === null) return dflt;
      if (!Number.isInteger(t[k]) || t[k] < 1 || t[k] > max) fail(`tenant "${t.id}": "${k}" must be a whole number from 1 to ${max}`);
      return t[k];
    };
    if (t.keep_tokens !== undefined && typeof t.keep_tokens !== 'boolean') fail(`tenant "${t.id}": "keep_tokens" must be true or false`);
    tenants.set(t.id, {
      id: t.id,
      readToken,
      twilioAuthToken: secret('twilio_auth_token'),
      telnyxPublicKey: telnyxKey ? base64Bytes(telnyxKey) : null,
      bandwidth: bandwidthUser ? { username: bandwidthUser, password: bandwidthPassword } : null,
      callsToken: secret('calls_token', MIN_TOKEN),
      numbers,
      keepTokens: t.keep_tokens === true,
      maxCalls: bounded('max_calls', limits.defaultCallsPerNumber, limits.maxCallsPerNumber),
      retentionDays: bounded('retention_days', limits.defaultRetentionDays, 3650),
    });
  }
  return tenants;
}

/** The bearer token of a request, or null. */
export function bearer(request) {
  const m = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(request.headers.get('authorization') || '');
  return m ? m[1] : null;
}

/**
 * The tenant whose `field` equals `presented`, comparing every tenant's secret in constant time
 * (SHA-256 digests, so neither the length nor the matching prefix shows in timing).
 */
export async function tenantBySecret(tenants, field, presented) {
  if (typeof presented !== 'string' || !presented) return null;
  const want = await sha256(presented);
  let found = null;
  for (const t of tenants.values()) {
    const secret = t[field];
    if (!secret) continue;
    if (sameBytes(await sha256(secret), want) && !found) found = t;
  }
  return found;
}

/** Constant-time comparison of two secrets (by their digests). */
export async function sameSecret(a, b) {
  return sameBytes(await sha256(String(a)), await sha256(String(b)));
}

async function sha256(text) {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));
}

function sameBytes(a, b) {
  let diff = a.length ^ b.length;
  for (let i = 0; i < a.length && i < b.length; i++) diff |= a[i] ^ b[i];
  return diff === 0;
}

/** Standard base64 -> bytes, or null when it is not base64. */
export function base64Bytes(text) {
  try {
    const bin = atob(String(text).trim());
    return Uint8Array.from(bin, (c) => c.charCodeAt(0));
  } catch {
    return null;
  }
}
