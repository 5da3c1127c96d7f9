import { ADAM_SPEC } from '../adam/adam.hyper';
import { defaultHyper } from '../../engine/hyper';
import { CG_SPEC } from '../cg/cg.hyper';
import { TWO_PHASE_SPEC } from './twoPhase.hyper';
import { defaultExperiment, type Experiment } from '../../engine/experiment';
import type { Preset } from '../../presets/preset';
import { legacyInit, type InitConfig } from '../../engine/init';

/**
 * Two-phase Adam → CG presets (algorithms.md §2, "the honest lecture demo"): MNIST at 14×14, 2,048 training images,
 * MLP 196-64-64-10 tanh, cross-entropy, small initialisation (Glorot × 0.01). Adam uses the paper's batch 512; 2,048
 * images make an epoch exactly four batches, i.e. one full-batch gradient — the notes' budget unit, the same as one
 * CG line-search trial (CG is full batch). Full-batch Adam (measured) puts the norm peak at step 32 instead of the
 * notes' epoch 9, which matches 4 steps per epoch. Four runs on the same seed: Adam (1e-3), Adam tuned (1e-2),
 * Adam → CG, CG alone.
 */

function mnistTwoPhase(title: string, initScale: number): Experiment {
  return twoPhaseExperiment(title, legacyInit(initScale), 2048, 500);
}

function twoPhaseExperiment(title: string, init: InitConfig, trainSize: number, testSize: number): Experiment {
  return {
    ...defaultExperiment(),
    title,
    dataset: { kind: 'mnist', seed: 1, noise: 0, trainSize, testSize, resolution: 14, classes: [] },
    network: { hidden: [64, 64], activation: 'tanh', outputLink: 'softmax', loss: 'ce', init },
    training: { batchSize: 512, maxIterations: 4000, evalEvery: 10, seed: 1, backend: 'auto' },
    runs: [
      { algorithm: 'adam', hyper: { ...defaultHyper(ADAM_SPEC), lr: 1e-3 }, label: 'Adam (1e-3)' },
      { algorithm: 'adam', hyper: { ...defaultHyper(ADAM_SPEC), lr: 1e-2 }, label: 'Adam tuned (1e-2)' },
      { algorithm: 'twophase', hyper: defaultHyper(TWO_PHASE_SPEC), label: 'Adam → CG' },
      { algorithm: 'cg', hyper: defaultHyper(CG_SPEC), label: 'CG only' },
    ],
    view: { xAxis: 'cost', logY: true, smoothing: 0 },
  };
}

/**
 * The texts quote bench/results/twophase-{small,glorot,reference}.json (the three presets below) through templates
 * (presets/figures.ts); figures are medians over the seeds named in the text.
 */
const SMALL_TEXT =
  `Plot the gradient norm against the loss and put the x-axis on cost (gradient evaluations). Measured with bench/twophase.ts (seeds {{twophase-small.seeds}}, medians): ` +
  `from this small init (Glorot uniform × {{exp.network.init.gain}}) the epoch gradient norm rises from {{twophase-small.normFirst.median}} to {{twophase-small.normPeak.median}} at epoch {{twophase-small.normPeakEpoch.median}} and then falls; the detector swaps at epoch {{twophase-small.swapEpoch.median}} (loss {{twophase-small.swapLoss.median}}). ` +
  `At the notes’ budget of {{twophase-small.budgets.mid|int}} evaluations Adam → CG reaches training loss {{twophase-small.adamCg.loss500.median|sig2}}, against {{twophase-small.adam.loss500.median|sig2}} for Adam and {{twophase-small.adamTuned.loss500.median|sig2}} for tuned Adam; at {{twophase-small.budgets.low|int}}, {{twophase-small.adamCg.loss200.median|sig2}} against {{twophase-small.adamTuned.loss200.median|sig2}} for tuned Adam. ` +
  `CG alone stalls on the chance-level plateau (loss ln K) for {{twophase-small.cgStalledSeeds}} of {{twophase-small.seedCount}} seeds: its line search sees no decrease in float32. ` +
  `This init is what decides it: the reference protocol’s N(0, σ²) with the same σ is {{twophase-small.initRatioMin|sig2}}–{{twophase-small.initRatioMax|sig2}}× wider, and there CG alone stalls for {{twophase-reference.cgStalledSeeds}} of {{twophase-reference.seedCount}} seeds (see that preset). ` +
  `Test accuracy at the end: Adam → CG {{twophase-small.adamCg.testAcc.median}}, tuned Adam {{twophase-small.adamTuned.testAcc.median}}.`;

const GLOROT_TEXT =
  `The counter-example: from Glorot initialisation there is no non-convex rise. Measured with bench/twophase.ts (seed {{twophase-glorot.seeds}}): the epoch gradient norm is largest at epoch {{twophase-glorot.normPeakEpoch.median}} ({{twophase-glorot.normPeak.median}}) and only falls, so the detector swaps as soon as its minimum epochs and patience allow (epoch {{twophase-glorot.swapEpoch.median}}, loss {{twophase-glorot.swapLoss.median}}). ` +
  `At {{twophase-small.budgets.mid|int}} evaluations CG alone reaches training loss {{twophase-glorot.cgOnly.loss500.median|sig2}}, Adam → CG {{twophase-glorot.adamCg.loss500.median|sig2}}, tuned Adam {{twophase-glorot.adamTuned.loss500.median|sig2}} and Adam {{twophase-glorot.adam.loss500.median|sig2}}; at {{twophase-small.budgets.low|int}}: CG alone {{twophase-glorot.cgOnly.loss200.median|sig2}}, Adam → CG {{twophase-glorot.adamCg.loss200.median|sig2}}, tuned Adam {{twophase-glorot.adamTuned.loss200.median|sig2}}. ` +
  `Compare with the small-init preset, where CG alone stalls on the plateau. Test accuracy of Adam → CG at the end: {{twophase-glorot.adamCg.testAcc.median}}.`;

const TWO_PHASE_REFERENCE_TEXT =
  `The notes’ reference protocol: the first {{exp.dataset.trainSize|int}} training and {{exp.dataset.testSize|int}} test images, weights N(0, σ²) with σ = {{exp.network.init.sigma}}, zero biases. ` +
  `What differs from “Two-phase on MNIST”: the init is {{twophase-small.initRatioMin|sig2}}–{{twophase-small.initRatioMax|sig2}}× wider per layer than Glorot uniform × σ. What it changes (bench/twophase.ts, seeds {{twophase-reference.seeds}}, medians): ` +
  `CG alone no longer stalls ({{twophase-reference.cgStalledSeeds}} of {{twophase-reference.seedCount}} seeds stall; {{twophase-small.cgStalledSeeds}} of {{twophase-small.seedCount}} with the small init) and reaches {{twophase-reference.cgOnly.loss500.median|sig2}} at {{twophase-small.budgets.mid|int}} evaluations, against {{twophase-reference.adamCg.loss500.median|sig2}} for Adam → CG, {{twophase-reference.adamTuned.loss500.median|sig2}} for tuned Adam and {{twophase-reference.adam.loss500.median|sig2}} for Adam. ` +
  `At {{twophase-small.budgets.low|int}}: Adam → CG {{twophase-reference.adamCg.loss200.median|sig2}}, tuned Adam {{twophase-reference.adamTuned.loss200.median|sig2}}, CG alone {{twophase-reference.cgOnly.loss200.median|sig2}}; at {{twophase-small.budgets.high|int}}: Adam → CG {{twophase-reference.adamCg.loss1000.median|sig2}}, CG alone {{twophase-reference.cgOnly.loss1000.median|sig2}}. ` +
  `The gradient norm rises from {{twophase-reference.normFirst.median}} to {{twophase-reference.normPeak.median}} at epoch {{twophase-reference.normPeakEpoch.median}}; the detector swaps at epoch {{twophase-reference.swapEpoch.median}}. The notes’ NumPy figures for this protocol are printed beside ours by the benchmark.`;

export const TWO_PHASE_PRESETS: Preset[] = [
  {
    id: 'twophase-mnist',
    title: 'Two-phase on MNIST',
    lookFor: SMALL_TEXT,
    family: 'two-phase',
    experiment: mnistTwoPhase('Two-phase Adam → CG on MNIST 14×14 (small init)', 0.01),
  },
  {
    id: 'twophase-mnist-glorot',
    title: 'Two-phase on MNIST: Glorot init (counter-example)',
    lookFor: GLOROT_TEXT,
    family: 'two-phase',
    experiment: mnistTwoPhase('Two-phase Adam → CG on MNIST 14×14 (Glorot init, no peak)', 1),
  },
  {
    id: 'twophase-reference',
    title: 'Two-phase on MNIST: reference protocol',
    lookFor: TWO_PHASE_REFERENCE_TEXT,
    family: 'two-phase',
    // algorithms.md §5, two-phase row: the first 2,000 training and 1,000 test images, N(0, 0.01²) weights, zero biases,
    // Adam batch 512, swap detector per §2, CG full batch; seeds 1–3. One difference remains: the playground's batcher
    // draws three batches of 512 per epoch and reshuffles (the 464 left over wait for the next permutation), where an
    // epoch loop would also take a fourth batch of 464; the cost axis counts 512/2,000 of an evaluation per Adam step.
    experiment: twoPhaseExperiment('Two-phase Adam → CG on MNIST 14×14 (reference protocol, N(0, 0.01²) init)', { scheme: 'normal', gain: 1, sigma: 0.01, bias: 'zero', biasValue: 0 }, 2000, 1000),
  },
];
