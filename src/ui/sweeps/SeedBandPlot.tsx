import type { XAxis } from '../../engine/experiment';
import { runLabel } from '../../methods/registry';
import { seedCount } from '../../sweeps/jobs';
import { BAND_LABEL, bandOverSeeds, type EvalPoint } from '../../sweeps/stats';
import { useStore } from '../../state/store';
import { seedResults } from '../../sweeps/results';
import { runColor } from '../plots/colors';
import { Plot } from '../plots/Plot';
import { X_AXIS_LABELS } from '../plots/series';

export function evalX(p: EvalPoint, axis: XAxis): number {
  return axis === 'iteration' ? p.iteration : axis === 'epoch' ? p.epoch : axis === 'cost' ? p.cost : p.time;
}

/** Translucent fill in a run's colour. */
export function bandFill(i: number, alpha = 0.2): string {
  const hex = runColor(i).slice(1);
  const [r, g, b] = [0, 2, 4].map((k) => parseInt(hex.slice(k, k + 2), 16));
  return `rgba(${r},${g},${b},${alpha})`;
}

/**
 * One metric over the seeds of every run: the median as a line and the interquartile range as a band, in the
 * run's colour, on the comparison's x-axis. Only runs with at least one finished seed are drawn.
 */
export function SeedBandPlot({ metric }: { metric: 'trainLoss' | 'testAccuracy' }) {
  const experiment = useStore((s) => s.experiment);
  const hidden = useStore((s) => s.hiddenRuns);
  const results = useStore((s) => s.sweeps.results);
  const { xAxis, logY } = experiment.view;
  const n = seedCount(experiment);
  const title = `${metric === 'trainLoss' ? 'Training loss' : 'Test accuracy'}: median over N = ${n} seeds (${BAND_LABEL})`;
  return (
    <Plot
      id={`seeds-${metric}`}
      title={title}
      revision={[results, experiment, hidden]}
      height={300}
      build={() => {
        const data: unknown[] = [];
        experiment.runs.forEach((cfg, i) => {
          const reps = seedResults(experiment, results, i);
          if (!reps.length) return;
          const band = bandOverSeeds(
            reps.map((r) => {
              const pts = r.points.filter((p) => metric === 'trainLoss' || p.testAccuracy !== undefined);
              return {
                x: pts.map((p) => evalX(p, xAxis)),
                y: pts.map((p) => (metric === 'trainLoss' ? p.trainLoss : p.testAccuracy!)),
                // A diverged seed stays the worst value from then on (a loss of +∞, chance-or-worse accuracy of 0).
                afterEnd: r.status === 'diverged' ? (metric === 'trainLoss' ? Infinity : 0) : undefined,
              };
            }),
          );
          const name = `${i + 1}. ${runLabel(cfg)} (N = ${reps.length})`;
          const visible = hidden[i] ? 'legendonly' : true;
          const finite = (ys: number[]) => ys.map((y) => (Number.isFinite(y) ? y : null));
          data.push({ type: 'scatter', mode: 'lines', x: band.x, y: finite(band.lo), line: { width: 0, color: runColor(i) }, legendgroup: `s${i}`, showlegend: false, hoverinfo: 'skip', visible, name: `${name} 25th pct` });
          data.push({ type: 'scatter', mode: 'lines', x: band.x, y: finite(band.hi), fill: 'tonexty', fillcolor: bandFill(i), line: { width: 0, color: runColor(i) }, legendgroup: `s${i}`, showlegend: false, hoverinfo: 'skip', visible, name: `${name} 75th pct` });
          data.push({ type: 'scatter', mode: 'lines', x: band.x, y: finite(band.median), line: { width: 2, color: runColor(i) }, legendgroup: `s${i}`, name, visible });
        });
        return {
          data,
          layout: {
            xaxis: { title: { text: X_AXIS_LABELS[xAxis] } },
            yaxis: metric === 'trainLoss' ? { title: { text: 'training loss (full train set)' }, type: logY ? 'log' : 'linear' } : { title: { text: 'test accuracy' }, range: [0, 1.02] },
          },
        };
      }}
    />
  );
}
