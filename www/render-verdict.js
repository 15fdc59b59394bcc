/**
 * The verdict banner (what an agent reads first) and the signer card (who signed).
 *
 * The banner lays out the core's words (Verdict `outcome` and `summary`, docs/js-api.md): the
 * headline, the numbers, the signer, the header's age and what to do, with a one-click fix where
 * there is one. It writes no verdict sentence of its own; labels ("Calling number") are its only
 * words. Colour follows meaning: green only for a valid A, amber for B and for "could not check",
 * neutral for C and unsigned, red only for a failed header. Codes (SIP, verstat, spec) go on a
 * secondary line.
 */
import { h, srOnly } from './dom.js';
import { attestationInfo, WHAT_VALID_MEANS } from './attestation.js';
import { formatDate, formatDay, formatDuration, formatNumber, isoDate, isUnixTime } from './format.js';
import { mainIdentity } from './render-identity.js';
import { outcomeOf } from './outcome.js';
import { renderDelegation } from './render-delegation.js';
import { renderRcd } from './render-rcd.js';

export { outcomeOf };

/** Label and icon per outcome (the core's Verdict.outcome). */
const OUTCOME = {
  verified: { label: 'Valid signature', icon: '✓' },
  failed: { label: 'Not valid', icon: '✗' },
  unverified: { label: 'Could not check', icon: '?' },
  unsigned: { label: 'No signature', icon: '–' },
};

/** The paste itself could not be read (`unreadableInput`): same words as the empty-box banner. */
const UNREADABLE = { label: 'Could not check', icon: '!' };

/** Colour by meaning: tone classes of style.css. */
const TONE_OF_LEVEL = { A: 'good', B: 'notice', C: 'neutral' };

/**
 * True when the core could not read the pasted text at all (its `input` check failed: nothing
 * SIP-like or no token in it, too large, binary). The core's outcome is `failed` (an SBC answers
 * 438), but nothing about the call was checked: the page shows it as "could not check", in amber,
 * never as a red "not valid" that an agent could read as a forged call.
 */
export function unreadableInput(verdict) {
  return outcomeOf(verdict) === 'failed' && firstFailure(verdict)?.id === 'input';
}

/** good | notice | neutral | bad, from the outcome and (when verified) the attestation level. */
export function toneOf(verdict) {
  const outcome = outcomeOf(verdict);
  if (outcome === 'verified') return TONE_OF_LEVEL[verdict.attest] ?? 'neutral';
  if (unreadableInput(verdict)) return 'notice';
  return { failed: 'bad', unverified: 'notice', unsigned: 'neutral' }[outcome];
}

/** "SPC 123A (Example Carrier)" from the signer, or null when the certificate is unknown. */
export function signerName(signer) {
  if (!signer) return null;
  // A delegate certificate names its holder, not an SPC (render-delegation.js shows the rest).
  if (signer.delegate) return `${signer.organization ?? 'an unnamed holder'} under a delegate certificate from ${signer.delegate.issuer_spc ? `SPC ${signer.delegate.issuer_spc}` : 'its issuer'}`;
  const spc = signer.spc ? `SPC ${signer.spc}` : 'an unknown SPC';
  const company = signer.organization ?? null;
  return company ? `${spc} (${company})` : spc;
}

/** Attestation badge: the letter for the eye, the full meaning for screen readers. */
export function renderBadge(level, { claimedOnly = false } = {}) {
  const info = attestationInfo(level);
  if (!info) return null;
  const sr = claimedOnly
    ? `Claimed attestation level ${info.level}, ${info.name}, not verified`
    : `Attestation level ${info.level}, ${info.name}`;
  return h(
    'span',
    { class: `badge badge--${info.level}${claimedOnly ? ' badge--claimed' : ''}`, dataset: { attest: info.level } },
    h('span', { 'aria-hidden': 'true' }, info.level),
    srOnly(sr),
  );
}

function firstFailure(verdict) {
  return (Array.isArray(verdict.checks) ? verdict.checks : []).find((c) => c?.outcome === 'fail') ?? null;
}

/** True when the verification time is the signing time (as of the call), not "now". */
function checkedAsOfCall(verdict) {
  const iat = mainIdentity(verdict)?.iat;
  return Boolean(verdict.as_of_call) && isUnixTime(iat) && verdict.verified_at === iat;
}

/** The secondary line: SIP code, verstat, failing check and its spec, time checked. */
function codesLine(verdict) {
  const sip =
    verdict.sip_code == null
      ? 'SIP: no rejection needed'
      : `SIP ${verdict.sip_code}${verdict.sip_reason ? ` ${verdict.sip_reason}` : ''}`;
  const parts = [sip, `verstat ${verdict.verstat ?? 'unknown'}`];
  const failure = firstFailure(verdict);
  if (failure) parts.push(`failed check ${failure.id}${failure.spec ? ` (${failure.spec})` : ''}`);
  if (isUnixTime(verdict.verified_at)) {
    parts.push(`checked as of ${formatDate(verdict.verified_at)}${checkedAsOfCall(verdict) ? ' (time of the call)' : ''}`);
  }
  return h('p', { class: 'banner__codes' }, parts.join(' · '));
}

/** Age of the header at the time it was checked, from the core's summary.age_s. */
function ageText(ageS, verdict) {
  if (typeof ageS !== 'number' || !Number.isFinite(ageS)) return null;
  if (checkedAsOfCall(verdict)) return `${formatDate(verdict.verified_at)}, checked as of that time`;
  if (Math.abs(ageS) < 1) return 'just now';
  return ageS > 0 ? `${formatDuration(ageS)} before the time checked` : `${formatDuration(ageS)} after the time checked (dated in the future)`;
}

function fact(key, term, value) {
  if (value === null || value === undefined || value === '') return null;
  return h('div', { class: 'banner__fact', dataset: { fact: key } }, h('dt', null, term), h('dd', null, value));
}

/**
 * The one-click fix for this verdict, if there is one: `as-of-call` (a header from a past call that
 * failed only as stale) or `paste-chain` (the certificate could not be downloaded).
 */
export function fixFor(verdict) {
  const outcome = outcomeOf(verdict);
  if (outcome === 'unverified') return 'paste-chain';
  const failure = firstFailure(verdict);
  const main = mainIdentity(verdict);
  const age = verdict.summary?.age_s ?? (isUnixTime(main?.iat) ? verdict.verified_at - main.iat : null);
  if (outcome === 'failed' && failure?.id === 'time.iat' && !verdict.as_of_call && typeof age === 'number' && age > 0) return 'as-of-call';
  return null;
}

const FIX_LABEL = { 'as-of-call': 'Check as of the call', 'paste-chain': 'Paste the certificate chain' };

/**
 * @param {object} verdict Verdict from the core
 * @param {{ demo?: boolean, onFix?: (fix: string) => void, rcdSlot?: string }} [opts] demo: label the
 *   result as coming from the demo PKI; onFix: called with the fix id when its button is pressed;
 *   rcdSlot: the place on the page, so a re-render frees the previous logo (render-rcd.js)
 * @returns {HTMLElement}
 */
export function renderBanner(verdict, { demo = false, onFix = null, rcdSlot = 'verdict' } = {}) {
  const outcome = outcomeOf(verdict);
  const tone = toneOf(verdict);
  const meta = unreadableInput(verdict) ? UNREADABLE : OUTCOME[outcome];
  const summary = verdict?.summary && typeof verdict.summary === 'object' ? verdict.summary : {};
  const main = mainIdentity(verdict);
  const verified = outcome === 'verified';
  const info = verified ? attestationInfo(verdict.attest) : null;
  const claimed = !verified && outcome !== 'unsigned' ? main?.claims?.attest : null;
  // Before the core wrote `summary`, the same facts came from the decoded claims and the signer.
  const orig = summary.orig ?? main?.claims?.orig?.tn ?? null;
  const dest = summary.dest ?? main?.claims?.dest?.tn ?? null;
  const signer = summary.signer ?? signerName(verdict?.signer);
  const age = summary.age_s ?? (isUnixTime(main?.iat) && isUnixTime(verdict?.verified_at) ? verdict.verified_at - main.iat : null);
  const fix = onFix ? fixFor(verdict) : null;

  return h(
    'div',
    { class: `banner banner--${tone}`, dataset: { status: String(verdict?.status ?? 'invalid'), outcome, tone } },
    h(
      'div',
      { class: 'banner__side' },
      verified && info ? renderBadge(verdict.attest) : h('span', { class: 'banner__icon', 'aria-hidden': 'true' }, meta.icon),
    ),
    h(
      'div',
      { class: 'banner__main' },
      h(
        'h2',
        { class: 'banner__status' },
        meta.label,
        verified && info ? ` — attestation ${info.level}` : null,
        demo ? h('span', { class: 'demo-tag' }, 'DEMO — not a real carrier') : null,
      ),
      h('p', { class: 'banner__headline' }, String(summary.headline ?? verdict?.reason ?? '')),
      // The caller's brand (RFC 9795) only when the core verified it; otherwise why not.
      renderRcd(verdict?.rcd, { slot: rcdSlot }),
      h(
        'dl',
        { class: 'banner__facts' },
        fact('orig', 'Calling number', orig ? formatNumber(orig) : null),
        fact('dest', 'Called number', Array.isArray(dest) ? dest.map(formatNumber).join(', ') : dest ? formatNumber(dest) : null),
        fact('signer', verified ? 'Signed by' : 'Certificate of', signer),
        fact('age', 'Signed', ageText(age, verdict)),
        claimed && attestationInfo(claimed) ? fact('claimed', 'Claims', [renderBadge(claimed, { claimedOnly: true }), ` attestation ${claimed}, not verified`]) : null,
      ),
      summary.action
        ? h('p', { class: 'banner__action' }, h('strong', null, 'What to do: '), String(summary.action))
        : null,
      fix
        ? h('div', { class: 'banner__fix' }, h('button', { type: 'button', class: 'primary', dataset: { fix }, onclick: () => onFix(fix) }, FIX_LABEL[fix]))
        : null,
      info
        ? h('details', { class: 'banner__meaning' }, h('summary', null, `What attestation ${info.level} (${info.name}) means`), h('p', null, info.meaning, ' ', WHAT_VALID_MEANS))
        : null,
      codesLine(verdict),
    ),
  );
}

/** A short banner for when verification itself could not run (wasm missing, bad options, empty input). */
export function renderErrorBanner(message) {
  return h(
    'div',
    { class: 'banner banner--notice', dataset: { status: 'error', tone: 'notice' } },
    h('div', { class: 'banner__side' }, h('span', { class: 'banner__icon', 'aria-hidden': 'true' }, '!')),
    h('div', { class: 'banner__main' }, h('h2', { class: 'banner__status' }, 'Could not check'), h('p', { class: 'banner__headline' }, message)),
  );
}

function row(term, ...value) {
  return [h('dt', null, term), h('dd', null, ...value)];
}

function validity(cert, at) {
  if (!cert || !isUnixTime(cert.not_before) || !isUnixTime(cert.not_after)) return 'unknown';
  let note = '';
  if (isUnixTime(at) && at > cert.not_after) note = ' — expired at the time checked';
  else if (isUnixTime(at) && at < cert.not_before) note = ' — not yet valid at the time checked';
  return h(
    'span',
    null,
    h('time', { datetime: isoDate(cert.not_before) }, formatDay(cert.not_before)),
    ' to ',
    h('time', { datetime: isoDate(cert.not_after) }, formatDay(cert.not_after)),
    note ? h('strong', null, note) : null,
  );
}

/**
 * One phrase for a TrustInfo, e.g. "built-in STI-CA root snapshot (… 2025-08-18), 19 roots".
 * The core's name is used alone when it already says what kind of store it is.
 */
export function describeTrust(trust) {
  if (!trust) return 'unknown';
  const label = trust.source === 'custom' ? 'custom trust store' : 'built-in trust store';
  const name = typeof trust.name === 'string' ? trust.name.trim() : '';
  const kind = trust.source === 'custom' ? 'custom' : 'built-in';
  let text = label;
  if (name && name.toLowerCase() !== label) text = name.toLowerCase().includes(kind) ? name : `${label} “${name}”`;
  const date = typeof trust.date === 'number' ? formatDay(trust.date) : trust.date;
  if (date && !text.includes(date)) text += `, dated ${date}`;
  if (Array.isArray(trust.anchors)) text += `, ${trust.anchors.length} root${trust.anchors.length === 1 ? '' : 's'}`;
  return text;
}

/**
 * Certificate facts of the signer, plus the trust store the verdict used.
 * @param {object} verdict
 * @returns {HTMLElement}
 */
export function renderSigner(verdict) {
  const s = verdict?.signer;
  const rows = [];
  const delegation = [];
  if (s) {
    rows.push(
      row('Company (O)', s.organization ?? h('span', { class: 'muted' }, 'not named in the certificate')),
      row('SPC (service provider code)', s.spc ?? h('span', { class: 'muted' }, 'none found')),
      row('Certificate name (CN)', s.common_name ?? h('span', { class: 'muted' }, 'none')),
      row('Issued by (CA)', s.issuer_organization ? `${s.issuer_organization} — ${s.issuer}` : String(s.issuer ?? 'unknown')),
      row('Valid', validity(s, verdict.verified_at)),
      row('Certificate URL (x5u)', h('code', { class: 'url' }, String(s.x5u ?? ''))),
    );
    // A delegate certificate has no SPC: who delegated the numbers belongs beside the company.
    delegation.push(...renderDelegation(s));
    if (Array.isArray(s.chain) && s.chain.length > 0) {
      // The core lists the path leaf first and, when it reached one, the anchor last.
      const anchorSha = s.anchor?.sha256;
      const anchorListed = s.chain.some((c) => anchorSha && c.sha256 === anchorSha);
      rows.push(
        row(
          'Chain',
          h(
            'ol',
            { class: 'chain' },
            s.chain.map((c) =>
              h(
                'li',
                null,
                String(c.subject ?? '?'),
                h('span', { class: 'muted' }, ' — valid '),
                validity(c, verdict.verified_at),
                anchorSha && c.sha256 === anchorSha ? h('strong', null, ' — trusted root') : null,
              ),
            ),
            s.anchor && !anchorListed
              ? h('li', null, String(s.anchor.subject ?? '?'), h('strong', null, ' — trusted root'))
              : null,
          ),
        ),
      );
    }
  }
  rows.push(row('Trust store used', describeTrust(verdict?.trust)));
  return h(
    'section',
    { class: 'panel signer' },
    h('h2', null, 'Signer'),
    s ? null : h('p', { class: 'muted' }, 'No certificate details: the certificate could not be obtained or read.'),
    // Company and SPC answer "who signed"; the rest (CN, CA, validity, URL, chain, trust store)
    // is for whoever digs deeper, folded so the default view stays short.
    h('dl', { class: 'facts' }, rows.slice(0, s ? 2 : 0), delegation),
    h(
      'details',
      { class: 'signer__more' },
      h('summary', null, s ? 'Certificate details, chain and trust store' : 'Trust store'),
      h('dl', { class: 'facts' }, rows.slice(s ? 2 : 0)),
    ),
  );
}
