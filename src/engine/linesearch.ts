import type { HyperReader } from './hyper';

/**
 * Strong-Wolfe line search: bracketing (Nocedal & Wright, Numerical Optimization, 2nd ed., Algorithm 3.5) then
 * zoom (Algorithm 3.6) with cubic interpolation (eq. 3.59), falling back to quadratic interpolation and bisection.
 * Used by the conjugate-gradient phase of algorithms.md §2 (c1 = 1e-4, c2 = 0.1, at most 20 evaluations).
 *
 * It works on the 1-D restriction φ(α) = f(x + α d) given by the caller, who also gets back an opaque payload
 * (typically the gradient at the accepted point) so nothing is evaluated twice.
 */

/** A smooth objective over a flat float64 vector: what the line-search methods work against. */
export interface Objective {
  dim: number;
  /** Loss and gradient at x; must not keep a reference to x. */
  evaluate(x: Float64Array): { f: number; g: Float64Array };
  /** Arithmetic the loss is computed in; only used in the "converged to … precision" message. */
  precision?: 'float32' | 'float64';
}

export interface LineSample<P> {
  alpha: number;
  f: number;
  /** φ′(α) = ∇f(x + α d)ᵀ d. */
  dphi: number;
  payload: P;
}

export interface LineSearchOptions {
  c1: number;
  c2: number;
  /** Maximum number of φ evaluations. */
  maxEvals: number;
  /** Upper bound on α. */
  alphaMax: number;
}

export const DEFAULT_LINE_SEARCH: LineSearchOptions = { c1: 1e-4, c2: 0.1, maxEvals: 20, alphaMax: 1e10 };

/**
 * The line search's settings as the line-search methods' hyperparameters name them (c1, c2, maxLineSearchEvals;
 * every such method declares the three in its spec, with its defaults); each method decides itself what to do when
 * c1 < c2 does not hold.
 */
export function lineSearchHyper(h: HyperReader): Pick<LineSearchOptions, 'c1' | 'c2' | 'maxEvals'> {
  return { c1: h.number('c1'), c2: h.number('c2'), maxEvals: Math.max(2, h.int('maxLineSearchEvals')) };
}

export type LineSearchStatus =
  /** Both strong Wolfe conditions hold at the returned α. */
  | 'wolfe'
  /** The evaluation budget ran out (or the bracket collapsed); the returned α is the best trial, with f < φ(0). */
  | 'decrease'
  /** No trial decreased f: the returned sample is undefined. */
  | 'none';

export interface LineSearchResult<P> {
  status: LineSearchStatus;
  accepted?: LineSample<P>;
  evals: number;
  /** Every trial, in evaluation order (for plots of trial points). */
  trials: LineSample<P>[];
}

/** Minimiser of the cubic through (a, fa, da), (b, fb, db) (N&W eq. 3.59); NaN when it does not exist. */
export function cubicMin(a: number, fa: number, da: number, b: number, fb: number, db: number): number {
  const d1 = da + db - (3 * (fa - fb)) / (a - b);
  const disc = d1 * d1 - da * db;
  if (!(disc >= 0)) return NaN;
  const d2 = Math.sign(b - a) * Math.sqrt(disc);
  const den = db - da + 2 * d2;
  if (den === 0) return NaN;
  return b - ((b - a) * (db + d2 - d1)) / den;
}

/** Minimiser of the quadratic with value fa and slope da at a and value fb at b; NaN if it is not convex. */
export function quadMin(a: number, fa: number, da: number, b: number, fb: number): number {
  const h = b - a;
  const c = (fb - fa - da * h) / (h * h);
  if (!(c > 0)) return NaN;
  return a - da / (2 * c);
}

/**
 * Strong-Wolfe search along a descent direction (dphi0 < 0) from the trial `alpha1`.
 * Conditions: φ(α) ≤ φ(0) + c1 α φ′(0) (sufficient decrease) and |φ′(α)| ≤ c2 |φ′(0)| (strong curvature).
 */
export function strongWolfe<P>(
  phi: (alpha: number) => { f: number; dphi: number; payload: P },
  f0: number,
  dphi0: number,
  alpha1: number,
  opts: LineSearchOptions = DEFAULT_LINE_SEARCH,
): LineSearchResult<P> {
  const { c1, c2, maxEvals, alphaMax } = opts;
  const trials: LineSample<P>[] = [];
  let best: LineSample<P> | undefined;
  const sample = (alpha: number): LineSample<P> => {
    const r = phi(alpha);
    const s = { alpha, f: r.f, dphi: r.dphi, payload: r.payload };
    trials.push(s);
    if (Number.isFinite(s.f) && s.f < f0 && (!best || s.f < best.f)) best = s;
    return s;
  };
  const armijo = (s: LineSample<P>) => s.f <= f0 + c1 * s.alpha * dphi0;
  const curvature = (s: LineSample<P>) => Math.abs(s.dphi) <= -c2 * dphi0;
  const done = (status: LineSearchStatus, s?: LineSample<P>): LineSearchResult<P> => ({ status, accepted: s, evals: trials.length, trials });
  const fallback = () => (best ? done('decrease', best) : done('none'));

  if (!(dphi0 < 0)) return done('none');

  // Algorithm 3.6: lo satisfies sufficient decrease and has the lowest f seen in the bracket; the minimiser of
  // interest lies between lo and hi.
  const zoom = (lo: LineSample<P>, hi: LineSample<P>): LineSearchResult<P> => {
    while (trials.length < maxEvals) {
      const left = Math.min(lo.alpha, hi.alpha);
      const right = Math.max(lo.alpha, hi.alpha);
      const width = right - left;
      if (width <= 1e-14 * Math.max(1, right)) break;
      let a = cubicMin(lo.alpha, lo.f, lo.dphi, hi.alpha, hi.f, hi.dphi);
      if (!Number.isFinite(a)) a = quadMin(lo.alpha, lo.f, lo.dphi, hi.alpha, hi.f);
      // Safeguard: stay 10% of the bracket away from its ends, else bisect.
      if (!Number.isFinite(a) || a < left + 0.1 * width || a > right - 0.1 * width) a = left + 0.5 * width;
      const s = sample(a);
      if (!armijo(s) || s.f >= lo.f) {
        hi = s;
      } else {
        if (curvature(s)) return done('wolfe', s);
        if (s.dphi * (hi.alpha - lo.alpha) >= 0) hi = lo;
        lo = s;
      }
    }
    return fallback();
  };

  // Algorithm 3.5: grow α until the interval [α_{i−1}, α_i] brackets a strong-Wolfe point.
  let prev: LineSample<P> = { alpha: 0, f: f0, dphi: dphi0, payload: undefined as P };
  let alpha = Math.min(alpha1 > 0 && Number.isFinite(alpha1) ? alpha1 : 1, alphaMax);
  while (trials.length < maxEvals) {
    const s = sample(alpha);
    if (!Number.isFinite(s.f)) {
      // Overflow far out (e.g. exp in the loss): treat as "too long" and zoom back towards prev.
      const back = { ...s, f: Infinity, dphi: Infinity };
      return zoomNonFinite(prev, back);
    }
    if (!armijo(s) || (trials.length > 1 && s.f >= prev.f)) return zoom(prev, s);
    if (curvature(s)) return done('wolfe', s);
    if (s.dphi >= 0) return zoom(s, prev);
    if (alpha >= alphaMax) break;
    // Extrapolate with the cubic through prev and s (exact on a quadratic), kept within [1.1 α, 10 α].
    let next = cubicMin(prev.alpha, prev.f, prev.dphi, s.alpha, s.f, s.dphi);
    if (!Number.isFinite(next) || next <= s.alpha) next = 2 * s.alpha;
    next = Math.min(Math.max(next, 1.1 * s.alpha), 10 * s.alpha, alphaMax);
    prev = s;
    alpha = next;
  }
  return fallback();

  // Non-finite trial: bisect back towards the last finite point until values are finite, then zoom as usual.
  function zoomNonFinite(lo: LineSample<P>, hi: LineSample<P>): LineSearchResult<P> {
    let a = hi.alpha;
    while (trials.length < maxEvals) {
      a = lo.alpha + 0.25 * (a - lo.alpha);
      const s = sample(a);
      if (!Number.isFinite(s.f)) continue;
      if (!armijo(s) || s.f >= lo.f) return zoom(lo, s);
      if (curvature(s)) return done('wolfe', s);
      if (s.dphi >= 0) return zoom(s, lo);
      return zoom(s, { ...hi });
    }
    return fallback();
  }
}

/** aᵀb of two vectors. */
export function dotv(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/** x + α d, as a new vector. */
export function axpy(x: Float64Array, alpha: number, d: Float64Array): Float64Array {
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = x[i] + alpha * d[i];
  return out;
}

/**
 * The strong-Wolfe search along d from x, where the loss is f and ∇fᵀd = gtd, on `obj` (what a line-search method does
 * once per iteration, or twice after a restart); each trial carries its gradient, so the accepted point's is not
 * evaluated again.
 */
export function searchAlong(obj: Objective, x: Float64Array, f: number, d: Float64Array, gtd: number, alpha1: number, opts: LineSearchOptions): LineSearchResult<Float64Array> {
  return strongWolfe<Float64Array>(
    (alpha) => {
      const fg = obj.evaluate(axpy(x, alpha, d));
      return { f: fg.f, dphi: dotv(fg.g, d), payload: fg.g };
    },
    f,
    gtd,
    alpha1,
    opts,
  );
}
