import { lossPlotMarkersOf } from '../../methods/events';
import type { MethodEvent } from '../../engine/hyper';
import { runLabels } from '../../methods/runLabels';
import { useStore } from '../../state/store';
import { runColor } from './colors';
import { Plot } from './Plot';
import { decimate, series, smooth, xValue, X_AXIS_LABELS } from './series';
import type { MetricPoint } from '../../engine/types';
import type { Experiment, XAxis } from '../../engine/experiment';
import { accuracyRange } from './plotLayout';

const MAX_DISPLAY_POINTS = 1200;

/**
 * Vertical markers for run events that change the method (the events its spec declares with marksLossPlot, e.g. a
 * swap between phases), each in its run's colour and labelled.
 */
function eventMarkers(points: MetricPoint[][], xAxis: XAxis, hidden: boolean[], events: MethodEvent[][]) {
  const shapes: unknown[] = [];
  const annotations: unknown[] = [];
  points.forEach((pts, i) => {
    if (hidden[i] || !events[i]?.length) return;
    for (const p of pts) {
      const label = events[i].find((e) => p.extra[e.flag] === 1)?.label;
      if (!label) continue;
      const x = xValue(p, xAxis);
      shapes.push({ type: 'line', xref: 'x', yref: 'paper', x0: x, x1: x, y0: 0, y1: 1, line: { color: runColor(i), width: 2, dash: 'dash' } });
      // Inside the plot area, under its top edge: above it is the legend's place.
      annotations.push({ x, xref: 'x', yref: 'paper', y: 1, yanchor: 'top', xanchor: 'left', xshift: 3, bgcolor: 'rgba(255,255,255,0.8)', text: `${i + 1}: ${label}`, showarrow: false, font: { color: runColor(i), size: 11 } });
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
      build={() => {
        const data: unknown[] = [];
        runs.forEach((r, i) => {
          const cfg = experiment.runs[i];
          if (!cfg) return;
          const s = series(r.points, xAxis, (p) => p.loss);
          const d = decimate(s.x, smooth(s.y, smoothing), MAX_DISPLAY_POINTS);
          const name = `${i + 1}. ${labels[i]}`;
          data.push({ type: 'scatter', mode: 'lines', x: d.x, y: d.y, name, legendgroup: `r${i}`, line: { color: runColor(i), width: 2 }, visible: hidden[i] ? 'legendonly' : true });
          const t0 = series(r.points, xAxis, (p) => p.testLoss);
          const t = decimate(t0.x, t0.y, MAX_DISPLAY_POINTS);
          if (t.x.length)
            data.push({ type: 'scatter', mode: 'lines', x: t.x, y: t.y, name: `${name} (test)`, legendgroup: `r${i}`, showlegend: false, line: { color: runColor(i), width: 1.5, dash: 'dot' }, visible: hidden[i] ? 'legendonly' : true });
        });
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
  const revision = runs.map((r) => r.version).join(',') + hidden.join(',') + xAxis + zoom;
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
      build={() => {
        const data = runs.flatMap((r, i) => {
          const cfg = experiment.runs[i];
          if (!cfg) return [];
          const s0 = series(r.points, xAxis, (p) => p.testAccuracy);
          const s = decimate(s0.x, s0.y, MAX_DISPLAY_POINTS);
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
