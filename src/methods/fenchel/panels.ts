import type { LiftedViewCapability, PanelSpec } from '../panel';
import { FENCHEL_DIAGNOSTICS as D } from './fenchel.diagnostics';

/**
 * Fenchel lifted networks' diagnostics (algorithms.md §4), as data the shared UI draws: the per-layer penalty and
 * mismatch (one line per layer (dash) and run (colour), log scale) and the lifted objective beside the forward
 * loss (FENCHEL_DIAGNOSTICS).
 */
export const FENCHEL_PANELS: PanelSpec[] = [
  { kind: 'perLayer', id: 'res-fenchel-b', title: 'Fenchel penalty per layer', formula: String.raw`\overline{B}(U_l, X_{l+1})`, subtitle: 'mean over units and samples; 0 exactly when the lifted activations lie on the ReLU graph', metric: D.layer.B, yTitle: 'mean B', logY: true, onlyWhenPresent: true },
  { kind: 'perLayer', id: 'res-fenchel-mismatch', title: 'Fenchel mismatch per layer', formula: String.raw`\lVert X_{l+1} - \mathrm{ReLU}(U_l) \rVert / \sqrt{nN}`, subtitle: 'how far the lifted activations are from what the layer below computes', metric: D.layer.mismatch, yTitle: 'mismatch', logY: true, onlyWhenPresent: true },
  {
    kind: 'series', id: 'fenchel-objective', title: 'Fenchel: lifted objective and forward training loss', subtitle: 'the lifted value is a lower bound of the forward loss at block optima', yTitle: 'loss', logY: true, hideWhenAbsent: true,
    series: [
      { source: D.liftedObjective, name: 'lifted objective' },
      { source: D.liftedAtBlockOptimum, name: 'lifted at block optimum', dash: 'dot' },
      { source: D.forwardLoss, name: 'forward loss', dash: 'dash' },
      { source: (p) => (D.blockRose.of(p) === 1 ? D.liftedObjective.of(p) : undefined), name: 'a block rose (must not)', mode: 'markers' },
    ],
  },
];

/** Fenchel's lifted pre-activation is U_l = W_l X_l + b_l from the lifted layer below (fenchel.ts liftedView). */
export const FENCHEL_LIFTED_VIEW: LiftedViewCapability = {
  reluOfLiftedShort: 'ReLU(lifted pre-activation)',
  reluOfLiftedLong: 'ReLU(U_l), U_l = W_l X_l + b_l from the lifted layer below',
  firstLayerNote: 'layer 1: the same as the forward pass, both start from the inputs',
  unavailableWhen: 'Fenchel needs full batch: batch size 0',
};
