/**
 * Charts as inline SVG built from data: a line over time and a histogram with fixed bucket edges.
 * Sizes are in viewBox units; the SVG scales to its container.
 */
import { h, svg } from './dom.js';

/**
 * @typedef {{ x: number, y: number }} Point
 */

/**
 * A line over time, with a dashed zero line and the extremes labelled.
 * @param {Point[]} points sorted by x
 * @param {{ title: string, yFormat: (y: number) => string, xFormat: (x: number) => string, empty?: string, minSpan?: number }} options
 * @returns {Element}
 */
export function lineChart(points, options) {
  if (points.length === 0) return h('p', { class: 'muted' }, options.empty ?? 'No data in this period.');
  const width = 960;
  const height = 220;
  const m = { left: 76, right: 14, top: 12, bottom: 26 };
  const xs = points.map((p) => p.x);
  const ys = points.map((p) => p.y);
  let [x0, x1] = [Math.min(...xs), Math.max(...xs)];
  let [y0, y1] = [Math.min(0, ...ys), Math.max(0, ...ys)];
  if (x0 === x1) [x0, x1] = [x0 - 1, x1 + 1];
  // A flat line still gets a scale worth reading (options.minSpan, e.g. one dollar).
  const minSpan = options.minSpan ?? 1;
  if (y1 - y0 < minSpan) [y0, y1] = [y0 - (minSpan - (y1 - y0)) / 2, y1 + (minSpan - (y1 - y0)) / 2];
  const sx = (/** @type {number} */ x) => m.left + ((x - x0) / (x1 - x0)) * (width - m.left - m.right);
  const sy = (/** @type {number} */ y) => m.top + (1 - (y - y0) / (y1 - y0)) * (height - m.top - m.bottom);
  // Realized PnL changes when a fill lands: a step line says so.
  let d = `M${sx(points[0]?.x ?? x0)},${sy(points[0]?.y ?? 0)}`;
  for (const p of points.slice(1)) d += ` H${sx(p.x).toFixed(1)} V${sy(p.y).toFixed(1)}`;
  if (points.length === 1) d += ` H${sx(x1)}`;
  const bottom = height - m.bottom;
  return svg(
    'svg',
    { class: 'chart', viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': options.title },
    svg('title', null, options.title),
    svg('line', { class: 'axis', x1: m.left, y1: m.top, x2: m.left, y2: bottom }),
    svg('line', { class: 'axis', x1: m.left, y1: bottom, x2: width - m.right, y2: bottom }),
    svg('line', { class: 'zero', x1: m.left, y1: sy(0), x2: width - m.right, y2: sy(0) }),
    svg('path', { class: 'line', d }),
    svg('text', { x: m.left - 6, y: m.top + 4, 'text-anchor': 'end' }, options.yFormat(y1)),
    svg('text', { x: m.left - 6, y: bottom, 'text-anchor': 'end' }, options.yFormat(y0)),
    y0 < 0 && y1 > 0
      ? svg('text', { x: m.left - 6, y: sy(0) + 4, 'text-anchor': 'end' }, options.yFormat(0))
      : null,
    svg('text', { x: m.left, y: height - 6 }, options.xFormat(x0)),
    svg('text', { x: width - m.right, y: height - 6, 'text-anchor': 'end' }, options.xFormat(x1)),
  );
}

/**
 * The value at percentile `p` (0-100) of sorted values, nearest rank.
 * @param {number[]} sorted
 * @param {number} p
 */
export function percentile(sorted, p) {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))] ?? Number.NaN;
}

/**
 * A histogram over fixed bucket edges: [e0, e1), [e1, e2), ..., [last, ∞); values below e0 count
 * in the first bucket. Each bar is labelled with its upper edge ("under"). Above it: count,
 * median, p95 and max.
 * @param {number[]} values
 * @param {number[]} edges ascending
 * @param {{ title: string, format: (v: number) => string, edgeFormat?: (v: number) => string, empty?: string }} options
 * @returns {Element}
 */
export function histogram(values, edges, options) {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  const stats = h(
    'div',
    { class: 'hist-stats' },
    sorted.length === 0
      ? (options.empty ?? 'No samples yet.')
      : `${sorted.length} samples · median ${options.format(percentile(sorted, 50))} · p95 ${options.format(percentile(sorted, 95))} · max ${options.format(sorted.at(-1) ?? 0)}`,
  );
  const counts = edges.map(() => 0);
  for (const v of sorted) {
    let i = edges.length - 1;
    while (i > 0 && v < (edges[i] ?? 0)) i--;
    counts[i] = (counts[i] ?? 0) + 1;
  }
  const width = 480;
  const height = 150;
  const m = { left: 8, right: 8, top: 16, bottom: 34 };
  const slot = (width - m.left - m.right) / edges.length;
  const top = Math.max(1, ...counts);
  const bars = counts.map((n, i) => {
    const barHeight = ((height - m.top - m.bottom) * n) / top;
    const x = m.left + i * slot;
    const y = height - m.bottom - barHeight;
    const edge = options.edgeFormat ?? options.format;
    const label = i === edges.length - 1 ? `≥${edge(edges[i] ?? 0)}` : edge(edges[i + 1] ?? 0);
    return svg(
      'g',
      { dataset: { count: n } },
      svg('rect', { class: 'bar', x: x + 3, y, width: slot - 6, height: Math.max(barHeight, n > 0 ? 1 : 0) }),
      n > 0 ? svg('text', { x: x + slot / 2, y: y - 3, 'text-anchor': 'middle' }, String(n)) : null,
      svg(
        'text',
        { class: 'tick', x: x + slot / 2, y: height - m.bottom + 14, 'text-anchor': 'middle' },
        label,
      ),
    );
  });
  return h(
    'div',
    { class: 'histogram', dataset: { samples: sorted.length } },
    stats,
    svg(
      'svg',
      { class: 'chart', viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': options.title },
      svg('title', null, options.title),
      svg('line', {
        class: 'axis',
        x1: m.left,
        y1: height - m.bottom,
        x2: width - m.right,
        y2: height - m.bottom,
      }),
      bars,
    ),
  );
}
