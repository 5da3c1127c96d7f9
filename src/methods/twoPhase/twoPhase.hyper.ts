import type { AlgorithmSpec } from '../../engine/hyper';
import { CG_HYPER, COST_UNIT_CG, describeCgPhase } from '../cg/cg.hyper';
import { TWO_PHASE_DIAGNOSTICS } from './twoPhase.diagnostics';

/**
 * Plain-data spec of the two-phase method (algorithms.md §2); its CG phase takes CG's own hyperparameters. No
 * tensor imports here: the UI and the URL codec read it on the main thread.
 */

/** What a two-phase run does under its swap setting: an automatic swap, a fixed epoch, or Adam only. */
function describeTwoPhase(h: Record<string, number | string | boolean>): string {
  const cg = describeCgPhase(h, 'nonlinear conjugate gradient');
  if (h.swapMode === 'never')
    return 'Adam only: the swap to conjugate gradient is switched off, so this run is the two-phase method’s first phase alone, with its diagnostics. Plot ‖∇L‖ against L to see the rise and fall of the gradient norm.';
  if (h.swapMode === 'at-epoch')
    return `Adam for the first ${h.swapEpoch ?? 20} epochs, then ${cg} (a fixed swap, not the automatic detector). Plot ‖∇L‖ against L to see where that swap falls against the gradient-norm peak.`;
  return `Adam while the gradient norm still rises (non-convex region), then ${cg} once the smoothed epoch gradient norm falls below ρ·max. Plot ‖∇L‖ against L: the swap sits just past the peak.`;
}

export const TWO_PHASE_SPEC: AlgorithmSpec = {
  id: 'twophase',
  docsPage: 'twoPhase',
  events: [{ id: 'swap', label: 'swap → CG', flag: TWO_PHASE_DIAGNOSTICS.swap, marksLossPlot: true }],
  label: 'Adam → CG (two-phase)',
  description: describeTwoPhase({ swapMode: 'auto', cgVariant: 'pr+', cgBatch: 0 }),
  describe: describeTwoPhase,
  costUnit: `${COST_UNIT_CG}; an Adam mini-batch of size B counts B/N. In mini-batch mode the swap detector's once-per-epoch full-batch gradient is monitoring and not counted (the notes' budget: one per Adam epoch)`,
  hyper: [
    { key: 'lr', label: 'Adam learning rate', kind: 'number', default: 1e-3, min: 1e-6, max: 1, log: true, help: 'Adam step size in phase 1 (notes: 1e-3; 1e-2 on 2-D toys).' },
    { key: 'beta1', label: 'Adam β1', kind: 'number', default: 0.9, min: 0, max: 0.9999, help: 'Decay of the first-moment average.' },
    { key: 'beta2', label: 'Adam β2', kind: 'number', default: 0.999, min: 0, max: 0.999999, help: 'Decay of the second-moment average.' },
    { key: 'eps', label: 'Adam ε', kind: 'number', default: 1e-8, min: 1e-12, max: 1, log: true, help: 'Added to √v for stability.' },
    {
      key: 'swapMode',
      label: 'swap',
      kind: 'choice',
      default: 'auto',
      options: [
        { value: 'auto', label: 'automatic (gradient-norm peak)' },
        { value: 'at-epoch', label: 'at a fixed epoch' },
        { value: 'never', label: 'never (Adam only)' },
      ],
      help: 'Automatic: swap when the smoothed epoch gradient norm stays below ρ·max for `patience` epochs.',
    },
    { key: 'swapEpoch', label: 'swap at epoch', kind: 'int', default: 20, min: 1, max: 100000, help: 'Used when swap = at a fixed epoch.' },
    { key: 'rho', label: 'ρ (threshold)', kind: 'number', default: 0.9, min: 0.1, max: 0.999, help: 'Swap when the smoothed norm falls below ρ·(its running maximum).' },
    {
      key: 'emaAlpha',
      label: 'smoothing α',
      kind: 'number',
      default: 0.3,
      min: 0.01,
      max: 1,
      help: 'EMA weight of the newest epoch norm (1 = no smoothing). With ±5% bounded noise on a flat stream it never swaps; Gaussian noise of 5% standard deviation swaps in about a quarter of 200-epoch runs (notes §2).',
    },
    { key: 'minEpochs', label: 'min epochs', kind: 'int', default: 3, min: 1, max: 10000, help: 'No swap before this epoch.' },
    { key: 'patience', label: 'patience', kind: 'int', default: 2, min: 1, max: 100, help: 'Consecutive smoothed epochs below the threshold needed to swap.' },
    { key: 'fullNormMaxN', label: 'full-batch norm up to N', kind: 'int', default: 10000, min: 0, max: 10000000, help: 'With at most this many training samples the epoch norm is the full-batch gradient norm, else the mean of the epoch’s mini-batch norms.' },
    ...CG_HYPER,
  ],
};
