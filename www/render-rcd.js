/**
 * Rich Call Data (branded calling, RFC 9795): the caller's name, logo and call reason, shown as the
 * caller's brand ONLY when the core says `rcd.verified` (the PASSporT verified and every `rcdi`
 * digest matched). Otherwise one line says the branded name is not verified and why; what the call
 * claimed is only in the folded details, labelled as unverified, so it never looks like a brand.
 *
 * The logo is drawn from the bytes the core verified (`icn.data`, base64) through a blob: URL; the
 * page never points an <img> at the `icn` URL (the CSP's img-src allows only self, data: and blob:,
 * and loading it would tell the logo's host who looked at the call). Each slot (the main verdict,
 * the demo result) keeps one object URL and revokes it when it is rendered again.
 */
import { h } from './dom.js';

/** Last object URL per slot, revoked on the next render of that slot. */
const logoUrls = new Map();

const RESULT_TEXT = { match: 'matches', mismatch: 'does not match', unavailable: 'content not available', 'not-covered': 'no digest' };
const SOURCE_TEXT = { shaken: 'in the SHAKEN PASSporT (rcd claims)', rcd: 'in a separate rcd PASSporT (ppt=rcd)' };

/** Bytes from standard base64, or null when it is not base64. */
function base64Bytes(text) {
  try {
    return Uint8Array.from(atob(String(text)), (c) => c.charCodeAt(0));
  } catch {
    return null;
  }
}

/** Revoke the logo URL a slot holds (the element showing it is gone or about to be replaced). */
export function releaseRcdLogo(slot) {
  const url = logoUrls.get(slot);
  if (url) URL.revokeObjectURL(url);
  logoUrls.delete(slot);
}

/** The verified logo as an <img> from a blob: URL, or null when there are no verified bytes. */
function logoImage(icn, nam, slot) {
  if (!icn?.verified || typeof icn.data !== 'string') return null;
  const bytes = base64Bytes(icn.data);
  if (!bytes || bytes.length === 0) return null;
  const url = URL.createObjectURL(new Blob([bytes], { type: String(icn.content_type ?? '') }));
  logoUrls.set(slot, url);
  const img = h('img', { class: 'brand__logo', src: url, alt: nam ? `Logo of ${nam}` : 'Caller logo', width: '48', height: '48' });
  // Bytes that match the digest but are no image the browser can draw: say so instead of a broken icon.
  img.addEventListener('error', () => img.replaceWith(h('span', { class: 'brand__logo-missing muted' }, '(logo verified but not displayable)')));
  return img;
}

function quoted(text) {
  return `“${text}”`;
}

function digestTable(digests) {
  if (!Array.isArray(digests) || digests.length === 0) return h('p', { class: 'muted' }, 'No rcdi digests in the call.');
  return h(
    'div',
    { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': 'rcdi digests' },
    h(
      'table',
      { class: 'data-table brand__digests' },
      h('caption', { class: 'sr-only' }, 'rcdi digests: which part of the rich call data each covers and whether it matched'),
      h('thead', null, h('tr', null, h('th', { scope: 'col' }, 'Covers'), h('th', { scope: 'col' }, 'Result'), h('th', { scope: 'col' }, 'Detail'))),
      h(
        'tbody',
        null,
        digests.map((d) =>
          h(
            'tr',
            { dataset: { pointer: String(d.pointer ?? ''), result: String(d.result ?? '') } },
            h('td', null, h('code', null, String(d.pointer ?? '')), d.alg ? h('span', { class: 'muted' }, ` (${d.alg})`) : null),
            h('td', { class: d.result === 'match' ? 'ok' : d.result === 'mismatch' ? 'bad' : '' }, RESULT_TEXT[d.result] ?? String(d.result ?? '')),
            h('td', null, String(d.detail ?? '')),
          ),
        ),
      ),
    ),
  );
}

function detailRow(term, ...value) {
  return [h('dt', null, term), h('dd', null, ...value)];
}

/** The URL of fetched content (as text, never a link) and the core's detail, which may name it already. */
function content(item) {
  const url = String(item.url ?? '');
  const detail = String(item.detail ?? '');
  return url && detail.includes(url) ? [detail] : [h('code', { class: 'url' }, url), detail ? ` — ${detail}` : null];
}

/** "Branded name not verified: <why>", bold label first; the core's reason may already start with it. */
function notVerifiedLine(reason) {
  const text = String(reason ?? 'no reason given');
  const label = 'Branded name not verified:';
  const why = text.toLowerCase().startsWith(label.toLowerCase()) ? text.slice(label.length).trim() : text;
  return h('p', { class: 'brand__line' }, h('strong', null, `${label} `), h('span', { class: 'brand__reason' }, why));
}

/** The folded details: where the data came from, what it claims (if unverified), content, digests. */
function details(rcd) {
  const rows = [detailRow('Carried', SOURCE_TEXT[rcd.source] ?? String(rcd.source ?? 'unknown'))];
  if (!rcd.verified) {
    // What the call claims, for the investigation only: plainly labelled, never styled as the brand.
    const claims = [
      rcd.nam != null ? `name ${quoted(rcd.nam)}` : null,
      rcd.crn != null ? `call reason ${quoted(rcd.crn)}` : null,
      rcd.apn != null ? `alternate number ${rcd.apn}` : null,
    ].filter(Boolean);
    rows.push(detailRow('Claimed (NOT verified)', h('span', { class: 'brand__claimed' }, claims.length ? claims.join('; ') : 'nothing readable')));
  } else if (rcd.apn != null) {
    rows.push(detailRow('Alternate number (apn)', String(rcd.apn)));
  }
  if (rcd.icn) rows.push(detailRow('Logo (icn)', ...content(rcd.icn), rcd.icn.content_type ? ` (${rcd.icn.content_type})` : null));
  if (rcd.jcl) rows.push(detailRow('Contact card (jcl)', ...content(rcd.jcl)));
  return h(
    'details',
    { class: 'brand__details' },
    h('summary', null, 'Rich Call Data details and digests (RFC 9795)'),
    h('dl', { class: 'facts' }, rows),
    digestTable(rcd.digests),
    h(
      'p',
      { class: 'help' },
      rcd.verified
        ? 'The logo is drawn from the bytes that were checked against their digest; this page never loads the logo URL itself.'
        : 'A logo is shown only in a verified branded call, from bytes whose digest matched; this page never loads the logo URL itself.',
    ),
  );
}

/**
 * The branded-calling line for a verdict's `rcd` (RcdReport, docs/js-api.md), or null without one.
 * @param {object | null | undefined} rcd
 * @param {{ slot?: string }} [opts] slot: which place on the page this is for; its previous logo URL
 *   is revoked
 * @returns {HTMLElement | null}
 */
export function renderRcd(rcd, { slot = 'verdict' } = {}) {
  releaseRcdLogo(slot);
  if (!rcd || typeof rcd !== 'object') return null;
  if (rcd.verified === true) {
    const nam = rcd.nam != null ? String(rcd.nam) : null;
    const logo = logoImage(rcd.icn, nam, slot);
    return h(
      'div',
      { class: 'brand brand--verified', dataset: { rcd: 'verified' } },
      logo,
      h(
        'p',
        { class: 'brand__line' },
        'Shown to the callee as: ',
        nam ? h('strong', { class: 'brand__name' }, nam) : h('span', { class: 'muted' }, 'no name'),
        rcd.crn != null ? [', reason: ', h('span', { class: 'brand__crn' }, String(rcd.crn))] : null,
      ),
      h('p', { class: 'brand__tag' }, '✓ Verified branded call: the signed digests match'),
      details(rcd),
    );
  }
  return h(
    'div',
    { class: 'brand brand--unverified', dataset: { rcd: 'unverified' } },
    notVerifiedLine(rcd.reason),
    details(rcd),
  );
}
