/**
 * A labelled, formatted JSON block with a copy button (decoded PASSporT header and claims).
 *
 * Why the fallback: the Clipboard API exists only in secure contexts and may be refused; then the
 * text is selected with execCommand('copy') so copying still works on plain-http intranet hosting.
 */
import { h } from './dom.js';
import { prettyJson } from './format.js';

export async function copyText(text, pre) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    const range = document.createRange();
    range.selectNodeContents(pre);
    const selection = getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    try {
      return document.execCommand('copy');
    } catch {
      return false;
    }
  }
}

/**
 * @param {string} title e.g. "Header"
 * @param {unknown} value decoded JSON (null renders as "not decoded")
 * @returns {HTMLElement}
 */
export function renderJson(title, value) {
  const text = value === null || value === undefined ? 'not decoded' : prettyJson(value);
  const pre = h('pre', { class: 'json', tabindex: '0', 'aria-label': `${title} as JSON` }, h('code', null, text));
  const status = h('span', { class: 'copy-status', role: 'status' });
  const button = h(
    'button',
    {
      type: 'button',
      class: 'copy',
      'aria-label': `Copy ${title} JSON`,
      onclick: async () => {
        const ok = await copyText(text, pre);
        status.textContent = ok ? 'Copied' : 'Copy failed: select the text and copy it';
        setTimeout(() => (status.textContent = ''), 2500);
      },
    },
    'Copy',
  );
  return h('figure', { class: 'json-block' }, h('figcaption', null, h('span', null, title), button, status), pre);
}
