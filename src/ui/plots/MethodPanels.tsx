import type { ReactNode } from 'react';
import { methodOf, runLabel } from '../../methods/registry';
import type { PanelContext, PanelSpec } from '../../methods/panel';
import { useStore } from '../../state/store';
import { runColor } from './colors';
import { ExtraPlot, LayerPlot } from './ExtraPlot';
import { LiftedActivationsPanel } from './LiftedActivationsPanel';
import { Plot } from './Plot';
import { xValue } from './series';

/**
 * Method-specific plots (swap plot, VI field diagnostics, per-layer residuals, ...): every panel that the methods
 * of the comparison declare in their folders (MethodEntry.panels), each once, in run order; then the
 * lifted-activations panel if a run's method has the liftedView capability.
 */
/**
 * The method panels of the comparison's runs, each once, in run order (declared in the method folders), then the
 * lifted-activations panel if a run's method has the liftedView capability. The stage shows one at a time.
 */
export function useMethodPanelList(): { id: string; element: ReactNode }[] {
  const runs = useStore((s) => s.experiment.runs);
  const seen = new Set<string>();
  const panels: { id: string; element: ReactNode }[] = [];
  let lifted = false;
  for (const r of runs) {
    const m = methodOf(r.algorithm);
    if (!m) continue;
    lifted ||= m.liftedView !== undefined;
    for (const p of m.panels ?? []) if (!seen.has(p.id)) { seen.add(p.id); panels.push({ id: p.id, element: <MethodPanel key={p.id} spec={p} /> }); }
  }
  if (lifted) panels.push({ id: 'lifted-activations', element: <LiftedActivationsPanel key="lifted-activations" /> });
  return panels;
}

export function MethodPanels() {
  const panels = useMethodPanelList();
  if (!panels.length) return null;
  return <div className="plots method-panels">{panels.map((p) => p.element)}</div>;
}

function MethodPanel({ spec }: { spec: PanelSpec }) {
  const xAxis = useStore((s) => s.experiment.view.xAxis);
  switch (spec.kind) {
    case 'series':
      return <ExtraPlot id={spec.id} title={spec.title} formula={spec.formula} subtitle={spec.subtitle} series={spec.series} yTitle={spec.yTitle} logY={spec.logY} height={spec.height} zeroLine={spec.zeroLine}
        hideWhenAbsent={spec.hideWhenAbsent} shapes={spec.shapes ? (points) => spec.shapes!(points, (p) => xValue(p, xAxis)) : undefined} />;
    case 'perLayer':
      return <LayerPlot id={spec.id} title={spec.title} formula={spec.formula} subtitle={spec.subtitle} metric={spec.metric} yTitle={spec.yTitle} logY={spec.logY} extraSeries={spec.extraSeries} onlyWhenPresent={spec.onlyWhenPresent} />;
    case 'custom':
      return <CustomPanel spec={spec} />;
  }
}

function CustomPanel({ spec }: { spec: Extract<PanelSpec, { kind: 'custom' }> }) {
  const experiment = useStore((s) => s.experiment);
  const runs = useStore((s) => s.runs);
  const hidden = useStore((s) => s.hiddenRuns);
  const revision = runs.map((r) => r.version).join(',') + hidden.join(',') + experiment.view.xAxis;
  const context = (): PanelContext => ({
    runs: runs.map((r, i) => ({ label: experiment.runs[i] ? runLabel(experiment.runs[i]) : '', color: runColor(i), hidden: !!hidden[i], points: r.points })),
    xAxis: experiment.view.xAxis,
  });
  return <Plot id={spec.id} title={spec.title} formula={spec.formula} subtitle={spec.subtitle} revision={revision} height={spec.height} build={() => spec.build(context())} />;
}
