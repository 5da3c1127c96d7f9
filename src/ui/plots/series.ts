import type { XAxis } from '../../engine/experiment';
import type { MetricPoint } from '../../engine/types';

/** Turning recorded points into display series: x-axis choice and smoothing (decimation: columnDecimation.ts). Pure, unit-tested. */

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
