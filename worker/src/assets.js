// Serves the web page (www/) through the ASSETS binding, cheaply for repeat visits:
// - compressed when the client accepts it: brotli or gzip copies made at build time
//   (scripts/build-assets.mjs) in www/pkg/z/<hash>.br|.gz, where <hash> is the content hash of the
//   original bytes, so an edited file whose copy was not rebuilt is sent uncompressed, never stale;
// - a strong ETag (that hash, per encoding) and Last-Modified, answering If-None-Match /
//   If-Modified-Since with 304;
// - fingerprinted files (name.<16 hex>.js|wasm|css: the wasm, its glue, the page bundles and their
//   stylesheet) `immutable` for a year;
//   everything else (HTML, the page's modules) `no-cache`: revalidated on every use, 304 when unchanged;
// - each page (HTML) as its built copy from /pkg/manifest.json (build-assets) when there is one for
//   the HTML on disk: it loads the page's scripts as one fingerprinted bundle; with a `Link` header of
//   preload hints, so the bundle, the wasm glue and the wasm are requested at once, in parallel with
//   the HTML parse (for the source page: its whole module graph and its wasm).
// Under workerd the binding is a disk service, which answers a directory with a JSON listing and
// labels every file application/octet-stream; this module maps directories to their index.html and
// sets the media type by extension (browsers refuse ES modules and streaming wasm compilation
// otherwise). On Cloudflare the binding is the platform's asset store; wrangler.toml runs this worker
// first, so the same code and headers apply there (see worker/README.md "Static assets and caching").

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

/** Where the precompressed copies live (internal: not served under their own names). */
const Z_DIR = '/pkg/z/';
const FINGERPRINT = /\.([0-9a-f]{16})\.(?:js|wasm|css)$/;
export const IMMUTABLE = 'public, max-age=31536000, immutable';
export const REVALIDATE = 'no-cache';

/** First 16 hex digits of SHA-256: the name of the precompressed copies (scripts/build-assets.mjs). */
export async function contentHash(bytes) {
  const d = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  return Array.from(d.subarray(0, 8), (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * The content codings the client accepts, best first among the ones we have ("br", "gzip").
 * Honours q=0 and "*" (RFC 9110 section 12.5.3).
 */
export function acceptedEncodings(header) {
  const q = new Map();
  for (const part of (header || '').toLowerCase().split(',')) {
    const [name, ...params] = part.trim().split(';');
    if (!name) continue;
    const qp = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const value = qp ? Number(qp.slice(2)) : 1;
    q.set(name.trim(), Number.isFinite(value) ? value : 0);
  }
  const weight = (c) => (q.has(c) ? q.get(c) : q.get('*') ?? 0);
  return ['br', 'gzip'].filter((c) => weight(c) > 0);
}

/** Whether an If-None-Match header matches `etag` (weak comparison, RFC 9110 section 13.1.2). */
function noneMatch(header, etag) {
  if (!header) return false;
  if (header.trim() === '*') return true;
  const bare = etag.replace(/^W\//, '');
  return header.split(',').some((t) => t.trim().replace(/^W\//, '') === bare);
}

/**
 * What /pkg/manifest.json (scripts/build-assets.mjs) says about a page: `built`, a copy of the HTML
 * that loads the page's bundled, fingerprinted script, valid while the source HTML hashes to
 * `source`, with `link` its preload hints (bundle, wasm glue, wasm); and `sourceLink`, the hints for
 * the source page (its module graph, glue, wasm), so the browser fetches them all at once with the
 * HTML instead of one import level per round trip. Read on each HTML request (a local read), so
 * never stale.
 * @returns {Promise<{ built?: string, source?: string, link?: string, sourceLink?: string }>}
 */
async function pageManifest(get, path) {
  try {
    const res = await get('/pkg/manifest.json');
    if (!res.ok) {
      await res.body?.cancel();
      return {};
    }
    const m = await res.json();
    const page = m?.pages?.[path] ?? {};
    const str = (v) => (typeof v === 'string' && v ? v : undefined);
    return { built: str(page.built), source: str(page.source), link: str(page.link), sourceLink: str(m?.links?.[path]) };
  } catch {
    return {}; // no manifest, or not JSON: serve the source page without hints
  }
}

/** @param {Request} request @param {{ fetch: typeof fetch } | undefined} assets */
export async function serveAsset(request, assets) {
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    return errorResponse(405, `${request.method} is not allowed here (GET or HEAD)`, { allow: 'GET, HEAD' });
  }
  if (!assets) return errorResponse(404, 'this deployment serves no web page (no ASSETS binding)');
  const url = new URL(request.url);
  let path = url.pathname;
  // A malformed %-escape ("/%", "/a%ZZ") names no file: a client mistake, answered before the disk
  // service sees it (under workerd it throws on such a path, which would surface as a 500).
  let name;
  try {
    name = decodeURIComponent(path);
  } catch {
    return errorResponse(400, 'the path has a malformed %-escape (a % must be followed by two hex digits of UTF-8)');
  }
  if (path.endsWith('/')) path += 'index.html';
  if (name.endsWith('/')) name += 'index.html';
  if (name.startsWith(Z_DIR)) return errorResponse(404, `not found: ${url.pathname}`);
  const get = (p) => assets.fetch(new Request(new URL(p, url.origin), { method: 'GET' }));
  let res = await get(path);
  if (!res.ok) {
    await res.body?.cancel();
    return errorResponse(404, `not found: ${url.pathname}`);
  }
  // The type by the decoded name: the disk service decodes escapes, so /index%2Ehtml is index.html.
  const ext = name.slice(name.lastIndexOf('.') + 1).toLowerCase();
  // The disk service lists a directory as JSON; a directory is not a page.
  if (ext !== 'json' && (res.headers.get('content-type') || '').startsWith('application/json')) {
    await res.body?.cancel();
    return errorResponse(404, `not found: ${url.pathname}`);
  }
  const fingerprint = FINGERPRINT.exec(path)?.[1];
  let body = null;
  let hash = fingerprint;
  if (!hash) {
    // Small files (HTML, modules): hash what is on disk now, so the ETag can never be stale.
    body = await res.arrayBuffer();
    hash = await contentHash(body);
  }
  let link = null;
  if (ext === 'html') {
    // The bundled copy of this page, while it was built from the HTML on disk now; else the source.
    const page = await pageManifest(get, path);
    link = page.sourceLink ?? null;
    if (page.built && page.source === hash) {
      const built = await get(page.built);
      if (built.ok) {
        res = built;
        body = await built.arrayBuffer();
        hash = await contentHash(body);
        link = page.link ?? null;
      } else {
        await built.body?.cancel();
      }
    }
  }
  // Find the best precompressed copy the client accepts (only one that matches these bytes).
  let encoding = null;
  for (const enc of acceptedEncodings(request.headers.get('accept-encoding'))) {
    const z = await get(`${Z_DIR}${hash}.${enc === 'gzip' ? 'gz' : enc}`);
    if (z.ok) {
      encoding = enc;
      if (body === null) await res.body?.cancel();
      body = z.body;
      break;
    }
    await z.body?.cancel();
  }
  if (body === null) body = res.body;

  const headers = new Headers({
    'content-type': TYPES[ext] || 'application/octet-stream',
    'cache-control': fingerprint ? IMMUTABLE : REVALIDATE,
    etag: `"${hash}${encoding ? `-${encoding}` : ''}"`,
    vary: 'accept-encoding',
    'x-content-type-options': 'nosniff',
  });
  const lastModified = res.headers.get('last-modified');
  if (lastModified) headers.set('last-modified', lastModified);
  if (link) headers.set('link', link);

  const inm = request.headers.get('if-none-match');
  const ims = Date.parse(request.headers.get('if-modified-since') || '');
  const notModified = inm !== null
    ? noneMatch(inm, headers.get('etag'))
    : lastModified !== null && Number.isFinite(ims) && Date.parse(lastModified) <= ims;
  if (notModified) {
    if (typeof body?.cancel === 'function') await body.cancel();
    return new Response(null, { status: 304, headers });
  }
  if (encoding) headers.set('content-encoding', encoding);
  if (request.method === 'HEAD') {
    if (typeof body?.cancel === 'function') await body.cancel();
    body = null;
  }
  // `manual`: the body is already encoded; the runtime must send it as is, not compress it again.
  return new Response(body, { status: 200, headers, encodeBody: encoding ? 'manual' : 'automatic' });
}
