// Inbound-call webhooks and the per-number history API (issue 15; worker/README.md "Set up a test
// number"). Each provider's own request authentication is checked before anything is read into
// the verifier or stored; every call is verified by the same core as /api/verify, as of its
// arrival time, unsigned calls included; the record and the spoken sentence are the core's
// (src/webhook.rs). This file moves bytes: bounded bodies, WebCrypto HMAC/Ed25519, the Durable
// Object, the answers.
//
//   POST /api/hooks/twilio?tenant=<id>      X-Twilio-Signature (HMAC-SHA1, auth token) -> TwiML
//   POST /api/hooks/bandwidth?tenant=<id>   HTTP Basic (callback credentials)          -> BXML
//   POST /api/hooks/telnyx?tenant=<id>      telnyx-signature-ed25519 + telnyx-timestamp -> JSON
//   POST /api/calls                         Authorization: Bearer <calls_token>       -> JSON
//   GET  /api/history?number=<n>[&number=]  Authorization: Bearer <read_token>        -> JSON

import { HttpError, json, readBody } from './http.js';
import { gatherChains, encodedChain } from './chains.js';
import { runJob } from './webcrypto.js';
import { MAX_NUMBERS_PER_READ, base64Bytes, bearer, parseTenants, sameSecret, tenantBySecret } from './webhooks-tenants.js';

/**
 * @param {object} o
 * @param {object} o.core the initialised wasm module
 * @param {object} o.verifier the isolate's core Verifier (same trust and caches as /api/verify)
 * @param {import('./cache.js').ChainCache} o.cache
 * @param {object} o.env bindings: STIRCHECK_TENANTS, HISTORY (Durable Object namespace)
 * @param {() => void} [o.afterVerify] core cache upkeep after each verification
 * @param {(ctx: object) => ((p: Promise<unknown>) => void) | undefined} o.waitUntil
 * @param {(got: object, deadline: number, ctx: object) => Promise<{ crlsByUrl: object, crlFetchErrors: object } | null>} [o.crlsFor]
 *   the CRLs of the chains in use (app.js), within the request's fetch budget
 * @param {(urls: string[], deadline: number, ctx: object) => Promise<{ resources: object, resourceFetchErrors: object } | null>} [o.rcdFor]
 *   the rcd content the input's rcdi digests cover (app.js)
 * @param {number} [o.fetchBudgetMs]
 * @returns {Record<string, Record<string, Function>>} routes for the router
 */
export function createWebhooks({ core, verifier, cache, env, afterVerify = () => {}, waitUntil, crlsFor = async () => null, rcdFor = async () => null, fetchBudgetMs = 3000 }) {
  const tenants = parseTenants(env, core);
  // Read lazily: a deployment without tenants never needs it (and the stand-in core of app.test has none).
  let maxBodyBytes = null;

  function history(tenant) {
    const ns = env?.HISTORY;
    if (!ns) throw new HttpError(503, 'call history is not configured on this deployment (no HISTORY Durable Object binding)');
    return ns.get(ns.idFromName(tenant.id));
  }

  /** The tenant named in ?tenant=, or 404 (the same answer whether or not it exists is not needed: ids are not secrets). */
  function tenantOf(request) {
    const id = new URL(request.url).searchParams.get('tenant');
    const t = id ? tenants.get(id) : null;
    if (!t) throw new HttpError(404, id ? `no tenant "${id}" on this deployment` : 'missing ?tenant=<id> in the webhook URL');
    return t;
  }

  async function body(request, types) {
    const type = (request.headers.get('content-type') || '').split(';')[0].trim().toLowerCase();
    if (!types.some((t) => type === t || (t === 'application/json' && type.endsWith('+json')))) {
      throw new HttpError(415, `unsupported content type "${type || 'none'}": send ${types.join(' or ')}`);
    }
    maxBodyBytes ??= core.webhookLimits().maxBodyBytes;
    return readBody(request, maxBodyBytes);
  }

  /** Verifies one parsed call, stores its record for the tenant, returns the core's answer. */
  async function verifyAndStore(provider, text, tenant, ctx) {
    let call;
    try {
      call = core.WebhookCall.parse(provider, text);
    } catch (e) {
      throw new HttpError(400, e?.message || String(e));
    }
    let read;
    try {
      const receivedAt = Math.floor(Date.now() / 1000);
      const deadline = Date.now() + fetchBudgetMs;
      // Read once, kept across the fetches (other requests run meanwhile), then prepared.
      read = core.readInput(call.input);
      const needed = read.x5u;
      const rcdUrls = read.rcd;
      const rcdDone = rcdUrls.length ? rcdFor(rcdUrls, deadline, ctx) : null;
      const got = await gatherChains(core, needed, undefined, cache, waitUntil(ctx));
      // The chains go over as encoded bytes (kept encoded while the chain cache serves them).
      for (const url in got.certs) read.supplyBytes(url, encodedChain(got.certs[url]));
      const options = { at: call.time ?? receivedAt };
      if (Object.keys(got.fetchErrors).length) options.fetchErrors = got.fetchErrors;
      const crls = await crlsFor(got, deadline, ctx);
      if (crls) {
        options.crlsByUrl = crls.crlsByUrl;
        if (Object.keys(crls.crlFetchErrors).length) options.crlFetchErrors = crls.crlFetchErrors;
      }
      const rcd = await rcdDone;
      if (rcd) {
        options.resources = rcd.resources;
        if (Object.keys(rcd.resourceFetchErrors).length) options.resourceFetchErrors = rcd.resourceFetchErrors;
      }
      const pending = read.prepare(verifier, options);
      let answer;
      try {
        const results = await Promise.all(pending.jobs().map((job) => runJob(job)));
        answer = pending.finishCall(results, call, receivedAt, tenant.keepTokens);
      } finally {
        pending.free();
      }
      afterVerify();
      const keep = !tenant.numbers || tenant.numbers.has(answer.record.number);
      answer.stored = false;
      if (keep) {
        await history(tenant).add(answer.record, { maxCalls: tenant.maxCalls, retentionDays: tenant.retentionDays, now: receivedAt });
        answer.stored = true;
      }
      return answer;
    } finally {
      read?.free();
      call.free();
    }
  }

  const forbidden = (why) => new HttpError(403, why);

  async function twilio(request, ctx) {
    const tenant = tenantOf(request);
    if (!tenant.twilioAuthToken) throw new HttpError(404, `tenant "${tenant.id}" has no Twilio webhook (set twilio_auth_token)`);
    const text = await body(request, ['application/x-www-form-urlencoded']);
    const given = base64Bytes(request.headers.get('x-twilio-signature') || '');
    if (!given || given.length === 0) throw forbidden('missing or unreadable X-Twilio-Signature');
    const key = await crypto.subtle.importKey('raw', utf8(tenant.twilioAuthToken), { name: 'HMAC', hash: 'SHA-1' }, false, ['verify']);
    // subtle.verify compares the MAC in constant time.
    const ok = await crypto.subtle.verify('HMAC', key, given, utf8(core.twilioSignatureBase(request.url, text)));
    if (!ok) throw forbidden('X-Twilio-Signature does not match this URL and body for the tenant\'s auth token');
    const answer = await verifyAndStore('twilio', text, tenant, ctx);
    return xml(answer.reply, answer);
  }

  async function bandwidth(request, ctx) {
    const tenant = tenantOf(request);
    if (!tenant.bandwidth) throw new HttpError(404, `tenant "${tenant.id}" has no Bandwidth webhook (set bandwidth_username and bandwidth_password)`);
    const m = /^Basic[ \t]+(\S+)$/i.exec(request.headers.get('authorization') || '');
    const pair = m ? base64Bytes(m[1]) : null;
    const text = pair ? new TextDecoder().decode(pair) : '';
    const colon = text.indexOf(':');
    const okUser = colon > 0 && (await sameSecret(text.slice(0, colon), tenant.bandwidth.username));
    const okPass = colon > 0 && (await sameSecret(text.slice(colon + 1), tenant.bandwidth.password));
    if (!okUser || !okPass) {
      const e = new HttpError(401, 'Bandwidth callbacks must carry the application\'s callback credentials (HTTP Basic)', { 'www-authenticate': 'Basic realm="stircheck-webhook"' });
      throw e;
    }
    const raw = await body(request, ['application/json']);
    const event = safeJson(raw);
    if (event?.eventType !== undefined && event.eventType !== 'initiate') return json({ ignored: String(event.eventType) });
    const answer = await verifyAndStore('bandwidth', raw, tenant, ctx);
    return xml(answer.reply, answer);
  }

  async function telnyx(request, ctx) {
    const tenant = tenantOf(request);
    if (!tenant.telnyxPublicKey) throw new HttpError(404, `tenant "${tenant.id}" has no Telnyx webhook (set telnyx_public_key)`);
    const raw = await body(request, ['application/json']);
    const sig = base64Bytes(request.headers.get('telnyx-signature-ed25519') || '');
    const message = core.telnyxSignedMessage(request.headers.get('telnyx-timestamp') || '', raw, Date.now() / 1000);
    if (!sig || sig.length !== 64) throw forbidden('missing or unreadable telnyx-signature-ed25519');
    if (message === undefined) throw forbidden('missing telnyx-timestamp, or it is more than 5 minutes from now (replay)');
    const key = await crypto.subtle.importKey('raw', tenant.telnyxPublicKey, { name: 'Ed25519' }, false, ['verify']);
    if (!(await crypto.subtle.verify({ name: 'Ed25519' }, key, sig, utf8(message)))) {
      throw forbidden('telnyx-signature-ed25519 does not verify with the tenant\'s Telnyx public key');
    }
    if (!core.telnyxIsInboundCall(raw)) return json({ ignored: String(safeJson(raw)?.data?.event_type ?? 'unknown event') });
    const answer = await verifyAndStore('telnyx', raw, tenant, ctx);
    return json({ sentence: answer.sentence, stored: answer.stored, record: answer.record });
  }

  async function calls(request, ctx) {
    const token = bearer(request);
    if (!token) throw new HttpError(401, 'POST /api/calls needs "Authorization: Bearer <calls_token>"', { 'www-authenticate': 'Bearer realm="stircheck-calls"' });
    const tenant = await tenantBySecret(tenants, 'callsToken', token);
    if (!tenant) throw forbidden('this bearer token is not a calls_token of any tenant');
    const raw = await body(request, ['application/json']);
    const answer = await verifyAndStore('api', raw, tenant, ctx);
    return json({ sentence: answer.sentence, stored: answer.stored, record: answer.record });
  }

  async function read(request) {
    const token = bearer(request);
    if (!token) throw new HttpError(401, 'the history needs "Authorization: Bearer <read_token>"', { 'www-authenticate': 'Bearer realm="stircheck-history"' });
    const tenant = await tenantBySecret(tenants, 'readToken', token);
    if (!tenant) throw forbidden('this bearer token is not a read_token of any tenant');
    const params = new URL(request.url).searchParams;
    const asked = params.getAll('number').flatMap((n) => n.split(',')).map((n) => n.trim()).filter(Boolean);
    const now = Math.floor(Date.now() / 1000);
    const bounds = { retentionDays: tenant.retentionDays, now };
    const stub = history(tenant);
    if (asked.length === 0) {
      return json({ tenant: tenant.id, max_calls: tenant.maxCalls, retention_days: tenant.retentionDays, numbers: await stub.numbers(bounds) });
    }
    if (asked.length > MAX_NUMBERS_PER_READ) throw new HttpError(400, `at most ${MAX_NUMBERS_PER_READ} numbers per request`);
    const numbers = asked.map((n) => core.canonicalTn(n) ?? badNumber(n));
    const allowed = numbers.filter((n) => !tenant.numbers || tenant.numbers.has(n));
    const calls = await stub.list(allowed, bounds);
    for (const n of numbers) calls[n] ??= [];
    return json({ tenant: tenant.id, max_calls: tenant.maxCalls, retention_days: tenant.retentionDays, calls });
  }

  return {
    '/api/hooks/twilio': { POST: twilio },
    '/api/hooks/bandwidth': { POST: bandwidth },
    '/api/hooks/telnyx': { POST: telnyx },
    '/api/calls': { POST: calls },
    '/api/history': { GET: read },
  };
}

function badNumber(n) {
  throw new HttpError(400, `"${String(n).slice(0, 40)}" is not a telephone number`);
}

function utf8(s) {
  return new TextEncoder().encode(s);
}

function safeJson(text) {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** The provider's call-control document (TwiML / BXML); what was stored in headers for logs. */
function xml(doc, answer) {
  return new Response(doc, {
    status: 200,
    headers: {
      'content-type': 'text/xml; charset=utf-8',
      'cache-control': 'no-store',
      'x-stircheck-outcome': answer.record.outcome,
      'x-stircheck-stored': answer.stored ? 'yes' : 'no',
    },
  });
}
