/**
 * Accessibility helpers shared by browser tests (run inside the page with page.evaluate).
 */

/**
 * WCAG contrast of every visible text node's element against its first opaque background
 * (4.5:1, or 3:1 for large text). Returns the offenders; disabled controls, sr-only text and SVG
 * text (checked by its own fill below) are exempt here.
 * @param {import('playwright-core').Page} page
 * @param {string} [root] CSS selector of the part of the page to check
 */
export function contrastProblems(page, root = 'body') {
  return page.evaluate((rootSel) => {
    const parse = (c) => (c.match(/[\d.]+/g) ?? []).map(Number);
    const lum = ([r, g, b]) => {
      const f = (v) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
      return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
    };
    const ratio = (a, b) => {
      const [l1, l2] = [lum(a), lum(b)].sort((x, y) => y - x);
      return (l1 + 0.05) / (l2 + 0.05);
    };
    const background = (el) => {
      for (let e = el; e; e = e.parentElement) {
        const c = parse(getComputedStyle(e).backgroundColor);
        if (c.length === 3 || (c.length === 4 && c[3] === 1)) return c.slice(0, 3);
      }
      return [255, 255, 255];
    };
    const problems = [];
    const rootEl = document.querySelector(rootSel);
    const walker = document.createTreeWalker(rootEl, NodeFilter.SHOW_TEXT);
    const seen = new Set();
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement;
      if (!n.textContent.trim() || seen.has(el) || el.closest('.sr-only, [disabled], [aria-hidden="true"], svg, title, desc')) continue;
      seen.add(el);
      const style = getComputedStyle(el);
      if (style.visibility === 'hidden' || !el.getClientRects().length) continue;
      const r = ratio(parse(style.color).slice(0, 3), background(el));
      const size = parseFloat(style.fontSize);
      const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
      if (r < (large ? 3 : 4.5)) problems.push(`${r.toFixed(2)} ${el.tagName}.${el.className}: ${n.textContent.trim().slice(0, 40)}`);
    }
    // SVG text: its fill against the segment (rect) it sits on, or the page background.
    for (const t of rootEl.querySelectorAll('svg text')) {
      const fill = parse(getComputedStyle(t).fill).slice(0, 3);
      const box = t.getBoundingClientRect();
      const under = [...t.ownerSVGElement.querySelectorAll('rect')].find((rc) => {
        const b = rc.getBoundingClientRect();
        return box.left >= b.left - 1 && box.right <= b.right + 1 && box.top >= b.top - 1 && box.bottom <= b.bottom + 1;
      });
      const bg = under ? parse(getComputedStyle(under).fill).slice(0, 3) : background(t.ownerSVGElement);
      const r = ratio(fill, bg);
      if (r < 4.5) problems.push(`${r.toFixed(2)} svg text: ${t.textContent.slice(0, 40)}`);
    }
    return problems;
  }, root);
}
