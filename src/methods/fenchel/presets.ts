import { ADAM_SPEC } from '../adam/adam.hyper';
import { SGD_SPEC } from '../sgd/sgd.hyper';
import { defaultHyper } from '../../engine/hyper';
import { FENCHEL_SPEC } from './fenchel.hyper';
import { defaultExperiment, type Experiment } from '../../engine/experiment';
import type { Preset } from '../../presets/preset';

/**
 * Fenchel lifted networks (algorithms.md §4): the lifted BCD beside SGD and Adam on the same ReLU network, full batch.
 * Figures quoted in `lookFor` are those printed by bench/fenchel.ts (WASM, seed 1); the UI must not claim more.
 */

function fenchelRun(label?: string, extra: Record<string, number | string | boolean> = {}) {
  return { algorithm: 'fenchel', hyper: { ...defaultHyper(FENCHEL_SPEC), ...extra }, ...(label ? { label } : {}) };
}

function moonsExperiment(): Experiment {
  const e = defaultExperiment();
  return {
    ...e,
    title: 'Fenchel lifted network on two moons',
    dataset: { ...e.dataset, kind: 'moons', seed: 1, noise: 0.1, trainSize: 500, testSize: 500 },
    network: { hidden: [16, 16], activation: 'relu', outputLink: 'softmax', loss: 'ce', initScale: 1 },
    training: { batchSize: 0, maxIterations: 200, evalEvery: 5, seed: 1, backend: 'auto' },
    runs: [
      fenchelRun(),
      fenchelRun('Fenchel lifted (BCD, FISTA blocks)', { solver: 'fista' }),
      { algorithm: 'adam', hyper: { ...defaultHyper(ADAM_SPEC), lr: 0.01 } },
    ],
    view: { ...e.view, xAxis: 'iteration', logY: true },
  };
}

function imageExperiment(): Experiment {
  const e = defaultExperiment();
  return {
    ...e,
    title: 'Fenchel lifted vs standard network (MNIST subset)',
    dataset: { kind: 'mnist', seed: 1, noise: 0, trainSize: 1000, testSize: 1000, resolution: 28, classes: [] },
    network: { hidden: [64], activation: 'relu', outputLink: 'softmax', loss: 'ce', initScale: 1 },
    training: { batchSize: 0, maxIterations: 60, evalEvery: 5, seed: 1, backend: 'auto' },
    runs: [
      fenchelRun(undefined, { solver: 'fista' }),
      { algorithm: 'sgd', hyper: { ...defaultHyper(SGD_SPEC), lr: 0.1, momentum: 0.9 } },
      { algorithm: 'adam', hyper: { ...defaultHyper(ADAM_SPEC), lr: 0.001 } },
    ],
    view: { ...e.view, xAxis: 'iteration', logY: true },
  };
}

export const FENCHEL_PRESETS: Preset[] = [
  {
    id: 'fenchel-mnist',
    title: 'Fenchel lifted vs standard network (MNIST subset)',
    lookFor:
      'A 784-64-10 ReLU network on 1,000 MNIST digits, full batch: Fenchel lifted BCD (one sweep per iteration) beside ' +
      'SGD and Adam on the same network and initial weights. Watch the lifted objective sit below the ordinary training ' +
      'loss, the per-layer penalty B and mismatch fall, and compare test accuracy at equal iterations (a BCD sweep costs ' +
      'far more than one gradient step: compare wall time too).',
    family: 'fenchel',
    experiment: imageExperiment(),
  },
  {
    id: 'fenchel-moons',
    title: 'Fenchel lifted network on two moons',
    lookFor:
      'A 2-16-16-2 ReLU network on two moons, full batch. The lifted objective (a lower bound of the training loss) falls ' +
      'far faster than the ordinary forward loss; the gap between them is the relaxation gap, carried by the per-layer ' +
      'mismatch ‖X − ReLU(U)‖. The lifted activations of a hidden unit can be drawn over the training points.',
    family: 'fenchel',
    experiment: moonsExperiment(),
  },
];
