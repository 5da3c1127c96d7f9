/**
 * Live curves redrawn in place (issue 29). A plotly redraw of a chart whose points changed is a whole new figure:
 * trace defaults, every axis with its tick labels measured, the legend, the margins (45 ms for the loss plot with
 * five MNIST runs on a 2-core machine, 90 % of it for things that did not change). While runs train, a new point
 * mostly lands inside the axes already drawn. Then only the lines need to change, and this module writes their SVG
 * paths directly, with plotly's own axis mapping: a few milliseconds. Whenever anything else would change — a
 * point outside the drawn axes, a trace added, hidden or restyled, new ticks or event markers, a break in a line
 * (a divergence), the chart's size — the chart is redrawn by plotly as before.
 *
 * For the in-place path to be taken often, the live chart's linear axes keep some room ahead of the data
 * (`liveRange`): the x axis reaches 35 % past the newest point (or as far as the data grow in two seconds) and y
 * 12 % beyond the extremes, so that new points fall inside for a while; the axes are re-fitted (a plotly redraw)
 * when the data leave them or fill less than half of them. Once no run is training the chart is drawn by plotly with the axes fitted tightly to the data, as always.
 *
 * What the in-place path leaves behind until the next plotly redraw: hover labels know only the points of the last
 * plotly redraw (they sit where those points are drawn, since the axes did not move).
 */

import { axisExtent, type Trace } from './plotLayout';

/** The part of a plotly axis the lines are drawn with (plotly's own data → pixel mapping). */
export interface PixelAxis {
  c2p(v: number): number;
  /** Length of the axis in px. */
  _length: number;
}

/** A trace as the charts build it. */
export interface LineTrace extends Trace {
  type?: string;
  mode?: string;
}

/**
 * The SVG path of one line ("M x,y L x,y …", px relative to the plot area, rounded to 0.01 px), or null when the line
 * cannot be drawn in place: a point that is not finite (a break: plotly draws it as separate segments) or that lies
 * outside the plot area (the axes must move), or fewer than two points (plotly marks a lone point).
 */
export function linePath(xs: ArrayLike<number | null>, ys: ArrayLike<number | null>, xa: PixelAxis, ya: PixelAxis, slackPx = 0.5): string | null {
  const n = Math.min(xs.length, ys.length);
  if (n < 2) return null;
  const parts: string[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const x = xs[i];
    const y = ys[i];
    if (x === null || y === null || !Number.isFinite(x) || !Number.isFinite(y)) return null;
    const px = xa.c2p(x);
    const py = ya.c2p(y);
    if (!(px >= -slackPx && px <= xa._length + slackPx && py >= -slackPx && py <= ya._length + slackPx)) return null;
    parts[i] = `${Math.round(px * 100) / 100},${Math.round(py * 100) / 100}`;
  }
  return `M${parts.join('L')}`;
}

/**
 * What must be unchanged for the lines to be redrawn in place: every trace without its points, and the layout.
 * Null when some trace is not a scatter trace (always drawn by plotly). A scatter trace drawn with markers (a run's
 * lone first point, the divergence crosses) may be in the chart, as long as its points do not change
 * (redrawLinesInPlace): early in a slow run its lone point stayed for seconds and made every redraw a full one.
 */
export function liveSignature(data: LineTrace[], layout: Record<string, unknown>): string | null {
  const traces: unknown[] = [];
  for (const t of data) {
    if ((t.type ?? 'scatter') !== 'scatter') return null;
    const { x: _x, y: _y, ...rest } = t;
    traces.push(rest);
  }
  return JSON.stringify([traces, layout]);
}

/** The same values, in the same order (null and NaN equal to themselves). */
function samePoints(a: ArrayLike<number | null> | undefined, b: ArrayLike<number | null> | undefined): boolean {
  if (!a || !b || a.length !== b.length) return a === b;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
  return true;
}

/**
 * The range of a live chart's linear axis: the range drawn before while it still holds the data and the data fill
 * at least half of it (so that the lines can be redrawn in place); else the data's extent with room ahead — x:
 * 35 % past the newest point (curves grow rightwards), or `minRoom` if more; y: 12 % beyond either extreme. (With
 * 20 % and 8 %, five MNIST runs early in training left the axes several times a second: each a full plotly redraw,
 * bench/frames.mjs.)
 */
export function liveRange(extent: [number, number], drawn: [number, number] | undefined, coord: 'x' | 'y', minRoom = 0): [number, number] {
  const [lo, hi] = extent;
  if (drawn) {
    const [a, b] = drawn[0] <= drawn[1] ? drawn : [drawn[1], drawn[0]];
    if (a <= lo && hi <= b && (hi - lo) >= 0.5 * (b - a)) return drawn;
  }
  const span = hi - lo || Math.abs(hi) || 1;
  return coord === 'x' ? [lo, hi + Math.max(0.35 * span, minRoom)] : [lo - 0.12 * span, hi + 0.12 * span];
}

/** The live axes of a chart as fitted at one redraw: when, the data's extent on each axis, and the ranges given. */
export interface LiveFit {
  at: number;
  extents: Record<string, [number, number]>;
  ranges: Record<string, [number, number]>;
}

/** Seconds of growth an x axis keeps room for when it is re-fitted: early in a run, 35 % of a short span is soon used up. */
const ROOM_SECONDS = 2;

/**
 * The live ranges, at time `now` (ms), of every linear axis of `layout` that sets no range of its own and is not
 * reversed (liveRange), given the previous fit: an x axis keeps the room its data grew by in ROOM_SECONDS at the
 * rate they grew since then. Hidden traces do not count.
 */
export function liveRanges(data: LineTrace[], layout: Record<string, unknown>, previous: LiveFit | null, now: number): LiveFit {
  const fit: LiveFit = { at: now, extents: {}, ranges: {} };
  for (const key of Object.keys(layout)) {
    const m = /^([xy])axis(\d*)$/.exec(key);
    if (!m) continue;
    const axis = (layout[key] ?? {}) as Record<string, unknown>;
    if (axis.range !== undefined || axis.autorange === 'reversed' || (axis.type !== undefined && axis.type !== 'linear' && axis.type !== '-')) continue;
    const coord = m[1] as 'x' | 'y';
    const extent = axisExtent(data, coord, `${coord}${m[2]}`);
    if (!extent) continue;
    const before = previous?.extents[key];
    const rate = before && previous && now > previous.at ? Math.max(0, extent[1] - before[1]) / (now - previous.at) : 0;
    fit.extents[key] = extent;
    fit.ranges[key] = liveRange(extent, previous?.ranges[key], coord, coord === 'x' ? rate * ROOM_SECONDS * 1000 : 0);
  }
  return fit;
}

/** The plotly chart element as far as the in-place redraw reads it (plotly's internals, pinned by the lockfile). */
interface PlotlyChart extends HTMLElement {
  data?: LineTrace[];
  _fullLayout?: Record<string, unknown>;
}

/**
 * Writes every visible line trace's new points into its drawn SVG line (and into the chart's data, which exports and
 * tests read). Returns false, having changed nothing, when some line cannot be redrawn in place (linePath), when
 * the drawn chart does not hold exactly one line per visible line trace, or when a trace drawn with markers changed.
 */
export function redrawLinesInPlace(el: HTMLElement, data: LineTrace[]): boolean {
  const chart = el as PlotlyChart;
  const full = chart._fullLayout;
  if (!full || !chart.data || chart.data.length !== data.length) return false;
  // Each trace's drawn group carries its calcdata, whose trace knows its index.
  const groups = new Map<number, Element>();
  for (const g of el.querySelectorAll('.scatterlayer .trace')) {
    const index = (g as unknown as { __data__?: { trace?: { index?: number } }[] }).__data__?.[0]?.trace?.index;
    if (index !== undefined) groups.set(index, g);
  }
  const writes: [Element, string][] = [];
  for (let k = 0; k < data.length; k++) {
    const t = data[k];
    if (t.visible === false || t.visible === 'legendonly') continue;
    if ((t.mode ?? 'lines') !== 'lines') {
      // Markers are not moved in place: such a trace may only stay as drawn.
      if (!samePoints(t.x, chart.data[k].x) || !samePoints(t.y, chart.data[k].y)) return false;
      continue;
    }
    const xa = full[`xaxis${(t.xaxis ?? 'x').slice(1)}`] as PixelAxis | undefined;
    const ya = full[`yaxis${(t.yaxis ?? 'y').slice(1)}`] as PixelAxis | undefined;
    const lines = groups.get(k)?.querySelectorAll('path.js-line');
    if (!xa || !ya || !t.x || !t.y || lines?.length !== 1) return false;
    const d = linePath(t.x, t.y, xa, ya);
    if (d === null) return false;
    writes.push([lines[0], d]);
  }
  for (const [path, d] of writes) path.setAttribute('d', d);
  data.forEach((t, k) => {
    chart.data![k].x = t.x;
    chart.data![k].y = t.y;
  });
  return true;
}
