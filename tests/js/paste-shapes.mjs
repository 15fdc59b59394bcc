// Paste shapes of one clean Identity header line, shared by tests/js/paste.test.mjs (wasm API)
// and worker/test/paste.test.mjs (the worker): what tickets, e-mails, logs, webhooks and
// Wireshark make of a header. Each row says which clean text it must verify like. The native
// core and the CLI run the same shapes in tests/paste.rs.

const wrap = (s, width) => s.match(new RegExp(`.{1,${width}}`, 'gs')).join('\n');
const pct = (s) => encodeURIComponent(s).replace(/[!'()*._~-]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
const html = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/**
 * @param {string} line  `Identity: <token>;info=<…>;…`
 * @param {{ orig: string, dest: string }} numbers  the signed numbers (for a SIP INVITE around it)
 * @returns {{ name: string, text: string, clean: string }[]}
 */
export function pasteShapes(line, { orig, dest }) {
  const value = line.replace(/^Identity: /, '');
  const token = value.split(';')[0];
  const invite = [
    `INVITE sip:+${dest}@ims.example.net;user=phone SIP/2.0`,
    'Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK776asdhds',
    `From: "Alice" <sip:+${orig}@carrier.example.com;user=phone>;tag=a1`,
    `To: <sip:+${dest}@ims.example.net;user=phone>`,
    'Call-ID: a84b4c76e66710@pc33.example.com',
    'CSeq: 314159 INVITE',
    line,
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n');
  const headerLines = invite.split('\r\n').slice(1).filter((l) => l);
  const wireshark = [
    'Frame 7: 1188 bytes on wire (9504 bits), 1188 bytes captured (9504 bits)',
    'Session Initiation Protocol (INVITE)',
    `    Request-Line: ${invite.split('\r\n')[0]}`,
    '        Method: INVITE',
    '    Message Header',
    ...headerLines.map((l) => `        ${l}\\r\\n`),
    '',
  ].join('\n');
  return [
    { name: 'wrapped without indentation', text: wrap(line, 76), clean: line },
    { name: 'bare JWS broken every 64 characters', text: wrap(token, 64), clean: token },
    { name: 'log line', text: `2026-12-01T09:14:03.123Z INFO sip: ${line}`, clean: line },
    { name: 'double quotes', text: `"${line}"`, clean: line },
    { name: 'single quotes', text: `'${line}'`, clean: line },
    { name: 'JSON with StirPassportToken', text: JSON.stringify({ CallSid: 'CA1', StirVerstat: 'TN-Validation-Passed-A', StirPassportToken: token }), clean: token },
    { name: 'JSON with identity', text: JSON.stringify({ identity: value }), clean: value },
    { name: 'form-encoded', text: `AccountSid=AC1&CallStatus=ringing&StirPassportToken=${pct(token)}`, clean: token },
    { name: 'URL-encoded', text: pct(value), clean: value },
    { name: 'HTML-escaped', text: html(line), clean: line },
    { name: 'BOM, NBSP and CRLF', text: `\uFEFFIdentity:\u00A0${value}\r\n`, clean: line },
    { name: 'Wireshark copy', text: wireshark, clean: invite },
    { name: 'INVITE logged on one line', text: invite.replace(/\r\n/g, '\\r\\n'), clean: invite },
  ];
}

/** A verdict without the `input` check's detail (which says how the paste was read). */
export function comparable(verdict) {
  const v = structuredClone(verdict);
  v.checks[0].detail = '';
  return v;
}
