import { makeRng } from '../engine/random';
import type { TargetConfig } from '../engine/experiment';

/**
 * Statistics of the comparison protocol, pure and unit-tested: quantiles over seeds, a median-and-band curve
 * from several seeds' series, time to target, the best setting of a sweep, and the performance profile.
 *
 * Band choice: the interquartile range (25th–75th percentile, linear interpolation between order statistics).
 * It is robust to one seed that diverges, which would stretch a min–max band to infinity; every plot labels it.
 */
export const BAND_LABEL = 'band: interquartile range (25th–75th percentile) over seeds';

/** What a pool job keeps of a run: its evaluation points (decimated) and how it ended. */
export interface EvalPoint {
  iteration: number;
  cost: number;
  time: number;
  epoch: number;
  trainLoss: number;
  testLoss?: number;
  testAccuracy?: number;
}

export interface JobSummary {
  status: 'finished' | 'diverged' | 'error' | 'stopped';
  message: string;
  points: EvalPoint[];
  /** Wall-clock milliseconds from start to end of the job (setup included). */
  wallMs: number;
  backend?: string;
}

/** q-quantile of ascending `sorted` by linear interpolation (NaN for an empty list); ±Infinity entries are allowed. */
export function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  if (lo === hi || sorted[lo] === sorted[hi]) return sorted[lo];
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

export interface Spread {
  n: number;
  median: number;
  q1: number;
  q3: number;
  min: number;
  max: number;
}

/** Median, quartiles and extremes; NaN values (a failed job) are left out, ±Infinity kept. */
export function spread(values: number[]): Spread {
  const s = values.filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
  return { n: s.length, median: quantile(s, 0.5), q1: quantile(s, 0.25), q3: quantile(s, 0.75), min: s[0] ?? NaN, max: s[s.length - 1] ?? NaN };
}

export interface Band {
  x: number[];
  median: number[];
  lo: number[];
  hi: number[];
}

/** Linear interpolation of (xs, ys) at x; xs ascending; undefined outside [xs[0], xs[last]]. */
function interpolate(xs: number[], ys: number[], x: number): number | undefined {
  const n = xs.length;
  if (n === 0 || x < xs[0] || x > xs[n - 1]) return undefined;
  let lo = 0;
  let hi = n - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (xs[mid] <= x) lo = mid;
    else hi = mid;
  }
  if (xs[lo] === x || hi === lo) return ys[lo];
  if (xs[hi] === x) return ys[hi];
  return ys[lo] + ((ys[hi] - ys[lo]) * (x - xs[lo])) / (xs[hi] - xs[lo]);
}

export interface SeedSeries {
  x: number[];
  y: number[];
  /** What the series stands for after its last point: its last value (it finished), or `afterEnd` (e.g. +∞ for a divergence). */
  afterEnd?: number;
}

/**
 * Median and interquartile band over seeds on a common grid of `gridSize` x values from the smallest first x to
 * the largest last x. Each seed is interpolated linearly; past its last point it holds its last value (or its
 * `afterEnd`), before its first point it does not count.
 */
export function bandOverSeeds(seeds: SeedSeries[], gridSize = 150): Band {
  const live = seeds.filter((s) => s.x.length > 0);
  const out: Band = { x: [], median: [], lo: [], hi: [] };
  if (!live.length) return out;
  const x0 = Math.min(...live.map((s) => s.x[0]));
  const x1 = Math.max(...live.map((s) => s.x[s.x.length - 1]));
  const steps = x1 > x0 ? gridSize : 1;
  for (let g = 0; g < steps; g++) {
    const x = steps === 1 ? x0 : x0 + ((x1 - x0) * g) / (steps - 1);
    const vals: number[] = [];
    for (const s of live) {
      const last = s.x[s.x.length - 1];
      if (x > last) vals.push(s.afterEnd ?? s.y[s.y.length - 1]);
      else {
        const v = interpolate(s.x, s.y, x);
        if (v !== undefined) vals.push(v);
      }
    }
    const sp = spread(vals);
    out.x.push(x);
    out.median.push(sp.median);
    out.lo.push(sp.q1);
    out.hi.push(sp.q3);
  }
  return out;
}

/** First evaluation point meeting the target (accuracy ≥ value, or training loss ≤ value); null if none does. */
export function reachTarget(points: EvalPoint[], target: TargetConfig): EvalPoint | null {
  for (const p of points) {
    if (target.metric === 'testAccuracy' ? (p.testAccuracy ?? -Infinity) >= target.value : p.trainLoss <= target.value) return p;
  }
  return null;
}

export interface TargetRow {
  /** Seeds that reached the target, out of n. */
  reached: number;
  n: number;
  /** Median over seeds (a seed that failed counts as +∞): Infinity = "not reached" by the median seed. */
  cost: number;
  seconds: number;
}

/** Time to target over seeds: median cost and training seconds, a failing seed counting as never (+∞). */
export function timeToTarget(seeds: EvalPoint[][], target: TargetConfig): TargetRow {
  const hits = seeds.map((pts) => reachTarget(pts, target));
  return {
    reached: hits.filter((h) => h !== null).length,
    n: seeds.length,
    cost: spread(hits.map((h) => h?.cost ?? Infinity)).median,
    seconds: spread(hits.map((h) => h?.time ?? Infinity)).median,
  };
}

/** n values spaced evenly on a log scale from min to max (both included). */
export function logGrid(min: number, max: number, n: number): number[] {
  if (n === 1) return [Math.sqrt(min * max)];
  const a = Math.log10(min);
  const b = Math.log10(max);
  return Array.from({ length: n }, (_, i) => Number((10 ** (a + ((b - a) * i) / (n - 1))).toPrecision(6)));
}

/** n values drawn log-uniformly from [min, max] with a seeded generator (the same seed gives the same search). */
export function randomLog(min: number, max: number, n: number, seed: number): number[] {
  const rng = makeRng(seed);
  const a = Math.log10(min);
  const b = Math.log10(max);
  return Array.from({ length: n }, () => Number((10 ** (a + (b - a) * rng())).toPrecision(6)));
}

/**
 * Performance profile (Dolan & Moré 2002): for each method, the share of problems it solved within τ times the
 * cost of the best method on that problem. costs[p][m] is method m's cost on problem p (Infinity: not solved).
 */
export function performanceProfile(costs: number[][], taus: number[]): number[][] {
  const methods = costs[0]?.length ?? 0;
  const ratios = costs.map((row) => {
    const best = Math.min(...row);
    return row.map((c) => (Number.isFinite(c) && Number.isFinite(best) && best > 0 ? c / best : Number.isFinite(c) && best === 0 ? (c === 0 ? 1 : Infinity) : Infinity));
  });
  return Array.from({ length: methods }, (_, m) => taus.map((tau) => (costs.length ? ratios.filter((r) => r[m] <= tau).length / costs.length : 0)));
}
