/**
 * One section per Identity header: its role, its own result, when it was signed (date and age),
 * and the decoded PASSporT header and claims.
 *
 * Why per identity: a forwarded call carries a `div` PASSporT and may carry `rcd` (caller name/logo)
 * next to the SHAKEN one. Their failures never change the SHAKEN verdict, so each shows its own
 * result and checks; claims of an identity that did not verify are labelled as untrusted.
 */
import { h } from './dom.js';
import { formatAge, formatDate, isoDate, isUnixTime } from './format.js';
import { renderChecks, summarizeChecks } from './render-checks.js';
import { renderJson } from './render-json.js';
import { outcomeOf } from './outcome.js';

const ROLE = {
  shaken: 'SHAKEN — decides the result above',
  div: 'Diversion (the call was forwarded)',
  rcd: 'Rich call data (caller name or logo)',
  base: 'Plain PASSporT (no ppt)',
  other: 'Other PASSporT type',
  unsupported: 'Unsupported PASSporT type',
};

const STATUS_TEXT = { valid: 'Valid', invalid: 'Not valid', ignored: 'Ignored', unverified: 'Could not check' };

/** "Signed 29 Oct 2021, 13:50:19 CET (4 years ago)"; the age is relative to the browser's clock. */
export function renderSignedAt(iat) {
  if (!isUnixTime(iat)) return h('p', { class: 'muted' }, 'Signing time (iat): missing or not a number');
  return h(
    'p',
    { class: 'iat' },
    'Signed (iat): ',
    h('time', { datetime: isoDate(iat), title: isoDate(iat) }, formatDate(iat)),
    ' — ',
    h('strong', { class: 'iat__age' }, formatAge(iat)),
  );
}

/** The identity that decides the call (role "shaken"), or the first one. */
export function mainIdentity(verdict) {
  const list = Array.isArray(verdict?.identities) ? verdict.identities : [];
  return list.find((i) => i?.role === 'shaken') ?? list[0] ?? null;
}

/**
 * @param {boolean} isMain its checks are the verdict's own, already listed in the Checks section
 * @param {string} [outcome] the verdict's outcome, for the identity that decides it: when the core
 *   says "unverified" (its certificate could not be obtained) the pill says "Could not check" in
 *   amber like the banner, not a red "Not valid" under an amber answer
 */
function renderIdentity(identity, position, total, isMain, outcome) {
  const role = ROLE[identity.role] ?? String(identity.role ?? 'unknown');
  const pill = isMain && outcome === 'unverified' && identity.status === 'invalid' ? 'unverified' : String(identity.status);
  const status = STATUS_TEXT[pill] ?? String(identity.status ?? '');
  const untrusted = identity.status !== 'valid';
  return h(
    'section',
    { class: `panel identity identity--${identity.status}`, dataset: { role: String(identity.role), index: String(identity.index ?? position) } },
    h('h3', null, `Identity ${position + 1} of ${total}: `, h('span', null, role)),
    h(
      'p',
      { class: 'identity__result' },
      h('span', { class: `pill pill--${pill}` }, status),
      ' ',
      String(identity.reason ?? ''),
    ),
    h(
      'p',
      { class: 'muted' },
      `PASSporT type (ppt): ${identity.ppt ?? 'none'} · form: ${identity.form ?? '?'}`,
      identity.x5u ? [' · certificate: ', h('code', { class: 'url' }, String(identity.x5u))] : null,
    ),
    renderSignedAt(identity.iat),
    // This identity's rich call data (RFC 9795): the verdict's words only; the brand itself is
    // shown in the banner, and only when verified (render-rcd.js).
    identity.rcd && typeof identity.rcd === 'object'
      ? h(
          'p',
          { class: 'identity__rcd', dataset: { rcd: identity.rcd.verified === true ? 'verified' : 'unverified' } },
          h('strong', null, identity.rcd.verified === true ? 'Rich call data verified: ' : 'Rich call data not verified: '),
          String(identity.rcd.reason ?? ''),
        )
      : null,
    untrusted && identity.claims
      ? h('p', { class: 'warning-text' }, 'This identity did not verify: treat its claims as unconfirmed.')
      : null,
    h(
      'details',
      { class: 'identity__json' },
      h('summary', null, 'Decoded PASSporT header and claims (JSON)'),
      h('div', { class: 'json-pair' }, renderJson('Header', identity.header), renderJson('Claims', identity.claims)),
    ),
    isMain
      ? null
      : h(
          'details',
          { class: 'identity__checks', open: identity.status === 'invalid' },
          h('summary', null, `Checks of identity ${position + 1}: ${summarizeChecks(identity.checks)}`),
          renderChecks(identity.checks, { heading: `Checks of identity ${position + 1}`, level: 4 }),
        ),
  );
}

/**
 * @param {object} verdict
 * @returns {HTMLElement | null} null when the input had no Identity header at all
 */
export function renderIdentities(verdict) {
  const list = Array.isArray(verdict?.identities) ? verdict.identities.filter((i) => i && typeof i === 'object') : [];
  if (list.length === 0) return null;
  const main = mainIdentity(verdict);
  return h(
    'section',
    { class: 'identities' },
    h('h2', null, list.length === 1 ? 'Decoded header' : `${list.length} Identity headers`),
    list.map((identity, i) => renderIdentity(identity, i, list.length, identity === main, outcomeOf(verdict))),
  );
}

/** Labels of the SIP context fields (CallContext in docs/js-api.md); unknown keys show as they are. */
const CALL_FIELDS = {
  request_uri: 'Request-URI',
  from: 'From',
  to: 'To',
  pai: 'P-Asserted-Identity',
  date: 'Date',
  orig_tn: 'Calling number (as compared with orig)',
  dest_tn: 'Called number (as compared with dest)',
};
/** Fields that only repeat another one in machine form. */
const CALL_HIDDEN = new Set(['date_unix']);

/** SIP context found in a pasted message (From, To, P-Asserted-Identity, Date, Request-URI). */
export function renderCall(call) {
  if (!call || typeof call !== 'object') return null;
  const rows = Object.entries(call).filter(([k, v]) => !CALL_HIDDEN.has(k) && v !== null && v !== undefined && v !== '');
  if (rows.length === 0) return null;
  return h(
    'section',
    { class: 'panel call' },
    h('h2', null, 'From the SIP message'),
    h(
      'dl',
      { class: 'facts' },
      rows.map(([k, v]) => [
        h('dt', null, CALL_FIELDS[k] ?? k),
        h('dd', null, h('code', null, typeof v === 'string' ? v : JSON.stringify(v))),
      ]),
    ),
  );
}
