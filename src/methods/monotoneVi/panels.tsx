import { ExtraPlot, LayerPlot } from '../../ui/plots/ExtraPlot';

/**
 * Monotone-VI diagnostics (algorithms.md §1, "What to plot live"). Keys come from
 * monotoneVi.ts: thetaErr, thetaHatErr, gap, fieldNorm, gradNorm, mono, monoRatio,
 * layer<l>.cosine, stepUsed.
 */
export function ViParameterErrorPlot() {
  return (
    <ExtraPlot id="vi-theta" title="Distance to the planted parameter ‖θ − θ*‖/‖θ*‖ (and to the empirical zero θ̂)" yTitle="relative error" logY hideWhenAbsent
      series={[{ key: 'thetaErr', name: '‖θ−θ*‖/‖θ*‖' }, { key: 'thetaHatErr', name: '‖θ−θ̂‖/‖θ̂‖', dash: 'dot' }]} />
  );
}

export function ViFieldNormPlot() {
  return (
    <ExtraPlot id="vi-norms" title="Field and gradient norms, ‖F(θ)‖ and ‖∇L(θ)‖" yTitle="norm" logY
      series={[{ key: 'fieldNorm', name: '‖F‖' }, { key: 'gradNorm', name: '‖∇L‖', dash: 'dot' }]} />
  );
}

export function ViMonotonicityPlot() {
  return (
    <ExtraPlot id="vi-monotonicity" title="Monotonicity check m_k/‖Δθ‖² = ⟨D(θ_k) − D(θ_{k−1}), Δθ⟩/‖Δθ‖² (≥ 0 for a monotone field)" yTitle="m_k / ‖Δθ‖²" zeroLine
      series={[{ key: 'monoRatio', name: 'm_k/‖Δθ‖²', mode: 'markers' }]} />
  );
}

export function ViCosinePlot() {
  return <LayerPlot id="vi-cosine" title="Cosine between field and gradient, per layer (1 for a cross-entropy last layer)" metric="cosine" yTitle="cos(F, ∇L)" />;
}

export const VI_PANELS = [ViParameterErrorPlot, ViMonotonicityPlot, ViFieldNormPlot, ViCosinePlot];
