import { defaultExperiment, type Experiment } from '../engine/experiment';
import type { LectureStep, Preset } from './preset';
import { defaultRun, METHODS } from '../methods/registry';
import { LANDSCAPE_PRESETS } from './landscape';
import { PROTOCOL_PRESETS } from './protocol';

/**
 * The presets gallery: the presets that belong to no one method (SGD vs Adam on the classic datasets, the
 * landscape lab's) and every method folder's own, read through the method registry.
 */

function twoD(kind: Experiment['dataset']['kind'], title: string, hidden: number[], lookFor: string): Preset {
  const e = defaultExperiment();
  e.title = title;
  e.dataset.kind = kind;
  e.network.hidden = hidden;
  return { id: `2d-${kind}`, title, lookFor, family: 'teaching', experiment: e };
}

export const BASELINE_PRESETS: Preset[] = [
  twoD('spiral', 'SGD vs Adam on two spirals', [16, 16], 'Two interleaved spirals need a curved boundary. Watch the heatmaps: measured at these settings (seed 1, 3,000 iterations), Adam reached test accuracy 0.915 while SGD with momentum (γ = 0.03) was at 0.66, its boundary still a few broad bands.'),
  twoD('circle', 'A circle inside a ring', [4], 'The simplest non-linear boundary: four hidden units suffice. Measured (seed 1): test accuracy at 500 iterations SGD-momentum 1.000, Adam 0.970; at 3,000 iterations 0.985 and 0.995.'),
  twoD('xor', 'XOR', [4, 4], 'Four quadrants with alternating labels: no linear boundary works, two small hidden layers do. Measured (seed 1): test accuracy at 3,000 iterations SGD-momentum 0.990, Adam 0.985.'),
  twoD('moons', 'Two moons', [8], 'The two-moons set used in the monotone-VI paper. Measured (seed 1): test accuracy 0.895 (SGD-momentum) and 0.930 (Adam) at 500 iterations, 0.995 and 1.000 at 3,000.'),
  twoD('blobs', 'Three Gaussian blobs', [], 'Three classes that a linear softmax model separates: a convex problem. Measured (seed 1): both optimisers at test accuracy 0.995 from 500 iterations on.'),
  {
    id: 'mnist-mlp',
    title: 'SGD vs Adam on an MNIST subset',
    lookFor: 'An MLP 784-64-10 on 2,000 MNIST digits, batch 64. Measured in Node (WASM): test accuracy 0.904 (SGD-momentum) and 0.866 (Adam 1e-3) at 100 steps, both about 0.90 from 300 steps to 2,000 — on a small subset the two end level.',
    family: 'baseline',
    experiment: {
      ...defaultExperiment(),
      title: 'SGD vs Adam on an MNIST subset',
      dataset: { kind: 'mnist', seed: 1, noise: 0, trainSize: 2000, testSize: 500, resolution: 28, classes: [] },
      network: { hidden: [64], activation: 'relu', outputLink: 'softmax', loss: 'ce', initScale: 1 },
      training: { batchSize: 64, maxIterations: 2000, evalEvery: 25, seed: 1, backend: 'auto' },
      runs: [{ ...defaultRun('sgd') }, { algorithm: 'adam', hyper: { ...defaultRun('adam').hyper, lr: 0.001 } }],
    },
  },
];

/** Every preset, in gallery order: the shared ones, each method folder's (registry order), the landscape lab's. */
export const PRESETS: Preset[] = [...BASELINE_PRESETS, ...METHODS.flatMap((m) => m.presets ?? []), ...LANDSCAPE_PRESETS, ...PROTOCOL_PRESETS];

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
