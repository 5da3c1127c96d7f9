import type { Experiment } from '../engine/experiment';
import { defaultExperiment } from '../methods/defaultExperiment';
import type { LectureStep, Preset } from '../methods/preset';
import { defaultRun, METHODS } from '../methods/registry';
import { LANDSCAPE_PRESETS } from './landscape';
import { legacyInit } from '../engine/init';
import { PROTOCOL_PRESETS } from './protocol';
import { CNN_PRESETS } from './cnn';

/**
 * The presets gallery: the presets that belong to no one method (SGD vs Adam on the classic datasets, the
 * landscape lab's) and every method folder's own, read through the method registry.
 */

function twoD(kind: Experiment['dataset']['kind'], title: string, hidden: number[], lookFor: string): Preset {
  const e = defaultExperiment();
  e.title = title;
  e.dataset.kind = kind;
  e.network.hidden = hidden;
  return { id: `2d-${kind}`, title, lookFor, section: 'teaching', experiment: e };
}

export const BASELINE_PRESETS: Preset[] = [
  twoD('spiral', 'SGD vs Adam on two spirals', [16, 16], 'Two interleaved spirals need a curved boundary. Watch the heatmaps: measured at these settings (bench/baselines.ts, seed {{exp.training.seed}}, {{exp.training.maxIterations|int}} iterations), Adam reached test accuracy {{baselines.2d-spiral.adam.accEnd}} while SGD with momentum (γ = {{exp.runs.0.hyper.lr}}) was at {{baselines.2d-spiral.sgd.accEnd}}.'),
  twoD('circle', 'A circle inside a ring', [4], 'The simplest non-linear boundary: a single hidden layer of {{exp.network.hidden}} units suffices. Measured (bench/baselines.ts, seed {{exp.training.seed}}): test accuracy at {{baselines.2d-circle.checkpoints.0|int}} iterations SGD-momentum {{baselines.2d-circle.sgd.acc500}}, Adam {{baselines.2d-circle.adam.acc500}}; at {{exp.training.maxIterations|int}} iterations {{baselines.2d-circle.sgd.accEnd}} and {{baselines.2d-circle.adam.accEnd}}.'),
  twoD('xor', 'XOR', [4, 4], 'Four quadrants with alternating labels: no linear boundary works, two small hidden layers ({{exp.network.hidden}}) do. Measured (bench/baselines.ts, seed {{exp.training.seed}}): test accuracy at {{exp.training.maxIterations|int}} iterations SGD-momentum {{baselines.2d-xor.sgd.accEnd}}, Adam {{baselines.2d-xor.adam.accEnd}}.'),
  twoD('moons', 'Two moons', [8], 'The two-moons set used in the monotone-VI paper. Measured (bench/baselines.ts, seed {{exp.training.seed}}): test accuracy {{baselines.2d-moons.sgd.acc500}} (SGD-momentum) and {{baselines.2d-moons.adam.acc500}} (Adam) at {{baselines.2d-moons.checkpoints.0|int}} iterations, {{baselines.2d-moons.sgd.accEnd}} and {{baselines.2d-moons.adam.accEnd}} at {{exp.training.maxIterations|int}}.'),
  twoD('blobs', 'Three Gaussian blobs', [], 'Three classes that a linear softmax model separates: a convex problem. Measured (bench/baselines.ts, seed {{exp.training.seed}}): test accuracy at {{baselines.2d-blobs.checkpoints.0|int}} iterations SGD-momentum {{baselines.2d-blobs.sgd.acc500}}, Adam {{baselines.2d-blobs.adam.acc500}}; at {{exp.training.maxIterations|int}} {{baselines.2d-blobs.sgd.accEnd}} and {{baselines.2d-blobs.adam.accEnd}}.'),
  {
    id: 'mnist-mlp',
    title: 'SGD vs Adam on an MNIST subset',
    lookFor: 'An MLP {{exp.layers}} on {{exp.dataset.trainSize|int}} MNIST digits, batch {{exp.training.batchSize}}. Measured in Node (bench/baselines.ts, WASM): test accuracy {{baselines.mnist-mlp.sgd.acc100}} (SGD-momentum) and {{baselines.mnist-mlp.adam.acc100}} (Adam) at {{baselines.mnist-mlp.checkpoints.0|int}} steps, {{baselines.mnist-mlp.sgd.acc300}} and {{baselines.mnist-mlp.adam.acc300}} at {{baselines.mnist-mlp.checkpoints.1|int}}, {{baselines.mnist-mlp.sgd.accEnd}} and {{baselines.mnist-mlp.adam.accEnd}} at {{exp.training.maxIterations|int}}.',
    section: 'baseline',
    experiment: {
      ...defaultExperiment(),
      title: 'SGD vs Adam on an MNIST subset',
      dataset: { kind: 'mnist', seed: 1, noise: 0, trainSize: 2000, testSize: 500, resolution: 28, classes: [] },
      network: { hidden: [64], activation: 'relu', outputLink: 'softmax', loss: 'ce', init: legacyInit(1) },
      training: { batchSize: 64, maxIterations: 2000, evalEvery: 25, seed: 1, backend: 'auto' },
      runs: [{ ...defaultRun('sgd') }, { algorithm: 'adam', hyper: { ...defaultRun('adam').hyper, lr: 0.001 } }],
    },
  },
];

/** The gallery's sections: the shared ones, then each method folder's. */
export const GALLERY_SECTIONS: { id: string; title: string }[] = [
  { id: 'teaching', title: 'Classic 2-D datasets (with decision boundaries)' },
  { id: 'baseline', title: 'Baselines: SGD and Adam' },
  { id: 'cnn', title: 'Convolutional networks: LeNet-5 and a small CNN' },
  ...METHODS.flatMap((m) => (m.gallerySection ? [m.gallerySection] : [])),
  { id: 'protocol', title: 'Fair comparisons: seeds, tuning budgets, time to target' },
  { id: 'lab', title: 'Landscape lab: optimisers on 2-D test functions, slices of trained networks' },
];

/** Every preset, in gallery order: the shared ones, each method folder's (registry order), the landscape lab's. */
export const PRESETS: Preset[] = [...BASELINE_PRESETS, ...CNN_PRESETS, ...METHODS.flatMap((m) => m.presets ?? []), ...LANDSCAPE_PRESETS, ...PROTOCOL_PRESETS];

export function findPreset(id: string): Preset | undefined {
  return PRESETS.find((p) => p.id === id);
}

/**
 * What identifies a preset's set-up; the view, title, pause-on choices and the backend (where it runs, not what it
 * computes) may change without leaving the lecture.
 */
function setupKey(e: Experiment): string {
  const { backend: _where, ...training } = e.training;
  return JSON.stringify([e.dataset, e.network, training, e.runs, e.pretrain ?? null, e.landscape ?? null]);
}
const NO_STEPS: LectureStep[] = [];
const stepsCache = new WeakMap<Experiment, LectureStep[]>();

/**
 * The lecture steps of the preset this experiment is (also when it was opened from a link), or none. Matching on
 * the set-up rather than on a preset id keeps the URL the only state: a shared link of a preset lectures too.
 */
export function lectureStepsFor(e: Experiment): LectureStep[] {
  let steps = stepsCache.get(e);
  if (!steps) {
    const key = setupKey(e);
    steps = PRESETS.find((p) => p.steps?.length && setupKey(p.experiment) === key)?.steps ?? NO_STEPS;
    stepsCache.set(e, steps);
  }
  return steps;
}

