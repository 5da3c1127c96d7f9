import { axpy, dotv, type Objective } from './linesearch';

/**
 * The line-search methods on a plain-JS function instead of a network: the landscape lab's 2-D test
 * functions and the tests' quadratics. One adapter turns the function into an Objective, one recorder runs a
 * method's iteration and keeps what the lab draws (iterates and every line-search trial point).
 */

/** Value and gradient of a plain-JS function at x. */
export type PlainFg = (x: number[]) => { f: number; g: ArrayLike<number> };

/** `fg` as a float64 Objective over `dim` coordinates. */
export function plainObjective(fg: PlainFg, dim: number): Objective {
  return {
    dim,
    precision: 'float64',
    evaluate: (x) => {
      const r = fg(Array.from(x));
      return { f: r.f, g: Float64Array.from(r.g) };
    },
  };
}

export interface PlainRunOptions {
  maxIterations?: number;
  /** Stop when ‖∇f‖ ≤ gtol. */
  gtol?: number;
}

export interface PlainRunResult {
  x: number[];
  f: number;
  gradNorm: number;
  iterations: number;
  evaluations: number;
  /** Why it stopped: 'gtol', 'maxIterations' or the method's own stop message. */
  reason: string;
  /** Iterates θ_0, θ_1, … with their loss. */
  path: { x: number[]; f: number }[];
  /** Every line-search trial point, tagged with the iteration it belongs to (0-based). */
  trialPoints: { iteration: number; x: number[]; f: number; alpha: number }[];
}

/** What the recorder reads of a method's state (updated in place by its iteration) and of one iteration's result. */
export interface LineSearchState {
  x: Float64Array;
  f: number;
  g: Float64Array;
  k: number;
  evals: number;
}
export interface LineSearchIteration {
  /** The trial points x + α d of this iteration's line search(es). */
  trials: { alpha: number; f: number; d: Float64Array }[];
  gradNorm: number;
  finished?: string;
}

/**
 * Runs `iterate` (one iteration of a method that updates `state` in place) until ‖∇f‖ ≤ gtol, `maxIterations` or
 * the method's stop, recording iterates and trial points; `onIteration` sees each iteration's own result.
 */
export function recordPlainRun<I extends LineSearchIteration>(state: LineSearchState, iterate: () => I, options: PlainRunOptions = {}, onIteration?: (info: I) => void): PlainRunResult {
  const maxIterations = options.maxIterations ?? 1000;
  const gtol = options.gtol ?? 0;
  const path = [{ x: Array.from(state.x), f: state.f }];
  const trialPoints: PlainRunResult['trialPoints'] = [];
  let reason = 'maxIterations';
  let gradNorm = Math.sqrt(dotv(state.g, state.g));
  for (let it = 0; it < maxIterations; it++) {
    if (gradNorm <= gtol) {
      reason = 'gtol';
      break;
    }
    const x = state.x;
    const info = iterate();
    for (const t of info.trials) trialPoints.push({ iteration: it, x: Array.from(axpy(x, t.alpha, t.d)), f: t.f, alpha: t.alpha });
    onIteration?.(info);
    gradNorm = info.gradNorm;
    if (info.finished) {
      reason = info.finished;
      break;
    }
    path.push({ x: Array.from(state.x), f: state.f });
  }
  if (reason === 'maxIterations' && gradNorm <= gtol) reason = 'gtol';
  return { x: Array.from(state.x), f: state.f, gradNorm, iterations: state.k, evaluations: state.evals, reason, path, trialPoints };
}
