import { ADAM_SPEC } from '../adam/adam.hyper';
import { defaultHyper } from '../../engine/hyper';
import { CG_SPEC } from '../cg/cg.hyper';
import { TWO_PHASE_SPEC } from './twoPhase.hyper';
import type { Experiment } from '../../engine/experiment';
import { defaultExperiment } from '../defaultExperiment';
import type { Preset } from '../preset';
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
  'Plot the gradient norm against the loss and put the x-axis on cost (gradient evaluations). From this small init (Glorot uniform × {{exp.network.init.gain}}) the epoch gradient norm rises, peaks and falls; the detector swaps past the peak, and CG then takes the training loss far below Adam’s at equal cost. Whether CG alone leaves the chance-level plateau (loss ln K) depends on the init: compare with the reference-protocol preset. Measured with bench/twophase.ts (medians over {{twophase-small.seedCount}} seeds): the norm peaks at epoch {{twophase-small.normPeakEpoch.median}} and the detector swaps at epoch {{twophase-small.swapEpoch.median}}; at {{twophase-small.budgets.mid|int}} gradient evaluations Adam → CG reaches training loss {{twophase-small.adamCg.loss500.median|sig2}}, tuned Adam {{twophase-small.adamTuned.loss500.median|sig2}}, Adam {{twophase-small.adam.loss500.median|sig2}}; CG alone stayed on the plateau in {{twophase-small.cgStalledSeeds}} of {{twophase-small.seedCount}} seeds (median loss {{twophase-small.cgOnly.loss500.median|sig2}}). Test accuracy at the end: Adam → CG {{twophase-small.adamCg.testAcc.median}}, tuned Adam {{twophase-small.adamTuned.testAcc.median}}, Adam {{twophase-small.adam.testAcc.median}}, CG alone {{twophase-small.cgOnly.testAcc.median}}.';

const GLOROT_TEXT =
  `The counter-example: from Glorot initialisation there is no non-convex rise. Measured with bench/twophase.ts (seed {{twophase-glorot.seeds}}): the epoch gradient norm is largest at epoch {{twophase-glorot.normPeakEpoch.median}} ({{twophase-glorot.normPeak.median}}) and only falls, so the detector swaps as soon as its minimum epochs and patience allow (epoch {{twophase-glorot.swapEpoch.median}}, loss {{twophase-glorot.swapLoss.median}}). ` +
  `At {{twophase-glorot.budgets.mid|int}} evaluations CG alone reaches training loss {{twophase-glorot.cgOnly.loss500.median|sig2}}, Adam → CG {{twophase-glorot.adamCg.loss500.median|sig2}}, tuned Adam {{twophase-glorot.adamTuned.loss500.median|sig2}} and Adam {{twophase-glorot.adam.loss500.median|sig2}}; at {{twophase-glorot.budgets.low|int}}: CG alone {{twophase-glorot.cgOnly.loss200.median|sig2}}, Adam → CG {{twophase-glorot.adamCg.loss200.median|sig2}}, tuned Adam {{twophase-glorot.adamTuned.loss200.median|sig2}}. ` +
  `Compare with the small-init preset, where the norm rises first. Test accuracy of Adam → CG at the end: {{twophase-glorot.adamCg.testAcc.median}}.`;

const TWO_PHASE_REFERENCE_TEXT =
  'The notes’ reference protocol: the first {{exp.dataset.trainSize|int}} training and {{exp.dataset.testSize|int}} test images, centred normal weights with standard deviation σ = {{exp.network.init.sigma}} on every layer, zero biases. What differs from “Two-phase on MNIST”: only the init — Glorot uniform × σ there is several times narrower on every layer of this network. What it changes is what bench/twophase.ts measures and prints beside the notes’ figures: whether CG alone leaves the chance-level plateau, and how Adam, tuned Adam, Adam → CG and CG alone compare at the notes’ budgets of gradient evaluations. Measured (medians over {{twophase-reference.seedCount}} seeds): CG alone stalled in {{twophase-reference.cgStalledSeeds}} of {{twophase-reference.seedCount}} seeds here against {{twophase-small.cgStalledSeeds}} of {{twophase-small.seedCount}} from the small init, and at {{twophase-reference.budgets.mid|int}} evaluations reaches {{twophase-reference.cgOnly.loss500.median|sig2}}; Adam → CG {{twophase-reference.adamCg.loss500.median|sig2}} (swap at epoch {{twophase-reference.swapEpoch.median}}), tuned Adam {{twophase-reference.adamTuned.loss500.median|sig2}}, Adam {{twophase-reference.adam.loss500.median|sig2}}. Here the init, not the second phase, decides whether CG alone leaves the plateau. Test accuracy at the end: Adam → CG {{twophase-reference.adamCg.testAcc.median}}, CG alone {{twophase-reference.cgOnly.testAcc.median}}, tuned Adam {{twophase-reference.adamTuned.testAcc.median}}, Adam {{twophase-reference.adam.testAcc.median}}.';

export const TWO_PHASE_PRESETS: Preset[] = [
  {
    id: 'twophase-mnist',
    title: 'Two-phase on MNIST',
    lookFor: SMALL_TEXT,
    section: 'two-phase',
    // The lecture stops every run at the swap (pause on event) so the swap can be discussed on the frozen picture.
    experiment: { ...mnistTwoPhase('Two-phase Adam → CG on MNIST 14×14 (small init)', 0.01), pauseOn: ['swap'] },
    steps: [
      { text: 'Four runs start from the same small weights: Adam, tuned Adam, Adam → CG and CG alone. The x-axis counts gradient evaluations, so every method pays for the same work. Press Run (Space).' },
      { show: 'gradnorm-vs-loss', text: 'Watch the gradient-norm-vs-loss plot: while the loss falls, the gradient norm rises. The landscape is not convex here, and Adam is the right tool for it.' },
      { at: 'swap', show: 'gradnorm-vs-loss', text: 'Paused at the swap: the smoothed gradient norm has fallen below ρ times its peak. From here the loss behaves like a convex bowl, so Adam → CG hands over to conjugate gradient. Press Run to go on.' },
      { show: 'gradnorm-vs-loss', text: 'After the swap the CG trajectory runs parallel to the slope-½ line of a convex bowl, and its training loss drops by orders of magnitude for evaluations that Adam spends creeping down.' },
      { show: 'accuracy', text: 'CG alone may stop early on the plateau of this small initialisation: its line search sees no decrease in single precision. Test accuracy hardly differs between the runs — the gain is in training loss.' },
    ],
  },
  {
    id: 'twophase-mnist-glorot',
    title: 'Two-phase on MNIST: Glorot init (counter-example)',
    lookFor: GLOROT_TEXT,
    section: 'two-phase',
    experiment: mnistTwoPhase('Two-phase Adam → CG on MNIST 14×14 (Glorot init, no peak)', 1),
  },
  {
    id: 'twophase-reference',
    title: 'Two-phase on MNIST: reference protocol',
    lookFor: TWO_PHASE_REFERENCE_TEXT,
    section: 'two-phase',
    // algorithms.md §5, two-phase row: the first 2,000 training and 1,000 test images, N(0, 0.01²) weights, zero biases,
    // Adam batch 512, swap detector per §2, CG full batch; seeds 1–3. One difference remains: the playground's batcher
    // draws three batches of 512 per epoch and reshuffles (the 464 left over wait for the next permutation), where an
    // epoch loop would also take a fourth batch of 464; the cost axis counts 512/2,000 of an evaluation per Adam step.
    experiment: twoPhaseExperiment('Two-phase Adam → CG on MNIST 14×14 (reference protocol, N(0, 0.01²) init)', { scheme: 'normal', gain: 1, sigma: 0.01, bias: 'zero', biasValue: 0 }, 2000, 1000),
  },
];
