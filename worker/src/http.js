// HTTP plumbing shared by the routes: JSON/error responses, CORS, and reading a request body
// under a byte limit. Errors meant for the client are thrown as HttpError and become
// `{ "error": "..." }` with their 4xx status; anything else is a bug and becomes a 500.

export class HttpError extends Error {
  /** @param {number} status @param {string} message @param {Record<string,string>} [headers] */
  constructor(status, message, headers = {}) {
    super(message);
    this.status = status;
    this.headers = headers;
  }
}

/** CORS for /api/*: the API is public and credential-free, so any origin may call it. */
export const CORS_HEADERS = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'GET, POST, OPTIONS',
  'access-control-allow-headers': 'content-type',
  'access-control-expose-headers': 'x-stircheck-cache',
  'access-control-max-age': '86400',
};

/** `http(s)://<authority>/<plain path>`, optional query and fragment: a path made of these
 * characters only is kept as it is by URL parsing (no dot segments, no percent-encoding, no
 * backslashes to turn into slashes), and such an authority holds no `/`, `?`, `#` or `@`. */
const PLAIN_URL = /^https?:\/\/[A-Za-z0-9.:[\]-]+(\/[A-Za-z0-9/_-]*)(?:[?#]|$)/i;

/**
 * `new URL(url).pathname` for a request's URL (absolute, as the runtime serialized it), without
 * building a URL object when the path is plain (the API and SBC paths): every other URL is parsed.
 * @param {string} url
 */
export function pathnameOf(url) {
  const plain = PLAIN_URL.exec(url);
  return plain ? plain[1] : new URL(url).pathname;
}

export function json(body, status = 200, headers = {}) {
  return jsonText(JSON.stringify(body), status, headers);
}

/** A response whose body is JSON text already (e.g. a verdict the core serialized). */
export function jsonText(text, status = 200, headers = {}) {
  return new Response(text, {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers },
  });
}

/**
 * Responses made with every header an API answer carries (the security and CORS headers
 * included): the router sends them as they are instead of setting those headers one by one.
 */
export const COMPLETE_API_RESPONSES = new WeakSet();

/**
 * A 200 API answer whose body is JSON already, with `headers` a Headers list that holds every
 * header of an API answer (see `apiHeaders`).
 * @param {BodyInit} body
 * @param {Headers} headers
 */
export function completeApiResponse(body, headers) {
  const res = new Response(body, { status: 200, headers });
  COMPLETE_API_RESPONSES.add(res);
  return res;
}

/**
 * The headers of an API JSON answer as one Headers list, made once by its caller: a Response
 * copies a Headers list without checking each name and value again (half the cost of a plain
 * object in workerd), and the router has nothing left to add. `security`: the API
 * security headers (security.js, passed in so this module imports nothing).
 * @param {Record<string, string>} extra e.g. x-stircheck-cache
 * @param {Record<string, string>} security
 */
export function apiHeaders(extra, security) {
  return new Headers({ 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...extra, ...security, ...CORS_HEADERS });
}

export function errorResponse(status, message, headers = {}) {
  return json({ error: message }, status, headers);
}

/** A request body must arrive within this long (a slow or stalled client gets 408). */
export const BODY_TIMEOUT_MS = 10000;

/**
 * The request's Content-Encoding when it is one this worker does not undo (anything but
 * `identity`), else null: such a body read as it is would be verified as garbage.
 */
export function bodyEncoding(request) {
  const e = request.headers.get('content-encoding');
  if (e === null) return null;
  const v = e.trim().toLowerCase();
  return v === '' || v === 'identity' ? null : v.slice(0, 40);
}

/** The 415 text for a body sent with `encoding`. */
export const encodingRefusal = (encoding) => `unsupported content encoding "${encoding}": send the body uncompressed`;

/**
 * Reads the body as text, refusing (413) more than `max` bytes whether or not the client declared
 * a Content-Length, without buffering more than `max` + one chunk. A body that stops arriving
 * within `timeoutMs` is a 408; one that cannot be read (the client aborted, broken chunked
 * framing) is a 400: the client's mistake, never a 5xx.
 */
export async function readBody(request, max, timeoutMs = BODY_TIMEOUT_MS) {
  const encoding = bodyEncoding(request);
  if (encoding) throw new HttpError(415, encodingRefusal(encoding));
  const declared = request.headers.get('content-length');
  if (declared !== null && Number(declared) > max) throw tooLarge(max);
  let bytes;
  try {
    bytes = await readAtMost(request.body, max, timeoutMs);
  } catch (e) {
    if (e instanceof HttpError) throw e;
    throw new HttpError(400, `the request body could not be read (the client aborted or the framing is broken: ${e?.message || e})`);
  }
  if (bytes === null) throw tooLarge(max);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new HttpError(400, 'the request body is not valid UTF-8');
  }
}

/**
 * Reads a body stream to the end, or stops (and cancels it) as soon as it exceeds `max` bytes.
 * @param {ReadableStream<Uint8Array> | null} body
 * @param {number} max
 * @param {number} [timeoutMs] give up (HttpError 408) when the whole body has not arrived by then
 * @returns {Promise<Uint8Array | null>} the bytes, or null when over `max`
 */
export async function readAtMost(body, max, timeoutMs) {
  if (!body) return new Uint8Array(0);
  const reader = body.getReader();
  let timer;
  const expired = timeoutMs
    ? new Promise((_, reject) => {
        timer = setTimeout(() => reject(new HttpError(408, `the request body did not arrive within ${timeoutMs / 1000} s`)), timeoutMs);
      })
    : null;
  const chunks = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await (expired ? Promise.race([reader.read(), expired]) : reader.read());
      if (done) break;
      total += value.byteLength;
      if (total > max) {
        await reader.cancel().catch(() => {});
        return null;
      }
      chunks.push(value);
    }
  } catch (e) {
    await reader.cancel().catch(() => {});
    throw e;
  } finally {
    clearTimeout(timer);
  }
  const all = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    all.set(c, at);
    at += c.byteLength;
  }
  return all;
}

function tooLarge(max) {
  return new HttpError(413, `the request body is larger than ${max / 1024} KiB`);
}
