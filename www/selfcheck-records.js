/**
 * Self-check input parsing: the customer's numbers and the pasted calls, split into records.
 * Pure functions (no DOM, no wasm), so Node tests can import them too.
 *
 * Records follow the CLI batch (src/bin/stircheck/batch.rs `read_records`): paragraphs are separated
 * by blank lines; a paragraph whose first line is a SIP start line or a SIP header (other than
 * Identity / its compact form `y`) is one SIP message; after a SIP message, lines that are not
 * tokens are its body (SDP) and skipped; every other line is one record (one Identity header or
 * PASSporT per line). Nothing is dropped however long the paste; an oversized SIP message goes to
 * the core whole, which rejects it with its `input` check and says why.
 */

/**
 * Canonical telephone number as the core writes `orig.tn` (src/tn.rs `canonical`): strip a leading
 * +, drop spaces, dashes, dots and parentheses; keep digits, * and #. Null when it is not a number.
 * @param {string} text
 * @param {{ nanp?: boolean }} [opts] nanp: a 10-digit result is a US/Canada number written without
 *   its country code, so a leading 1 is added (the page states this choice next to the input)
 * @returns {string | null}
 */
export function canonicalNumber(text, { nanp = true } = {}) {
  let s = String(text ?? '').trim();
  const international = s.startsWith('+');
  if (international) s = s.slice(1);
  let out = '';
  for (const c of s) {
    if ((c >= '0' && c <= '9') || c === '*' || c === '#') out += c;
    else if ('-.() '.includes(c)) continue;
    else return null;
  }
  if (!out || out.length > 32) return null;
  if (nanp && !international && /^[2-9]\d{9}$/.test(out)) out = `1${out}`;
  return out;
}

/**
 * The numbers the customer typed: one per line or separated by commas/semicolons.
 * @param {string} text
 * @param {{ nanp?: boolean }} [opts]
 * @returns {{ numbers: string[], invalid: string[] }} canonical numbers (deduplicated, in order)
 *   and the entries that are not numbers
 */
export function parseNumbers(text, opts) {
  const numbers = [];
  const invalid = [];
  for (const raw of String(text ?? '').split(/[\n\r,;]+/)) {
    const entry = raw.trim();
    if (!entry) continue;
    const n = canonicalNumber(entry, opts);
    if (n === null) invalid.push(entry);
    else if (!numbers.includes(n)) numbers.push(n);
  }
  return { numbers, invalid };
}

/** batch.rs `looks_like_message`: a SIP start line, or a header line that is not Identity. */
export function looksLikeMessage(first) {
  const words = first.split(/\s+/).filter(Boolean);
  const sipStart = (words.length === 3 && words[2].toUpperCase() === 'SIP/2.0') || first.startsWith('SIP/2.0 ');
  const colon = first.indexOf(':');
  let header = false;
  if (colon > 0) {
    const name = first.slice(0, colon);
    header = /^[A-Za-z0-9-]+$/.test(name) && name.toLowerCase() !== 'identity' && name.toLowerCase() !== 'y';
  }
  return sipStart || header;
}

/** batch.rs `looks_like_token`: an (optionally `Identity:`-prefixed) compact JWS on one line. */
export function looksLikeToken(line) {
  let l = line.trim();
  if (l.startsWith('Identity:')) l = l.slice(9);
  else if (l.startsWith('identity:')) l = l.slice(9);
  l = l.trim();
  return l.split(';')[0].split('.').length === 3;
}

/**
 * Split a paste into records, line by line as the CLI's streaming reader does.
 * @param {string} text
 * @returns {Array<{ record: number, line: number, text: string }>} record: 1-based sequence number;
 *   line: 1-based line of the paste where the record starts
 */
export function splitRecords(text) {
  const out = [];
  const send = (line, t) => out.push({ record: out.length + 1, line, text: t });
  /** the SIP message being collected: { line, lines } */
  let message = null;
  let inParagraph = false;
  let prevWasMessage = false;
  const lines = String(text ?? '').split('\n');
  lines.forEach((raw, i) => {
    const line = raw.replace(/[\r\n]+$/, '');
    if (!line.trim()) {
      if (message) {
        send(message.line, message.lines.join('\n'));
        prevWasMessage = true;
        message = null;
      }
      inParagraph = false;
      return;
    }
    if (message) {
      message.lines.push(line);
      return;
    }
    const first = !inParagraph;
    inParagraph = true;
    if (first && looksLikeMessage(line.trim())) {
      message = { line: i + 1, lines: [line] };
      return;
    }
    if (prevWasMessage && !looksLikeToken(line)) return; // the body (e.g. SDP) of the previous SIP message
    prevWasMessage = false;
    send(i + 1, line);
  });
  if (message) send(message.line, message.lines.join('\n'));
  return out;
}
