// Baseline 2 for the side-by-side table (worker/bench/side-by-side.mjs): the practical limit for
// any verifier worker. Parses the JSON body, finds the PASSporT in verificationRequest.identity,
// and makes one WebCrypto ES256 verify over its signing input with a key imported once per
// isolate (binding ES256_SPKI: the signer's SubjectPublicKeyInfo, base64). No certificate, claim
// or call checks: this is the one signature a verifier cannot skip, plus the HTTP floor.
let key = null;

const b64url = (s) => Uint8Array.from(atob(s.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0));

export default {
  async fetch(request, env) {
    key ??= crypto.subtle.importKey('spki', b64url(env.ES256_SPKI), { name: 'ECDSA', namedCurve: 'P-256' }, false, ['verify']);
    const body = JSON.parse(await request.text());
    const id = [].concat(body.verificationRequest.identity)[0];
    const token = id.slice(0, id.indexOf(';'));
    const dot = token.lastIndexOf('.');
    const ok = await crypto.subtle.verify({ name: 'ECDSA', hash: 'SHA-256' }, await key, b64url(token.slice(dot + 1)),
      new TextEncoder().encode(token.slice(0, dot)));
    const verstat = ok ? 'TN-Validation-Passed' : 'TN-Validation-Failed';
    return new Response(JSON.stringify({ verificationResponse: { verstat } }), { headers: { 'content-type': 'application/json' } });
  },
};
