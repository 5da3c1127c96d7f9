/**
 * The frame every plotly chart of the playground shares (pure, unit-tested): its size, fonts, margins that grow
 * to fit the tick labels and axis titles, the legend above the plot area, clean log ticks and the accuracy
 * axis range.
 */

export interface FrameOptions {
  width: number;
  height: number;
  /** Presentation mode: larger type, sized to the chart's width so that two charts side by side at 1280 px fit. */
  big: boolean;
}

export function fontSize(width: number, big: boolean): number {
  return big ? Math.round(Math.min(20, Math.max(14, width / 42))) : 12;
}

/**
 * Size, fonts, margins and legend. The legend is a horizontal row ABOVE the plot area (anchored at its bottom
 * to the top of the plot area): plotly then pushes the top margin by the legend's height, and the legend can
 * meet neither the x-axis title (below the plot area) nor the y-axis title (left of it). Margins start small and
 * `automargin` grows them to fit tick labels and axis titles.
 */
export function plotFrame({ width, height, big }: FrameOptions): Record<string, unknown> {
  const size = fontSize(width, big);
  // ticklabeloverflow 'allow': plotly's default ('hide past div') measures every tick label again after placing
  // each one (quadratic in the labels, a fifth of all main-thread time with four runs streaming); automargin
  // already keeps the labels inside the chart, so there is nothing to hide.
  const axis = { automargin: true, title: { standoff: big ? 8 : 6 }, exponentformat: 'power', ticklabeloverflow: 'allow' };
  return {
    width,
    height,
    autosize: false,
    font: { size },
    // Every side at least 12 px: plotly pads each automargin push by min(12, smallest margin), so with a 10 px side
    // the first redraw padded by 10 and the next (started from the margins it settled on, Plot.tsx) by 12, which
    // moved the margins again and made plotly draw that redraw twice.
    margin: { l: 12, r: 16, t: 12, b: 12, pad: 0 },
    showlegend: true,
    legend: { orientation: 'h', x: 0, xanchor: 'left', y: 1.01, yanchor: 'bottom', font: { size: Math.max(11, size - 2) }, itemwidth: 20, tracegroupgap: 4 },
    xaxis: axis,
    yaxis: axis,
  };
}

/** The text of a log-axis tick: plain numbers from 0.01 to 1000, "1e-3"-style outside. */
export function logTickText(v: number): string {
  const exp = Math.floor(Math.log10(v) + 1e-9);
  const mant = Math.round(v / 10 ** exp);
  if (exp >= -2 && exp <= 3) return String(Number(v.toPrecision(1)));
  return `${mant}e${exp}`;
}

/**
 * Tick values for a log axis over [min, max] (positive), and the axis range from the tick just below the data to
 * the tick just above it: one tick per decade (every second or more decade when the range is wide); with fewer
 * than three decades 2× and 5× too, and within a single decade every multiple. No minor-digit labels
 * ("8 7 6 5 … 0.1 9 8").
 */
export function logTicks(min: number, max: number): { tickvals: number[]; ticktext: string[]; range?: [number, number] } {
  if (!(min > 0) || !(max > 0) || !Number.isFinite(min) || !Number.isFinite(max)) return { tickvals: [], ticktext: [] };
  if (max < min) [min, max] = [max, min];
  const lo = Math.floor(Math.log10(min) + 1e-9);
  const hi = Math.max(lo + 1, Math.ceil(Math.log10(max) - 1e-9));
  const decades = hi - lo;
  const step = decades > 12 ? Math.ceil(decades / 8) : 1;
  const multiples = (k: number[]) => {
    const vals: number[] = [];
    for (let e = lo; e <= hi; e += step) {
      const base = Number(`1e${e}`); // exact decimal powers (10 ** -4 is 9.999…e-5)
      vals.push(base);
      if (e < hi) for (const m of k) vals.push(Number((base * m).toPrecision(1)));
    }
    return vals;
  };
  // Keep the ticks within one tick of the data, so a narrow range is not squashed by far ticks.
  const near = (vals: number[]) => {
    const below = vals.filter((v) => v <= min * (1 + 1e-9));
    const above = vals.filter((v) => v >= max * (1 - 1e-9));
    const b = below[below.length - 1] ?? vals[0];
    const a = above[0] ?? vals[vals.length - 1];
    return vals.filter((v) => v >= b && v <= a);
  };
  let kept = near(multiples(decades < 3 ? [2, 5] : []));
  if (kept.length < 4) kept = near(multiples([2, 3, 4, 5, 6, 7, 8, 9]));
  const range: [number, number] = [Math.log10(kept[0]), Math.log10(kept[kept.length - 1])];
  return { tickvals: kept, ticktext: kept.map(logTickText), range };
}

export interface Trace { x?: ArrayLike<number | null>; y?: ArrayLike<number | null>; xaxis?: string; yaxis?: string; visible?: unknown }

/**
 * Smallest and largest finite value (only positive ones with `positive`: a log axis) of one coordinate over the
 * traces drawn on an axis; hidden traces left out.
 */
export function axisExtent(data: Trace[], coord: 'x' | 'y', axisRef: string, positive = false): [number, number] | null {
  let min = Infinity;
  let max = -Infinity;
  for (const t of data) {
    if (t.visible === false || t.visible === 'legendonly') continue;
    if ((t[coord === 'x' ? 'xaxis' : 'yaxis'] ?? coord) !== axisRef) continue;
    const vs = t[coord];
    if (!vs) continue;
    for (let i = 0; i < vs.length; i++) {
      const v = vs[i];
      if (v !== null && Number.isFinite(v) && (!positive || v > 0)) {
        if (v < min) min = v;
        if (v > max) max = v;
      }
    }
  }
  return min <= max ? [min, max] : null;
}

/**
 * For every log axis of a layout that sets no ticks of its own: tick values from the data drawn on it
 * (logTicks), or, with no data yet, a sensible empty range (0.01 … 10). An axis the plot reverses
 * (autorange 'reversed') gets the same range reversed: plotly's own reversed autorange spans every trace (with a
 * reference line it showed 1e4 → 1 while the data sat in its right 15 %).
 */
export function cleanLogAxes(data: unknown[], layout: Record<string, unknown>): Record<string, unknown> {
  const patch: Record<string, unknown> = {};
  for (const key of Object.keys(layout)) {
    const m = /^([xy])axis(\d*)$/.exec(key);
    if (!m) continue;
    const axis = layout[key] as Record<string, unknown>;
    if (axis?.type !== 'log' || axis.tickvals || axis.dtick) continue;
    const reversed = axis.autorange === 'reversed';
    const oriented = (r: [number, number] | undefined) => (r && reversed ? [r[1], r[0]] : r);
    const fixed = reversed ? { autorange: false } : {};
    const range = axisExtent(data as Trace[], m[1] as 'x' | 'y', `${m[1]}${m[2]}`, true);
    if (!range) {
      const empty = logTicks(0.01, 10);
      patch[key] = { ...axis, ...empty, range: oriented(empty.range), tickmode: 'array', ...fixed };
      continue;
    }
    const ticks = logTicks(range[0], range[1]);
    // The range from tick to tick, unless the plot fixes its own.
    patch[key] = { ...axis, ...ticks, range: axis.range ?? oriented(ticks.range), tickmode: 'array', ...fixed };
  }
  return patch;
}

/**
 * Where to put an annotation's text relative to its point so that it stays inside the plot area: away from the
 * nearer edge in each direction. `fx`, `fy`: the point's position across the drawn plot area (0 = left / bottom,
 * 1 = right / top). Returns plotly's arrow-tail offsets in px (ay grows downwards).
 */
export function calloutOffset(fx: number, fy: number, dx = 40, dy = 30): { ax: number; ay: number } {
  return { ax: fx > 0.5 ? -dx : dx, ay: fy > 0.5 ? dy : -dy };
}

/**
 * A line trace with a single finite point draws nothing (a line needs two): such traces also get a marker, so that a
 * run's first point is seen the moment it is drawn (the loss plot's first redraw after Run comes at iteration 1).
 * Other traces are returned as they are.
 */
export function showLonePoints(data: unknown[]): unknown[] {
  return data.map((t) => {
    const trace = t as { mode?: string; type?: string; y?: ArrayLike<unknown> };
    if ((trace.type ?? 'scatter') !== 'scatter' || (trace.mode ?? 'lines') !== 'lines' || !trace.y) return t;
    let finite = 0;
    for (let i = 0; i < trace.y.length && finite < 2; i++) if (Number.isFinite(trace.y[i])) finite++;
    return finite === 1 ? { ...trace, mode: 'lines+markers' } : t;
  });
}

/**
 * The accuracy axis: 0 … 1 by default (an honest scale), or zoomed to the data drawn (so that 0.90 and 0.92
 * can be told apart) with a margin of 10 % of the spread, at least 0.01, clipped to [0, 1].
 */
export function accuracyRange(values: number[], zoom: boolean): [number, number] {
  const full: [number, number] = [0, 1.02];
  if (!zoom) return full;
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) if (Number.isFinite(v)) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
  if (lo > hi) return full;
  const pad = Math.max(0.01, 0.1 * (hi - lo));
  return [Math.max(0, lo - pad), Math.min(1.005, hi + pad)];
}
