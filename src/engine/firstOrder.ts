import * as tf from '@tensorflow/tfjs';
import { Batcher } from './batcher';
import { hostSumSquares } from './hostKernels';
import { lossAndGrad } from './model';
import { cloneParams, disposeParams, paramTensors, sumSquares } from './params';
import { readAndDispose } from './scalars';
import type { Algorithm, AlgorithmState, Hyper, Params, Problem, StepResult } from './types';
import { applyChain, disposeChain, initChain, type ChainState, type UpdateChain } from './updateChain';

/**
 * The shared machinery of first-order methods: a *direction* (by default the gradient of the mini-batch
 * loss) consumed by an *update chain* (updateChain.ts: direction transforms, then heavy ball or Adam at a scheduled
 * step size). Methods that follow another direction (the monotone field) plug in their own DirectionFn; methods
 * that update differently build another chain. Neither needs a change here.
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

export interface FirstOrderState extends AlgorithmState {
  problem: Problem;
  batcher: Batcher;
  /** The update, as the method's `parse` built it (its settings read once, from its spec). */
  chain: UpdateChain;
  chainState: ChainState;
  cost: number;
}

export function initFirstOrder(problem: Problem, chain: UpdateChain, seed: number): FirstOrderState {
  const params = cloneParams(problem.initialParams);
  return {
    params,
    iteration: 0,
    problem,
    batcher: new Batcher(problem.data.xTrain, problem.data.yTrain, problem.batchSize, seed),
    chain,
    chainState: initChain(chain, params),
    cost: 0,
  };
}

export function disposeFirstOrder(s: FirstOrderState): void {
  disposeParams(s.params);
  disposeChain(s.chain, s.chainState);
}

/** Start the chain's state afresh at the current parameters (e.g. momentum and Adam's moments after a switch of direction). */
export function restartChain(s: FirstOrderState): void {
  disposeChain(s.chain, s.chainState);
  s.chainState = initChain(s.chain, s.params);
}

/**
 * Update the parameters along `dir` with the state's chain, at its scheduled step size for this iteration unless
 * `lr` is given; replaces (and disposes) the params and the chain's old state, never `dir`.
 */
export function applyUpdate(s: FirstOrderState, dir: Params, lr?: number): void {
  const next = applyChain(s.chain, s.chainState, s.params, dir, s.iteration, lr);
  disposeParams(s.params);
  s.params = next;
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
  applyUpdate(s, d.dir);
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

/**
 * A first-order method: the mini-batch gradient followed by an update chain. `parse` reads the method's options from
 * a run's hyperparameters (plain data: comparable, printable); `updateOf` builds the chain from them.
 */
export function makeFirstOrder<O>(id: string, parse: (hyper: Hyper) => O, updateOf: (options: O) => UpdateChain): Algorithm<FirstOrderState, O> {
  return {
    id,
    parse,
    init: (problem, hyper, seed) => initFirstOrder(problem, updateOf(parse(hyper)), seed),
    step: (s) => firstOrderStep(s),
    dispose: disposeFirstOrder,
  };
}
