/**
 * Signer-card rows for a delegate certificate (RFC 9060, ATIS-1000092) and for JWT claim
 * constraints (RFC 8226 §8, RFC 9118): which numbers the certificate may sign for, who delegated
 * them, and which claims it must or must not carry.
 *
 * Why a separate file: the sentence and the numbers come from the core (`signer.delegate`,
 * `signer.constraints`, additive verdict keys); this only lays them out, so the signer card can
 * stay as it is for ordinary SPC certificates (both keys are then absent and nothing is added).
 */
import { h } from './dom.js';

/** Most numbers and ranges listed before "and N more". */
const MAX_SHOWN = 12;

function row(term, ...value) {
  return [h('dt', null, term), h('dd', null, ...value)];
}

function capitalized(text) {
  return text ? text[0].toUpperCase() + text.slice(1) : '';
}

function numberItems(delegate) {
  const items = [
    ...(Array.isArray(delegate.tns) ? delegate.tns : []).map((tn) => String(tn)),
    ...(Array.isArray(delegate.ranges) ? delegate.ranges : []).map(
      (r) => `${r.start} – ${r.end} (${Number(r.count).toLocaleString('en-US')} numbers)`,
    ),
  ];
  const shown = items.slice(0, MAX_SHOWN).map((text) => h('li', null, h('code', null, text)));
  if (items.length > MAX_SHOWN) shown.push(h('li', { class: 'muted' }, `and ${items.length - MAX_SHOWN} more`));
  return h('ul', { class: 'delegate-numbers' }, shown);
}

function describeConstraints(c) {
  const parts = [];
  if (c.must_include?.length) parts.push(`must include ${c.must_include.join(', ')}`);
  for (const p of c.permitted_values ?? []) parts.push(`${p.claim} only ${p.values.map((v) => `“${v}”`).join(' or ')}`);
  if (c.must_exclude?.length) parts.push(`must not include ${c.must_exclude.join(', ')}`);
  return parts.join('; ');
}

/**
 * Rows to append to the signer card's fact list (empty for an SPC certificate without
 * constraints).
 * @param {object | null | undefined} signer the verdict's `signer`
 * @returns {HTMLElement[][]}
 */
export function renderDelegation(signer) {
  const rows = [];
  const d = signer?.delegate;
  if (d) {
    rows.push(row('Delegate certificate', h('span', { class: 'delegate-sentence' }, `${capitalized(String(d.sentence ?? ''))}.`)));
    rows.push(row(`Numbers it covers (${Number(d.count).toLocaleString('en-US')})`, numberItems(d)));
  }
  const constraints = Array.isArray(signer?.constraints) ? signer.constraints : [];
  if (constraints.length > 0) {
    rows.push(
      row(
        'Claim constraints',
        h(
          'ul',
          { class: 'delegate-constraints' },
          constraints.map((c) => h('li', null, describeConstraints(c), h('span', { class: 'muted' }, ` — ${c.kind} in ${c.certificate}`))),
        ),
      ),
    );
  }
  return rows;
}
