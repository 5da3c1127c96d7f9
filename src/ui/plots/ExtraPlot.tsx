import { runLabels } from '../../methods/runLabels';
import { useStore } from '../../state/store';
import type { Diagnostic, LayerDiagnostic } from '../../engine/diagnostics';
import type { MetricPoint } from '../../engine/types';
import type { SeriesSpec } from '../../methods/panel';
import { runColor } from './colors';
import { Plot } from './Plot';
import { series, X_AXIS_LABELS } from './series';
import { cachedSeries } from './seriesCache';
import { columnGrid, decimateToColumns } from './columnDecimation';

const DASHES = ['solid', 'dash', 'dot', 'dashdot', 'longdash', 'longdashdot'];

/** One line of an ExtraPlot (the method panels' SeriesSpec). */
export type ExtraSeries = SeriesSpec;

/**
 * A plot of method-specific series (from each point's `extra`) for every run of the comparison that emits them:
 * colour = run, dash = series. Runs that emit none of the series are left out; with no data the plot says why.
 */
export function ExtraPlot(props: { id: string; title: string; formula?: string; subtitle?: string; series: ExtraSeries[]; yTitle: string; logY?: boolean; height?: number; zeroLine?: boolean; shapes?: (points: MetricPoint[][]) => unknown[]; hideWhenAbsent?: boolean }) {
  const experiment = useStore((s) => s.experiment);
  const labels = runLabels(experiment.runs);
  const runs = useStore((s) => s.runs);
  const hidden = useStore((s) => s.hiddenRuns);
  if (props.hideWhenAbsent && runs.some((r) => r.points.length > 0)) {
    // Hide a plot whose series no run emits (e.g. ‖θ − θ*‖ without a planted θ*), once data is flowing.
    const keys = props.series.map((s) => s.source).filter((d): d is Diagnostic => typeof d !== 'function').map((d) => d.key);
    const present = runs.some((r) => r.points.slice(-50).some((p) => keys.some((k) => k in p.extra)));
    if (!present) return null;
  }
  const xAxis = experiment.view.xAxis;
  const revision = runs.map((r) => r.version).join(',') + hidden.join(',') + xAxis;
  return (
    <Plot
      id={props.id}
      title={props.title}
      formula={props.formula}
      subtitle={props.subtitle}
      revision={revision}
      height={props.height ?? 280}
      build={({ columns }) => {
        const data: unknown[] = [];
        const picked = runs.map((r, i) =>
          experiment.runs[i]
            ? props.series.map((sdef) => {
                const source = sdef.source;
                return typeof source === 'function' ? series(r.points, xAxis, source) : cachedSeries(r.points, xAxis, `extra.${source.key}`, source.of);
              })
            : [],
        );
        // One column grid for every line, so that all are cut at the same pixel columns.
        const grid = columnGrid(picked.flat(), columns);
        picked.forEach((lines, i) => {
          lines.forEach((s, k) => {
            const sdef = props.series[k];
            if (!s.x.length) return;
            // Markers are drawn all (no line to decimate); copied, since the cached series grows in place and plotly
            // takes an array it has seen before for unchanged data.
            const d = sdef.mode === 'markers' ? { x: s.x.slice(), y: s.y.slice() } : decimateToColumns(s.x, s.y, grid);
            data.push({
              type: 'scatter',
              mode: sdef.mode ?? 'lines',
              x: d.x,
              y: d.y,
              name: `${i + 1}. ${labels[i]} — ${sdef.name}`,
              line: { color: runColor(i), width: 2, dash: sdef.dash ?? DASHES[k % DASHES.length] },
              marker: { color: runColor(i), size: 4 },
              visible: hidden[i] ? 'legendonly' : true,
            });
          });
        });
        const shapes = props.shapes ? props.shapes(runs.map((r) => r.points)) : [];
        return {
          data,
          layout: {
            xaxis: { title: { text: X_AXIS_LABELS[xAxis] } },
            yaxis: { title: { text: props.yTitle }, type: props.logY ? 'log' : 'linear', zeroline: props.zeroLine ?? false, zerolinewidth: 2 },
            shapes,
            annotations: data.length ? [] : [{ text: 'no data yet — press Run', showarrow: false, xref: 'paper', yref: 'paper', x: 0.5, y: 0.5 }],
          },
        };
      }}
    />
  );
}

/** Layer indices l present as `layer<l>.<metric>` in any point of any run. */
export function layersOf(runs: { points: MetricPoint[] }[], metric: string): number[] {
  const found = new Set<number>();
  const re = new RegExp(`^layer(\\d+)\\.${metric.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
  for (const r of runs) {
    const p = r.points[r.points.length - 1];
    if (!p) continue;
    for (const k of Object.keys(p.extra)) {
      const m = re.exec(k);
      if (m) found.add(Number(m[1]));
    }
  }
  return Array.from(found).sort((a, b) => a - b);
}

/** One line per layer (dash = layer) and run (colour) for a per-layer diagnostic (`layer<l>.<metric>` in `extra`). */
export function LayerPlot(props: { id: string; title: string; formula?: string; subtitle?: string; metric: LayerDiagnostic; yTitle: string; logY?: boolean; extraSeries?: ExtraSeries[]; onlyWhenPresent?: boolean }) {
  const runs = useStore((s) => s.runs);
  const { metric } = props;
  const layers = layersOf(runs, metric.metric);
  if (props.onlyWhenPresent && layers.length === 0) return null;
  const series: ExtraSeries[] = [
    ...layers.map((l, k) => ({ source: { key: metric.key(l), of: (p: MetricPoint) => metric.of(p, l) }, name: `layer ${l}`, dash: DASHES[k % DASHES.length] })),
    ...(props.extraSeries ?? []),
  ];
  return <ExtraPlot id={props.id} title={props.title} formula={props.formula} subtitle={props.subtitle} series={series} yTitle={props.yTitle} logY={props.logY} />;
}
