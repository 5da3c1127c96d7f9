import { useStore } from '../../state/store';
import { ExtraPlot, LayerPlot, layersOf } from '../../ui/plots/ExtraPlot';
import { xValue } from '../../ui/plots/series';
import type { MetricPoint } from '../../workers/protocol';
import type { XAxis } from '../../engine/experiment';

/**
 * mDLAM's diagnostic panels (algorithms.md §3, "What to plot live"): per-layer residuals (one line per layer
 * (dash) and run (colour), log scale), the lifted objective, the extrapolation share and the backtracking
 * constants. Keys from mdlam.ts.
 */
export function MdlamResidualPanel() {
  const runs = useStore((s) => s.runs);
  const has = (m: string) => layersOf(runs, m).length > 0;
  return (
    <>
      {has('linResidual') && <LayerPlot id="res-linear" title="mDLAM linear residual ‖z_l − W_l a_{l−1} − b_l‖/√(n_l N) per layer" metric="linResidual" yTitle="residual" logY />}
      {has('actGap') && (
        <LayerPlot id="res-activation" title="mDLAM activation gap ‖a_l − ReLU(z_l)‖/√(n_l N) inside the ε-tube (ε dashed)" metric="actGap" yTitle="gap" logY
          extraSeries={[{ key: 'eps', name: 'ε', dash: 'longdash' }]} />
      )}
    </>
  );
}

/** Event markers (x positions) of a flag key, for shapes on a plot. */
function eventLines(points: MetricPoint[][], key: string, xAxis: XAxis, color: string) {
  const shapes: unknown[] = [];
  for (const pts of points)
    for (const p of pts)
      if (p.extra[key] === 1) {
        const x = xValue(p, xAxis);
        shapes.push({ type: 'line', xref: 'x', yref: 'paper', x0: x, x1: x, y0: 0, y1: 1, line: { color, width: 1, dash: 'dot' } });
      }
  return shapes;
}

export function MdlamObjectivePlot() {
  const xAxis = useStore((s) => s.experiment.view.xAxis);
  return (
    <ExtraPlot id="mdlam-objective" title="mDLAM lifted objective F (red ✕ where it rose — there must be none at fixed ε; grey lines: ε changed)" yTitle="F" logY hideWhenAbsent
      series={[
        { key: 'objective', name: 'F' },
        { key: (p) => (p.extra.objectiveRose === 1 ? p.extra.objective : undefined), name: 'F rose', mode: 'markers' },
      ]}
      shapes={(points) => eventLines(points, 'epsChanged', xAxis, '#999')} />
  );
}

export function MdlamAccelerationPlot() {
  return (
    <ExtraPlot id="mdlam-extrapolation" title="Share of blocks whose extrapolated (Nesterov) update was accepted by the monotone safeguard" yTitle="share accepted" hideWhenAbsent
      series={[{ key: 'extrapAccepted', name: 'accepted', mode: 'markers' }]} />
  );
}

/**
 * Why the forward accuracy stalls (issue 14): how much each W_l still moves per sweep, and how far the lifted
 * pre-activations z_l are from what the forward network computes with the same W, b (layer L: lifted output vs
 * network output). In the paper's method the hidden layers' relative change falls with ε while the output gap
 * stays: the lifted network fits the labels on its own and the forward network is left behind.
 */
export function MdlamFreezePanel() {
  const runs = useStore((s) => s.runs);
  if (layersOf(runs, 'relChangeW').length === 0) return null;
  return (
    <>
      <LayerPlot id="mdlam-relchange" title="mDLAM relative change of W per sweep ‖ΔW_l‖/‖W_l‖ (hidden layers frozen when it falls to ~0)" metric="relChangeW" yTitle="‖ΔW‖/‖W‖" logY />
      <LayerPlot id="mdlam-forwardgap" title="mDLAM lifted vs forward: ‖z_l − forward pre-activation‖/√(n_l N) (last layer: lifted output vs network output)" metric="forwardGap" yTitle="gap" logY />
    </>
  );
}

export function MdlamBacktrackingPlot() {
  return <LayerPlot id="mdlam-theta" title="mDLAM backtracking constants θ (W step) per layer" metric="theta" yTitle="θ" logY />;
}

export const MDLAM_PANELS = [MdlamResidualPanel, MdlamFreezePanel, MdlamObjectivePlot, MdlamAccelerationPlot, MdlamBacktrackingPlot];
