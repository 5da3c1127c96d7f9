import * as tf from '@tensorflow/tfjs';
import { Batcher } from './batcher';
import { hostSumSquares } from './hostKernels';
import { lossAndGrad } from './model';
import { adamInit, adamUpdate, sgdMomentumUpdate, zerosLikeParams, type AdamState, type MomentumState } from './optimizers';
import { cloneParams, disposeParams, paramTensors, sumSquares } from './params';
import { readAndDispose } from './scalars';
import type { Algorithm, AlgorithmState, Hyper, Params, Problem, StepResult } from './types';

/**
 * The shared machinery of first-order methods: a *direction* (by default the gradient of the mini-batch
 * loss) consumed by an *update rule* (SGD with momentum, or Adam). Methods that follow another direction
 * (the monotone field) plug in their own DirectionFn; the update rules stay the same.
 */

export interface Direction {
  loss: tf.Scalar;
  dir: Params;
  /** Extra scalar tensors to read along with the loss (method diagnostics), disposed after reading. */
  extra?: Record<string, tf.Scalar>;
}

export type DirectionFn = (params: Params, problem: Problem, x: tf.Tensor2D, y: tf.Tensor2D) => Direction;

export const gradientDirection: DirectionFn = (params, problem, x, y) => {
  const { loss, grads } = lossAndGrad(params, problem.net, x, y, { frozenBelow: problem.frozenBelow });
  return { loss, dir: grads };
};

/**
 * The update rule of a first-order run, with its settings parsed once (by the method's `parse`, from its spec):
 * heavy-ball momentum (μ = 0 gives the plain step θ ← θ − γ d) or Adam. `lr` is the base step; a method with a
 * step-size schedule passes each step's size to applyRule.
 */
export type UpdateRule =
  | { kind: 'momentum'; lr: number; momentum: number }
  | { kind: 'adam'; lr: number; beta1: number; beta2: number; eps: number };

export interface FirstOrderState extends AlgorithmState {
  problem: Problem;
  batcher: Batcher;
  rule: UpdateRule;
  momentum?: MomentumState;
  adam?: AdamState;
  cost: number;
}

export function initFirstOrder(problem: Problem, rule: UpdateRule, seed: number): FirstOrderState {
  const params = cloneParams(problem.initialParams);
  return {
    params,
    iteration: 0,
    problem,
    batcher: new Batcher(problem.data.xTrain, problem.data.yTrain, problem.batchSize, seed),
    rule,
    momentum: rule.kind === 'momentum' ? { velocity: zerosLikeParams(params) } : undefined,
    adam: rule.kind === 'adam' ? adamInit(params) : undefined,
    cost: 0,
  };
}

export function disposeFirstOrder(s: FirstOrderState): void {
  disposeParams(s.params);
  if (s.momentum) disposeParams(s.momentum.velocity);
  if (s.adam) {
    disposeParams(s.adam.m);
    disposeParams(s.adam.v);
  }
}

/** Apply the state's update rule to a direction with step size `lr`; replaces (and disposes) params and rule state. */
export function applyRule(s: FirstOrderState, dir: Params, lr: number = s.rule.lr): void {
  const rule = s.rule;
  if (rule.kind === 'momentum') {
    const out = sgdMomentumUpdate(s.params, dir, s.momentum!, lr, rule.momentum);
    disposeParams(s.params);
    disposeParams(s.momentum!.velocity);
    s.params = out.params;
    s.momentum = out.state;
  } else {
    const out = adamUpdate(s.params, dir, s.adam!, { lr, beta1: rule.beta1, beta2: rule.beta2, eps: rule.eps });
    disposeParams(s.params);
    disposeParams(s.adam!.m);
    disposeParams(s.adam!.v);
    s.params = out.params;
    s.adam = out.state;
  }
}

/** One first-order step along `direction`; metrics report the batch loss and the direction's norm. */
export function firstOrderStep(s: FirstOrderState, direction: DirectionFn = gradientDirection): StepResult<FirstOrderState> {
  const batch = s.batcher.next();
  const d = direction(s.params, s.problem, batch.x, batch.y);
  // On host backends ‖d‖² is summed in JS over the tensors' memory (no Sum kernels); on GPUs it is read with the loss.
  const hostNormSq = hostSumSquares(paramTensors(d.dir));
  const dirNormSq = hostNormSq === null ? sumSquares(paramTensors(d.dir)) : tf.scalar(hostNormSq);
  const extraKeys = Object.keys(d.extra ?? {});
  const values = readAndDispose([d.loss, dirNormSq, ...extraKeys.map((k) => d.extra![k])]);
  if (hostNormSq !== null) values[1] = hostNormSq; // keep the float64 sum
  applyRule(s, d.dir);
  disposeParams(d.dir);
  if (batch.owned) {
    batch.x.dispose();
    batch.y.dispose();
  }
  s.iteration++;
  s.cost += s.batcher.fraction;
  const extra: Record<string, number> = {};
  extraKeys.forEach((k, i) => (extra[k] = values[2 + i]));
  return { state: s, metrics: { loss: values[0], gradNorm: Math.sqrt(values[1]), cost: s.cost, extra } };
}

/** A first-order method: the mini-batch gradient followed by the update rule its `parse` reads from a run's hyperparameters. */
export function makeFirstOrder(id: string, parse: (hyper: Hyper) => UpdateRule): Algorithm<FirstOrderState, UpdateRule> {
  return {
    id,
    parse,
    init: (problem, hyper, seed) => initFirstOrder(problem, parse(hyper), seed),
    step: (s) => firstOrderStep(s),
    dispose: disposeFirstOrder,
  };
}
