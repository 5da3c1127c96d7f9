import type { MetricPoint } from '../../engine/types';
import { CG_INTERNALS_PANEL } from '../cg/panels';
import type { PanelContext, PanelSpec, RunStatusText } from '../panel';

/**
 * Two-phase Adam → CG (algorithms.md §2, "What to plot live"). Keys from twoPhase.ts:
 * phase, epochLoss, epochGradNorm, epochGradNormSmoothed, threshold, swap, swapLoss, swapGradNorm, swapEpoch,
 * alpha, beta, restart, lineSearchEvals, dirDeriv, curvature.
 */

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
    const loss = p.extra.epochLoss;
    const norm = p.extra.epochGradNorm;
    if (loss === undefined || norm === undefined || !(loss > 0) || !(norm > 0)) continue;
    out.push({ loss, norm, smoothed: p.extra.epochGradNormSmoothed, threshold: p.extra.threshold, phase: p.extra.phase ?? 0 });
  }
  return out;
}

/** The swap point of a run's points, if it happened. */
export function swapOf(points: MetricPoint[]): MetricPoint | undefined {
  return points.find((p) => p.extra.swap === 1);
}

/**
 * ‖∇L‖ against L on log–log axes, the loss axis reversed so that training moves left to right: rising norm = non-convex region, falling =
 * convex. Phase 0 (Adam) solid, phase 1 (CG) dotted; the swap starred; the running 0.9·g_max threshold; and the
 * slope-½ reference of a convex quadratic bowl (‖∇L‖ ∝ √(L − L*), with L* taken as 0).
 */
function gradNormVsLoss({ runs }: PanelContext) {
  const data: unknown[] = [];
  const annotations: unknown[] = [];
  let minLoss = Infinity;
  let refAnchor: EpochPoint | undefined;
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
      data.push({ type: 'scatter', mode: 'markers', x: [swap.extra.swapLoss], y: [swap.extra.swapGradNorm], name: `${name} — swap`, legendgroup: `r${i}`, marker: { symbol: 'star', size: 18, color: r.color, line: { color: '#000', width: 1 } }, visible });
      annotations.push({ x: Math.log10(swap.extra.swapLoss), y: Math.log10(swap.extra.swapGradNorm), text: `swap (epoch ${swap.extra.swapEpoch ?? '?'})`, showarrow: true, arrowhead: 2, ax: 40, ay: -30, font: { color: r.color } });
    }
    for (const p of pts) if (p.loss < minLoss) { minLoss = p.loss; refAnchor = p; }
  });
  if (refAnchor && Number.isFinite(minLoss)) {
    // slope ½ through the lowest point reached: ‖∇L‖ = c √L
    const c = refAnchor.norm / Math.sqrt(refAnchor.loss);
    const xs = [refAnchor.loss, refAnchor.loss * 1e4];
    data.push({ type: 'scatter', mode: 'lines', x: xs, y: xs.map((x) => c * Math.sqrt(x)), name: 'slope ½ (convex bowl)', line: { color: '#888', width: 1, dash: 'dash' } });
  }
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
  if (!last || last.extra.phase === undefined) return null;
  const swap = swapOf(points);
  // The swap step itself is the last Adam step (CG runs from the next one): say so when paused right there.
  if (swap && last === swap && last.extra.phase !== 1) return `phase: Adam → CG now (swap at epoch ${swap.extra.swapEpoch ?? '?'}, iteration ${swap.iteration})`;
  if (last.extra.phase === 1) return swap ? `phase: CG (swapped at epoch ${swap.extra.swapEpoch ?? '?'}, iteration ${swap.iteration})` : 'phase: CG';
  return 'phase: Adam (watching ‖∇L‖ for the peak)';
};
