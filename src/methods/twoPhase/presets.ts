import { ADAM_SPEC } from '../adam/adam.hyper';
import { defaultHyper } from '../../engine/hyper';
import { CG_SPEC } from '../cg/cg.hyper';
import { TWO_PHASE_SPEC } from './twoPhase.hyper';
import { defaultExperiment, type Experiment } from '../../engine/experiment';
import type { Preset } from '../../presets/preset';

/**
 * Two-phase Adam → CG presets (algorithms.md §2, "the honest lecture demo"): MNIST at 14×14, 2,048 training images,
 * MLP 196-64-64-10 tanh, cross-entropy, small initialisation (Glorot × 0.01). Adam uses the paper's batch 512; 2,048
 * images make an epoch exactly four batches, i.e. one full-batch gradient — the notes' budget unit, the same as one
 * CG line-search trial (CG is full batch). Full-batch Adam (measured) puts the norm peak at step 32 instead of the
 * notes' epoch 9, which matches 4 steps per epoch. Four runs on the same seed: Adam (1e-3), Adam tuned (1e-2),
 * Adam → CG, CG alone. The lookFor texts quote bench/twophase.ts.
 */

function mnistTwoPhase(title: string, initScale: number): Experiment {
  return {
    ...defaultExperiment(),
    title,
    dataset: { kind: 'mnist', seed: 1, noise: 0, trainSize: 2048, testSize: 500, resolution: 14, classes: [] },
    network: { hidden: [64, 64], activation: 'tanh', outputLink: 'softmax', loss: 'ce', initScale },
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

export const TWO_PHASE_PRESETS: Preset[] = [
  {
    id: 'twophase-mnist',
    title: 'Two-phase on MNIST',
    lookFor: 
      'Plot the gradient norm against the loss and put the x-axis on cost (gradient evaluations). Measured with bench/twophase.ts (seed 1): ' +
      'from the small init the epoch gradient norm rises from 0.025 to 0.44 at epoch 9 and then falls; the detector swaps at epoch 15 (loss 1.40). ' +
      'At 500 evaluations Adam → CG reaches training loss 1.6e-6, against 3.0e-3 for Adam (1e-3) and 6.8e-5 for tuned Adam (1e-2); at 200 tuned Adam is ahead (4.3e-4 vs 7.2e-3). ' +
      'CG stops by its float32 rule after about 725 evaluations at 1.5e-7. CG alone from this init stalls on the ln 10 plateau (its line search cannot see a decrease in float32) and stops within 100 evaluations — with seeds 1 and 2; with seed 3 it escaped and reached 3.4e-6 at 500. Over seeds 1–3, Adam → CG was at 1.6–4.0e-6 at 500 evaluations, swapping at epochs 15, 16 and 26. ' +
      'Test accuracy ends near 0.89–0.90 for every trained run.',
    family: 'two-phase',
    // The lecture stops every run at the swap (pause on event) so the swap can be discussed on the frozen picture.
    experiment: { ...mnistTwoPhase('Two-phase Adam → CG on MNIST 14×14 (small init)', 0.01), pauseOn: ['swap'] },
    steps: [
      { text: 'Four runs start from the same small weights: Adam, tuned Adam, Adam → CG and CG alone. The x-axis counts gradient evaluations, so every method pays for the same work. Press Run (Space).' },
      { text: 'Watch the gradient-norm-vs-loss plot: while the loss falls, the gradient norm rises. The landscape is not convex here, and Adam is the right tool for it.' },
      { at: 'swap', text: 'Paused at the swap: the smoothed gradient norm has fallen below ρ times its peak. From here the loss behaves like a convex bowl, so Adam → CG hands over to conjugate gradient. Press Run to go on.' },
      { text: 'After the swap the CG trajectory runs parallel to the slope-½ line of a convex bowl, and its training loss drops by orders of magnitude for evaluations that Adam spends creeping down.' },
      { text: 'CG alone may stop early on the plateau of this small initialisation: its line search sees no decrease in single precision. Test accuracy hardly differs between the runs — the gain is in training loss.' },
    ],
  },
  {
    id: 'twophase-mnist-glorot',
    title: 'Two-phase on MNIST: Glorot init (counter-example)',
    lookFor: 
      'The counter-example: from Glorot initialisation there is no non-convex rise. Measured with bench/twophase.ts (seed 1): the epoch gradient norm is largest at epoch 1 (0.63) and only falls, so the detector swaps as soon as its minimum epochs and patience allow (epoch 7, loss 1.17). ' +
      'At 500 evaluations CG alone reaches training loss 2.2e-7, Adam → CG 1.5e-6, tuned Adam 4.6e-5 and Adam 2.1e-3; at 200, Adam → CG, CG alone and tuned Adam are level (2.2e-4 to 2.9e-4). ' +
      'Compare with the small-init preset, where CG alone stalls on the plateau. Test accuracy ends at 0.89–0.92.',
    family: 'two-phase',
    experiment: mnistTwoPhase('Two-phase Adam → CG on MNIST 14×14 (Glorot init, no peak)', 1),
  },
];
