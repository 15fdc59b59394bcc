// The SBC interface (DESIGN.md "SBC interface (ATIS-1000082 style)"): POST /stir/v1/verification
// and POST /stir/v1/signing for SBCs and softswitches that use an external STI-VS / STI-AS over
// HTTP. The protocol itself (fields, SVC message ids, verdict -> verstat/reasoncode mapping,
// from/to as the call context) is the core's (src/sbc.rs); this file moves bytes: it bounds and
// reads the body, gets the chains through the same cache as /api/verify, runs the signature jobs
// on WebCrypto, checks the signing token, and sends the core's JSON text as it is.

import { bodyEncoding, encodingRefusal, readAtMost } from './http.js';
import { gatherChains, encodedChain } from './chains.js';
import { finishViewBytes } from './webcrypto.js';
import { securityHeaders } from './security.js';

export const VERIFICATION_PATH = '/stir/v1/verification';
export const SIGNING_PATH = '/stir/v1/signing';

/** Every answer's headers, the API security headers included: a response is made once, never
 * copied to add them (app.js sends these as they are). */
const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...securityHeaders(true) };
/** Verification answers' headers by chain-cache outcome, built once as Headers: a Response
 * copies a Headers list without validating each name and value again, about half the cost of
 * the same headers from a plain object (workerd) — the Response stays the costliest step of the
 * answer. The copy is the response's own (setting a header on it leaves these alone). */
const VERIFY_HEADERS = {
  hit: new Headers({ ...JSON_HEADERS, 'x-stircheck-cache': 'hit' }),
  miss: new Headers({ ...JSON_HEADERS, 'x-stircheck-cache': 'miss' }),
  none: new Headers(JSON_HEADERS),
};

/**
 * @param {object} o
 * @param {object} o.core the initialised wasm module
 * @param {object} o.verifier the isolate's core Verifier (same trust and chain cache as /api/verify)
 * @param {import('./cache.js').ChainCache} o.cache the isolate's x5u chain cache
 * @param {object} o.env bindings: STIRCHECK_SIGNING_TOKEN, STIRCHECK_SIGNING_KEY_PEM, STIRCHECK_SIGNING_X5U
 * @param {() => void} [o.afterVerify] called after each verification (core cache upkeep)
 * @param {(ctx: object) => ((p: Promise<unknown>) => void) | undefined} o.waitUntil
 * @param {(got: object, deadline: number, ctx: object) => Promise<{ crlsByUrl: object, crlFetchErrors: object } | null>} [o.crlsFor]
 *   the CRLs of the chains in use (app.js, within the request's fetch budget)
 * @param {(urls: string[], deadline: number, ctx: object) => Promise<{ resources: object, resourceFetchErrors: object } | null>} [o.rcdFor]
 *   the rcd content (icn/jcl) the identities' rcdi digests cover (app.js)
 * @param {number} [o.fetchBudgetMs] everything a verification fetches is done within this
 */
export function createSbc({ core, verifier, cache, env, afterVerify = () => {}, waitUntil, crlsFor = async () => null, rcdFor = async () => null, fetchBudgetMs = 3000 }) {
  const maxBody = core.sbcMaxBodyBytes();
  const token = typeof env?.STIRCHECK_SIGNING_TOKEN === 'string' ? env.STIRCHECK_SIGNING_TOKEN : '';
  const signingOn = token.length > 0;
  const tokenDigest = signingOn ? sha256(token) : null;
  let signer = null;

  const fail = (kind, text, headers = {}) => send(core.sbcError(kind, text), headers);

  async function readRequestBody(request) {
    const given = request.headers.get('content-type');
    const type = given === null || given === 'application/json' ? 'application/json' : given.split(';')[0].trim().toLowerCase();
    if (type !== 'application/json' && !type.endsWith('+json')) {
      return { error: fail('media-type', `unsupported content type "${type}": send application/json`) };
    }
    const encoding = bodyEncoding(request);
    if (encoding) return { error: fail('media-type', encodingRefusal(encoding)) };
    const declared = request.headers.get('content-length');
    const tooLarge = () => ({ error: fail('too-large', `the request body is larger than ${maxBody / 1024} KiB`) });
    if (declared !== null && Number(declared) > maxBody) return tooLarge();
    // A declared length within the bound is what HTTP framing delivers, so the runtime can read
    // it in one go; without one (chunked), read under the bound.
    const bytes = declared !== null ? new Uint8Array(await request.arrayBuffer()) : await readAtMost(request.body, maxBody);
    if (bytes === null || bytes.byteLength > maxBody) return tooLarge();
    // The bytes go to the core as they are: it checks they are UTF-8 (a 400 `body` error if not).
    return { bytes };
  }

  async function verification(request, ctx) {
    const body = await readRequestBody(request);
    if (body.error) return body.error;
    const req = core.sbcVerificationRequestBytes(body.bytes);
    if (req.status !== undefined) return send(req);
    const deadline = Date.now() + fetchBudgetMs;
    let got;
    let answer;
    try {
      const rcdUrls = req.rcdUrls;
      const rcdDone = rcdUrls.length ? rcdFor(rcdUrls, deadline, ctx) : null;
      got = await gatherChains(core, req.needed, undefined, cache, waitUntil(ctx));
      for (const url in got.certs) req.supplyBytes(url, encodedChain(got.certs[url]));
      for (const url in got.fetchErrors) req.unavailable(url, got.fetchErrors[url]);
      const crls = got.crlUrls.length ? await crlsFor(got, deadline, ctx) : null;
      if (crls) {
        for (const url in crls.crlsByUrl) req.supplyCrl(url, crls.crlsByUrl[url]);
        for (const url in crls.crlFetchErrors) req.crlUnavailable(url, crls.crlFetchErrors[url]);
      }
      const rcd = rcdDone && (await rcdDone);
      if (rcd) {
        for (const url in rcd.resources) req.supplyResource(url, rcd.resources[url]);
        for (const url in rcd.resourceFetchErrors) req.resourceUnavailable(url, rcd.resourceFetchErrors[url]);
      }
      answer = await finishViewBytes(req.prepare(verifier), 'sbc');
    } finally {
      req.free();
    }
    afterVerify();
    return new Response(answer, { status: 200, headers: VERIFY_HEADERS[got.cache] ?? VERIFY_HEADERS.none });
  }

  async function signing(request) {
    const m = /^Bearer[ \t]+([^\s]+)[ \t]*$/i.exec(request.headers.get('authorization') || '');
    if (!m) {
      return fail('unauthorized', 'signing needs "Authorization: Bearer <token>"', { 'www-authenticate': 'Bearer realm="stircheck-signing"' });
    }
    if (!(await sameDigest(await sha256(m[1]), await tokenDigest))) {
      return fail('forbidden', 'the bearer token is not the one configured for signing');
    }
    if (!signer) {
      try {
        signer = new core.SbcSigner(String(env.STIRCHECK_SIGNING_KEY_PEM ?? ''), String(env.STIRCHECK_SIGNING_X5U ?? ''));
      } catch (e) {
        console.error('stircheck worker: signing is misconfigured:', e?.message || e);
        return fail('internal', `signing is misconfigured on this deployment: ${e?.message || e}`);
      }
    }
    const body = await readRequestBody(request);
    if (body.error) return body.error;
    return send(signer.respondBytes(body.bytes, Date.now() / 1000));
  }

  /** The path as an error may quote it: bounded, so a long request target is not echoed whole. */
  const shortPath = (p) => (p.length > 100 ? `${p.slice(0, 100)}…` : p);

  const routes = {
    [VERIFICATION_PATH]: { POST: verification },
    ...(signingOn ? { [SIGNING_PATH]: { POST: signing } } : {}),
  };

  return {
    /** Answers every request under /stir/, errors in the requestError.serviceException shape;
     * every answer carries the API security headers already. */
    async handle(request, ctx, pathname) {
      try {
        const methods = routes[pathname];
        if (!methods) {
          const why = pathname === SIGNING_PATH ? 'signing is not enabled on this deployment' : `no such resource: ${shortPath(pathname)}`;
          return fail('not-found', why);
        }
        const handler = methods[request.method];
        if (!handler) return fail('method', `${request.method} is not allowed on ${pathname} (use POST)`, { allow: 'POST' });
        return await handler(request, ctx);
      } catch (e) {
        console.error('stircheck worker: internal error (SBC interface):', e?.stack || e);
        return fail('internal', 'internal error in the verifier; the request was well-formed');
      }
    },
  };
}

/** `{ status, body }` from the core -> a Response. */
function send({ status, body }, headers = {}) {
  return new Response(body, { status, headers: { ...JSON_HEADERS, ...headers } });
}

async function sha256(text) {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));
}

/** Constant time over the two digests: how much of the token matched does not show in timing. */
async function sameDigest(a, b) {
  let diff = a.length ^ b.length;
  for (let i = 0; i < a.length; i++) diff |= a[i] ^ b[i];
  return diff === 0;
}
