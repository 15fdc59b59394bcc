/**
 * The verdict banner (what an agent reads first) and the signer card (who signed).
 *
 * Wording rule (../shared/specs/attestation.md): a verifier proves who made the attestation claim
 * and that it was not altered, not that the caller is honest. So the banner says "signed by SPC X
 * (Company) with attestation B" and never "caller verified".
 */
import { h, srOnly } from './dom.js';
import { attestationInfo, WHAT_VALID_MEANS } from './attestation.js';
import { formatDate, formatDay, isoDate, isUnixTime } from './format.js';
import { mainIdentity } from './render-identity.js';
import { renderDelegation } from './render-delegation.js';

const STATUS = {
  valid: { label: 'Valid signature', icon: '✓' },
  invalid: { label: 'Not valid', icon: '✗' },
  'no-identity': { label: 'No signature', icon: '–' },
};

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

function codesLine(verdict) {
  const sip =
    verdict.sip_code == null
      ? 'SIP: no rejection needed'
      : `SIP ${verdict.sip_code}${verdict.sip_reason ? ` ${verdict.sip_reason}` : ''}`;
  const parts = [sip, `verstat ${verdict.verstat ?? 'unknown'}`];
  if (isUnixTime(verdict.verified_at)) {
    parts.push(`checked as of ${formatDate(verdict.verified_at)}${verdict.as_of_call ? ' (time of the call)' : ''}`);
  }
  return h('p', { class: 'banner__codes' }, parts.join(' · '));
}

/**
 * The core's reason for a valid verdict usually starts with the same "Signed by …" words as the
 * headline; show only the rest so the agent does not read it twice. Anything else is kept whole.
 */
function withoutRepeat(reason, headline) {
  if (!reason.toLowerCase().startsWith(headline.toLowerCase())) return reason;
  const rest = reason.slice(headline.length).replace(/^[\s;,.:–—-]+/, '');
  if (!rest) return reason;
  return `${rest[0].toUpperCase()}${rest.slice(1)}${/[.!?]$/.test(rest) ? '' : '.'}`;
}

function firstFailure(verdict) {
  return (Array.isArray(verdict.checks) ? verdict.checks : []).find((c) => c?.outcome === 'fail') ?? null;
}

/**
 * @param {object} verdict Verdict from the core
 * @param {{ demo?: boolean }} [opts] demo: label the result as coming from the demo PKI
 * @returns {HTMLElement}
 */
export function renderBanner(verdict, { demo = false } = {}) {
  const status = STATUS[verdict?.status] ? verdict.status : 'invalid';
  const meta = STATUS[status];
  const body = [];

  if (status === 'valid') {
    const info = attestationInfo(verdict.attest);
    const who = signerName(verdict.signer) ?? 'an unknown signer';
    const headline = `Signed by ${who} with attestation ${verdict.attest ?? '?'}`;
    body.push(
      h('p', { class: 'banner__headline' }, headline),
      info
        ? h('p', { class: 'banner__meaning' }, h('strong', null, `${info.level} = ${info.name}: `), info.meaning)
        : null,
      h('p', { class: 'banner__reason' }, withoutRepeat(String(verdict.reason ?? ''), headline)),
      h('p', { class: 'banner__limits' }, WHAT_VALID_MEANS),
    );
  } else {
    const failure = firstFailure(verdict);
    const claimed = mainIdentity(verdict)?.claims?.attest;
    body.push(
      h('p', { class: 'banner__headline banner__reason' }, String(verdict?.reason ?? 'The input could not be verified.')),
      failure
        ? h('p', { class: 'banner__failure' }, 'Failed check: ', h('code', null, String(failure.id)),
            failure.spec ? ` (${failure.spec})` : '')
        : null,
      status === 'invalid' && attestationInfo(claimed)
        ? h('p', { class: 'banner__claimed' }, renderBadge(claimed, { claimedOnly: true }),
            ` The header claims attestation ${claimed}, but it could not be verified, so that claim cannot be relied on.`)
        : null,
    );
  }

  return h(
    'div',
    { class: `banner banner--${status}`, dataset: { status } },
    h(
      'div',
      { class: 'banner__side' },
      status === 'valid' && verdict.attest ? renderBadge(verdict.attest) : h('span', { class: 'banner__icon', 'aria-hidden': 'true' }, meta.icon),
    ),
    h(
      'div',
      { class: 'banner__main' },
      h('h2', { class: 'banner__status' }, meta.label, demo ? h('span', { class: 'demo-tag' }, 'DEMO — not a real carrier') : null),
      body,
      codesLine(verdict),
    ),
  );
}

/** A short banner for when verification itself could not run (wasm missing, bad options). */
export function renderErrorBanner(message) {
  return h(
    'div',
    { class: 'banner banner--error', dataset: { status: 'error' } },
    h('div', { class: 'banner__side' }, h('span', { class: 'banner__icon', 'aria-hidden': 'true' }, '!')),
    h('div', { class: 'banner__main' }, h('h2', { class: 'banner__status' }, 'Could not check'), h('p', { class: 'banner__reason' }, message)),
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
  if (s) {
    rows.push(
      row('Company (O)', s.organization ?? h('span', { class: 'muted' }, 'not named in the certificate')),
      row('SPC (service provider code)', s.spc ?? h('span', { class: 'muted' }, 'none found')),
      row('Certificate name (CN)', s.common_name ?? h('span', { class: 'muted' }, 'none')),
      row('Issued by (CA)', s.issuer_organization ? `${s.issuer_organization} — ${s.issuer}` : String(s.issuer ?? 'unknown')),
      row('Valid', validity(s, verdict.verified_at)),
      row('Certificate URL (x5u)', h('code', { class: 'url' }, String(s.x5u ?? ''))),
    );
    rows.push(...renderDelegation(s));
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
    h('dl', { class: 'facts' }, rows),
  );
}
