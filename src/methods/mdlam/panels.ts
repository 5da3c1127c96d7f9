import type { Diagnostic } from '../../engine/diagnostics';
import type { MetricPoint } from '../../engine/types';
import type { LiftedViewCapability, PanelSpec } from '../panel';
import { MDLAM_DIAGNOSTICS as D } from './mdlam.diagnostics';

/**
 * mDLAM's diagnostics (algorithms.md §3, "What to plot live"), as data the shared UI draws: per-layer residuals
 * (one line per layer (dash) and run (colour), log scale), the lifted objective, the extrapolation share and the
 * backtracking constants (MDLAM_DIAGNOSTICS).
 */

/** Event markers (x positions) of a flag, for shapes on a plot. */
function eventLines(points: MetricPoint[][], flag: Diagnostic, xOf: (p: MetricPoint) => number, color: string) {
  const shapes: unknown[] = [];
  for (const pts of points)
    for (const p of pts)
      if (flag.of(p) === 1) {
        const x = xOf(p);
        shapes.push({ type: 'line', xref: 'x', yref: 'paper', x0: x, x1: x, y0: 0, y1: 1, line: { color, width: 1, dash: 'dot' } });
      }
  return shapes;
}

export const MDLAM_PANELS: PanelSpec[] = [
  { kind: 'perLayer', id: 'res-linear', title: 'mDLAM linear residual per layer', formula: String.raw`\lVert z_l - W_l a_{l-1} - b_l \rVert / \sqrt{n_l N}`, subtitle: 'how far each lifted pre-activation is from its layer’s linear map', metric: D.layer.linResidual, yTitle: 'residual', logY: true, onlyWhenPresent: true },
  {
    kind: 'perLayer', id: 'res-activation', title: 'mDLAM activation gap per layer', formula: String.raw`\lVert a_l - \mathrm{ReLU}(z_l) \rVert / \sqrt{n_l N}`, subtitle: 'kept inside the ε-tube (ε dashed)', metric: D.layer.actGap, yTitle: 'gap', logY: true, onlyWhenPresent: true,
    extraSeries: [{ source: D.eps, name: 'ε', dash: 'longdash' }],
  },
  // Why the forward accuracy stalls (issue 14): how much each W_l still moves per sweep, and how far the lifted
  // pre-activations z_l are from what the forward network computes with the same W, b (layer L: lifted output vs
  // network output). In the paper's method the hidden layers' relative change falls with ε while the output gap
  // stays: the lifted network fits the labels on its own and the forward network is left behind.
  { kind: 'perLayer', id: 'mdlam-relchange', title: 'mDLAM change of the weights per sweep', formula: String.raw`\lVert \Delta W_l \rVert / \lVert W_l \rVert`, subtitle: 'a hidden layer whose line falls towards 0 has stopped learning (frozen)', metric: D.layer.relChangeW, yTitle: '‖ΔW‖/‖W‖', logY: true, onlyWhenPresent: true },
  { kind: 'perLayer', id: 'mdlam-forwardgap', title: 'mDLAM lifted vs forward network', formula: String.raw`\lVert z_l - z_l^{\text{forward}} \rVert / \sqrt{n_l N}`, subtitle: 'lifted pre-activations against the forward pass; the last layer compares the lifted output with the network’s', metric: D.layer.forwardGap, yTitle: 'gap', logY: true, onlyWhenPresent: true },
  {
    kind: 'series', id: 'mdlam-objective', title: 'mDLAM lifted objective', formula: 'F', subtitle: 'red ✕ where it rose (there must be none while ε is fixed); grey lines: ε changed', yTitle: 'F', logY: true, hideWhenAbsent: true,
    series: [
      { source: D.objective, name: 'F' },
      { source: (p) => (D.objectiveRose.of(p) === 1 ? D.objective.of(p) : undefined), name: 'F rose', mode: 'markers' },
    ],
    shapes: (points, x) => eventLines(points, D.epsChanged, x, '#999'),
  },
  {
    kind: 'series', id: 'mdlam-extrapolation', title: 'mDLAM extrapolation accepted', subtitle: 'share of blocks whose extrapolated (Nesterov) update passed the monotone safeguard', yTitle: 'share accepted', hideWhenAbsent: true,
    series: [{ source: D.extrapAccepted, name: 'accepted', mode: 'markers' }],
  },
  { kind: 'perLayer', id: 'mdlam-theta', title: 'mDLAM backtracking constants per layer', formula: String.raw`\theta_l`, subtitle: 'the W step’s curvature estimate; the step is 1/θ', metric: D.layer.theta, yTitle: 'θ', logY: true },
];

/** For mDLAM "lifted pre-activation" is the variable z_l itself (liftedView.ts). */
export const MDLAM_LIFTED_VIEW: LiftedViewCapability = {
  reluOfLiftedShort: 'ReLU(z)',
  reluOfLiftedLong: 'ReLU(z_l), z_l the lifted pre-activation (the ε-tube bounds |a_l − ReLU(z_l)|)',
  tolerance: { diagnostic: D.eps, label: 'ε' },
};
