/**
 * Limited-memory BFGS over a flat float64 vector (Nocedal & Wright, Numerical Optimization, 2nd ed., §7.2,
 * Algorithm 7.4 two-loop recursion and Algorithm 7.5), with the same strong-Wolfe line search as CG
 * (engine/linesearch.ts). Written against the generic Objective, like cg.ts, so the same core serves the network
 * (float32 tensors behind the objective) and plain-JS functions (tests, the landscape lab).
 *
 *   d_k = −H_k g_k, H_k g_k from the last m pairs (s_i, y_i) = (x_{i+1} − x_i, g_{i+1} − g_i) by the two-loop
 *   recursion with H_k⁰ = γ_k I, γ_k = s_{k−1}ᵀy_{k−1} / y_{k−1}ᵀy_{k−1} (N&W eq. 7.20);
 *   α_k by strong Wolfe, first trial 1 (N&W §7.2: the unit step is accepted near the solution), except at the
 *   first iteration (no pair yet): 1/‖g‖, as CG.
 * A pair is stored only when s_iᵀy_i > 0 (strong Wolfe guarantees it on a smooth function; a float32 objective
 * may break it, and then the pair is skipped rather than letting H lose positive definiteness).
 * No decrease along d: the memory is cleared and the search is retried once along −g; no decrease there either
 * stops the method (the objective has converged to its precision), as CG does.
 */
import { axpy, DEFAULT_LINE_SEARCH, dotv, searchAlong, type LineSearchOptions, type Objective } from '../../engine/linesearch';
import { plainObjective, recordPlainRun, type PlainFg, type PlainRunOptions, type PlainRunResult } from '../../engine/plainRun';

export interface LbfgsOptions extends LineSearchOptions {
  /** Number of (s, y) pairs kept. */
  memory: number;
}

/** c2 = 0.9: the usual quasi-Newton choice (N&W §3.1); c1 = 1e-4 and the 20-evaluation budget as CG. */
export const DEFAULT_LBFGS: LbfgsOptions = { ...DEFAULT_LINE_SEARCH, c2: 0.9, memory: 10 };

export interface LbfgsState {
  x: Float64Array;
  f: number;
  g: Float64Array;
  /** The stored pairs, oldest first, with ρ_i = 1/(y_iᵀs_i). */
  s: Float64Array[];
  y: Float64Array[];
  rho: number[];
  k: number;
  /** Evaluations spent since the caller last reset this counter. */
  evals: number;
  finished?: string;
}

export interface LbfgsIterationInfo {
  alpha: number;
  /** Evaluations spent in this iteration's line search(es). */
  lineSearchEvals: number;
  /** gᵀd at the start of the (last) line search: negative for a descent direction. */
  dirDeriv: number;
  /** Pairs used for this iteration's direction. */
  memoryUsed: number;
  /** 1 when the search fell back to −g (memory cleared). */
  restart: number;
  /** 1 when the new pair failed sᵀy > 0 and was not stored. */
  pairSkipped: number;
  lineSearchStatus: string;
  f: number;
  gradNorm: number;
  trials: { alpha: number; f: number; d: Float64Array }[];
  finished?: string;
}



/** Starts at x0; pass `known` when f and ∇f at x0 are already available (then no evaluation is spent). */
export function lbfgsInit(obj: Objective, x0: ArrayLike<number>, known?: { f: number; g: Float64Array }): LbfgsState {
  const x = Float64Array.from(x0);
  const fg = known ?? obj.evaluate(x);
  return { x, f: fg.f, g: Float64Array.from(fg.g), s: [], y: [], rho: [], k: 0, evals: known ? 0 : 1 };
}

/** The two-loop recursion (N&W Algorithm 7.4): returns d = −H g for the stored pairs and H⁰ = γI. */
export function twoLoopDirection(g: Float64Array, s: Float64Array[], y: Float64Array[], rho: number[]): Float64Array {
  const m = s.length;
  const q = Float64Array.from(g);
  const alpha = new Array<number>(m);
  for (let i = m - 1; i >= 0; i--) {
    alpha[i] = rho[i] * dotv(s[i], q);
    for (let j = 0; j < q.length; j++) q[j] -= alpha[i] * y[i][j];
  }
  const gamma = m > 0 ? dotv(s[m - 1], y[m - 1]) / dotv(y[m - 1], y[m - 1]) : 1;
  for (let j = 0; j < q.length; j++) q[j] *= gamma;
  for (let i = 0; i < m; i++) {
    const beta = rho[i] * dotv(y[i], q);
    for (let j = 0; j < q.length; j++) q[j] += s[i][j] * (alpha[i] - beta);
  }
  for (let j = 0; j < q.length; j++) q[j] = -q[j];
  return q;
}


/** One L-BFGS iteration: direction by the two-loop recursion, strong-Wolfe search, move, store the pair. Mutates `s`. */
export function lbfgsIterate(s: LbfgsState, obj: Objective, opts: LbfgsOptions = DEFAULT_LBFGS): LbfgsIterationInfo {
  const gnorm0 = Math.sqrt(dotv(s.g, s.g));
  const trials: LbfgsIterationInfo['trials'] = [];
  const idle = (finished: string, extra: Partial<LbfgsIterationInfo> = {}): LbfgsIterationInfo => ({
    alpha: 0, lineSearchEvals: 0, dirDeriv: 0, memoryUsed: s.s.length, restart: 0, pairSkipped: 0, lineSearchStatus: 'none', f: s.f, gradNorm: gnorm0, trials, finished, ...extra,
  });
  if (s.finished) return idle(s.finished);
  if (gnorm0 === 0) return idle((s.finished = 'the gradient is exactly zero'));
  const memoryUsed = s.s.length;
  let d = twoLoopDirection(s.g, s.s, s.y, s.rho);
  let gtd = dotv(s.g, d);
  let restart = 0;
  if (!(gtd < 0)) {
    // Cannot happen with positive ρ_i in exact arithmetic; guard against rounding anyway.
    d = s.g.map((v) => -v);
    gtd = -gnorm0 * gnorm0;
    restart = 1;
  }
  const firstTrial = 1 / gnorm0;
  let ls = searchAlong(obj, s.x, s.f, d, gtd, memoryUsed === 0 || restart ? firstTrial : 1, opts);
  let evals = ls.evals;
  for (const t of ls.trials) trials.push({ alpha: t.alpha, f: t.f, d });
  if (!ls.accepted && !restart) {
    d = s.g.map((v) => -v);
    gtd = -gnorm0 * gnorm0;
    restart = 1;
    ls = searchAlong(obj, s.x, s.f, d, gtd, firstTrial, opts);
    evals += ls.evals;
    for (const t of ls.trials) trials.push({ alpha: t.alpha, f: t.f, d });
  }
  s.evals += evals;
  if (restart) {
    s.s = [];
    s.y = [];
    s.rho = [];
  }
  if (!ls.accepted) {
    const prec = obj.precision ?? 'float32';
    s.finished = `converged to ${prec} precision: the line search found no decrease along d nor along −g (loss ${s.f.toPrecision(6)}, ‖g‖ ${gnorm0.toExponential(2)})`;
    return idle(s.finished, { restart, lineSearchEvals: evals, dirDeriv: gtd, memoryUsed });
  }
  const acc = ls.accepted;
  const x = axpy(s.x, acc.alpha, d);
  const gNew = Float64Array.from(acc.payload);
  const step = new Float64Array(x.length);
  const dg = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) {
    step[i] = x[i] - s.x[i];
    dg[i] = gNew[i] - s.g[i];
  }
  const sy = dotv(step, dg);
  let pairSkipped = 0;
  if (sy > 0) {
    s.s.push(step);
    s.y.push(dg);
    s.rho.push(1 / sy);
    if (s.s.length > opts.memory) {
      s.s.shift();
      s.y.shift();
      s.rho.shift();
    }
  } else pairSkipped = 1;
  s.x = x;
  s.f = acc.f;
  s.g = gNew;
  s.k++;
  return { alpha: acc.alpha, lineSearchEvals: evals, dirDeriv: gtd, memoryUsed, restart, pairSkipped, lineSearchStatus: ls.status, f: acc.f, gradNorm: Math.sqrt(dotv(gNew, gNew)), trials };
}

export interface PlainLbfgsOptions extends Partial<LbfgsOptions>, PlainRunOptions {}

export type PlainLbfgsResult = PlainRunResult;

/** L-BFGS on a plain-JS objective (float64), recording iterates and trial points — the landscape lab and tests. */
export function minimizeLbfgs(fg: PlainFg, x0: ArrayLike<number>, options: PlainLbfgsOptions = {}): PlainLbfgsResult {
  const opts: LbfgsOptions = { ...DEFAULT_LBFGS, ...options };
  const obj = plainObjective(fg, x0.length);
  const s = lbfgsInit(obj, x0);
  return recordPlainRun(s, () => lbfgsIterate(s, obj, opts), options);
}
