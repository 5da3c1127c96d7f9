import type { LabRun } from './config';
import type { LabFunction, Vec2 } from './functions';
import { deriveSeed, gaussian, makeRng } from '../random';
import { adamArrays, adamStepSize, momentumArrays } from '../updateRules';
import type { PlainRunResult } from '../plainRun';
/**
 * The pieces lab trajectories are made of, plain JS float64: heavy ball and Adam step by the engine's own update
 * rules (updateRules.ts, the loops the host kernels run), line-search methods are converted from their plain-JS
 * runs (engine/plainRun.ts) keeping the trial points for drawing. Each method folder's
 * lab.ts assembles its trajectory from these (MethodEntry.lab).
 */
export interface Trajectory {
  /** Iterates θ_0 … θ_k. */
  path: Vec2[];
  /** Loss at each iterate. */
  loss: number[];
  /** Line-search trial points (line-search methods). */
  trials: Vec2[];
  /** Index in `path` where a method that changes phase swapped (else −1). */
  swapIndex: number;
  /** Loss+gradient (or field) evaluations spent. */
  evaluations: number;
  /** Why it stopped early, if it did. */
  stopped?: string;
  /** Set when the method does not apply to the problem (e.g. the VI field on a non-GLM problem). */
  note?: string;
}

/** Stop a run whose iterate leaves a box this many plot-widths wide (diverged). */
const ESCAPE = 50;

export function escaped(fn: LabFunction, p: Vec2): boolean {
  const w = Math.max(fn.xRange[1] - fn.xRange[0], fn.yRange[1] - fn.yRange[0]);
  return !(Math.abs(p[0]) < ESCAPE * w && Math.abs(p[1]) < ESCAPE * w) || !Number.isFinite(fn.f(p[0], p[1]));
}

/** `dir` plus seeded N(0, σ²) noise per component (SGD emulation); the stream depends only on `stream`. */
export function noisy(dir: (x: number, y: number) => Vec2, sigma: number, stream: number): (x: number, y: number) => Vec2 {
  if (!(sigma > 0)) return dir;
  const rng = makeRng(deriveSeed(stream, 'lab-gradient-noise'));
  return (x, y) => {
    const [gx, gy] = dir(x, y);
    return [gx + sigma * gaussian(rng), gy + sigma * gaussian(rng)];
  };
}

/** Heavy-ball on a vector field `dir` (the gradient, or the monotone field F), by the engine's rule. */
export function momentumPath(fn: LabFunction, dir: (x: number, y: number) => Vec2, start: Vec2, lr: number, mu: number, iters: number): Trajectory {
  const path: Vec2[] = [start];
  const loss = [fn.f(start[0], start[1])];
  const p = Float64Array.from(start);
  const v = new Float64Array(2);
  const d = new Float64Array(2);
  let stopped: string | undefined;
  for (let k = 0; k < iters; k++) {
    [d[0], d[1]] = dir(p[0], p[1]);
    momentumArrays(p, d, v, p, v, lr, mu);
    path.push([p[0], p[1]]);
    loss.push(fn.f(p[0], p[1]));
    if (escaped(fn, [p[0], p[1]])) {
      stopped = `diverged at iteration ${k + 1}`;
      break;
    }
  }
  return { path, loss, trials: [], swapIndex: -1, evaluations: path.length - 1, stopped };
}

/** Adam with bias correction (the engine's rule, ε = 1e-8), on the gradient plus the run's seeded noise. */
export function adamPath(fn: LabFunction, start: Vec2, run: LabRun, iters: number, stream: number): Trajectory {
  const grad = noisy(fn.grad, run.noise, stream);
  const path: Vec2[] = [start];
  const loss = [fn.f(start[0], start[1])];
  const p = Float64Array.from(start);
  const m = new Float64Array(2);
  const v = new Float64Array(2);
  const g = new Float64Array(2);
  let stopped: string | undefined;
  for (let t = 1; t <= iters; t++) {
    [g[0], g[1]] = grad(p[0], p[1]);
    adamArrays(p, g, m, v, p, m, v, run.beta1, run.beta2, 1e-8, adamStepSize(run.lr, run.beta1, run.beta2, t));
    path.push([p[0], p[1]]);
    loss.push(fn.f(p[0], p[1]));
    if (escaped(fn, [p[0], p[1]])) {
      stopped = `diverged at iteration ${t}`;
      break;
    }
  }
  return { path, loss, trials: [], swapIndex: -1, evaluations: path.length - 1, stopped };
}

/** A trajectory from a line-search method's plain run (recordPlainRun); `gtol` is the tolerance it was run with (for the stop text). */
export function lineSearchTrajectory(res: PlainRunResult, gtol: number): Trajectory {
  return {
    path: res.path.map((p) => [p.x[0], p.x[1]] as Vec2),
    loss: res.path.map((p) => p.f),
    trials: res.trialPoints.map((t) => [t.x[0], t.x[1]] as Vec2),
    swapIndex: -1,
    evaluations: res.evaluations,
    stopped: res.reason === 'maxIterations' ? undefined : res.reason === 'gtol' ? `converged (‖∇L‖ ≤ ${gtol})` : res.reason,
  };
}

/** Two phases (algorithms.md §2): `first` for `swapAt` iterations, then `second` from its last iterate. */
export function chainTrajectories(first: Trajectory, then: (from: Vec2) => Trajectory): Trajectory {
  if (first.stopped) return first;
  const c = then(first.path[first.path.length - 1]);
  return {
    path: [...first.path, ...c.path.slice(1)],
    loss: [...first.loss, ...c.loss.slice(1)],
    trials: c.trials,
    swapIndex: first.path.length - 1,
    evaluations: first.evaluations + c.evaluations,
    stopped: c.stopped,
  };
}
