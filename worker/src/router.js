// Request routing: which handler answers which path and method, CORS for /api/*, and turning
// failures into responses. Client mistakes (HttpError) keep their 4xx status; anything else is a
// bug in the worker or the core and is answered 500 with no internals, after logging it.

import { HttpError, CORS_HEADERS, errorResponse } from './http.js';

/**
 * @param {Request} request
 * @param {Record<string, Record<string, Function>>} api path -> method -> handler(request, ctx)
 * @param {(request: Request) => Promise<Response>} other handler for everything outside /api/
 * @param {object} [ctx] the runtime's execution context (waitUntil), passed to API handlers
 */
export async function route(request, api, other, ctx) {
  const { pathname } = new URL(request.url);
  if (!pathname.startsWith('/api/') && pathname !== '/api') return guard(() => other(request), false);
  return guard(() => {
    if (request.method === 'OPTIONS') return new Response(null, { status: 204 });
    const methods = api[pathname];
    if (!methods) throw new HttpError(404, `no such API endpoint: ${pathname}`);
    const handler = methods[request.method] ?? (request.method === 'HEAD' ? methods.GET : undefined);
    if (!handler) {
      const allow = Object.keys(methods).join(', ');
      throw new HttpError(405, `${request.method} is not allowed on ${pathname} (use ${allow})`, { allow });
    }
    return handler(request, ctx);
  }, true);
}

async function guard(fn, cors) {
  let res;
  try {
    res = await fn();
  } catch (e) {
    if (e instanceof HttpError) {
      res = errorResponse(e.status, e.message, e.headers);
    } else {
      console.error('stircheck worker: internal error:', e?.stack || e);
      res = errorResponse(500, 'internal error in the verifier; the request was well-formed');
    }
  }
  if (cors) {
    res = new Response(res.body, res); // responses from fetch/assets can have immutable headers
    for (const [k, v] of Object.entries(CORS_HEADERS)) res.headers.set(k, v);
  }
  return res;
}
