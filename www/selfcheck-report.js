/**
 * Self-check results: one compact row per pasted call (kept instead of the whole Verdict, so a large
 * paste does not hold thousands of verdicts), the per-number summary, and the CSV / JSON exports.
 * Pure functions (no DOM, no wasm): Node tests can import them.
 *
 * A call belongs to one of the customer's numbers when the number it showed (P-Asserted-Identity or
 * From of a pasted SIP message) or, failing that, its signed `orig` is one of them. Calls that match
 * none are reported apart as "other numbers". `orig` is checked against the number shown: a SIP
 * message showing your number whose PASSporT signs another one is an orig mismatch.
 */
import { canonicalNumber } from './selfcheck-records.js';
import { outcomeOf } from './outcome.js';

/** Key of the "other numbers" group in the summary. */
export const OTHER = 'other';

/** Plain names of the core's check ids (docs/js-api.md), for failure groups. Unknown ids show as is. */
export const CHECK_NAMES = Object.freeze({
  input: 'Not a SIP message or Identity header',
  'identity.present': 'No Identity header',
  'identity.syntax': 'Identity header malformed',
  'passport.form': 'PASSporT malformed',
  'passport.header': 'PASSporT header not valid',
  'passport.claims': 'PASSporT claims not valid',
  'time.iat': 'Signing time (iat) too old or in the future',
  'call.orig': 'Signed orig differs from the calling number',
  'call.dest': 'Signed dest differs from the called number',
  'cert.fetch': 'Certificate could not be obtained',
  'cert.profile': 'Certificate not a SHAKEN certificate',
  'cert.chain': 'Certificate not from a trusted STI-CA',
  'cert.validity': 'Certificate expired or not yet valid',
  'cert.revocation': 'Certificate revoked',
  signature: 'Signature does not match (altered or wrong key)',
});

export function checkName(id) {
  return Object.hasOwn(CHECK_NAMES, id) ? CHECK_NAMES[id] : String(id);
}

function mainIdentity(verdict) {
  const list = Array.isArray(verdict?.identities) ? verdict.identities : [];
  return list.find((i) => i?.role === 'shaken') ?? list[0] ?? null;
}

const str = (v) => (typeof v === 'string' && v ? v : null);

/**
 * One row per call (the CSV columns, see CSV_COLUMNS).
 * @param {{ record: number, line: number }} rec where the call was in the paste
 * @param {object} verdict Verdict from the core
 * @param {string[]} numbers the customer's canonical numbers
 * @param {{ nanp?: boolean }} [opts] same choice as for the entered numbers
 */
export function rowFromVerdict(rec, verdict, numbers, { nanp = true } = {}) {
  const id = mainIdentity(verdict);
  const claims = id?.claims && typeof id.claims === 'object' ? id.claims : null;
  const origRaw = str(claims?.orig?.tn);
  const orig = origRaw ? canonicalNumber(origRaw, { nanp }) ?? origRaw : null;
  const destList = Array.isArray(claims?.dest?.tn) ? claims.dest.tn.filter((d) => typeof d === 'string') : [];
  const shownRaw = str(verdict?.call?.orig_tn);
  const shown = shownRaw ? canonicalNumber(shownRaw, { nanp }) ?? shownRaw : null;
  const status = ['valid', 'invalid', 'no-identity'].includes(verdict?.status) ? verdict.status : 'invalid';
  const failure = (Array.isArray(verdict?.checks) ? verdict.checks : []).find((c) => c?.outcome === 'fail') ?? null;
  const set = new Set(numbers);
  const number = shown && set.has(shown) ? shown : orig && set.has(orig) ? orig : OTHER;
  // yes: the signed orig is the number the call showed (or, with no SIP context, one of yours);
  // no: it is not; '' when the call carries no signed orig to compare.
  let origMatch = '';
  if (orig) origMatch = (shown ? orig === shown : number !== OTHER) ? 'yes' : 'no';
  const signer = verdict?.signer ?? null;
  const attest = status === 'valid' && ['A', 'B', 'C'].includes(verdict?.attest) ? verdict.attest : null;
  // A line in which no PASSporT could be read (not SIP, a cut token, a broken header) is a copy
  // problem, not a signed call that failed: it is counted apart.
  const unreadable = status === 'invalid' && !claims;
  return {
    record: rec.record,
    line: rec.line,
    number,
    shown_number: shown,
    orig,
    orig_match: origMatch,
    status,
    outcome: unreadable ? 'unreadable' : outcomeOf(verdict),
    attest,
    claimed_attest: status === 'invalid' && ['A', 'B', 'C'].includes(claims?.attest) ? claims.attest : null,
    // As the CLI batch: the first failing check, also `identity.present` for an unsigned call.
    failed_check: str(failure?.id),
    failure_detail: str(failure?.detail),
    sip_code: typeof verdict?.sip_code === 'number' ? verdict.sip_code : null,
    verstat: str(verdict?.verstat),
    spc: str(signer?.spc),
    organization: str(signer?.organization),
    // Rich call data (RFC 9795): whether the core verified it, and the brand only when it did.
    rcd: verdict?.rcd && typeof verdict.rcd === 'object' ? (verdict.rcd.verified === true ? 'verified' : 'unverified') : null,
    brand: verdict?.rcd?.verified === true ? str(verdict.rcd.nam) : null,
    // The core's words for the signer ("Company (SPC X)"), as the banner shows them.
    signer: str(verdict?.summary?.signer) ?? (signer ? signerLabel(signer.spc, signer.organization) : null),
    x5u: str(id?.x5u),
    iat: typeof id?.iat === 'number' ? id.iat : null,
    dest: destList.join(' '),
    reason: String(verdict?.reason ?? ''),
  };
}

/** "SPC 123A (Example Carrier)"; an unknown SPC or company is said so. */
export function signerLabel(spc, organization) {
  const s = spc ? `SPC ${spc}` : 'unknown SPC';
  return organization ? `${s} (${organization})` : s;
}

function emptyGroup(number) {
  return {
    number,
    calls: 0,
    signed: 0,
    valid: 0,
    /** failed + unverified (status invalid, a PASSporT was read) */
    invalid: 0,
    failed: 0,
    unverified: 0,
    unsigned: 0,
    /** lines in which no PASSporT could be read; not counted as signed or invalid */
    unreadable: 0,
    attest: { A: 0, B: 0, C: 0 },
    origMatched: 0,
    origMismatch: 0,
    /** label -> { spc, organization, calls, attest: {A,B,C} } (valid calls only) */
    signers: new Map(),
    /** check id -> { id, count, details: Map(detail -> count), numbers: Map(number -> count) } */
    failures: new Map(),
    /** verified branded name (RFC 9795) -> calls that showed it */
    brands: new Map(),
    /** calls whose rich call data did not verify (their names are not kept) */
    unverifiedBrands: 0,
  };
}

/**
 * Per-number summary, in the order the customer entered the numbers, then "other numbers".
 * @param {object[]} rows from rowFromVerdict
 * @param {string[]} numbers
 */
export function summarize(rows, numbers) {
  const groups = new Map(numbers.map((n) => [n, emptyGroup(n)]));
  const other = emptyGroup(OTHER);
  /** the numbers seen in "other" calls, each with its own counts */
  const others = new Map();
  const failures = new Map();
  for (const r of rows) {
    const mine = groups.get(r.number);
    if (mine) add(mine, r, false);
    else {
      add(other, r, true);
      const key = r.orig ?? r.shown_number ?? '';
      if (!others.has(key)) others.set(key, emptyGroup(key));
      add(others.get(key), r, true);
    }
    if (r.status === 'invalid' && rowOutcome(r) !== 'unreadable') addFailure(failures, r);
  }
  const byCount = (a, b) => b.count - a.count || String(a.id).localeCompare(String(b.id));
  return {
    numbers: [...groups.values()],
    other,
    /** other numbers, most calls first; number '' = calls with no number at all */
    others: [...others.values()].sort((a, b) => b.calls - a.calls || a.number.localeCompare(b.number)),
    /** failing check -> { id, count, details, numbers }, most frequent first */
    failures: [...failures.values()].sort(byCount),
    total: rows.length,
  };
}

/** A row's outcome; rows made without one (older exports, tests) are read by status. */
export function rowOutcome(r) {
  return r.outcome ?? outcomeOf(r);
}

function add(g, r, isOther) {
  g.calls += 1;
  const outcome = rowOutcome(r);
  if (outcome === 'unreadable') {
    g.unreadable += 1;
    return;
  }
  if (r.status !== 'no-identity') g.signed += 1;
  if (r.status === 'valid') g.valid += 1;
  else if (r.status === 'invalid') {
    g.invalid += 1;
    if (outcome === 'unverified') g.unverified += 1;
    else g.failed += 1;
  } else g.unsigned += 1;
  if (r.attest) g.attest[r.attest] += 1;
  if (r.orig_match === 'yes') g.origMatched += 1;
  if (r.orig_match === 'no' && !isOther) g.origMismatch += 1;
  if (r.status === 'valid') {
    const label = r.signer ?? signerLabel(r.spc, r.organization);
    const s = g.signers.get(label) ?? { label, spc: r.spc, organization: r.organization, calls: 0, attest: { A: 0, B: 0, C: 0 } };
    s.calls += 1;
    if (r.attest) s.attest[r.attest] += 1;
    g.signers.set(label, s);
  }
  if (r.status === 'invalid') addFailure(g.failures, r);
  if (r.brand) g.brands.set(r.brand, (g.brands.get(r.brand) ?? 0) + 1);
  if (r.rcd === 'unverified') g.unverifiedBrands += 1;
}

function addFailure(map, r) {
  const id = r.failed_check ?? 'unknown';
  const f = map.get(id) ?? { id, count: 0, details: new Map(), numbers: new Map() };
  f.count += 1;
  const d = r.failure_detail ?? r.reason;
  f.details.set(d, (f.details.get(d) ?? 0) + 1);
  f.numbers.set(r.number, (f.numbers.get(r.number) ?? 0) + 1);
  map.set(id, f);
}

/**
 * What the core's self-check answers need per number (src/selfcheck.rs NumberTally): the counts
 * and, for valid calls, who signed at which level and the verified branded names (RFC 9795).
 */
export function tallies(summary) {
  return summary.numbers.map((g) => ({
    number: g.number,
    a: g.attest.A,
    b: g.attest.B,
    c: g.attest.C,
    failed: g.failed,
    unverified: g.unverified,
    unsigned: g.unsigned,
    unreadable: g.unreadable,
    signers: [...g.signers.values()].map((s) => ({ signer: s.label, a: s.attest.A, b: s.attest.B, c: s.attest.C })),
    // Only when there is rich call data, so a core older than rcd still reads the tally.
    ...(g.brands.size ? { brands: [...g.brands].map(([name, calls]) => ({ name, calls })) } : {}),
    ...(g.unverifiedBrands ? { unverified_brands: g.unverifiedBrands } : {}),
  }));
}

/** CSV columns, in order, with what each holds (shown on the page and in www/README.md). */
export const CSV_COLUMNS = Object.freeze([
  ['record', 'position of the call in the paste (1, 2, …)'],
  ['line', 'line of the paste where the call starts'],
  ['number', 'your number the call was counted for, or "other"'],
  ['shown_number', 'calling number in the SIP message (P-Asserted-Identity, else From); empty for a bare header'],
  ['orig', 'signed calling number (PASSporT orig), canonical'],
  ['orig_match', 'yes: orig is the number shown (or one of yours); no: it is not; empty: nothing signed'],
  ['status', 'valid, invalid or no-identity'],
  ['outcome', 'verified, failed, unverified (could not be checked: certificate not obtained), unsigned, or unreadable (no PASSporT could be read from the line; counted apart)'],
  ['attest', 'verified attestation A/B/C (valid calls only)'],
  ['claimed_attest', 'attestation the header claims although it did not verify'],
  ['failed_check', 'first failing check (identity.present for a call without signature)'],
  ['sip_code', 'SIP code a verifier would answer (403/428/436/437/438)'],
  ['verstat', 'verstat value'],
  ['spc', 'signer’s Service Provider Code'],
  ['organization', 'signer’s company (certificate O)'],
  ['rcd', 'the call’s Rich Call Data (RFC 9795): verified, unverified (its name is then not kept), or empty: none'],
  ['brand', 'name shown to the callee (Rich Call Data nam, RFC 9795), only when its digests and the call verified'],
  ['x5u', 'certificate URL'],
  ['iat', 'signing time, UTC ISO-8601'],
  ['iat_unix', 'signing time, unix seconds'],
  ['dest', 'signed called number(s), space separated'],
  ['reason', 'the verifier’s one-sentence reason'],
]);

/**
 * One CSV field. Text from the paste or a certificate is untrusted: a value starting with =, +, -,
 * @, tab or carriage return would be run as a formula by spreadsheets, so it gets a leading '.
 */
export function csvField(value) {
  let s = value === null || value === undefined ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function isoOrEmpty(unix) {
  return typeof unix === 'number' && Number.isFinite(unix) && Math.abs(unix) < 8.64e12 ? new Date(unix * 1000).toISOString() : '';
}

/** The CSV text (header row + one row per call, CRLF line ends as RFC 4180 asks). */
export function toCsv(rows) {
  const head = CSV_COLUMNS.map(([name]) => name).join(',');
  const body = rows.map((r) =>
    CSV_COLUMNS.map(([name]) => {
      if (name === 'iat') return csvField(isoOrEmpty(r.iat));
      if (name === 'iat_unix') return csvField(r.iat);
      return csvField(r[name]);
    }).join(','),
  );
  return `${[head, ...body].join('\r\n')}\r\n`;
}

const mapToObject = (m, f = (v) => v) => Object.fromEntries([...m.entries()].map(([k, v]) => [k, f(v)]));

function groupJson(g) {
  return {
    number: g.number,
    calls: g.calls,
    signed: g.signed,
    valid: g.valid,
    invalid: g.invalid,
    unsigned: g.unsigned,
    failed: g.failed,
    unverified: g.unverified,
    unreadable: g.unreadable,
    attest: { ...g.attest },
    orig_matched: g.origMatched,
    orig_mismatch: g.origMismatch,
    signers: [...g.signers.entries()].map(([label, s]) => ({ label, spc: s.spc, organization: s.organization, calls: s.calls, attest: { ...s.attest } })),
    failures: [...g.failures.values()].map((f) => ({ check: f.id, name: checkName(f.id), count: f.count, details: mapToObject(f.details) })),
    brands: mapToObject(g.brands),
    unverified_brands: g.unverifiedBrands,
  };
}

/**
 * The JSON export: settings, per-number summary and every row.
 * @param {{ rows: object[], numbers: string[], settings: object, generatedAt?: number }} report
 */
export function toJson({ rows, numbers, settings, generatedAt = Date.now() }) {
  const s = summarize(rows, numbers);
  return JSON.stringify(
    {
      tool: 'stircheck self-check',
      generated_at: new Date(generatedAt).toISOString(),
      settings,
      numbers,
      summary: {
        calls: s.total,
        per_number: s.numbers.map(groupJson),
        other_numbers: { ...groupJson(s.other), numbers: s.others.map(groupJson) },
        failures: s.failures.map((f) => ({ check: f.id, name: checkName(f.id), count: f.count, details: mapToObject(f.details), numbers: mapToObject(f.numbers) })),
      },
      calls: rows.map((r) => ({ ...r, iat_iso: isoOrEmpty(r.iat) || null })),
    },
    null,
    2,
  );
}
