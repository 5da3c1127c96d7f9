import { Batcher } from '../../engine/batcher';
import { flatToParams, netObjective, paramsToFlat } from '../../engine/flat';
import { hyperReader, type HyperReader } from '../../engine/hyper';
import { dotv, lineSearchHyper, type Objective } from '../../engine/linesearch';
import { cloneParams, disposeParams } from '../../engine/params';
import { deriveSeed } from '../../engine/random';
import type { Algorithm, AlgorithmState, Hyper, Params, Problem, StepMetrics, StepResult } from '../../engine/types';
import { cgInit, cgIterate, cgRefresh, curvatureAlong, DEFAULT_CG, RESTART, type CgOptions, type CgState } from './cg';
import { CG_SPEC } from './cg.hyper';

/**
 * Nonlinear CG on the network's training loss (algorithms.md §2, "Phase 2"): one CG iteration (cg.ts: one
 * strong-Wolfe line search plus the new direction) per step on the full-batch loss, or on a mini-batch redrawn every
 * iteration (cgBatch). Cost = every loss+gradient evaluation (line-search trial, probe) counts B_cg/N (1 in full
 * batch). A method that switches to CG part-way runs this same step from its switch.
 *
 * extra keys: phase (1), epochLoss, epochGradNorm (the loss and gradient norm at the new point), alpha, beta,
 * restart, restartReason, lineSearchEvals, dirDeriv, curvature (probe), noDecrease (mini-batch).
 */

/** What a run needs to take CG steps on the network; a method that switches to CG extends it. */
export interface CgRunState extends AlgorithmState {
  problem: Problem;
  cost: number;
  cg?: CgState;
  cgOpts: CgOptions;
  cgBatcher?: Batcher;
  probe: boolean;
}

/** CG's line search and direction settings, read from a spec that declares CG_HYPER (CG's own, or a method with a CG phase). */
export function cgOptions(h: HyperReader): CgOptions {
  const ls = lineSearchHyper(h);
  // Strong Wolfe needs 0 < c1 < c2 < 1; an inconsistent pair from the URL is repaired rather than rejected.
  if (!(ls.c2 > ls.c1)) ls.c2 = Math.min(0.9, 10 * ls.c1);
  return {
    ...DEFAULT_CG,
    ...ls,
    variant: h.choice<'pr+' | 'fr'>('cgVariant'),
    nRestart: Math.max(1, h.int('nRestart')),
  };
}

/** What a run's CG phase is configured with (CG_HYPER), parsed once. */
export interface CgPhaseOptions {
  cg: CgOptions;
  /** 0: full batch; else the CG mini-batch size. */
  cgBatch: number;
  probe: boolean;
}

export function cgPhaseOptions(h: HyperReader): CgPhaseOptions {
  return { cg: cgOptions(h), cgBatch: h.int('cgBatch'), probe: h.flag('probe') };
}

/** The CG fields of a run state, from its parsed options (the mini-batch stream is seeded apart from Adam's). */
export function cgRunFields(problem: Problem, o: CgPhaseOptions, seed: number): Pick<CgRunState, 'cgOpts' | 'cgBatcher' | 'probe'> {
  const n = problem.data.xTrain.shape[0];
  return {
    cgOpts: o.cg,
    cgBatcher: o.cgBatch > 0 && o.cgBatch < n ? new Batcher(problem.data.xTrain, problem.data.yTrain, o.cgBatch, deriveSeed(seed, 'cg-batches')) : undefined,
    probe: o.probe,
  };
}

export function fullObjective(s: CgRunState): Objective {
  const { problem } = s;
  return netObjective(problem.net, problem.data.xTrain, problem.data.yTrain, problem.frozenBelow);
}

export function replaceParams(s: AlgorithmState, next: Params): void {
  disposeParams(s.params);
  s.params = next;
}

/** One CG iteration on the run's objective. */
export function cgStep<S extends CgRunState>(s: S): StepResult<S> {
  const { problem } = s;
  const n = problem.data.xTrain.shape[0];
  let obj: Objective;
  let unit = 1;
  let batch: ReturnType<Batcher['next']> | undefined;
  let refreshRestart: number = RESTART.none;
  if (s.cgBatcher) {
    batch = s.cgBatcher.next();
    obj = netObjective(problem.net, batch.x, batch.y, problem.frozenBelow);
    unit = s.cgBatcher.size / n;
    if (!s.cg) s.cg = cgInit(obj, paramsToFlat(s.params));
    else refreshRestart = cgRefresh(s.cg, obj);
  } else {
    obj = fullObjective(s);
    if (!s.cg) s.cg = cgInit(obj, paramsToFlat(s.params));
  }
  const cg = s.cg;
  const info = cgIterate(cg, obj, s.cgOpts);
  const extra: Record<string, number> = {
    phase: 1,
    alpha: info.alpha,
    beta: info.beta,
    lineSearchEvals: info.lineSearchEvals,
    dirDeriv: info.dirDeriv,
    epochLoss: info.f,
    epochGradNorm: info.gradNorm,
  };
  const restart = info.restart || refreshRestart;
  if (restart) {
    extra.restart = 1;
    extra.restartReason = restart;
  }
  if (s.probe && !info.finished) {
    extra.curvature = curvatureAlong(obj, cg.x, cg.g, cg.d);
    s.cost += unit;
  }
  if (batch?.owned) {
    batch.x.dispose();
    batch.y.dispose();
  }
  s.cost += cg.evals * unit;
  cg.evals = 0;
  s.iteration++;
  if (info.alpha !== 0) replaceParams(s, flatToParams(cg.x, problem.net));
  const metrics: StepMetrics = { loss: info.f, gradNorm: info.gradNorm, cost: s.cost, extra };
  if (info.finished && s.cgBatcher) {
    // Mini-batch CG (chosen): no decrease on one batch is not convergence of the training loss; stay put, mark
    // it, and carry on with the next batch along its steepest descent.
    extra.noDecrease = 1;
    cg.finished = undefined;
    cg.d = cg.g.map((v) => -v);
    cg.gtd = -dotv(cg.g, cg.g);
    return { state: s, metrics };
  }
  return info.finished ? { state: s, metrics, finished: info.finished } : { state: s, metrics };
}

const parseCg = (hyper: Hyper): CgPhaseOptions => cgPhaseOptions(hyperReader(CG_SPEC, hyper));

function initCg(problem: Problem, hyper: Hyper, seed: number): CgRunState {
  return { params: cloneParams(problem.initialParams), iteration: 0, problem, cost: 0, ...cgRunFields(problem, parseCg(hyper), seed) };
}

export const cgAlgorithm: Algorithm<CgRunState, CgPhaseOptions> = {
  id: 'cg',
  parse: parseCg,
  init: initCg,
  step: cgStep,
  dispose: (s) => disposeParams(s.params),
};
