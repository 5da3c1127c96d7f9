import { flatToParams, netObjective, paramsToFlat } from '../../engine/flat';
import { hyperReader } from '../../engine/hyper';
import { lineSearchHyper } from '../../engine/linesearch';
import { cloneParams, disposeParams } from '../../engine/params';
import type { Algorithm, AlgorithmState, Hyper, Problem, StepResult } from '../../engine/types';
import { DEFAULT_LBFGS, lbfgsInit, lbfgsIterate, type LbfgsOptions, type LbfgsState } from './lbfgs';
import { LBFGS_SPEC } from './lbfgs.hyper';

/**
 * L-BFGS on the network's full-batch training loss: one L-BFGS iteration (lbfgs.ts: two-loop direction, one
 * strong-Wolfe line search) per step. Full batch only — the (s, y) pairs assume one fixed objective; the
 * experiment's batch size is ignored. Cost = every loss+gradient evaluation (the first one
 * and every line-search trial) counts 1.
 *
 * extra keys: alpha, lineSearchEvals, dirDeriv, memoryUsed, restart, pairSkipped.
 */
export interface LbfgsRunState extends AlgorithmState {
  problem: Problem;
  cost: number;
  lb?: LbfgsState;
  opts: LbfgsOptions;
}

export function lbfgsOptions(hyper: Hyper): LbfgsOptions {
  const h = hyperReader(LBFGS_SPEC, hyper);
  const ls = lineSearchHyper(h);
  const { c1, c2 } = ls;
  if (!(c1 > 0 && c1 < c2 && c2 < 1)) throw new Error(`L-BFGS needs 0 < c1 < c2 < 1 for the strong Wolfe conditions (got c1 = ${c1}, c2 = ${c2})`);
  return { ...DEFAULT_LBFGS, ...ls, memory: Math.max(1, h.int('memory')) };
}

function init(problem: Problem, hyper: Hyper): LbfgsRunState {
  return { params: cloneParams(problem.initialParams), iteration: 0, problem, cost: 0, opts: lbfgsOptions(hyper) };
}

function step(s: LbfgsRunState): StepResult<LbfgsRunState> {
  const { problem } = s;
  const obj = netObjective(problem.net, problem.data.xTrain, problem.data.yTrain, problem.frozenBelow);
  if (!s.lb) s.lb = lbfgsInit(obj, paramsToFlat(s.params));
  const info = lbfgsIterate(s.lb, obj, s.opts);
  s.cost += s.lb.evals;
  s.lb.evals = 0;
  s.iteration++;
  if (info.alpha !== 0) {
    disposeParams(s.params);
    s.params = flatToParams(s.lb.x, problem.net);
  }
  const extra = {
    alpha: info.alpha,
    lineSearchEvals: info.lineSearchEvals,
    dirDeriv: info.dirDeriv,
    memoryUsed: info.memoryUsed,
    ...(info.restart ? { restart: 1 } : {}),
    ...(info.pairSkipped ? { pairSkipped: 1 } : {}),
  };
  const metrics = { loss: info.f, gradNorm: info.gradNorm, cost: s.cost, extra };
  return info.finished ? { state: s, metrics, finished: info.finished } : { state: s, metrics };
}

export const lbfgsAlgorithm: Algorithm<LbfgsRunState, LbfgsOptions> = {
  id: 'lbfgs',
  parse: lbfgsOptions,
  init,
  step,
  dispose: (s) => disposeParams(s.params),
};
