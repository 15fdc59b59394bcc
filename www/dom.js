/**
 * Tiny DOM builder used by every renderer.
 *
 * Why: the page shows text that comes from pasted headers and certificates (attacker-controlled).
 * Building nodes with `textContent`/`append(string)` instead of `innerHTML` means such text can never
 * become markup or script. Renderers return detached elements, so the self-check page can reuse them.
 */

/**
 * Create an element.
 * @param {string} tag
 * @param {Record<string, unknown> | null} [props] `class`, `dataset`, `on<event>` handlers, `text`,
 *   boolean/DOM properties (hidden, disabled, checked, value) and any other attribute.
 * @param {...(Node|string|number|null|undefined|false|Array)} children strings become text nodes
 * @returns {HTMLElement}
 */
export function h(tag, props, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') el.className = String(value);
    else if (key === 'text') el.textContent = String(value);
    else if (key === 'dataset') Object.assign(el.dataset, value);
    else if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), value);
    else if (key === 'hidden' || key === 'disabled' || key === 'checked' || key === 'value') el[key] = value;
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  appendAll(el, children);
  return el;
}

/** Append children (nested arrays allowed); strings and numbers become text nodes, nullish/false are skipped. */
export function appendAll(parent, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    parent.append(child instanceof Node ? child : String(child));
  }
  return parent;
}

/** Replace all children of `parent` with `children`. */
export function replaceChildren(parent, ...children) {
  parent.replaceChildren();
  return appendAll(parent, children);
}

/** Text only screen readers announce (visually hidden, see .sr-only in style.css). */
export function srOnly(text) {
  return h('span', { class: 'sr-only' }, text);
}
