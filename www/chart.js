/**
 * Small inline-SVG bar charts (no library): a stacked horizontal bar per category and a plain
 * horizontal bar chart. Each chart is a <figure> with an SVG (role="img", <title> and <desc> naming
 * every value), an HTML legend, and the same numbers as a data table for screen readers and copying.
 *
 * Why horizontal bars drawn at the real width: labels (phone numbers, check names) stay readable at
 * 375px. The caller passes the width it has; text is never scaled by a viewBox.
 * Text from the paste only ever becomes SVG text nodes (textContent), never markup.
 */
import { h } from './dom.js';

const NS = 'http://www.w3.org/2000/svg';
let uid = 0;

/** Create an SVG element with attributes and children (strings become text nodes). */
export function svg(tag, attrs, ...children) {
  const el = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs ?? {})) {
    if (v !== undefined && v !== null && v !== false) el.setAttribute(k, String(v));
  }
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : String(c));
  }
  return el;
}

const BAR = 24;
const LINE = 16; // label line height
const GAP = 12; // space below a bar
const COUNT_SPACE = 84; // room for "123 calls" right of the longest bar
/** Average advance of a bold 13px system-ui character, generous so wrapped lines never overflow. */
const CHAR_PX = 8;

/** Rough width of `text` at 13px, to decide whether a count fits inside its segment. */
function textWidth(text) {
  return String(text).length * 7.5 + 6;
}

/** Split a label into lines that fit `width` pixels (SVG text does not wrap by itself). */
export function wrapLabel(text, width) {
  const max = Math.max(8, Math.floor(width / CHAR_PX));
  const lines = [];
  let cur = '';
  for (const word of String(text).split(/\s+/).filter(Boolean)) {
    let w = word;
    while (w.length > max) {
      if (cur) lines.push(cur), (cur = '');
      lines.push(w.slice(0, max));
      w = w.slice(max);
    }
    if (!cur) cur = w;
    else if (cur.length + 1 + w.length <= max) cur += ` ${w}`;
    else lines.push(cur), (cur = w);
  }
  if (cur) lines.push(cur);
  return lines.length ? lines : [''];
}

/** Rows laid out top to bottom: each gets its label lines, then the bar. */
function layout(labels, width) {
  let y = 0;
  const rows = labels.map((label) => {
    const lines = wrapLabel(label, width);
    const row = { lines, labelY: y + 13, barY: y + lines.length * LINE + 4 };
    y = row.barY + BAR + GAP;
    return row;
  });
  return { rows, height: y };
}

/** The label as <text> with one <tspan> per line. */
function labelText(lines, y) {
  return svg('text', { class: 'bar__label', x: 0, y }, lines.map((l, i) => svg('tspan', { x: 0, dy: i === 0 ? 0 : LINE }, l)));
}

/**
 * @typedef {{ key: string, label: string, value: number }} Segment
 * @typedef {{ id: string, label: string, total?: number, segments: Segment[] }} Category
 * @typedef {{ key: string, label: string, short?: string }} SeriesInfo
 */

function legend(series) {
  return h(
    'ul',
    { class: 'chart__legend' },
    series.map((s) => h('li', null, h('span', { class: `swatch swatch--${s.key}`, 'aria-hidden': 'true' }, s.short ?? ''), s.label)),
  );
}

function dataTable(caption, headers, rows) {
  return h(
    'details',
    { class: 'chart__data' },
    h('summary', null, 'Chart data as a table'),
    h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        { class: 'data-table' },
        h('caption', null, caption),
        h('thead', null, h('tr', null, headers.map((x, i) => h('th', { scope: 'col', class: i ? 'num' : null }, x)))),
        h('tbody', null, rows.map((r) => h('tr', null, r.map((c, i) => (i === 0 ? h('th', { scope: 'row' }, c) : h('td', { class: 'num' }, c)))))),
      ),
    ),
  );
}

/**
 * Stacked horizontal bars, one per category, scaled to the largest total.
 * @param {{ title: string, description: string, categories: Category[], series: SeriesInfo[],
 *   width: number, unit?: [string, string], categoryHeader?: string }} spec unit: singular/plural
 *   word for the counts; categoryHeader: first column of the data table
 * @returns {HTMLElement} figure.chart
 */
export function stackedBarChart({ title, description, categories, series, width, unit = ['call', 'calls'], categoryHeader = 'Category' }) {
  const id = `chart-${++uid}`;
  const w = Math.max(240, Math.floor(width));
  const barMax = w - COUNT_SPACE;
  const max = Math.max(1, ...categories.map((c) => c.segments.reduce((a, s) => a + s.value, 0)));
  const { rows, height } = layout(categories.map((c) => c.label), w);
  const seriesLabel = new Map(series.map((s) => [s.key, s.label]));
  const plural = (n) => `${n} ${n === 1 ? unit[0] : unit[1]}`;

  const bars = categories.map((c, i) => {
    const { lines, labelY, barY } = rows[i];
    const total = c.segments.reduce((a, s) => a + s.value, 0);
    let x = 0;
    const segs = c.segments
      .filter((s) => s.value > 0)
      .map((s) => {
        const sw = (s.value / max) * barMax;
        const g = svg(
          'g',
          { class: 'seg-group' },
          svg(
            'rect',
            { class: `seg seg--${s.key}`, 'data-key': s.key, 'data-value': s.value, x: x.toFixed(2), y: barY, width: Math.max(sw, 1).toFixed(2), height: BAR },
            svg('title', null, `${c.label}: ${plural(s.value)} ${seriesLabel.get(s.key) ?? s.label}`),
          ),
          sw >= textWidth(s.value) ? svg('text', { class: `seg-label seg-label--${s.key}`, x: (x + sw / 2).toFixed(2), y: barY + BAR / 2, 'text-anchor': 'middle', 'dominant-baseline': 'central', 'aria-hidden': 'true' }, String(s.value)) : null,
        );
        x += sw;
        return g;
      });
    return svg(
      'g',
      { class: 'bar', 'data-category': c.id, 'data-total': total },
      labelText(lines, labelY),
      segs,
      svg('text', { class: 'bar__total', x: (x + 6).toFixed(2), y: barY + BAR / 2, 'dominant-baseline': 'central' }, plural(total)),
    );
  });

  return h(
    'figure',
    { class: 'chart', id },
    h('figcaption', { class: 'chart__caption' }, title),
    legend(series),
    svg(
      'svg',
      { class: 'chart__svg', role: 'img', 'aria-labelledby': `${id}-title ${id}-desc`, width: w, height, viewBox: `0 0 ${w} ${height}` },
      svg('title', { id: `${id}-title` }, title),
      svg('desc', { id: `${id}-desc` }, description),
      bars,
    ),
    dataTable(
      title,
      [categoryHeader, ...series.map((s) => s.label), 'Total'],
      categories.map((c) => {
        const byKey = new Map(c.segments.map((s) => [s.key, s.value]));
        return [c.label, ...series.map((s) => String(byKey.get(s.key) ?? 0)), String(c.segments.reduce((a, s) => a + s.value, 0))];
      }),
    ),
  );
}

/**
 * Plain horizontal bars (one value each), scaled to the largest.
 * @param {{ title: string, description: string, bars: Array<{ id: string, label: string, value: number }>,
 *   width: number, unit?: [string, string], valueHeader?: string, labelHeader?: string }} spec
 */
export function barChart({ title, description, bars, width, unit = ['call', 'calls'], labelHeader = 'Category', valueHeader = 'Calls' }) {
  const id = `chart-${++uid}`;
  const w = Math.max(240, Math.floor(width));
  const barMax = w - COUNT_SPACE;
  const max = Math.max(1, ...bars.map((b) => b.value));
  const { rows, height } = layout(bars.map((b) => b.label), w);
  const plural = (n) => `${n} ${n === 1 ? unit[0] : unit[1]}`;
  return h(
    'figure',
    { class: 'chart', id },
    h('figcaption', { class: 'chart__caption' }, title),
    svg(
      'svg',
      { class: 'chart__svg', role: 'img', 'aria-labelledby': `${id}-title ${id}-desc`, width: w, height, viewBox: `0 0 ${w} ${height}` },
      svg('title', { id: `${id}-title` }, title),
      svg('desc', { id: `${id}-desc` }, description),
      bars.map((b, i) => {
        const { lines, labelY, barY } = rows[i];
        const bw = Math.max((b.value / max) * barMax, 1);
        return svg(
          'g',
          { class: 'bar', 'data-category': b.id, 'data-total': b.value },
          labelText(lines, labelY),
          svg(
            'rect',
            { class: 'seg seg--fail', 'data-key': b.id, 'data-value': b.value, x: 0, y: barY, width: bw.toFixed(2), height: BAR },
            svg('title', null, `${b.label}: ${plural(b.value)}`),
          ),
          svg('text', { class: 'bar__total', x: (bw + 6).toFixed(2), y: barY + BAR / 2, 'dominant-baseline': 'central' }, plural(b.value)),
        );
      }),
    ),
    dataTable(title, [labelHeader, valueHeader], bars.map((b) => [b.label, String(b.value)])),
  );
}
