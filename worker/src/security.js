// Security headers on every answer, sent as HTTP headers (a <meta> CSP cannot forbid framing).
// The page's own <meta> CSP (www/index.html) still applies; browsers enforce both, so this one
// must allow at least what the page needs and adds frame-ancestors. API answers are data, never
// documents: nothing may load or frame them.

export const PAGE_CSP = [
  "default-src 'none'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export const API_CSP = "default-src 'none'; frame-ancestors 'none'; sandbox";

/** @param {boolean} api whether the answer is from /api/* */
export function securityHeaders(api) {
  return {
    'content-security-policy': api ? API_CSP : PAGE_CSP,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'x-frame-options': 'DENY',
  };
}
