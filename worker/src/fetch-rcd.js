// Fetching one Rich Call Data resource (an `icn` logo, a `jcl` jCard) whose content an `rcdi`
// digest covers: the safe fetch of ./fetcher.js (kind "rcd": the same URL rules as x5u, the rcd
// body bound and media types, which must be declared). The bytes are not judged here: the core
// compares them with the digest (`resources` option, base64). Kept as base64, the form the core
// takes, with the media type the server declared.

import { safeFetch, cacheLifetime, negativeTtl } from './fetcher.js';

/**
 * @returns {Promise<{ ok: true, pem: string, contentType: string|null, expiresAt: number }
 *                 | { ok: false, reason: string, expiresAt: number }>} `pem`: the base64 of the bytes
 */
export async function fetchRcd(core, url, o = {}) {
  const now = o.now ?? (() => Date.now() / 1000);
  const got = await safeFetch(core, 'rcd', url, o);
  if (!got.ok) return { ok: false, reason: got.reason, expiresAt: now() + negativeTtl(core) };
  const t = now();
  const ttl = cacheLifetime(core, got.headers, t, null);
  return { ok: true, pem: toBase64(got.bytes), contentType: got.headers.get('content-type'), expiresAt: t + ttl };
}

function toBase64(bytes) {
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin);
}
