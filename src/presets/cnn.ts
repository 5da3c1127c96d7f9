import type { Experiment } from '../engine/experiment';
import { LENET5, type LayerSpec } from '../engine/layers';
import { defaultExperiment } from '../methods/defaultExperiment';
import type { Preset } from '../methods/preset';
import { defaultRun } from '../methods/registry';
import type { InitConfig } from '../engine/init';

/**
 * Convolutional networks: the architectures the seed papers make their claims on (LeNet-5: engine/layers.ts LENET5).
 * PyTorch's default initialisation (uniform ±1/√fan_in, biases too), so that the exported script and a PyTorch
 * user's own LeNet start alike.
 */
/**
 * LeNet-5 with average pooling, LeNet's original subsampling: the pooling Fenchel lifted BCD can lift, since its
 * activation blocks are convex only through a linear pooling (algorithms.md §6).
 */
export const LENET5_AVG: LayerSpec[] = LENET5.map((l) => (l.type === 'maxpool' ? { ...l, type: 'avgpool' } : { ...l }));

/** A small CNN for the 14×14 images of the two-phase protocol: 14 → 12 → 6 → 4 → 2 (×16 = 64 features) → 32 → 10. */
export const SMALL_CNN_14: LayerSpec[] = [
  { type: 'conv2d', filters: 8, kernel: 3 },
  { type: 'maxpool', size: 2 },
  { type: 'conv2d', filters: 16, kernel: 3 },
  { type: 'maxpool', size: 2 },
  { type: 'flatten' },
  { type: 'dense', units: 32 },
];

export const PYTORCH_INIT: InitConfig = { scheme: 'pytorch-uniform', gain: 1, sigma: 0.01, bias: 'scheme', biasValue: 0 };

function lenetExperiment(kind: 'mnist' | 'fashion', title: string): Experiment {
  return {
    ...defaultExperiment(),
    title,
    dataset: { kind, seed: 1, noise: 0, trainSize: 2000, testSize: 500, resolution: 28, classes: [] },
    network: { hidden: [], activation: 'relu', outputLink: 'softmax', loss: 'ce', init: PYTORCH_INIT, layers: structuredClone(LENET5) as LayerSpec[] },
    training: { batchSize: 64, maxIterations: 1500, evalEvery: 25, seed: 1, backend: 'auto' },
    runs: [
      { algorithm: 'sgd', hyper: { ...defaultRun('sgd').hyper, lr: 0.01 } },
      { algorithm: 'adam', hyper: { ...defaultRun('adam').hyper, lr: 0.001 } },
    ],
    view: { xAxis: 'iteration', logY: true, smoothing: 0.6 },
  };
}

/**
 * The two-phase protocol's data (MNIST 14×14, 2,048 images, batch 512: an epoch is four batches, one full-batch
 * gradient — the cost unit CG pays per line-search trial) on the small CNN; small initialisation as in the MLP preset
 * whose norm rises before it falls (algorithms.md §2).
 */
function smallCnnTwoPhase(): Experiment {
  return {
    ...defaultExperiment(),
    title: 'Two-phase Adam → CG on a small CNN (MNIST 14×14)',
    dataset: { kind: 'mnist', seed: 1, noise: 0, trainSize: 2048, testSize: 500, resolution: 14, classes: [] },
    network: { hidden: [], activation: 'tanh', outputLink: 'softmax', loss: 'ce', init: { scheme: 'glorot-uniform', gain: 0.1, sigma: 0.01, bias: 'zero', biasValue: 0 }, layers: SMALL_CNN_14 },
    training: { batchSize: 512, maxIterations: 2000, evalEvery: 10, seed: 1, backend: 'auto' },
    // The MLP presets' four runs in their order (bench/twophase.ts measures both alike), and L-BFGS.
    runs: [
      { algorithm: 'adam', hyper: { ...defaultRun('adam').hyper, lr: 0.001 }, label: 'Adam (1e-3)' },
      { algorithm: 'adam', hyper: { ...defaultRun('adam').hyper, lr: 0.01 }, label: 'Adam tuned (1e-2)' },
      { algorithm: 'twophase', hyper: defaultRun('twophase').hyper, label: 'Adam → CG' },
      { algorithm: 'cg', hyper: defaultRun('cg').hyper, label: 'CG only' },
      { algorithm: 'lbfgs', hyper: defaultRun('lbfgs').hyper, label: 'L-BFGS' },
    ],
    view: { xAxis: 'cost', logY: true, smoothing: 0 },
  };
}

/** Monotone VI on LeNet-5 (algorithms.md §1, whole network): the field for the first steps, then the gradient. */
function lenetVi(): Experiment {
  const e = lenetExperiment('mnist', 'Monotone VI warm start on LeNet-5 (MNIST)');
  // A field step costs about twice a gradient step (the monotonicity check evaluates a second field).
  e.training = { ...e.training, maxIterations: 1000, evalEvery: 20 };
  e.runs = [
    { algorithm: 'vi', hyper: { ...defaultRun('vi').hyper, rule: 'momentum', lr: 0.01, warmStart: 200 }, label: 'VI field 200 steps, then gradient' },
    { algorithm: 'vi', hyper: { ...defaultRun('vi').hyper, rule: 'momentum', lr: 0.01 }, label: 'VI field throughout' },
    { algorithm: 'sgd', hyper: { ...defaultRun('sgd').hyper, lr: 0.01 }, label: 'SGD (same step and momentum)' },
  ];
  return e;
}

/** Fenchel lifted BCD on LeNet-5 with average pooling, full batch (the lifted activations persist between sweeps). */
function lenetFenchel(): Experiment {
  const e = lenetExperiment('mnist', 'Fenchel lifted BCD on LeNet-5 (average pooling)');
  e.network.layers = structuredClone(LENET5_AVG);
  e.dataset = { ...e.dataset, trainSize: 600, testSize: 500 };
  e.training = { ...e.training, batchSize: 0, maxIterations: 100, evalEvery: 2 };
  // The gradient baseline is SGD with momentum: full-batch Adam on this network follows float32 rounding after a few
  // dozen steps (a dead unit's zero gradient gets a full Adam step when a ReLU kink flips), so no exported script could
  // reproduce it step by step; bench/cnnClaims.ts compares Fenchel with Adam over seeds instead.
  e.runs = [
    { algorithm: 'fenchel', hyper: { ...defaultRun('fenchel').hyper, innerSteps: 10 } },
    { algorithm: 'sgd', hyper: { ...defaultRun('sgd').hyper, lr: 0.05 } },
  ];
  return e;
}

export const CNN_PRESETS: Preset[] = [
  {
    id: 'lenet5-mnist',
    title: 'LeNet-5 on MNIST: SGD vs Adam',
    section: 'cnn',
    lookFor:
      'A convolutional network, {{exp.layers}}, trained live on {{exp.dataset.trainSize|int}} MNIST digits with mini-batches of {{exp.training.batchSize}}. Open the image views below the curves: the first layer’s {{exp.network.layers.0.filters}} filters start as noise and turn into stroke and edge detectors within a few hundred steps, and the feature maps show what each layer keeps of one digit. The confusion matrix and the grid of misclassified test digits show which digits the network still mixes up. Measured on {{cnn-claims.trainImages|int}} digits over {{cnn-claims.budgetEpochs}} epochs (bench/cnnClaims.ts, median of {{cnn-claims.seedCount}} seeds): LeNet reaches {{cnn-claims.lenet5.adam.testAcc.median|pct}} test accuracy with Adam and {{cnn-claims.lenet5.sgd.testAcc.median|pct}} with SGD; a dense network with as many parameters ({{cnn-claims.mlp.description}}, {{cnn-claims.mlp.parameters|int}} against {{cnn-claims.lenet5.parameters|int}}) {{cnn-claims.mlp.adam.testAcc.median|pct}} and {{cnn-claims.mlp.sgd.testAcc.median|pct}}.',
    experiment: lenetExperiment('mnist', 'LeNet-5 on MNIST: SGD vs Adam'),
  },
  {
    id: 'lenet5-fashion',
    title: 'LeNet-5 on Fashion-MNIST: SGD vs Adam',
    section: 'cnn',
    lookFor:
      'The same LeNet ({{exp.layers}}) on {{exp.dataset.trainSize|int}} Fashion-MNIST images: clothing is harder than digits. Watch the confusion matrix: shirts, pullovers and coats stay mixed up long after trousers and bags are separated.',
    experiment: lenetExperiment('fashion', 'LeNet-5 on Fashion-MNIST: SGD vs Adam'),
  },
  {
    id: 'cnn14-twophase',
    title: 'Two-phase Adam → CG on a small CNN',
    section: 'cnn',
    lookFor:
      'The two-phase method on a convolutional network ({{exp.layers}}), the setting of the paper’s convexity-swap claim. Put the gradient norm against the loss: does the norm rise while the loss falls (non-convex), and fall with it after the swap? The x-axis counts gradient evaluations, so Adam, Adam → CG, CG alone and L-BFGS pay for the same work. Measured (bench/twophase.ts, medians over {{twophase-cnn.seedCount}} seeds): the epoch gradient norm rises from {{twophase-cnn.normFirst.median|sig2}} to {{twophase-cnn.normPeak.median|sig2}} at epoch {{twophase-cnn.normPeakEpoch.median}} and the detector swaps at epoch {{twophase-cnn.swapEpoch.median}}; at {{twophase-cnn.budgets.high|int}} evaluations Adam → CG reaches training loss {{twophase-cnn.adamCg.loss400.median|sig2}} against Adam’s {{twophase-cnn.adam.loss400.median|sig2}} — lower, as the paper says — but tuned Adam reaches {{twophase-cnn.adamTuned.loss400.median|sig2}}, and CG alone {{twophase-cnn.cgOnly.loss400.median|sig2}} (it stayed on the chance plateau in {{twophase-cnn.cgStalledSeeds}} of {{twophase-cnn.seedCount}} seeds).',
    experiment: smallCnnTwoPhase(),
  },
  {
    id: 'lenet5-vi',
    title: 'Monotone VI warm start on LeNet-5',
    section: 'cnn',
    lookFor:
      'The monotone-VI field of the whole network on LeNet ({{exp.layers}}): every layer, convolutions included, follows its field — the gradient with the layer’s own activation derivative dropped. One run follows the field for {{exp.runs.0.hyper.warmStart|int}} steps and then the gradient, one follows the field throughout, and SGD uses the same step and momentum. Measured on {{cnn-claims.trainImages|int}} digits over {{cnn-claims.budgetEpochs}} epochs (bench/cnnClaims.ts, {{cnn-claims.seedCount}} seeds): the field with this step and momentum diverged on {{cnn-claims.lenet5.vi.divergedSeeds}} seed and reached {{cnn-claims.lenet5.vi.testAcc.median|pct}} (median); the same field with Adam’s update {{cnn-claims.lenet5.viAdam.testAcc.median|pct}}, against SGD’s {{cnn-claims.lenet5.sgd.testAcc.median|pct}} and Adam’s {{cnn-claims.lenet5.adam.testAcc.median|pct}}. Dropping each layer’s own activation derivative costs accuracy on this network.',
    experiment: lenetVi(),
  },
  {
    id: 'lenet5-fenchel',
    title: 'Fenchel lifted BCD on LeNet-5',
    section: 'cnn',
    lookFor:
      'The Fenchel lifted network on a convolutional network, as its paper does: every layer’s activation (before pooling) becomes a variable tied to its layer by the biconvex penalty, and each sweep solves convex blocks — activations last to first, then weights first to last. LeNet’s average pooling ({{exp.layers}}) keeps the blocks convex; max pooling would not. Open the method panels: the per-layer penalties and mismatches fall, and the lifted objective stays below the forward loss. SGD with momentum trains the same network with the same full batch of {{exp.dataset.trainSize|int}} images. The paper says Fenchel matches or beats ordinary training on LeNet; measured here on {{cnn-claims-fenchel.trainImages|int}} digits at an equal cost of {{cnn-claims-fenchel.budgetEpochs}} epochs (mini-batches of {{cnn-claims-fenchel.fenchelBatch}}, bench/cnnClaims.ts, median of {{cnn-claims-fenchel.seedCount}} seeds) it does not: with the authors’ proximal weights (made for losses summed over a batch) Fenchel stays at chance, {{cnn-claims-fenchel.lenet5avg.fenchel10.testAcc.median|pct}}; with those weights scaled to this playground’s mean losses it reaches {{cnn-claims-fenchel.lenet5avg.fenchelMean.testAcc.median|pct}}, against Adam’s {{cnn-claims-fenchel.lenet5avg.adam.testAcc.median|pct}} on the same network. The proximal weights decide how far a sweep may move the weights.',
    experiment: lenetFenchel(),
  },
];
