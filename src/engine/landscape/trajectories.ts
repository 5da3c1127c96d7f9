import { minimizeCg } from '../../methods/cg/cg';
import type { LabRun } from './config';
import type { LabFunction, Vec2 } from './functions';
import { deriveSeed, gaussian, makeRng } from '../random';

/**
 * Trajectories of the lab's methods on a 2-D problem, plain JS float64. The update rules are the engine's
 * (src/engine/optimizers.ts: velocity v ← μv + g, θ ← θ − γv; Adam with bias correction); CG is the shared
 * generic PR+ / strong-Wolfe implementation (src/methods/cg/cg.ts, minimizeCg), whose line-search trial
 * points are kept for drawing.
 */
export interface Trajectory {
  /** Iterates θ_0 … θ_k. */
  path: Vec2[];
  /** Loss at each iterate. */
  loss: number[];
  /** CG line-search trial points (CG and the CG phase of Adam → CG). */
  trials: Vec2[];
  /** Index in `path` where Adam → CG swapped (else −1). */
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

function escaped(fn: LabFunction, p: Vec2): boolean {
  const w = Math.max(fn.xRange[1] - fn.xRange[0], fn.yRange[1] - fn.yRange[0]);
  return !(Math.abs(p[0]) < ESCAPE * w && Math.abs(p[1]) < ESCAPE * w) || !Number.isFinite(fn.f(p[0], p[1]));
}

/** `dir` plus seeded N(0, σ²) noise per component (SGD emulation); the stream depends only on `stream`. */
function noisy(dir: (x: number, y: number) => Vec2, sigma: number, stream: number): (x: number, y: number) => Vec2 {
  if (!(sigma > 0)) return dir;
  const rng = makeRng(deriveSeed(stream, 'lab-gradient-noise'));
  return (x, y) => {
    const [gx, gy] = dir(x, y);
    return [gx + sigma * gaussian(rng), gy + sigma * gaussian(rng)];
  };
}

/** Heavy-ball on a vector field `dir` (the gradient, or the monotone field F). */
function momentumPath(fn: LabFunction, dir: (x: number, y: number) => Vec2, start: Vec2, lr: number, mu: number, iters: number): Trajectory {
  const path: Vec2[] = [start];
  const loss = [fn.f(start[0], start[1])];
  let [x, y] = start;
  let vx = 0, vy = 0;
  let stopped: string | undefined;
  for (let k = 0; k < iters; k++) {
    const [gx, gy] = dir(x, y);
    vx = mu * vx + gx;
    vy = mu * vy + gy;
    x -= lr * vx;
    y -= lr * vy;
    path.push([x, y]);
    loss.push(fn.f(x, y));
    if (escaped(fn, [x, y])) {
      stopped = `diverged at iteration ${k + 1}`;
      break;
    }
  }
  return { path, loss, trials: [], swapIndex: -1, evaluations: path.length - 1, stopped };
}

function adamPath(fn: LabFunction, start: Vec2, run: LabRun, iters: number, stream: number): Trajectory {
  const grad = noisy(fn.grad, run.noise, stream);
  const path: Vec2[] = [start];
  const loss = [fn.f(start[0], start[1])];
  let [x, y] = start;
  let m1 = 0, m2 = 0, v1 = 0, v2 = 0;
  const { lr, beta1: b1, beta2: b2 } = run;
  const eps = 1e-8;
  let stopped: string | undefined;
  for (let t = 1; t <= iters; t++) {
    const [gx, gy] = grad(x, y);
    m1 = b1 * m1 + (1 - b1) * gx;
    m2 = b1 * m2 + (1 - b1) * gy;
    v1 = b2 * v1 + (1 - b2) * gx * gx;
    v2 = b2 * v2 + (1 - b2) * gy * gy;
    // Same form as optimizers.ts adamUpdate: step lr·√(1−β2ᵗ)/(1−β1ᵗ), ε added to √v.
    const step = (lr * Math.sqrt(1 - b2 ** t)) / (1 - b1 ** t);
    x -= (step * m1) / (Math.sqrt(v1) + eps);
    y -= (step * m2) / (Math.sqrt(v2) + eps);
    path.push([x, y]);
    loss.push(fn.f(x, y));
    if (escaped(fn, [x, y])) {
      stopped = `diverged at iteration ${t}`;
      break;
    }
  }
  return { path, loss, trials: [], swapIndex: -1, evaluations: path.length - 1, stopped };
}

function cgPath(fn: LabFunction, start: Vec2, iters: number, c2: number): Trajectory {
  const res = minimizeCg(([x, y]) => ({ f: fn.f(x, y), g: fn.grad(x, y) }), start, { maxIterations: iters, gtol: 1e-12, c2 });
  return {
    path: res.path.map((p) => [p.x[0], p.x[1]] as Vec2),
    loss: res.path.map((p) => p.f),
    trials: res.trialPoints.map((t) => [t.x[0], t.x[1]] as Vec2),
    swapIndex: -1,
    evaluations: res.evaluations,
    stopped: res.reason === 'maxIterations' ? undefined : res.reason === 'gtol' ? 'converged (‖∇L‖ ≤ 1e-12)' : res.reason,
  };
}

/**
 * Run one lab method from `start` for `iterations` iterations (CG: iterations = line searches). `stream` seeds the
 * gradient noise (the lab passes the run's index), so a scrubbed run keeps its noise sequence.
 */
export function runTrajectory(fn: LabFunction, start: Vec2, run: LabRun, iterations: number, stream = 0): Trajectory {
  switch (run.method) {
    case 'gd':
      return momentumPath(fn, noisy(fn.grad, run.noise, stream), start, run.lr, run.momentum, iterations);
    case 'vi': {
      if (!fn.field) {
        const t = momentumPath(fn, noisy(fn.grad, run.noise, stream), start, run.lr, run.momentum, iterations);
        return { ...t, note: 'no monotone field on this problem: this is the gradient' };
      }
      return momentumPath(fn, noisy(fn.field, run.noise, stream), start, run.lr, run.momentum, iterations);
    }
    case 'adam':
      return adamPath(fn, start, run, iterations, stream);
    case 'cg':
      return cgPath(fn, start, iterations, run.c2);
    case 'adamcg': {
      // Two phases (algorithms.md §2): Adam for swapAt iterations, then CG from Adam's last iterate with Adam's
      // moments discarded. The lab swaps at a fixed iteration (the notes' manual override), not by the detector.
      const swap = Math.min(run.swapAt, iterations);
      const a = adamPath(fn, start, run, swap, stream);
      if (a.stopped) return a;
      const c = cgPath(fn, a.path[a.path.length - 1], Math.max(0, iterations - swap), run.c2);
      return {
        path: [...a.path, ...c.path.slice(1)],
        loss: [...a.loss, ...c.loss.slice(1)],
        trials: c.trials,
        swapIndex: a.path.length - 1,
        evaluations: a.evaluations + c.evaluations,
        stopped: c.stopped,
      };
    }
  }
}
