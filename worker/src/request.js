// Validates a POST /api/verify body (DESIGN.md "Worker HTTP API") into core VerifyOptions.
//   JSON:       { "input": "...", "at"?: n, "certs"?: { "<x5u>": "<pem>" }, "trust"?: ["<pem>"],
//                 "maxAge"?: n, "asOfCall"?: bool,  (these two pass straight to the core)
//                 "crls"?: ["<PEM or base64 DER CRL>"], "resources"?: { "<url>": "<base64>" } }
//   text/plain: the body is the input.
// Everything malformed is a 400 (or 415 for an unknown media type) with a message saying what.

import { HttpError, readBody } from './http.js';

/** Bodies above this are refused with 413. Input is bounded by the core (16 headers x 16 KiB); */
/** certs/trust PEM add a few KiB each. */
export const MAX_REQUEST_BYTES = 256 * 1024;
export const MAX_CERT_ENTRIES = 16;
export const MAX_TRUST_ENTRIES = 64;
/** `resources` entries (CRL distribution points and rcd content of one call). */
export const MAX_RESOURCE_ENTRIES = 16;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Verdict views /api/verify offers (`"view"` in the JSON body or `?view=`); the core renders them. */
const VIEWS = ['full', 'compact'];

/**
 * @param {Request} request
 * @param {number} [bodyTimeoutMs] how long the body may take to arrive (default http.js BODY_TIMEOUT_MS)
 * @param {object} [core] the wasm module: the bounds of `crls` / `resources` are the core's
 * @returns {Promise<{ input: string, options: object, view: "full" | "compact", resources?: Record<string,string> }>}
 *   `resources` (url -> base64) is not a core option as such: the worker hands each entry to
 *   the core as the CRL or rcd content of its URL.
 */
export async function parseVerifyRequest(request, bodyTimeoutMs, core) {
  // A URL without a query has no ?view= (no URL object to build for the usual request).
  const query = request.url.includes('?') ? new URL(request.url).searchParams.get('view') : null;
  const parsed = await parseBody(request, bodyTimeoutMs, core);
  const view = parsed.view ?? query ?? 'full';
  if (!VIEWS.includes(view)) throw new HttpError(400, `"view" must be "full" or "compact", not ${JSON.stringify(view)}`);
  return { input: parsed.input, options: parsed.options, view, resources: parsed.resources };
}

async function parseBody(request, bodyTimeoutMs, core) {
  const type = (request.headers.get('content-type') || 'text/plain').split(';')[0].trim().toLowerCase();
  const isJson = type === 'application/json' || type.endsWith('+json');
  if (!isJson && type !== 'text/plain') {
    throw new HttpError(415, `unsupported content type "${type}": send application/json or text/plain`);
  }
  const text = await readBody(request, MAX_REQUEST_BYTES, bodyTimeoutMs);
  if (!isJson) {
    if (!text.trim()) throw new HttpError(400, 'the request body is empty: send the Identity header or SIP message');
    return { input: text, options: {} };
  }
  let body;
  try {
    body = JSON.parse(text);
  } catch (e) {
    throw new HttpError(400, `malformed JSON: ${e.message}`);
  }
  return validate(body, core);
}

function validate(body, core) {
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    throw new HttpError(400, 'the JSON body must be an object like {"input": "..."}');
  }
  const { input, at, certs, trust, maxAge, asOfCall, view, crls, resources } = body;
  if (typeof input !== 'string' || !input.trim()) {
    throw new HttpError(400, '"input" is required: a non-empty string (Identity header, SIP message or PASSporT)');
  }
  const options = {};
  if (at !== undefined && at !== null) options.at = seconds(at, 'at');
  if (maxAge !== undefined && maxAge !== null) options.maxAge = seconds(maxAge, 'maxAge');
  if (asOfCall !== undefined && asOfCall !== null) {
    if (typeof asOfCall !== 'boolean') throw new HttpError(400, '"asOfCall" must be true or false');
    options.asOfCall = asOfCall;
  }
  if (certs !== undefined && certs !== null) options.certs = certMap(certs);
  if (trust !== undefined && trust !== null) options.trust = pemList(trust);
  if (crls !== undefined && crls !== null) options.crls = crlList(crls, core);
  const res = resources !== undefined && resources !== null ? resourceMap(resources, core) : undefined;
  return { input, options, view: view ?? undefined, resources: res };
}

/** `crls`: PEM or base64 DER CRLs (the core reads them; a bad one fails cert.revocation, saying why). */
function crlList(crls, core) {
  if (!Array.isArray(crls) || crls.some((p) => typeof p !== 'string' || !p.trim())) {
    throw new HttpError(400, '"crls" must be an array of CRLs, each a PEM ("-----BEGIN X509 CRL-----") or base64 DER string');
  }
  const max = core.cacheLimits().maxCrls;
  if (crls.length > max) throw new HttpError(400, `"crls" has ${crls.length} entries; a verification considers at most ${max} CRLs`);
  const maxBytes = core.fetchLimits('crl').maxBytes;
  const big = crls.findIndex((p) => new TextEncoder().encode(p).length > maxBytes);
  if (big >= 0) throw new HttpError(400, `"crls"[${big}] is larger than the ${maxBytes / 1024} KiB a CRL may be`);
  return crls;
}

/** `resources`: { url: standard base64 of the bytes served there } (CRL distribution points, rcd content). */
function resourceMap(resources, core) {
  if (typeof resources !== 'object' || Array.isArray(resources)) {
    throw new HttpError(400, '"resources" must be an object mapping URL to the base64 of its content');
  }
  const entries = Object.entries(resources);
  if (entries.length > MAX_RESOURCE_ENTRIES) throw new HttpError(400, `"resources" has more than ${MAX_RESOURCE_ENTRIES} entries`);
  const maxBytes = Math.max(core.fetchLimits('crl').maxBytes, core.fetchLimits('rcd').maxBytes);
  for (const [url, b64] of entries) {
    if (typeof b64 !== 'string' || !b64 || !BASE64.test(b64)) {
      throw new HttpError(400, `"resources" entry for ${JSON.stringify(url)} must be standard base64 (A-Z a-z 0-9 + /, padded with =)`);
    }
    const bytes = (b64.length / 4) * 3 - (b64.endsWith('==') ? 2 : b64.endsWith('=') ? 1 : 0);
    if (bytes > maxBytes) throw new HttpError(400, `"resources" entry for ${JSON.stringify(url)} is larger than ${maxBytes / 1024} KiB`);
  }
  return Object.fromEntries(entries);
}

/** Unix seconds / durations: non-negative numbers; fractions are dropped (the core counts whole seconds). */
function seconds(v, name) {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || v > Number.MAX_SAFE_INTEGER) {
    throw new HttpError(400, `"${name}" must be a non-negative number of seconds`);
  }
  return Math.floor(v);
}

function certMap(certs) {
  if (typeof certs !== 'object' || Array.isArray(certs)) {
    throw new HttpError(400, '"certs" must be an object mapping x5u URL to PEM chain');
  }
  const entries = Object.entries(certs);
  if (entries.length > MAX_CERT_ENTRIES) throw new HttpError(400, `"certs" has more than ${MAX_CERT_ENTRIES} entries`);
  for (const [url, pem] of entries) {
    if (typeof pem !== 'string') throw new HttpError(400, `"certs" entry for ${JSON.stringify(url)} must be a PEM string`);
  }
  return Object.fromEntries(entries);
}

function pemList(trust) {
  if (!Array.isArray(trust) || trust.some((p) => typeof p !== 'string')) {
    throw new HttpError(400, '"trust" must be an array of PEM strings');
  }
  if (trust.length === 0) throw new HttpError(400, '"trust" is empty: omit it to use the default trust store');
  if (trust.length > MAX_TRUST_ENTRIES) throw new HttpError(400, `"trust" has more than ${MAX_TRUST_ENTRIES} entries`);
  return trust;
}
