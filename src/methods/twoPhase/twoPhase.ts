import { Batcher } from '../../engine/batcher';
import { paramsToFlat } from '../../engine/flat';
import { lossAndGrad } from '../../engine/model';
import { adamInit, adamUpdate, type AdamState } from '../../engine/optimizers';
import { cloneParams, disposeParams, paramTensors, sumSquares } from '../../engine/params';
import { readAndDispose } from '../../engine/scalars';
import { initSwapDetector, observeEpoch, type SwapDetectorConfig, type SwapDetectorState, type SwapMode } from './swapDetector';
import type { Algorithm, Hyper, Problem, StepMetrics, StepResult } from '../../engine/types';
import { cgInit } from '../cg/cg';
import { dotv } from '../../engine/linesearch';
import { cgPhaseOptions, cgStep, fullObjective, replaceParams, cgRunFields, type CgPhaseOptions, type CgRunState } from '../cg/cgNetwork';
import { hyperReader } from '../../engine/hyper';
import type { AdamHyper } from '../../engine/optimizers';
import type { ExtraOf } from '../../engine/diagnostics';
import { TWO_PHASE_DIAGNOSTICS } from './twoPhase.diagnostics';
import { TWO_PHASE_SPEC } from './twoPhase.hyper';

type TwoPhaseExtra = ExtraOf<typeof TWO_PHASE_DIAGNOSTICS>;

/**
 * Two-phase training, Adam → nonlinear conjugate gradient (algorithms.md §2); phase 1 is CG's own step
 * (cg/cgNetwork.ts).
 *
 * Phase 0 (Adam) runs on the experiment's batch size; once per epoch the swap detector (swapDetector.ts) reads the
 * epoch gradient norm. At the swap the weights are kept and Adam's moments discarded; phase 1 runs one CG iteration
 * (cg.ts: one strong-Wolfe line search plus the new direction) per step on the full-batch loss.
 *
 * One step = one Adam (mini-)batch update in phase 0, one CG iteration in phase 1. Cost = full-batch gradient
 * evaluations: an Adam batch counts B/N, every CG evaluation (line-search trial, probe) counts B_cg/N (1 in full
 * batch). Epoch norm (notes §2, chosen default): with N ≤ fullNormMaxN the full-batch gradient norm — in full-batch
 * mode that is the gradient the Adam step already computed, at the pre-step weights, so it is free; in mini-batch
 * mode it is one extra full-batch evaluation at the end of the epoch. That one is monitoring and is *not* counted
 * in `cost` (like the worker's test evaluations), following the notes' budget ("one per Adam epoch and one per
 * line-search trial"), so Adam and Adam → CG are compared on the same axis; it is reported as monitorEvals
 * (cumulative). If the swap fires there, CG reuses that gradient. With larger N, the mean of the epoch's
 * mini-batch norms (and losses).
 *
 * Its diagnostics are TWO_PHASE_DIAGNOSTICS (twoPhase.diagnostics.ts: its own and CG's).
 */

/** Phase 1 is CG's own run state (cg/cgNetwork.ts); phase 0 adds Adam and the swap detector. */
export interface TwoPhaseState extends CgRunState {
  adamOpts: AdamHyper;
  /** With at most this many training samples the epoch norm is the full-batch gradient norm. */
  fullNormMaxN: number;
  phase: 0 | 1;
  /** Uncounted full-batch evaluations the swap detector made (mini-batch mode). */
  monitorEvals: number;
  // phase 0
  batcher: Batcher;
  adam?: AdamState;
  stepsPerEpoch: number;
  stepInEpoch: number;
  epochSums: { norm: number; loss: number; count: number };
  detector: SwapDetectorState;
  detectorCfg: SwapDetectorConfig;
}

/** Two-phase training's options (twoPhase.hyper.ts): Adam's, the swap detector's and the CG phase's. */
export interface TwoPhaseOptions {
  adam: AdamHyper;
  detector: SwapDetectorConfig;
  fullNormMaxN: number;
  cgPhase: CgPhaseOptions;
}

export function parseTwoPhase(hyper: Hyper): TwoPhaseOptions {
  const h = hyperReader(TWO_PHASE_SPEC, hyper);
  return {
    adam: { lr: h.number('lr'), beta1: h.number('beta1'), beta2: h.number('beta2'), eps: h.number('eps') },
    detector: {
      rho: h.number('rho'),
      alpha: h.number('emaAlpha'),
      minEpochs: h.int('minEpochs'),
      patience: Math.max(1, h.int('patience')),
      mode: h.choice<SwapMode>('swapMode'),
      swapEpoch: Math.max(1, h.int('swapEpoch')),
    },
    fullNormMaxN: h.number('fullNormMaxN'),
    cgPhase: cgPhaseOptions(h),
  };
}

function initState(problem: Problem, hyper: Hyper, seed: number): TwoPhaseState {
  const o = parseTwoPhase(hyper);
  const params = cloneParams(problem.initialParams);
  const batcher = new Batcher(problem.data.xTrain, problem.data.yTrain, problem.batchSize, seed);
  const n = problem.data.xTrain.shape[0];
  const s: TwoPhaseState = {
    params,
    iteration: 0,
    problem,
    adamOpts: o.adam,
    fullNormMaxN: o.fullNormMaxN,
    phase: 0,
    cost: 0,
    monitorEvals: 0,
    batcher,
    adam: adamInit(params),
    stepsPerEpoch: batcher.full ? 1 : Math.floor(n / batcher.size),
    stepInEpoch: 0,
    epochSums: { norm: 0, loss: 0, count: 0 },
    detector: initSwapDetector(),
    detectorCfg: o.detector,
    ...cgRunFields(problem, o.cgPhase, seed),
  };
  return s;
}

/** Enter phase 1 at the current weights; `known` is the full-batch (f, ∇f) there when already computed. */
function startCg(s: TwoPhaseState, known?: { f: number; g: Float64Array }): void {
  if (s.adam) {
    disposeParams(s.adam.m);
    disposeParams(s.adam.v);
    s.adam = undefined;
  }
  s.phase = 1;
  // Full batch: start now (reusing `known`). Mini-batch CG starts lazily on its first batch.
  if (!s.cgBatcher) {
    s.cg = cgInit(fullObjective(s), paramsToFlat(s.params), known);
    s.cost += s.cg.evals;
    s.cg.evals = 0;
  }
}

function finishEpoch(s: TwoPhaseState, norm: number, loss: number, extra: TwoPhaseExtra): boolean {
  const obs = observeEpoch(s.detector, s.detectorCfg, norm, loss, s.iteration);
  s.detector = obs.state;
  extra.epochLoss = loss;
  extra.epochGradNorm = norm;
  extra.epochGradNormSmoothed = obs.smoothed;
  extra.threshold = obs.threshold;
  if (obs.fired) {
    extra.swap = 1;
    extra.swapLoss = loss;
    extra.swapGradNorm = norm;
    extra.swapEpoch = obs.state.epoch;
  }
  return obs.fired;
}

function adamStep(s: TwoPhaseState): StepResult<TwoPhaseState> {
  const { problem } = s;
  const batch = s.batcher.next();
  const { loss, grads } = lossAndGrad(s.params, problem.net, batch.x, batch.y, { frozenBelow: problem.frozenBelow });
  const [lossV, n2] = readAndDispose([loss, sumSquares(paramTensors(grads))]);
  const gnorm = Math.sqrt(n2);
  if (batch.owned) {
    batch.x.dispose();
    batch.y.dispose();
  }
  s.cost += s.batcher.fraction;
  s.iteration++;
  const extra: TwoPhaseExtra = { phase: 0 };
  const metrics = (): StepMetrics => ({ loss: lossV, gradNorm: gnorm, cost: s.cost, extra });

  if (s.batcher.full) {
    // The full-batch gradient at the pre-step weights is the epoch norm; if the swap fires, the Adam step is
    // skipped and CG starts from these weights with this gradient (no evaluation wasted).
    const fired = finishEpoch(s, gnorm, lossV, extra);
    if (fired) {
      const flatG = paramsToFlat(grads);
      disposeParams(grads);
      startCg(s, { f: lossV, g: flatG });
      return { state: s, metrics: metrics() };
    }
  }
  const out = adamUpdate(s.params, grads, s.adam!, s.adamOpts);
  disposeParams(grads);
  disposeParams(s.adam!.m);
  disposeParams(s.adam!.v);
  replaceParams(s, out.params);
  s.adam = out.state;
  if (s.batcher.full) return { state: s, metrics: metrics() };

  s.stepInEpoch++;
  s.epochSums.norm += gnorm;
  s.epochSums.loss += lossV;
  s.epochSums.count++;
  if (s.stepInEpoch >= s.stepsPerEpoch) {
    const n = problem.data.xTrain.shape[0];
    let known: { f: number; g: Float64Array } | undefined;
    let norm: number;
    let eLoss: number;
    if (n <= s.fullNormMaxN) {
      known = fullObjective(s).evaluate(paramsToFlat(s.params));
      s.monitorEvals++;
      extra.monitorEvals = s.monitorEvals;
      norm = Math.sqrt(dotv(known.g, known.g));
      eLoss = known.f;
    } else {
      norm = s.epochSums.norm / s.epochSums.count;
      eLoss = s.epochSums.loss / s.epochSums.count;
    }
    s.stepInEpoch = 0;
    s.epochSums = { norm: 0, loss: 0, count: 0 };
    if (finishEpoch(s, norm, eLoss, extra)) startCg(s, known);
  }
  return { state: s, metrics: metrics() };
}

function dispose(s: TwoPhaseState): void {
  disposeParams(s.params);
  if (s.adam) {
    disposeParams(s.adam.m);
    disposeParams(s.adam.v);
  }
}

export const twoPhaseAlgorithm: Algorithm<TwoPhaseState, TwoPhaseOptions> = {
  id: 'twophase',
  parse: parseTwoPhase,
  init: initState,
  step: (s) => (s.phase === 0 ? adamStep(s) : cgStep(s)),
  dispose,
};
