// Serves the web page (www/) through the ASSETS binding. Under workerd that binding is a disk
// service, which answers a directory with a JSON listing and labels every file
// application/octet-stream; this module maps directories to their index.html and sets the media
// type by extension (browsers refuse ES modules and streaming wasm compilation otherwise).
// On Cloudflare, wrangler's [assets] serves non-API paths itself (run_worker_first = /api/*), so
// this code only runs where the binding is a plain file server.

import { errorResponse } from './http.js';

const TYPES = {
  html: 'text/html; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  mjs: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  json: 'application/json; charset=utf-8',
  wasm: 'application/wasm',
  svg: 'image/svg+xml',
  png: 'image/png',
  ico: 'image/x-icon',
  txt: 'text/plain; charset=utf-8',
  pem: 'application/x-pem-file',
  map: 'application/json; charset=utf-8',
  ts: 'text/plain; charset=utf-8',
  webmanifest: 'application/manifest+json',
};

/** @param {Request} request @param {{ fetch: typeof fetch } | undefined} assets */
export async function serveAsset(request, assets) {
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    return errorResponse(405, `${request.method} is not allowed here (GET or HEAD)`, { allow: 'GET, HEAD' });
  }
  if (!assets) return errorResponse(404, 'this deployment serves no web page (no ASSETS binding)');
  const url = new URL(request.url);
  let path = url.pathname;
  if (path.endsWith('/')) path += 'index.html';
  const res = await assets.fetch(new Request(new URL(path, url.origin), { method: request.method }));
  if (res.status === 404 || res.status === 405) {
    await res.body?.cancel();
    return errorResponse(404, `not found: ${url.pathname}`);
  }
  const ext = path.slice(path.lastIndexOf('.') + 1).toLowerCase();
  // The disk service lists a directory as JSON; a directory is not a page.
  if (ext !== 'json' && (res.headers.get('content-type') || '').startsWith('application/json')) {
    await res.body?.cancel();
    return errorResponse(404, `not found: ${url.pathname}`);
  }
  const headers = new Headers(res.headers);
  headers.set('content-type', TYPES[ext] || 'application/octet-stream');
  headers.set('x-content-type-options', 'nosniff');
  headers.set('cache-control', 'no-cache'); // revalidate: the page and its wasm change together
  return new Response(res.body, { status: res.status, headers });
}
