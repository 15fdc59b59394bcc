/**
 * A tiny static server for the browser tests: serves www/ and stands in for the worker's API
 * (`/api/health`, `/api/x5u?url=`, `/api/crl?url=`, `/api/rcd?url=`) from fixture maps, so the page can be tested without workerd.
 * With `api: false` it behaves like plain static hosting with a catch-all (/api/* answers index.html)
 * and serves the source pages (their module graphs); with the API, the built pages, as the worker does.
 * It records every request so tests can check that pasted text never leaves the browser.
 */
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { extname, join, normalize, relative, resolve, sep } from 'node:path';

const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.pem': 'application/x-pem-file',
  '.md': 'text/plain; charset=utf-8',
  '.ts': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
};

/**
 * @param {{ root: string, api?: boolean, x5u?: Record<string,string>, rcd?: Record<string,{contentType:string,data:string}>, crl?: Record<string,string> }} options
 *   root: directory to serve; x5u: URL -> PEM answered by /api/x5u (others get 502); rcd: URL ->
 *   content answered by /api/rcd as the worker does, `{ url, contentType, data }` (others get 502);
 *   crl: URL -> CRL PEM answered by /api/crl (others get 502)
 * @returns {Promise<{ url: string, requests: Array<{method:string,url:string}>, close: () => Promise<void> }>}
 */
/** The built copy of a page from www/pkg/manifest.json, if it was built from `source`; else null. */
async function builtPage(base, path, source) {
  try {
    const manifest = JSON.parse(await readFile(join(base, 'pkg', 'manifest.json'), 'utf8'));
    const page = manifest.pages?.[`/${relative(base, path).split(sep).join('/')}`];
    const hash = createHash('sha256').update(source).digest('hex').slice(0, 16);
    return page?.built && page.source === hash ? await readFile(join(base, page.built)) : null;
  } catch {
    return null;
  }
}

export async function startServer({ root, api = true, x5u = {}, rcd = {}, crl = {} }) {
  const base = resolve(root);
  const requests = [];
  const server = createServer(async (req, res) => {
    requests.push({ method: req.method, url: req.url });
    const url = new URL(req.url, 'http://localhost');
    const send = (status, type, body) => {
      res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
      res.end(body);
    };
    if (url.pathname.startsWith('/api/')) {
      // Without the API, behave like a static host with a catch-all: index.html with 200 (the page
      // must not mistake that for the worker).
      if (!api) return send(200, MIME['.html'], await readFile(join(base, 'index.html')));
      if (url.pathname === '/api/health') return send(200, 'application/json', '{"status":"ok","version":"test-fixture"}');
      if (url.pathname === '/api/x5u') {
        const target = url.searchParams.get('url');
        if (target && Object.hasOwn(x5u, target)) return send(200, 'application/x-pem-file', x5u[target]);
        return send(502, 'application/json', JSON.stringify({ error: `could not fetch ${target}: connection refused (test fixture)` }));
      }
      if (url.pathname === '/api/crl') {
        const target = url.searchParams.get('url');
        if (target && Object.hasOwn(crl, target)) return send(200, 'application/x-pem-file', crl[target]);
        return send(502, 'application/json', JSON.stringify({ error: `could not fetch ${target}: connection refused (test fixture)` }));
      }
      if (url.pathname === '/api/rcd') {
        const target = url.searchParams.get('url');
        if (target && Object.hasOwn(rcd, target)) return send(200, 'application/json', JSON.stringify({ url: target, ...rcd[target] }));
        return send(502, 'application/json', JSON.stringify({ error: `could not fetch ${target}: 404 Not Found (test fixture)` }));
      }
      return send(404, 'application/json', '{"error":"no such endpoint"}');
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, 'text/plain', 'method not allowed');
    let path = normalize(join(base, decodeURIComponent(url.pathname)));
    if (path !== base && !path.startsWith(base + sep)) return send(403, 'text/plain', 'forbidden');
    try {
      if ((await stat(path)).isDirectory()) path = join(path, 'index.html');
      let body = await readFile(path);
      // Standing in for the worker, serve a page as the worker does (worker/src/assets.js): its
      // built copy (one bundled script, scripts/build-assets.mjs) while built from this HTML.
      if (api && extname(path) === '.html') body = (await builtPage(base, path, body)) ?? body;
      send(200, MIME[extname(path)] ?? 'application/octet-stream', body);
    } catch {
      send(404, 'text/plain', 'not found');
    }
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise((ok) => { server.closeAllConnections?.(); server.close(() => ok()); }),
  };
}
