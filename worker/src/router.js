// Request routing: which handler answers which path and method, CORS for /api/*, security
// headers on everything, and turning failures into responses. Client mistakes (HttpError, and
// request targets no file or endpoint could have) keep a 4xx status; anything else is a bug in
// the worker or the core and is answered 500 with no internals, after logging it.

import { HttpError, CORS_HEADERS, COMPLETE_API_RESPONSES, errorResponse, pathnameOf } from './http.js';
import { securityHeaders } from './security.js';

/** No endpoint or file of this site has a longer path or path segment (file names stop at 255). */
export const MAX_PATH_LENGTH = 2048;
export const MAX_SEGMENT_LENGTH = 255;

/**
 * @param {Request} request
 * @param {Record<string, Record<string, Function>>} api path -> method -> handler(request, ctx)
 * @param {(request: Request) => Promise<Response>} other handler for everything outside /api/
 * @param {object} [ctx] the runtime's execution context (waitUntil), passed to API handlers
 * @param {string} [pathname] the request URL's path, when the caller has it already
 */
export async function route(request, api, other, ctx, pathname = pathnameOf(request.url)) {
  const isApi = pathname.startsWith('/api/') || pathname === '/api';
  return guard(() => {
    checkPath(pathname);
    if (!isApi) return other(request);
    if (request.method === 'OPTIONS') return new Response(null, { status: 204 });
    const methods = api[pathname];
    if (!methods) throw new HttpError(404, `no such API endpoint: ${pathname}`);
    const handler = methods[request.method] ?? (request.method === 'HEAD' ? methods.GET : undefined);
    if (!handler) {
      const allow = Object.keys(methods).join(', ');
      throw new HttpError(405, `${request.method} is not allowed on ${pathname} (use ${allow})`, { allow });
    }
    return handler(request, ctx);
  }, isApi);
}

function checkPath(pathname) {
  if (pathname.length > MAX_PATH_LENGTH) {
    throw new HttpError(414, `the path is longer than ${MAX_PATH_LENGTH} characters`);
  }
  if (pathname.split('/').some((s) => s.length > MAX_SEGMENT_LENGTH)) {
    throw new HttpError(414, `a path segment is longer than ${MAX_SEGMENT_LENGTH} characters`);
  }
}

async function guard(fn, api) {
  let res;
  try {
    res = await fn();
  } catch (e) {
    if (e instanceof HttpError) {
      res = errorResponse(e.status, e.message, e.headers);
    } else {
      console.error('stircheck worker: internal error:', e?.stack || e);
      res = errorResponse(500, 'internal error in the verifier');
    }
  }
  if (api && COMPLETE_API_RESPONSES.has(res)) return res;
  res = withSecurityHeaders(res, api);
  if (api) for (const [k, v] of CORS_ENTRIES) res.headers.set(k, v);
  return res;
}

const CORS_ENTRIES = Object.entries(CORS_HEADERS);
const SECURITY_ENTRIES = { api: Object.entries(securityHeaders(true)), page: Object.entries(securityHeaders(false)) };

/**
 * `res` with the security headers: set in place on a response this worker made, on a copy when
 * its headers are immutable (responses from fetch or the assets binding).
 */
export function withSecurityHeaders(res, api) {
  const entries = api ? SECURITY_ENTRIES.api : SECURITY_ENTRIES.page;
  try {
    for (const [k, v] of entries) res.headers.set(k, v);
    return res;
  } catch {
    const out = new Response(res.body, res);
    for (const [k, v] of entries) out.headers.set(k, v);
    return out;
  }
}
