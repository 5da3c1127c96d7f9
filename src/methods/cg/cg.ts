/**
 * Nonlinear conjugate gradient over a flat parameter vector (algorithms.md §2, "Phase 2"), written against a
 * generic objective (f, ∇f on a Float64Array) so the same core serves the MLP (float32 tensors behind the
 * objective, see engine/flat.ts netObjective) and plain-JS functions (float64: tests, the 2-D landscape lab).
 *
 *   d0 = −g0; for k = 0, 1, …:  α_k = strong-Wolfe line search (c1 = 1e-4, c2 = 0.1, ≤ 20 evaluations)
 *   θ_{k+1} = θ_k + α_k d_k;  β = max(0, g_{k+1}ᵀ(g_{k+1} − g_k)/g_kᵀg_k)  (PR+; FR: g_{k+1}ᵀg_{k+1}/g_kᵀg_k)
 *   β = 0 every n_restart iterations, when |g_{k+1}ᵀg_k| ≥ 0.1‖g_{k+1}‖² (Powell), or when d_{k+1} is not descent.
 *   d_{k+1} = −g_{k+1} + β d_k
 * First trial step: 1/‖g‖ at the first iteration, then α_{k−1}·(g_{k−1}ᵀd_{k−1})/(g_kᵀd_k) (notes §2).
 * No decrease found: retry once along −g (from the first-iteration trial 1/‖g‖, chosen: a fresh start); if that
 * finds none either, stop — the objective has converged to its floating-point precision.
 *
 * Vector arithmetic is float64 in JS whatever the objective's precision (a 17k-parameter MLP costs microseconds
 * here against milliseconds for one loss+gradient evaluation).
 */
import { axpy, DEFAULT_LINE_SEARCH, dotv, searchAlong, type LineSample, type LineSearchOptions, type Objective } from '../../engine/linesearch';
import { plainObjective, recordPlainRun, type PlainFg, type PlainRunOptions, type PlainRunResult } from '../../engine/plainRun';

export type { Objective };

export type CgVariant = 'pr+' | 'fr';

export interface CgOptions extends LineSearchOptions {
  variant: CgVariant;
  /** Restart with β = 0 every this many iterations. */
  nRestart: number;
  /** Powell's restart threshold ν: restart when |g_{k+1}ᵀg_k| ≥ ν‖g_{k+1}‖². */
  powell: number;
}

export const DEFAULT_CG: CgOptions = { ...DEFAULT_LINE_SEARCH, variant: 'pr+', nRestart: 50, powell: 0.1 };

/** Why β was set to 0 for the next direction (0: no restart). */
export const RESTART = { none: 0, periodic: 1, powell: 2, nonDescent: 3, noDecrease: 4 } as const;

export interface CgState {
  x: Float64Array;
  f: number;
  g: Float64Array;
  d: Float64Array;
  /** gᵀd for the current x, d. */
  gtd: number;
  /** Accepted step and gᵀd of the previous iteration (for the next initial trial); NaN at the start. */
  alphaPrev: number;
  gtdPrev: number;
  /** Iterations done, and since the last restart. */
  k: number;
  sinceRestart: number;
  /** Objective evaluations so far (each loss+gradient counts one). */
  evals: number;
  finished?: string;
}

export interface CgIterationInfo {
  /** Accepted step (0 when nothing was accepted). */
  alpha: number;
  /** β used for the new direction (0 on a restart). */
  beta: number;
  /** One of RESTART's codes. */
  restart: number;
  /** Evaluations spent in this iteration's line search(es). */
  lineSearchEvals: number;
  /** gᵀd at the start of the (last) line search: negative for a descent direction. */
  dirDeriv: number;
  /** 'wolfe', 'decrease' (best trial after the budget) or 'none'. */
  lineSearchStatus: string;
  f: number;
  gradNorm: number;
  /** Trial steps of the line search(es), with the direction each was taken along. */
  trials: { alpha: number; f: number; d: Float64Array }[];
  finished?: string;
}



function neg(g: Float64Array): Float64Array {
  const d = new Float64Array(g.length);
  for (let i = 0; i < g.length; i++) d[i] = -g[i];
  return d;
}

/** Starts CG at x0; pass `known` when f and ∇f at x0 are already available (then no evaluation is spent). */
export function cgInit(obj: Objective, x0: ArrayLike<number>, known?: { f: number; g: Float64Array }): CgState {
  const x = Float64Array.from(x0);
  const fg = known ?? obj.evaluate(x);
  const g = Float64Array.from(fg.g);
  const d = neg(g);
  return { x, f: fg.f, g, d, gtd: -dotv(g, g), alphaPrev: NaN, gtdPrev: NaN, k: 0, sinceRestart: 0, evals: known ? 0 : 1 };
}

/**
 * Mini-batch CG (chosen, §2 leaves it open): when the objective changes (a new batch), re-evaluate f and ∇f at
 * the current point, keep d if it is still a descent direction for the new batch, else restart along −g.
 */
export function cgRefresh(s: CgState, obj: Objective): number {
  const fg = obj.evaluate(s.x);
  s.evals++;
  s.f = fg.f;
  s.g = Float64Array.from(fg.g);
  s.gtd = dotv(s.g, s.d);
  if (!(s.gtd < 0)) {
    s.d = neg(s.g);
    s.gtd = -dotv(s.g, s.g);
    s.sinceRestart = 0;
    return RESTART.nonDescent;
  }
  return RESTART.none;
}


/** One CG iteration: line search along d, move, new direction. Mutates `s`. */
export function cgIterate(s: CgState, obj: Objective, opts: CgOptions = DEFAULT_CG): CgIterationInfo {
  const gnorm0 = Math.sqrt(dotv(s.g, s.g));
  const trials: CgIterationInfo['trials'] = [];
  if (s.finished) return { alpha: 0, beta: 0, restart: 0, lineSearchEvals: 0, dirDeriv: s.gtd, lineSearchStatus: 'none', f: s.f, gradNorm: gnorm0, trials, finished: s.finished };
  if (gnorm0 === 0) {
    s.finished = 'the gradient is exactly zero';
    return { alpha: 0, beta: 0, restart: 0, lineSearchEvals: 0, dirDeriv: 0, lineSearchStatus: 'none', f: s.f, gradNorm: 0, trials, finished: s.finished };
  }
  const firstTrial = 1 / gnorm0;
  const alpha1 = s.k === 0 || !Number.isFinite(s.alphaPrev) ? firstTrial : (s.alphaPrev * s.gtdPrev) / s.gtd;
  let d = s.d;
  let gtd = s.gtd;
  let restart: number = RESTART.none;
  let ls = searchAlong(obj, s.x, s.f, d, gtd, alpha1, opts);
  let evals = ls.evals;
  for (const t of ls.trials) trials.push({ alpha: t.alpha, f: t.f, d });
  if (!ls.accepted) {
    // No decrease along d: once more along steepest descent.
    d = neg(s.g);
    gtd = -dotv(s.g, s.g);
    restart = RESTART.noDecrease;
    ls = searchAlong(obj, s.x, s.f, d, gtd, firstTrial, opts);
    evals += ls.evals;
    for (const t of ls.trials) trials.push({ alpha: t.alpha, f: t.f, d });
  }
  s.evals += evals;
  if (!ls.accepted) {
    // The notes' stop rule. The same symptom appears on a plateau flatter than the precision resolves (measured:
    // CG alone from the small init on MNIST stalls at loss ≈ 2.2993 = ln 10 − 0.003, ‖g‖ ≈ 7e-4), so say both.
    const prec = obj.precision ?? 'float32';
    s.finished = `converged to ${prec} precision: the line search found no decrease along d nor along −g (loss ${s.f.toPrecision(6)}, ‖g‖ ${gnorm0.toExponential(2)}; a large ‖g‖ means a plateau flatter than ${prec} resolves)`;
    return { alpha: 0, beta: 0, restart, lineSearchEvals: evals, dirDeriv: gtd, lineSearchStatus: 'none', f: s.f, gradNorm: gnorm0, trials, finished: s.finished };
  }
  const acc = ls.accepted as LineSample<Float64Array>;
  const gOld = s.g;
  const gNew = Float64Array.from(acc.payload);
  const x = axpy(s.x, acc.alpha, d);
  const gg = dotv(gNew, gNew);
  const goldSq = dotv(gOld, gOld);
  let beta: number;
  if (opts.variant === 'fr') beta = gg / goldSq;
  else beta = Math.max(0, (gg - dotv(gNew, gOld)) / goldSq);
  const sinceRestart = restart === RESTART.noDecrease ? 1 : s.sinceRestart + 1;
  if (sinceRestart >= opts.nRestart) restart = RESTART.periodic;
  else if (Math.abs(dotv(gNew, gOld)) >= opts.powell * gg) restart = RESTART.powell;
  if (restart === RESTART.periodic || restart === RESTART.powell) beta = 0;
  let dNew: Float64Array = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) dNew[i] = -gNew[i] + beta * d[i];
  let gtdNew = dotv(gNew, dNew);
  if (!(gtdNew < 0)) {
    restart = RESTART.nonDescent;
    beta = 0;
    dNew = neg(gNew);
    gtdNew = -gg;
  }
  s.x = x;
  s.f = acc.f;
  s.g = gNew;
  s.alphaPrev = acc.alpha;
  s.gtdPrev = gtd;
  s.d = dNew;
  s.gtd = gtdNew;
  s.k++;
  s.sinceRestart = beta === 0 ? 0 : sinceRestart;
  return { alpha: acc.alpha, beta, restart, lineSearchEvals: evals, dirDeriv: gtd, lineSearchStatus: ls.status, f: acc.f, gradNorm: Math.sqrt(gg), trials };
}

/**
 * Curvature of f along d at x, dᵀ(∇f(x + εd) − ∇f(x))/(ε‖d‖²) (a Rayleigh quotient of the Hessian; the notes'
 * optional convexity probe, normalised so it does not scale with ‖d‖). ε makes the probe step ‖εd‖ equal to
 * `rel`·max(1, ‖x‖) (chosen: large enough to stay above float32 rounding of the gradient). One evaluation.
 */
export function curvatureAlong(obj: Objective, x: Float64Array, g: Float64Array, d: Float64Array, rel = 1e-3): number {
  const dn = Math.sqrt(dotv(d, d));
  if (dn === 0) return NaN;
  const eps = (rel * Math.max(1, Math.sqrt(dotv(x, x)))) / dn;
  const g2 = obj.evaluate(axpy(x, eps, d)).g;
  let s = 0;
  for (let i = 0; i < d.length; i++) s += d[i] * (g2[i] - g[i]);
  return s / (eps * dn * dn);
}

export interface PlainCgOptions extends Partial<CgOptions>, PlainRunOptions {}

export interface PlainCgResult extends PlainRunResult {
  history: Omit<CgIterationInfo, 'trials'>[];
}

/** CG on a plain-JS objective (float64), recording iterates and line-search trial points — for the 2-D landscape lab and the tests. */
export function minimizeCg(fg: PlainFg, x0: ArrayLike<number>, options: PlainCgOptions = {}): PlainCgResult {
  const opts: CgOptions = { ...DEFAULT_CG, ...options };
  const obj = plainObjective(fg, x0.length);
  const s = cgInit(obj, x0);
  const history: PlainCgResult['history'] = [];
  const run = recordPlainRun(s, () => cgIterate(s, obj, opts), options, ({ trials: _t, ...rest }) => history.push(rest));
  return { ...run, history };
}
