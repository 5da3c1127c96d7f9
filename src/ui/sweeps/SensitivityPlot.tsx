import { runLabel } from '../../methods/registry';
import { seedCount, sweepCostPerMethod } from '../../sweeps/jobs';
import { BAND_LABEL } from '../../sweeps/stats';
import { useStore } from '../../state/store';
import { sweepMetric, sweepResults } from '../../sweeps/results';
import { runColor } from '../plots/colors';
import { Plot } from '../plots/Plot';
import { bandFill } from './SeedBandPlot';

const DASHES = ['solid', 'dash', 'dot', 'dashdot', 'longdash', 'longdashdot'];

/**
 * Sensitivity of the final metric to the swept hyperparameter: one line per swept method (median over seeds, with
 * the interquartile band), x on a log scale. With two axes, one line per value of the second axis (dash style).
 */
export function SensitivityPlot() {
  const experiment = useStore((s) => s.experiment);
  const results = useStore((s) => s.sweeps.results);
  const sweep = experiment.protocol?.sweep;
  if (!sweep) return null;
  const metric = sweepMetric(experiment);
  const metricText = metric === 'trainLoss' ? 'final training loss' : 'final test accuracy';
  const [ax0, ax1] = sweep.axes;
  const title = `Sensitivity: ${metricText} against ${ax0.key} (budget ${sweep.trialCost} cost units per trial, N = ${seedCount(experiment)} seeds; ${BAND_LABEL})`;
  return (
    <Plot
      id="sensitivity"
      title={title}
      revision={[results, experiment]}
      build={() => {
        const data: unknown[] = [];
        for (const i of sweep.runs) {
          const cfg = experiment.runs[i];
          if (!cfg) continue;
          const rows = sweepResults(experiment, results, i);
          const groups = new Map<number | null, typeof rows>();
          for (const r of rows) {
            const g = ax1 ? r.setting[ax1.key] : null;
            groups.set(g, [...(groups.get(g) ?? []), r]);
          }
          [...groups.entries()].forEach(([g, rs], gi) => {
            rs.sort((a, b) => a.setting[ax0.key] - b.setting[ax0.key]);
            const x = rs.map((r) => r.setting[ax0.key]);
            const fin = (v: number) => (Number.isFinite(v) ? v : null);
            const name = `${i + 1}. ${runLabel(cfg)}${g !== null ? `, ${ax1!.key} = ${Number(g.toPrecision(3))}` : ''}`;
            data.push({ type: 'scatter', mode: 'lines', x, y: rs.map((r) => fin(r.spread.q1)), line: { width: 0, color: runColor(i) }, showlegend: false, hoverinfo: 'skip', legendgroup: name });
            data.push({ type: 'scatter', mode: 'lines', x, y: rs.map((r) => fin(r.spread.q3)), fill: 'tonexty', fillcolor: bandFill(i, 0.15), line: { width: 0, color: runColor(i) }, showlegend: false, hoverinfo: 'skip', legendgroup: name });
            data.push({
              type: 'scatter',
              mode: 'lines+markers',
              x,
              y: rs.map((r) => fin(r.spread.median)),
              name,
              legendgroup: name,
              line: { width: 2, color: runColor(i), dash: DASHES[gi % DASHES.length] },
              marker: { size: 7, symbol: rs.map((r) => (Number.isFinite(r.spread.median) ? 'circle' : 'x')) },
              text: rs.map((r) => `N = ${r.spread.n}${r.spread.max === Infinity || (metric === 'testAccuracy' && r.spread.min === 0) ? ' (a seed diverged)' : ''}`),
            });
          });
        }
        return {
          data,
          layout: {
            xaxis: { title: { text: `${ax0.key} (log scale)` }, type: 'log' },
            yaxis: metric === 'trainLoss' ? { title: { text: metricText }, type: 'log' } : { title: { text: metricText }, range: [0, 1.02] },
            annotations: [{ xref: 'paper', yref: 'paper', x: 1, y: 1, xanchor: 'right', yanchor: 'bottom', showarrow: false, font: { size: 11 }, text: `${sweepCostPerMethod(experiment)} cost units per method` }],
          },
        };
      }}
    />
  );
}
