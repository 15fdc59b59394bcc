// Fetching one x5u certificate chain with the limits of issue 4: the URL rules on the URL and on
// every redirect target, one overall deadline, a byte cap, and a PEM-only body. Every way this can
// fail becomes a sentence an agent understands; it is what the verdict's cert.fetch check shows.

import { checkX5uUrl } from './x5u-rules.js';
import { parsePemChain, certNotAfter } from './pem.js';
import { chainLifetime, NEGATIVE_TTL } from './lifetime.js';
import { readAtMost } from './http.js';

export const FETCH_TIMEOUT_MS = 3000;
export const MAX_CHAIN_BYTES = 64 * 1024;
export const MAX_REDIRECTS = 3;

/**
 * @param {string} url an x5u URL (already checked once by the caller, checked again here)
 * @param {object} [o]
 * @param {typeof fetch} [o.fetch]
 * @param {number} [o.timeoutMs]
 * @param {number} [o.maxBytes]
 * @param {() => number} [o.now] unix seconds
 * @returns {Promise<{ ok: true, pem: string, expiresAt: number } | { ok: false, reason: string, expiresAt: number }>}
 */
export async function fetchChain(url, o = {}) {
  const { fetch: doFetch = globalThis.fetch, timeoutMs = FETCH_TIMEOUT_MS, maxBytes = MAX_CHAIN_BYTES } = o;
  const now = o.now ?? (() => Date.now() / 1000);
  const fail = (reason) => ({ ok: false, reason, expiresAt: now() + NEGATIVE_TTL });
  const seconds = `${timeoutMs / 1000} s`;
  const signal = AbortSignal.timeout(timeoutMs);
  let target = url;
  try {
    for (let hop = 0; ; hop++) {
      const rule = checkX5uUrl(target);
      if (!rule.ok) return fail(hop === 0 ? rule.reason : `redirected to ${target}, which is refused: ${rule.why}`);
      const res = await doFetch(target, {
        method: 'GET',
        redirect: 'manual',
        signal,
        headers: { accept: 'application/pem-certificate-chain, application/x-pem-file, text/plain;q=0.5' },
      });
      if (res.status >= 300 && res.status < 400) {
        await res.body?.cancel();
        const location = res.headers.get('location');
        if (!location) return fail(`the certificate repository answered ${res.status} without a Location`);
        if (hop >= MAX_REDIRECTS) return fail(`too many redirects (more than ${MAX_REDIRECTS})`);
        target = new URL(location, target).href;
        continue;
      }
      if (res.status !== 200) {
        await res.body?.cancel();
        return fail(`the certificate repository answered ${res.status}${res.statusText ? ` ${res.statusText}` : ''}`);
      }
      const body = await readCapped(res, maxBytes);
      if (body === null) return fail(`the certificate chain is larger than ${maxBytes / 1024} KiB`);
      const chain = parsePemChain(body);
      if (!chain.ok) return fail(chain.reason);
      const t = now();
      const ttl = chainLifetime({ headers: res.headers, now: t, leafNotAfter: certNotAfter(chain.ders[0]) });
      return { ok: true, pem: chain.pem, expiresAt: t + ttl };
    }
  } catch (e) {
    if (signal.aborted || e?.name === 'TimeoutError' || e?.name === 'AbortError') {
      return fail(`the certificate repository did not answer within ${seconds}`);
    }
    return fail(`could not reach the certificate repository (${networkCause(e)})`);
  }
}

/** workerd reports DNS/connect/TLS failures as an opaque "internal error; reference = ..." */
function networkCause(e) {
  const msg = String(e?.message || e);
  return /internal error/i.test(msg) ? 'host not found, connection refused or TLS failure' : msg;
}

/** The body as text, or null when it exceeds `max` bytes (declared or actual; stops reading there). */
async function readCapped(res, max) {
  if (Number(res.headers.get('content-length')) > max) {
    await res.body?.cancel();
    return null;
  }
  const bytes = await readAtMost(res.body, max);
  return bytes && new TextDecoder().decode(bytes);
}
