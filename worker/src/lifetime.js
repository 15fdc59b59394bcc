// How long a fetched certificate chain may be kept (an IO concern of the cache; what the chain
// is and when it expires is the core's answer, wasm `inspectChain`). The repository's own HTTP
// caching headers decide, clamped to [1 h, 24 h] so a missing or tiny max-age does not make us
// fetch on every call and a huge one does not pin a replaced certificate for days; and never past
// the earliest notAfter in the chain, after which the chain cannot verify and is expected to change.

export const MIN_TTL = 3600;
export const MAX_TTL = 86400;
/** Failures, and chains that have already expired, are kept this long. */
export const NEGATIVE_TTL = 60;

/**
 * @param {object} a
 * @param {Headers|null} a.headers response headers of the repository
 * @param {number} a.now unix seconds
 * @param {number|null} a.notAfter unix seconds: the earliest notAfter in the chain (null: none, a bare key)
 * @returns {number} lifetime in seconds (> 0)
 */
export function chainLifetime({ headers, now, notAfter }) {
  const advertised = headers ? advertisedLifetime(headers, now) : null;
  let ttl = Math.min(MAX_TTL, Math.max(MIN_TTL, advertised ?? MIN_TTL));
  if (notAfter != null) {
    const left = Math.floor(notAfter - now);
    ttl = left > 0 ? Math.min(ttl, left) : NEGATIVE_TTL;
  }
  return ttl;
}

/**
 * The lifetime the response itself asks for (RFC 9111 §4.2.1): s-maxage, then max-age, then
 * Expires − Date. no-store / no-cache count as 0 (the floor then applies). null when silent.
 */
export function advertisedLifetime(headers, now) {
  const cc = (headers.get('cache-control') || '').toLowerCase();
  const directives = new Map();
  for (const part of cc.split(',')) {
    const [k, v] = part.trim().split('=');
    if (k) directives.set(k, v === undefined ? '' : v.replace(/^"|"$/g, ''));
  }
  if (directives.has('no-store') || directives.has('no-cache')) return 0;
  for (const k of ['s-maxage', 'max-age']) {
    const v = directives.get(k);
    if (v !== undefined && /^\d+$/.test(v)) return Number(v);
  }
  const expires = headers.get('expires');
  if (expires) {
    const exp = Date.parse(expires);
    if (Number.isNaN(exp)) return 0; // RFC 9111: an invalid Expires means "already expired"
    const date = Date.parse(headers.get('date') || '');
    const base = Number.isNaN(date) ? now : date / 1000;
    return Math.max(0, Math.floor(exp / 1000 - base));
  }
  return null;
}
