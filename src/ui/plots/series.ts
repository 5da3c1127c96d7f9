import type { XAxis } from '../../engine/experiment';
import type { MetricPoint } from '../../engine/types';

/** Turning recorded points into display series: x-axis choice, smoothing and decimation. Pure, unit-tested. */

export function xValue(p: MetricPoint, axis: XAxis): number {
  switch (axis) {
    case 'iteration':
      return p.iteration;
    case 'epoch':
      return p.epoch;
    case 'cost':
      return p.cost;
    case 'time':
      return p.time;
  }
}

export { X_AXIS_LABELS } from '../../engine/settings';

/** Exponential moving average with bias correction (as TensorBoard does), NaN-safe. */
export function smooth(ys: number[], weight: number): number[] {
  if (weight <= 0) return ys;
  const out = new Array<number>(ys.length);
  let acc = 0;
  let norm = 0;
  for (let i = 0; i < ys.length; i++) {
    const y = ys[i];
    if (!Number.isFinite(y)) {
      out[i] = y;
      continue;
    }
    acc = weight * acc + (1 - weight) * y;
    norm = weight * norm + (1 - weight);
    out[i] = acc / norm;
  }
  return out;
}

/**
 * Min/max decimation to at most ~maxPoints points: each bucket keeps its first point and its extremes in
 * order, so spikes (e.g. a divergence or a CG restart) stay visible. Full data stays in the store for export.
 */
export function decimate(xs: number[], ys: number[], maxPoints: number): { x: number[]; y: number[] } {
  const n = xs.length;
  if (n <= maxPoints) return { x: xs, y: ys };
  const buckets = Math.max(1, Math.floor(maxPoints / 3));
  const size = n / buckets;
  const x: number[] = [];
  const y: number[] = [];
  for (let b = 0; b < buckets; b++) {
    const lo = Math.floor(b * size);
    const hi = Math.min(n, Math.floor((b + 1) * size));
    if (hi <= lo) continue;
    let iMin = lo;
    let iMax = lo;
    for (let i = lo; i < hi; i++) {
      if (ys[i] < ys[iMin]) iMin = i;
      if (ys[i] > ys[iMax]) iMax = i;
    }
    const keep = Array.from(new Set([lo, iMin, iMax])).sort((a, b2) => a - b2);
    for (const i of keep) {
      x.push(xs[i]);
      y.push(ys[i]);
    }
  }
  x.push(xs[n - 1]);
  y.push(ys[n - 1]);
  return { x, y };
}

/** Pull a series out of recorded points; points lacking the field are skipped. */
export function series(points: MetricPoint[], axis: XAxis, pick: (p: MetricPoint) => number | undefined): { x: number[]; y: number[] } {
  const x: number[] = [];
  const y: number[] = [];
  for (const p of points) {
    const v = pick(p);
    if (v === undefined) continue;
    x.push(xValue(p, axis));
    y.push(v);
  }
  return { x, y };
}
