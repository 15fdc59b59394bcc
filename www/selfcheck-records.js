/**
 * Self-check input parsing: the customer's numbers and the pasted calls, split into records.
 * Pure functions (no DOM, no wasm), so Node tests can import them too.
 *
 * Records follow the CLI batch exactly (src/bin/stircheck/batch.rs `read_records`): paragraphs are
 * separated by blank lines; a paragraph whose first line is a SIP start line or a SIP header (other
 * than Identity / its compact form `y`) is one SIP message; a paragraph right after a SIP message
 * that is not made of tokens is that message's body (SDP) and skipped; any other paragraph gives one
 * record per line (one Identity header or PASSporT per line).
 *
 * One deliberate difference: the CLI stops adding lines to a paragraph after 256 KiB (its input
 * limit), which silently drops one-per-line headers past that point when the file has no blank
 * lines. Here nothing is dropped: every line is its own record, and an oversized SIP message goes to
 * the core whole, which rejects it with its `input` check (and says why).
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
 * Split a paste into records.
 * @param {string} text
 * @returns {Array<{ record: number, line: number, text: string }>} record: 1-based sequence number;
 *   line: 1-based line of the paste where the record starts
 */
export function splitRecords(text) {
  const out = [];
  const lines = String(text ?? '').split('\n');
  let para = [];
  let paraStart = 0;
  let prevWasMessage = false;
  const send = (t, line) => out.push({ record: out.length + 1, line, text: t });
  const flush = () => {
    if (para.length === 0) return;
    const isMessage = looksLikeMessage(para[0].trim());
    const isTokens = para.every(looksLikeToken);
    if (isMessage) {
      send(para.join('\n'), paraStart);
      prevWasMessage = true;
    } else if (prevWasMessage && !isTokens) {
      // The body of the previous SIP message (e.g. SDP): not an input.
    } else {
      para.forEach((l, i) => send(l, paraStart + i));
      prevWasMessage = false;
    }
    para = [];
  };
  lines.forEach((raw, i) => {
    const line = raw.replace(/\r+$/, '');
    if (!line.trim()) {
      flush();
      return;
    }
    if (para.length === 0) paraStart = i + 1;
    para.push(line);
  });
  flush();
  return out;
}
