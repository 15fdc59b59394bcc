// The test certificate repository: a local HTTP server standing in for carriers' x5u hosts.
// The test workerd config sends ALL of the worker's outbound fetches here as an HTTP forward
// proxy, so requests arrive in absolute form (GET https://certs.stircheck.test:8443/x/chain.pem);
// plain origin-form requests work too (for tests that call it directly). Behaviour is chosen by
// the last path segment, so every test can use its own URL (its own cache key and hit counter):
//   chain.pem          the test chain (leaf + intermediate), Cache-Control: max-age=7200
//   slow.pem           the chain after `slowMs` (default 5 s: past the worker's 3 s timeout)
//   404.pem, 500.pem   those statuses
//   big.pem            a 100 KiB PEM-looking body (over the 64 KiB cap)
//   not-pem            an HTML page
//   key.pem            a PEM block that is not a certificate
//   redirect-ok        302 to .../chain.pem on the same allowed host
//   redirect-http      302 to http://...  (refused by the URL rules)
//   redirect-private   302 to https://10.0.0.1/chain.pem (refused)
//   redirect-loop      302 to itself (too many redirects)
// serve(url, body, headers, { delayMs }) registers the answer for one absolute URL (any host;
// checked before the names above): the CRL tests serve leaves, chains and CRLs that way.
// hits(url) counts requests per URL (absolute, as the worker asked for it).

import http from 'node:http';

export const TEST_ORIGIN = 'https://certs.stircheck.test:8443';

export async function startCertServer({ chain, slowMs = 5000, port = 0 } = {}) {
  const counts = new Map();
  const sockets = new Set();
  /** absolute URL -> { body, headers, delayMs } */
  const routes = new Map();
  const server = http.createServer({ requireHostHeader: false }, (req, res) => {
    // Absolute form from the proxy-style egress; origin form from direct callers.
    const url = new URL(req.url, TEST_ORIGIN);
    const key = url.href;
    counts.set(key, (counts.get(key) ?? 0) + 1);
    const last = url.pathname.slice(url.pathname.lastIndexOf('/') + 1);
    const sibling = (name) => new URL(name, url).href;
    const send = (status, body, headers = {}) => {
      res.writeHead(status, { 'content-type': 'text/plain', ...headers });
      res.end(body);
    };
    const pem = { 'content-type': 'application/pem-certificate-chain', 'cache-control': 'max-age=7200' };
    const route = routes.get(key);
    if (route) {
      const answer = () => {
        res.writeHead(route.status ?? 200, route.headers);
        res.end(route.body);
      };
      if (!route.delayMs) return answer();
      const t = setTimeout(answer, route.delayMs);
      res.on('close', () => clearTimeout(t));
      return;
    }
    switch (last) {
      case 'chain.pem':
        return send(200, chain, pem);
      case 'slow.pem': {
        const t = setTimeout(() => send(200, chain, pem), slowMs);
        res.on('close', () => clearTimeout(t));
        return;
      }
      case '404.pem':
        return send(404, 'no such certificate');
      case '500.pem':
        return send(500, 'repository broken');
      case 'big.pem':
        return send(200, '-----BEGIN CERTIFICATE-----\n' + 'QUFB\n'.repeat(25 * 1024) + '-----END CERTIFICATE-----\n', pem);
      case 'not-pem':
        return send(200, '<!doctype html><title>Welcome</title><p>Not a certificate.</p>', { 'content-type': 'text/html' });
      case 'key.pem':
        return send(200, '-----BEGIN PRIVATE KEY-----\nQUFB\n-----END PRIVATE KEY-----\n', pem);
      case 'redirect-ok':
        return send(302, '', { location: sibling('chain.pem') });
      case 'redirect-http':
        return send(302, '', { location: sibling('chain.pem').replace('https:', 'http:') });
      case 'redirect-private':
        return send(302, '', { location: 'https://10.0.0.1/chain.pem' });
      case 'redirect-loop':
        return send(302, '', { location: url.href });
      default:
        return send(404, 'unknown test path');
    }
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise((resolve, reject) => server.once('error', reject).listen(port, '127.0.0.1', resolve));
  return {
    port: server.address().port,
    /** Requests seen for one absolute URL. */
    hits: (u) => counts.get(new URL(u).href) ?? 0,
    /** Answer `url` (absolute) with `body` from now on. */
    serve: (u, body, headers = {}, { delayMs = 0, status = 200 } = {}) => routes.set(new URL(u).href, { body, headers, delayMs, status }),
    /** Requests seen in total (any URL). */
    totalHits: () => [...counts.values()].reduce((a, b) => a + b, 0),
    close: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
