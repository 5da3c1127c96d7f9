import type { MetricPoint } from '../../engine/types';
import { calloutOffset } from '../../ui/plots/plotLayout';
import { CG_INTERNALS_PANEL } from '../cg/panels';
import type { PanelContext, PanelSpec, RunStatusText } from '../panel';
import { TWO_PHASE_DIAGNOSTICS as D } from './twoPhase.diagnostics';

/** Two-phase Adam → CG (algorithms.md §2, "What to plot live"), drawn from TWO_PHASE_DIAGNOSTICS. */

interface EpochPoint {
  loss: number;
  norm: number;
  smoothed?: number;
  threshold?: number;
  phase: number;
}

function epochPoints(points: MetricPoint[]): EpochPoint[] {
  const out: EpochPoint[] = [];
  for (const p of points) {
    const loss = D.epochLoss.of(p);
    const norm = D.epochGradNorm.of(p);
    if (loss === undefined || norm === undefined || !(loss > 0) || !(norm > 0)) continue;
    out.push({ loss, norm, smoothed: D.epochGradNormSmoothed.of(p), threshold: D.threshold.of(p), phase: D.phase.of(p) ?? 0 });
  }
  return out;
}

/** The swap point of a run's points, if it happened. */
export function swapOf(points: MetricPoint[]): MetricPoint | undefined {
  return points.find((p) => D.swap.of(p) === 1);
}

/**
 * ‖∇L‖ against L on log–log axes, the loss axis reversed so that training moves left to right: rising norm = non-convex region, falling =
 * convex. Phase 0 (Adam) solid, phase 1 (CG) dotted; the swap starred; the running 0.9·g_max threshold; and the
 * slope-½ reference of a convex quadratic bowl (‖∇L‖ ∝ √(L − L*), with L* taken as 0).
 */
function gradNormVsLoss({ runs }: PanelContext) {
  const data: unknown[] = [];
  const swaps: { x: number; y: number; text: string; color: string }[] = [];
  let minLoss = Infinity;
  let refAnchor: EpochPoint | undefined;
  // The extent of the runs' own points (the axes follow it: plotLayout.cleanLogAxes), in log10.
  const extent = { x0: Infinity, x1: -Infinity, y0: Infinity, y1: -Infinity };
  runs.forEach((r, i) => {
    const pts = epochPoints(r.points);
    if (!pts.length) return;
    const name = `${i + 1}. ${r.label}`;
    const visible = r.hidden ? 'legendonly' : true;
    for (const phase of [0, 1]) {
      // include the last point of phase 0 in phase 1's line so the trajectory is continuous
      const sel = pts.filter((p, k) => p.phase === phase || (phase === 1 && pts[k + 1]?.phase === 1 && p.phase === 0));
      if (!sel.length) continue;
      data.push({ type: 'scatter', mode: 'lines+markers', x: sel.map((p) => p.loss), y: sel.map((p) => p.norm), name: `${name} — ${phase === 0 ? 'Adam phase' : 'CG phase'}`, legendgroup: `r${i}`, line: { color: r.color, width: 2, dash: phase === 0 ? 'solid' : 'dot' }, marker: { size: 3, color: r.color }, visible });
    }
    const thr = pts.filter((p) => p.threshold !== undefined && p.phase === 0);
    if (thr.length) data.push({ type: 'scatter', mode: 'lines', x: thr.map((p) => p.loss), y: thr.map((p) => p.threshold), name: `${name} — ρ·g_max threshold`, legendgroup: `r${i}`, line: { color: r.color, width: 1, dash: 'dashdot' }, opacity: 0.6, visible });
    const swap = swapOf(r.points);
    if (swap) {
      data.push({ type: 'scatter', mode: 'markers', x: [D.swapLoss.of(swap)], y: [D.swapGradNorm.of(swap)], name: `${name} — swap`, legendgroup: `r${i}`, marker: { symbol: 'star', size: 18, color: r.color, line: { color: '#000', width: 1 } }, visible });
      swaps.push({ x: D.swapLoss.of(swap)!, y: D.swapGradNorm.of(swap)!, text: `swap (epoch ${D.swapEpoch.of(swap) ?? '?'})`, color: r.color });
    }
    if (r.hidden) return;
    for (const p of pts) {
      if (p.loss < minLoss) { minLoss = p.loss; refAnchor = p; }
      extent.x0 = Math.min(extent.x0, Math.log10(p.loss));
      extent.x1 = Math.max(extent.x1, Math.log10(p.loss));
      extent.y0 = Math.min(extent.y0, Math.log10(p.norm));
      extent.y1 = Math.max(extent.y1, Math.log10(p.norm));
    }
  });
  if (refAnchor && Number.isFinite(minLoss)) {
    // slope ½ through the lowest point reached: ‖∇L‖ = c √L, over the losses the runs span (drawn further it set the
    // axis: 1e4 → 1 with the data in its right 15 %).
    const c = refAnchor.norm / Math.sqrt(refAnchor.loss);
    const xs = [refAnchor.loss, 10 ** extent.x1];
    data.push({ type: 'scatter', mode: 'lines', x: xs, y: xs.map((x) => c * Math.sqrt(x)), name: 'slope ½ (convex bowl)', line: { color: '#888', width: 1, dash: 'dash' } });
  }
  // Each swap's label points away from the nearer edges of the plot area, so that it is not cut off. On the reversed
  // loss axis the largest loss is at the left.
  const across = (v: number, lo: number, hi: number) => (hi > lo ? (v - lo) / (hi - lo) : 0.5);
  const annotations = swaps.map((sw) => ({
    x: Math.log10(sw.x), y: Math.log10(sw.y), text: sw.text, showarrow: true, arrowhead: 2, font: { color: sw.color },
    bgcolor: 'rgba(255,255,255,0.8)',
    ...calloutOffset(across(-Math.log10(sw.x), -extent.x1, -extent.x0), across(Math.log10(sw.y), extent.y0, extent.y1)),
  }));
  return {
    data,
    layout: {
      xaxis: { title: { text: 'training loss L (per epoch)' }, type: 'log', autorange: 'reversed' },
      yaxis: { title: { text: '‖∇L‖ (epoch)' }, type: 'log' },
      annotations: data.length ? annotations : [{ text: 'no epochs yet — press Run', showarrow: false, xref: 'paper', yref: 'paper', x: 0.5, y: 0.5 }],
    },
  };
}

export const TWO_PHASE_PANELS: PanelSpec[] = [
  { kind: 'custom', id: 'gradnorm-vs-loss', title: 'Gradient norm against loss', formula: String.raw`\lVert \nabla L \rVert \text{ vs } L`, subtitle: 'log–log, loss axis reversed: training moves left to right; the swap is at the peak', height: 360, build: gradNormVsLoss },
  CG_INTERNALS_PANEL,
];

/** Which phase the run is in, and where it swapped. */
export const twoPhaseStatus: RunStatusText = (points) => {
  const last = points[points.length - 1];
  const phase = last && D.phase.of(last);
  if (!last || phase === undefined) return null;
  const swap = swapOf(points);
  // The swap step itself is the last Adam step (CG runs from the next one): say so when paused right there.
  if (swap && last === swap && phase !== 1) return `phase: Adam → CG now (swap at epoch ${D.swapEpoch.of(swap) ?? '?'}, iteration ${swap.iteration})`;
  if (phase === 1) return swap ? `phase: CG (swapped at epoch ${D.swapEpoch.of(swap) ?? '?'}, iteration ${swap.iteration})` : 'phase: CG';
  return 'phase: Adam (watching ‖∇L‖ for the peak)';
};
