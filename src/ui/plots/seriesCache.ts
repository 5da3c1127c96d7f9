import type { XAxis } from '../../engine/experiment';
import type { MetricPoint } from '../../engine/types';
import { xValue } from './series';

/**
 * The display series of a run, extended with the new points instead of rebuilt on every redraw (issue 29: with
 * 100,000 recorded points per run, pulling every series out of all points again took most of a redraw). A run's
 * points array is appended to in place (runReducer.ts) and cleared in place on a restart, so an entry stays valid
 * while the point it ended at is still at the same index; otherwise it is rebuilt. Smoothing (an exponential moving
 * average) is carried on the same way. Results are shared: callers must not modify them.
 */

interface Entry {
  n: number;
  /** The point at index n − 1 when the entry was extended (a cleared and refilled array holds another). */
  last: MetricPoint | undefined;
  x: number[];
  y: number[];
  /** Smoothed y for `weight`, with the EMA's running state. */
  smooth?: { weight: number; n: number; acc: number; norm: number; y: number[] };
}

const entries = new WeakMap<MetricPoint[], Map<string, Entry>>();

/**
 * x (the chosen axis) and y = pick(point) of every point that has a value, as `series()` returns them; `key` names
 * what `pick` reads (one key, one pick).
 */
export function cachedSeries(points: MetricPoint[], axis: XAxis, key: string, pick: (p: MetricPoint) => number | undefined): { x: number[]; y: number[] } {
  const e = entry(points, axis, key, pick);
  return { x: e.x, y: e.y };
}

/** cachedSeries with y smoothed by the bias-corrected EMA of series.smooth (non-finite values pass through). */
export function cachedSmoothedSeries(points: MetricPoint[], axis: XAxis, key: string, pick: (p: MetricPoint) => number | undefined, weight: number): { x: number[]; y: number[] } {
  const e = entry(points, axis, key, pick);
  if (weight <= 0) return { x: e.x, y: e.y };
  if (!e.smooth || e.smooth.weight !== weight || e.smooth.n > e.y.length) e.smooth = { weight, n: 0, acc: 0, norm: 0, y: [] };
  const s = e.smooth;
  for (let i = s.n; i < e.y.length; i++) {
    const v = e.y[i];
    if (!Number.isFinite(v)) {
      s.y.push(v);
      continue;
    }
    s.acc = weight * s.acc + (1 - weight) * v;
    s.norm = weight * s.norm + (1 - weight);
    s.y.push(s.acc / s.norm);
  }
  s.n = e.y.length;
  return { x: e.x, y: s.y };
}

function entry(points: MetricPoint[], axis: XAxis, key: string, pick: (p: MetricPoint) => number | undefined): Entry {
  let byKey = entries.get(points);
  if (!byKey) {
    byKey = new Map();
    entries.set(points, byKey);
  }
  const id = `${axis}\u0000${key}`;
  let e = byKey.get(id);
  if (!e || e.n > points.length || (e.n > 0 && points[e.n - 1] !== e.last)) {
    e = { n: 0, last: undefined, x: [], y: [] };
    byKey.set(id, e);
  }
  for (let i = e.n; i < points.length; i++) {
    const p = points[i];
    const v = pick(p);
    if (v === undefined) continue;
    e.x.push(xValue(p, axis));
    e.y.push(v);
  }
  e.n = points.length;
  e.last = points[points.length - 1];
  return e;
}
