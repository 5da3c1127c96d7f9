import { ADAM_SPEC } from '../adam/adam.hyper';
import { SGD_SPEC } from '../sgd/sgd.hyper';
import { defaultHyper } from '../../engine/hyper';
import { MDLAM_SPEC } from './mdlam.hyper';
import { defaultExperiment, type Experiment, type RunConfig } from '../../engine/experiment';
import type { Preset } from '../../presets/preset';

/**
 * mDLAM presets (algorithms.md §3). mDLAM is always full batch and needs ReLU hidden units and a softmax
 * cross-entropy output; the baselines run full batch on the same network and the same initial weights.
 */

const mdlam = (accelerate: boolean, label: string): RunConfig => ({ algorithm: 'mdlam', hyper: { ...defaultHyper(MDLAM_SPEC), accelerate }, label });

function experiment(title: string, patch: Partial<Experiment>): Experiment {
  const e = defaultExperiment();
  return { ...e, title, ...patch, view: { ...e.view, xAxis: 'iteration', logY: true } };
}

/** The notes' architecture (two hidden layers of 100, as in dlADMM's MNIST runs) on a browser-sized subset. */
export const MDLAM_MNIST: Preset = {
  id: 'mdlam-mnist',
  title: 'mDLAM vs SGD vs Adam on an MNIST subset',
  family: 'mdlam',
  lookFor:
    'A 784-100-100-10 ReLU network on 2,000 MNIST digits, full batch, from the same initial weights. mDLAM never ' +
    'back-propagates: watch its lifted objective F fall monotonically (markers only where ε changed), the per-layer ' +
    'residuals shrink, and compare its forward test accuracy with full-batch Adam and SGD, accelerated vs plain. ' +
    'Measured (bench/mdlam.ts, 150 sweeps): mDLAM 0.78 accelerated / 0.76 plain test accuracy, Adam and SGD 0.88.',
  experiment: experiment('mDLAM vs SGD vs Adam on an MNIST subset', {
    dataset: { kind: 'mnist', seed: 1, noise: 0, trainSize: 2000, testSize: 1000, resolution: 28, classes: [] },
    network: { hidden: [100, 100], activation: 'relu', outputLink: 'softmax', loss: 'ce', initScale: 1 },
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
  lookFor:
    'The setting of the notes’ reference run (2-16-16-2, full batch). Acceleration lowers the lifted objective F faster ' +
    'than the plain sweep, yet the forward network’s accuracy plateaus below Adam’s: once ε is small the loss signal ' +
    'reaches the hidden layers by about ε per sweep. Put F, the activation gap and the forward accuracy side by side. ' +
    'Measured (bench/mdlam.ts, 200 sweeps): F 0.050 accelerated vs 0.066 plain; test accuracy ~0.85 vs Adam 0.998.',
  experiment: experiment('mDLAM on two moons: accelerated vs plain', {
    dataset: { kind: 'moons', seed: 1, noise: 0.1, trainSize: 500, testSize: 500, resolution: 28, classes: [] },
    network: { hidden: [16, 16], activation: 'relu', outputLink: 'softmax', loss: 'ce', initScale: 1 },
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

export const MDLAM_PRESETS: Preset[] = [MDLAM_MNIST, MDLAM_MOONS];
