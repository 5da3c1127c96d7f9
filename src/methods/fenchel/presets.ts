import { ADAM_SPEC } from '../adam/adam.hyper';
import { SGD_SPEC } from '../sgd/sgd.hyper';
import { defaultHyper } from '../../engine/hyper';
import { FENCHEL_SPEC } from './fenchel.hyper';
import type { Experiment } from '../../engine/experiment';
import { defaultExperiment } from '../defaultExperiment';
import type { Preset } from '../preset';
import { legacyInit } from '../../engine/init';

/**
 * Fenchel lifted networks (algorithms.md §4): the lifted BCD beside SGD and Adam on the same ReLU network, full batch.
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
    network: { hidden: [16, 16], activation: 'relu', outputLink: 'softmax', loss: 'ce', init: legacyInit(1) },
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
    network: { hidden: [64], activation: 'relu', outputLink: 'softmax', loss: 'ce', init: legacyInit(1) },
    training: { batchSize: 0, maxIterations: 60, evalEvery: 5, seed: 1, backend: 'auto' },
    runs: [
      fenchelRun(undefined, { solver: 'fista' }),
      { algorithm: 'sgd', hyper: { ...defaultHyper(SGD_SPEC), lr: 0.1, momentum: 0.9 } },
      { algorithm: 'adam', hyper: { ...defaultHyper(ADAM_SPEC), lr: 0.001 } },
    ],
    view: { ...e.view, xAxis: 'iteration', logY: true },
  };
}

/**
 * algorithms.md §5, Fenchel row: data as for the other lifted reference protocol (two moons in the reference's coordinates, 1,000 / 1,000, noise 0.1,
 * standardised by the training split); 2-16-16-2 ReLU, softmax CE; He weights, biases 0.1 (the experiment's init, so
 * Adam beside it starts from the same biases; the Fenchel run's own initial-bias knob says the same); λ 1, c 1,
 * 100 sweeps of 20 projected-gradient steps per block with spectral-norm Lipschitz bounds.
 */
function referenceExperiment(): Experiment {
  const e = defaultExperiment();
  return {
    ...e,
    title: 'Fenchel lifted network on two moons: reference protocol',
    dataset: { kind: 'moons', seed: 1, noise: 0.1, trainSize: 1000, testSize: 1000, resolution: 28, classes: [], coordinates: 'native', standardize: true },
    network: { hidden: [16, 16], activation: 'relu', outputLink: 'softmax', loss: 'ce', init: { scheme: 'he-normal', gain: 1, sigma: 0.01, bias: 'constant', biasValue: 0.1 } },
    training: { batchSize: 0, maxIterations: 100, evalEvery: 5, seed: 1, backend: 'auto' },
    runs: [
      fenchelRun('Fenchel lifted (BCD, spectral steps)', { solver: 'pg', lipschitz: 'spectral', initBias: 0.1, innerSteps: 20, lambda: 1, c: 1 }),
      fenchelRun('Fenchel lifted (BCD, Frobenius steps)', { solver: 'pg', lipschitz: 'frobenius', initBias: 0.1, innerSteps: 20, lambda: 1, c: 1 }),
      { algorithm: 'adam', hyper: { ...defaultHyper(ADAM_SPEC), lr: 0.01 } },
    ],
    view: { ...e.view, xAxis: 'iteration', logY: true },
  };
}

/** The texts quote bench/results/fenchel.json through templates (presets/figures.ts). */
const F = 'fenchel';
const MNIST_TEXT =
  'A {{exp.layers}} ReLU network on {{exp.dataset.trainSize|int}} MNIST digits, full batch: Fenchel lifted BCD (one sweep per iteration) beside ' +
  'SGD and Adam on the same network and initial weights. Watch the lifted objective sit below the ordinary training ' +
  'loss, the per-layer penalty B and mismatch fall, and compare test accuracy at equal iterations (a BCD sweep costs ' +
  'far more than one gradient step: compare wall time too).';

const MOONS_TEXT =
  `A {{exp.layers}} ReLU network on two moons, full batch. The lifted objective (a lower bound of the training loss) falls ` +
  `far faster than the ordinary forward loss; the gap between them is the relaxation gap, carried by the per-layer ` +
  `mismatch ‖X − ReLU(U)‖. Measured with bench/fenchel.ts (seed {{exp.training.seed}}, {{${F}.default.sweeps}} sweeps): forward test accuracy {{${F}.default.spectral.testAcc}} with spectral-norm steps (the default), ` +
  `{{${F}.default.frobenius.testAcc}} with the shorter Frobenius steps, {{${F}.default.fista.testAcc}} with FISTA blocks; Adam {{${F}.default.adam.testAcc}}. ` +
  `The notes’ reference protocol (He init, standardised inputs — see that preset) reaches {{${F}.reference.spectral.testAcc.median}}. The lifted activations of a hidden unit can be drawn over the training points.`;

const FENCHEL_REFERENCE_TEXT =
  `The notes’ reference protocol: He weights with every bias at {{exp.network.init.biasValue}}, two moons in the reference’s coordinates (noise {{exp.dataset.noise}}) standardised by the training split, {{exp.dataset.trainSize|int}} / {{exp.dataset.testSize|int}} points, {{exp.training.maxIterations}} sweeps of projected-gradient blocks with spectral-norm steps. ` +
  `What differs from “Fenchel lifted network on two moons”: the init, the biases Adam starts from, the input scale and the number of points. What it changes (bench/fenchel.ts, seeds {{${F}.reference.seeds}}, medians): forward test accuracy {{${F}.reference.spectral.testAcc.median}} with spectral steps and {{${F}.reference.frobenius.testAcc.median}} with Frobenius steps (Adam {{${F}.reference.adam.testAcc.median}}), against {{${F}.default.spectral.testAcc}} for the other preset. ` +
  `The lifted objective falls from {{${F}.reference.spectral.liftedStart.median|sig2}} to {{${F}.reference.spectral.liftedEnd.median|sig2}} while the forward loss falls from {{${F}.reference.spectral.forwardStart.median|sig2}} to {{${F}.reference.spectral.forwardEnd.median|sig2}}, lifted below forward throughout. The notes’ NumPy figure is printed beside ours by the benchmark.`;

export const FENCHEL_PRESETS: Preset[] = [
  {
    id: 'fenchel-mnist',
    title: 'Fenchel lifted vs standard network (MNIST subset)',
    lookFor: MNIST_TEXT,
    section: 'fenchel',
    experiment: imageExperiment(),
  },
  {
    id: 'fenchel-moons',
    title: 'Fenchel lifted network on two moons',
    lookFor: MOONS_TEXT,
    section: 'fenchel',
    experiment: moonsExperiment(),
  },
  {
    id: 'fenchel-reference',
    title: 'Fenchel lifted network on two moons: reference protocol',
    lookFor: FENCHEL_REFERENCE_TEXT,
    section: 'fenchel',
    experiment: referenceExperiment(),
  },
];
