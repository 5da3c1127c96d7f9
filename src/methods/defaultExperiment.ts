import { EXPERIMENT_VERSION, type Experiment } from '../engine/experiment';
import { defaultHyper } from '../engine/hyper';
import { defaultInit } from '../engine/init';
import { ADAM_SPEC } from './adam/adam.hyper';
import { SGD_SPEC } from './sgd/sgd.hyper';

/**
 * The experiment the playground opens with, and the defaults a link's missing fields take (url/validate.ts). It
 * lives with the methods, not in the engine, because its comparison names two of them (SGD and Adam): the engine
 * knows the Experiment's shape, never a method.
 */
export function defaultExperiment(): Experiment {
  return {
    version: EXPERIMENT_VERSION,
    title: 'SGD vs Adam on two spirals',
    dataset: { kind: 'spiral', seed: 1, noise: 0.05, trainSize: 400, testSize: 200, resolution: 28, classes: [] },
    network: { hidden: [16, 16], activation: 'tanh', outputLink: 'softmax', loss: 'ce', init: defaultInit() },
    training: { batchSize: 32, maxIterations: 3000, evalEvery: 20, seed: 1, backend: 'auto' },
    // SGD at γ = 0.03: at its catalogue default (0.1 with momentum 0.9) it does not leave chance level on the
    // spirals in 3,000 iterations (test accuracy 0.52), which reads as broken rather than as slower.
    runs: [{ algorithm: 'sgd', hyper: { ...defaultHyper(SGD_SPEC), lr: 0.03 } }, { algorithm: 'adam', hyper: defaultHyper(ADAM_SPEC) }],
    view: { xAxis: 'iteration', logY: true, smoothing: 0.6 },
  };
}
