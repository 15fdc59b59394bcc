// Validates a POST /api/verify body (DESIGN.md "Worker HTTP API") into core VerifyOptions.
//   JSON:       { "input": "...", "at"?: n, "certs"?: { "<x5u>": "<pem>" }, "trust"?: ["<pem>"],
//                 "maxAge"?: n, "asOfCall"?: bool }   (the last two pass straight to the core)
//   text/plain: the body is the input.
// Everything malformed is a 400 (or 415 for an unknown media type) with a message saying what.

import { HttpError, readBody } from './http.js';

/** Bodies above this are refused with 413. Input is bounded by the core (16 headers x 16 KiB); */
/** certs/trust PEM add a few KiB each. */
export const MAX_REQUEST_BYTES = 256 * 1024;
export const MAX_CERT_ENTRIES = 16;
export const MAX_TRUST_ENTRIES = 64;

/** Verdict views /api/verify offers (`"view"` in the JSON body or `?view=`); the core renders them. */
const VIEWS = ['full', 'compact'];

/**
 * @param {Request} request
 * @param {number} [bodyTimeoutMs] how long the body may take to arrive (default http.js BODY_TIMEOUT_MS)
 * @returns {Promise<{ input: string, options: object, view: "full" | "compact" }>}
 */
export async function parseVerifyRequest(request, bodyTimeoutMs) {
  const query = new URL(request.url).searchParams.get('view');
  const parsed = await parseBody(request, bodyTimeoutMs);
  const view = parsed.view ?? query ?? 'full';
  if (!VIEWS.includes(view)) throw new HttpError(400, `"view" must be "full" or "compact", not ${JSON.stringify(view)}`);
  return { input: parsed.input, options: parsed.options, view };
}

async function parseBody(request, bodyTimeoutMs) {
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
  return validate(body);
}

function validate(body) {
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    throw new HttpError(400, 'the JSON body must be an object like {"input": "..."}');
  }
  const { input, at, certs, trust, maxAge, asOfCall, view } = body;
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
  return { input, options, view: view ?? undefined };
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
