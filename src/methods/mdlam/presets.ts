import { ADAM_SPEC } from '../adam/adam.hyper';
import { SGD_SPEC } from '../sgd/sgd.hyper';
import { defaultHyper } from '../../engine/hyper';
import { MDLAM_SPEC } from './mdlam.hyper';
import { defaultExperiment, type Experiment, type RunConfig } from '../../engine/experiment';
import type { Preset } from '../../presets/preset';
import { legacyInit } from '../../engine/init';

/**
 * mDLAM presets (algorithms.md §3). mDLAM is always full batch and needs ReLU hidden units and a softmax
 * cross-entropy output; the baselines run full batch on the same network and the same initial weights.
 */

const mdlam = (accelerate: boolean, label: string): RunConfig => ({ algorithm: 'mdlam', hyper: { ...defaultHyper(MDLAM_SPEC), accelerate }, label });

function experiment(title: string, patch: Partial<Experiment>): Experiment {
  const e = defaultExperiment();
  return { ...e, title, ...patch, view: { ...e.view, xAxis: 'iteration', logY: true } };
}

/** The texts quote bench/results/mdlam.json (`npx tsx bench/mdlam.ts results`) through templates (presets/figures.ts). */
const M = 'mdlam';
const MNIST_TEXT =
  'A {{exp.layers}} ReLU network on {{exp.dataset.trainSize|int}} MNIST digits, full batch, from the same initial weights. mDLAM never back-propagates: watch its lifted objective F fall monotonically (markers only where ε changed), the per-layer residuals shrink, and compare its forward test accuracy with full-batch Adam and SGD, accelerated vs plain.';

const MOONS_TEXT =
  `The architecture and hyperparameters of the notes’ reference run ({{exp.layers}}, full batch), on the playground’s moons and init. Acceleration lowers the lifted objective F faster ` +
  `than the plain sweep, yet the forward network’s accuracy plateaus below Adam’s: once ε is small the loss signal ` +
  `reaches the hidden layers by about ε per sweep. Put F, the activation gap and the forward accuracy side by side. ` +
  `Measured (bench/mdlam.ts, {{${M}.moons.sweeps}} sweeps): F {{${M}.moons.accelerated.F}} accelerated vs {{${M}.moons.plain.F}} plain; test accuracy {{${M}.moons.accelerated.testAcc}} vs Adam {{${M}.moons.adam.testAcc}} and a linear softmax model {{${M}.moons.linear.testAcc}}.`;

const MDLAM_REFERENCE_TEXT =
  `The notes’ reference protocol: He weights with zero biases, two moons in the reference’s coordinates (noise {{exp.dataset.noise}}) standardised by the training split, {{exp.dataset.trainSize|int}} / {{exp.dataset.testSize|int}} points, {{exp.training.maxIterations}} sweeps. ` +
  `What differs from “mDLAM on two moons”: the init, the input scale and the number of points; the method and its hyperparameters are the same. What it changes (bench/mdlam.ts): F {{${M}.reference.accelerated.F}} accelerated vs {{${M}.reference.plain.F}} plain (other preset {{${M}.moons.accelerated.F}} / {{${M}.moons.plain.F}}); ` +
  `forward test accuracy {{${M}.reference.accelerated.testAcc}} / {{${M}.reference.plain.testAcc}} against Adam {{${M}.reference.adam.testAcc}} and a linear softmax model {{${M}.reference.linear.testAcc}}. ` +
  `The method as it stands does not beat a linear model by much or at all here: the hidden layers freeze once ε is small (the notes’ diagnosis).`;

/** The notes' architecture (two hidden layers of 100, as in dlADMM's MNIST runs) on a browser-sized subset. */
export const MDLAM_MNIST: Preset = {
  id: 'mdlam-mnist',
  title: 'mDLAM vs SGD vs Adam on an MNIST subset',
  family: 'mdlam',
  lookFor: MNIST_TEXT,
  experiment: experiment('mDLAM vs SGD vs Adam on an MNIST subset', {
    dataset: { kind: 'mnist', seed: 1, noise: 0, trainSize: 2000, testSize: 1000, resolution: 28, classes: [] },
    network: { hidden: [100, 100], activation: 'relu', outputLink: 'softmax', loss: 'ce', init: legacyInit(1) },
    training: { batchSize: 0, maxIterations: 200, evalEvery: 5, seed: 1, backend: 'auto' },
    runs: [
      mdlam(true, 'mDLAM accelerated'),
      mdlam(false, 'mDLAM plain'),
      { algorithm: 'sgd', hyper: { ...defaultHyper(SGD_SPEC), lr: 0.1, momentum: 0.9 }, label: 'SGD (full batch)' },
      { algorithm: 'adam', hyper: { ...defaultHyper(ADAM_SPEC), lr: 0.001 }, label: 'Adam (full batch)' },
    ],
  }),
};

/** The notes' NumPy reference setting: two moons, 2-16-16-2, ρ = 1, μ = 1e-3, ε 1 → 1e-3 halving, 200 iterations. */
export const MDLAM_MOONS: Preset = {
  id: 'mdlam-moons',
  title: 'mDLAM on two moons: accelerated vs plain',
  family: 'mdlam',
  lookFor: MOONS_TEXT,
  experiment: experiment('mDLAM on two moons: accelerated vs plain', {
    dataset: { kind: 'moons', seed: 1, noise: 0.1, trainSize: 500, testSize: 500, resolution: 28, classes: [] },
    network: { hidden: [16, 16], activation: 'relu', outputLink: 'softmax', loss: 'ce', init: legacyInit(1) },
    training: { batchSize: 0, maxIterations: 200, evalEvery: 5, seed: 1, backend: 'auto' },
    runs: [
      mdlam(true, 'mDLAM accelerated'),
      mdlam(false, 'mDLAM plain'),
      { algorithm: 'adam', hyper: { ...defaultHyper(ADAM_SPEC), lr: 0.01 }, label: 'Adam (full batch)' },
    ],
  }),
  steps: [
    { text: 'Two mDLAM runs, with and without the safeguarded extrapolation, and full-batch Adam, all on the whole training set. Press Run (Space).' },
    { text: 'The lifted objective F never rises while ε stays fixed; the grey lines mark sweeps where ε shrank — the only places F may rise.' },
    { text: 'The activation gap follows ε down inside its tube. Now compare the test accuracy with Adam: a small lifted objective does not make a good forward network once the hidden layers freeze.' },
  ],
};

/**
 * algorithms.md §5, mDLAM row: two moons in the reference's own coordinates, 1,000 / 1,000 points, noise 0.1,
 * standardised (by the training split's statistics — the reference standardises each split by its own, which differs
 * by sampling noise only; its labels are drawn at random per point, ours alternate, half per moon); 2-16-16-2 ReLU,
 * softmax CE (mean); He weights, zero biases; full batch, ρ 1, μ 1e-3, ε 1 halving to 1e-3, 200 sweeps.
 */
export const MDLAM_REFERENCE: Preset = {
  id: 'mdlam-reference',
  title: 'mDLAM on two moons: reference protocol',
  family: 'mdlam',
  lookFor: MDLAM_REFERENCE_TEXT,
  experiment: experiment('mDLAM on two moons: reference protocol (He init, standardised)', {
    dataset: { kind: 'moons', seed: 1, noise: 0.1, trainSize: 1000, testSize: 1000, resolution: 28, classes: [], coordinates: 'native', standardize: true },
    network: { hidden: [16, 16], activation: 'relu', outputLink: 'softmax', loss: 'ce', init: { scheme: 'he-normal', gain: 1, sigma: 0.01, bias: 'zero', biasValue: 0 } },
    training: { batchSize: 0, maxIterations: 200, evalEvery: 5, seed: 1, backend: 'auto' },
    runs: [
      mdlam(true, 'mDLAM accelerated'),
      mdlam(false, 'mDLAM plain'),
      { algorithm: 'adam', hyper: { ...defaultHyper(ADAM_SPEC), lr: 0.01 }, label: 'Adam (full batch)' },
    ],
  }),
};

export const MDLAM_PRESETS: Preset[] = [MDLAM_MNIST, MDLAM_MOONS, MDLAM_REFERENCE];
