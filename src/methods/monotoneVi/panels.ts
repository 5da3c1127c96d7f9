import type { PanelSpec, RunStatusText } from '../panel';
import { VI_DIAGNOSTICS as VI } from './monotoneVi.diagnostics';

/** Monotone-VI diagnostics (algorithms.md §1, "What to plot live"), as data the shared UI draws (VI_DIAGNOSTICS). */
export const VI_PANELS: PanelSpec[] = [
  {
    kind: 'series', id: 'vi-theta', title: 'Distance to the planted parameter', formula: String.raw`\lVert \theta - \theta^\ast \rVert / \lVert \theta^\ast \rVert`, subtitle: 'and to the empirical zero of the field, θ̂', yTitle: 'relative error', logY: true, hideWhenAbsent: true,
    series: [{ source: VI.thetaErr, name: '‖θ−θ*‖/‖θ*‖' }, { source: VI.thetaHatErr, name: '‖θ−θ̂‖/‖θ̂‖', dash: 'dot' }],
  },
  {
    kind: 'series', id: 'vi-monotonicity', title: 'Monotonicity check', formula: String.raw`\langle D(\theta_k) - D(\theta_{k-1}), \Delta\theta \rangle / \lVert \Delta\theta \rVert^2`, subtitle: 'never below 0 for a monotone field', yTitle: 'm_k / ‖Δθ‖²', zeroLine: true,
    series: [{ source: VI.monoRatio, name: 'm_k/‖Δθ‖²', mode: 'markers' }],
  },
  {
    kind: 'series', id: 'vi-norms', title: 'Field and gradient norms', formula: String.raw`\lVert F(\theta) \rVert,\ \lVert \nabla L(\theta) \rVert`, yTitle: 'norm', logY: true,
    series: [{ source: VI.fieldNorm, name: '‖F‖' }, { source: VI.gradNorm, name: '‖∇L‖', dash: 'dot' }],
  },
  { kind: 'perLayer', id: 'vi-cosine', title: 'Cosine between field and gradient per layer', formula: String.raw`\cos(F, \nabla L)`, subtitle: '1 for a cross-entropy last layer', metric: VI.layer.cosine, yTitle: 'cos(F, ∇L)' },
];

/** With a warm start the method follows the monotone field first, then the ordinary gradient (its phase). */
export const viStatus: RunStatusText = (points) => {
  const last = points[points.length - 1];
  const phase = last && VI.phase.of(last);
  if (phase === undefined) return null;
  return phase === 1 ? 'phase: ordinary gradient (after warm start)' : 'phase: monotone field';
};
