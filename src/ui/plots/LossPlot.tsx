import { lossPlotMarkersOf, reachedEvent } from '../../methods/events';
import type { MethodEvent } from '../../engine/hyper';
import { runLabels } from '../../methods/runLabels';
import { useStore } from '../../state/store';
import { runColor } from './colors';
import { Plot } from './Plot';
import { xValue, X_AXIS_LABELS } from './series';
import { cachedSeries, cachedSmoothedSeries } from './seriesCache';
import { columnGrid, decimateToColumns } from './columnDecimation';
import type { MetricPoint } from '../../engine/types';
import type { Experiment, XAxis } from '../../engine/experiment';
import { accuracyRange } from './plotLayout';

/**
 * Vertical markers for run events that change the method (the events its spec declares with marksLossPlot, e.g. a
 * swap between phases), each in its run's colour and labelled. A label reads away from the nearer side of the plot
 * (at the right edge it was cut to "3: swap → C"), and labels of several runs are stacked instead of overlapping.
 */
function eventMarkers(points: MetricPoint[][], xAxis: XAxis, hidden: boolean[], events: MethodEvent[][]) {
  const shapes: unknown[] = [];
  const annotations: unknown[] = [];
  let x0 = Infinity;
  let x1 = -Infinity;
  points.forEach((pts, i) => {
    if (hidden[i] || !pts.length) return;
    x0 = Math.min(x0, xValue(pts[0], xAxis));
    x1 = Math.max(x1, xValue(pts[pts.length - 1], xAxis));
  });
  points.forEach((pts, i) => {
    if (hidden[i] || !events[i]?.length) return;
    for (const p of pts) {
      const label = events[i].find((e) => reachedEvent(e, p))?.label;
      if (!label) continue;
      const x = xValue(p, xAxis);
      const right = x1 > x0 && (x - x0) / (x1 - x0) > 0.5;
      shapes.push({ type: 'line', xref: 'x', yref: 'paper', x0: x, x1: x, y0: 0, y1: 1, line: { color: runColor(i), width: 2, dash: 'dash' } });
      // Inside the plot area, under its top edge: above it is the legend's place.
      annotations.push({ x, xref: 'x', yref: 'paper', y: 1, yanchor: 'top', xanchor: right ? 'right' : 'left', xshift: right ? -3 : 3, yshift: -18 * annotations.length, bgcolor: 'rgba(255,255,255,0.8)', text: `${i + 1}: ${label}`, showarrow: false, font: { color: runColor(i), size: 11 } });
    }
  });
  return { shapes, annotations };
}

/** Loss of every run, overlaid: the step loss (smoothed as chosen) and, dotted, test loss at evaluation points. */
export function LossPlot() {
  const experiment = useStore((s) => s.experiment);
  const labels = runLabels(experiment.runs);
  const runs = useStore((s) => s.runs);
  const hidden = useStore((s) => s.hiddenRuns);
  const { xAxis, logY, smoothing } = experiment.view;
  const revision = runs.map((r) => r.version).join(',') + hidden.join(',') + xAxis + logY + smoothing;
  return (
    <Plot
      id="loss"
      title="Training loss"
      subtitle={`solid: loss of each step${smoothing > 0 ? ` (smoothed ${smoothing})` : ''} · dotted: test loss`}
      revision={revision}
      build={({ columns }) => {
        const data: unknown[] = [];
        const shown = runs.map((r, i) =>
          experiment.runs[i] ? { step: cachedSmoothedSeries(r.points, xAxis, 'loss', (p) => p.loss, smoothing), test: cachedSeries(r.points, xAxis, 'testLoss', (p) => p.testLoss) } : null,
        );
        // One column grid for every trace, so that all runs are cut at the same pixel columns.
        const grid = columnGrid(shown.flatMap((s) => (s ? [s.step, s.test] : [])), columns);
        const breaks: { x: number; y: number | null; run: number }[] = [];
        shown.forEach((s, i) => {
          if (!s) return;
          const d = decimateToColumns(s.step.x, s.step.y, grid);
          for (const b of d.breaks) breaks.push({ ...b, run: i });
          const name = `${i + 1}. ${labels[i]}`;
          data.push({ type: 'scatter', mode: 'lines', x: d.x, y: d.y, name, legendgroup: `r${i}`, line: { color: runColor(i), width: 2 }, visible: hidden[i] ? 'legendonly' : true });
          const t = decimateToColumns(s.test.x, s.test.y, grid);
          if (t.x.length)
            data.push({ type: 'scatter', mode: 'lines', x: t.x, y: t.y, name: `${name} (test)`, legendgroup: `r${i}`, showlegend: false, line: { color: runColor(i), width: 1.5, dash: 'dot' }, visible: hidden[i] ? 'legendonly' : true });
        });
        // A divergence (the loss became NaN or ∞) breaks the line; a cross where the curve left off says why.
        const marked = breaks.filter((b) => b.y !== null && !hidden[b.run]);
        if (marked.length)
          data.push({ type: 'scatter', mode: 'markers', x: marked.map((b) => b.x), y: marked.map((b) => b.y), name: 'loss not finite (diverged)', marker: { symbol: 'x-thin-open', size: 12, line: { width: 3 }, color: marked.map((b) => runColor(b.run)) }, hoverinfo: 'x+name' });
        const empty = data.every((t) => !(t as { x: unknown[] }).x.length);
        return {
          data,
          layout: {
            xaxis: { title: { text: X_AXIS_LABELS[xAxis] }, ...(empty ? { range: emptyXRange(experiment, xAxis) } : {}) },
            yaxis: { title: { text: 'loss' }, type: logY ? 'log' : 'linear', ...(empty && !logY ? { range: [0, 2.5] } : {}) },
            ...eventMarkers(runs.map((r) => r.points), xAxis, hidden, runs.map((_, i) => lossPlotMarkersOf(experiment.runs[i]?.algorithm ?? ''))),
          },
        };
      }}
    />
  );
}

/**
 * The x range of empty axes before Run: the iteration budget on an iteration axis (where the curves will go),
 * 0 … 1 on the others (epochs, cost and seconds are not known in advance).
 */
function emptyXRange(experiment: Experiment, xAxis: XAxis): [number, number] {
  return xAxis === 'iteration' ? [0, experiment.training.maxIterations] : [0, 1];
}

/** Test accuracy at evaluation points (classification only); the axis zooms to the data on request. */
export function AccuracyPlot() {
  const experiment = useStore((s) => s.experiment);
  const labels = runLabels(experiment.runs);
  const runs = useStore((s) => s.runs);
  const hidden = useStore((s) => s.hiddenRuns);
  const zoom = useStore((s) => s.accuracyZoom);
  const setZoom = useStore((s) => s.setAccuracyZoom);
  const { xAxis } = experiment.view;
  const accuracyOf = (p: MetricPoint) => p.testAccuracy;
  // Redraw when an evaluation point arrives, not on every step's points (accuracy is recorded every evalEvery steps):
  // those redraws drew the same lines and took the main thread from the loss plot (issue 29).
  const revision = [runs.map((r) => cachedSeries(r.points, xAxis, 'testAccuracy', accuracyOf).x.length).join(','), labels.join('|'), hidden.join(','), xAxis, zoom].join(';');
  return (
    <Plot
      id="accuracy"
      title="Test accuracy"
      subtitle={zoom ? 'axis zoomed to the data' : undefined}
      revision={revision}
      height={260}
      controls={
        <button className="plot-control" aria-pressed={zoom} onClick={() => setZoom(!zoom)} data-testid="accuracy-zoom"
          title="Zoom the accuracy axis to the data (runs at 0.90 and 0.92 then look different), or show 0 – 1">
          {zoom ? 'show 0 – 1' : 'zoom to data'}
        </button>
      }
      build={({ columns }) => {
        const shownSeries = runs.map((r, i) => (experiment.runs[i] ? cachedSeries(r.points, xAxis, 'testAccuracy', accuracyOf) : null));
        const grid = columnGrid(shownSeries.flatMap((s) => (s ? [s] : [])), columns);
        const data = shownSeries.flatMap((s0, i) => {
          if (!s0) return [];
          const s = decimateToColumns(s0.x, s0.y, grid);
          return [{ type: 'scatter', mode: 'lines', x: s.x, y: s.y, name: `${i + 1}. ${labels[i]}`, line: { color: runColor(i), width: 2 }, visible: hidden[i] ? 'legendonly' : true }];
        });
        const shown = data.filter((_, k) => !hidden[k]).flatMap((t) => t.y);
        const empty = data.every((t) => !t.x.length);
        return {
          data,
          layout: {
            xaxis: { title: { text: X_AXIS_LABELS[xAxis] }, ...(empty ? { range: emptyXRange(experiment, xAxis) } : {}) },
            yaxis: { title: { text: 'accuracy' }, range: accuracyRange(shown, zoom) },
          },
        };
      }}
    />
  );
}
