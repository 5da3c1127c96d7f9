import { EXPERIMENT_VERSION, type Experiment } from '../engine/experiment';
import { defaultHyper } from '../engine/hyper';
import { defaultInit } from '../engine/init';
import { DATASET_SETTINGS as DS, NETWORK_SETTINGS as NS, TRAINING_SETTINGS as TS, VIEW_SETTINGS as VS } from '../engine/settings';
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
    // Every value but the dataset kind, the title and the runs is its setting's declared default (engine/settings.ts).
    dataset: { kind: 'spiral', seed: DS.seed.default, noise: DS.noise.default, trainSize: DS.trainSize.default, testSize: DS.testSize.default, resolution: DS.resolution.default, classes: [] },
    network: { hidden: [16, 16], activation: NS.activation.default, outputLink: NS.outputLink.default, loss: NS.loss.default, init: defaultInit() },
    training: { batchSize: TS.batchSize.default, maxIterations: TS.maxIterations.default, evalEvery: TS.evalEvery.default, seed: TS.seed.default, backend: TS.backend.default },
    // SGD at γ = 0.03: at its catalogue default (0.1 with momentum 0.9) it does not leave chance level on the
    // spirals in 3,000 iterations (test accuracy 0.52), which reads as broken rather than as slower.
    runs: [{ algorithm: 'sgd', hyper: { ...defaultHyper(SGD_SPEC), lr: 0.03 } }, { algorithm: 'adam', hyper: defaultHyper(ADAM_SPEC) }],
    view: { xAxis: VS.xAxis.default, logY: VS.logY.default, smoothing: VS.smoothing.default },
  };
}
