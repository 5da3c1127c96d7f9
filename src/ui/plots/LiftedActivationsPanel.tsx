import type { Diagnostic } from '../../engine/diagnostics';
import { useCallback, useEffect, useRef, useState } from 'react';
import { isPlanar, layerSizes } from '../../engine/experiment';
import { methodOf, runLabel } from '../../methods/registry';
import type { LiftedView } from '../../engine/types';
import { useStore } from '../../state/store';
import { SelectField } from '../panels/fields';
import { Plot } from './Plot';

/**
 * The lifted activations of one hidden unit over the 2-D training points (Algorithm.liftedView of the methods
 * whose folder declares the liftedView capability; the texts come from that declaration), fetched from the run's
 * worker about once a second while it trains. Left: points coloured by the lifted activation; middle: by the unit's ordinary
 * forward-pass ReLU value (same colour scale); right: lifted value against ReLU of the lifted pre-activation and
 * against the forward value, with the diagonal where the lifted network and the ordinary one agree.
 */
export const LIFTED_PLOT_ID = 'lifted-activations';
const REFRESH_MS = 1000;

interface Shown {
  key: string;
  iteration: number;
  view: LiftedView | null;
  error?: string;
}


function rms(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] - b[i]) ** 2;
  return Math.sqrt(s / Math.max(1, a.length));
}

function maxAbs(a: Float32Array, b: Float32Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

const fmt = (v: number) => (Math.abs(v) >= 0.01 || v === 0 ? v.toFixed(3) : v.toExponential(1));

export function LiftedActivationsPanel() {
  const experiment = useStore((s) => s.experiment);
  const sizes = layerSizes(experiment);
  const candidates = experiment.runs.flatMap((r, i) => (methodOf(r.algorithm)?.liftedView ? [i] : []));
  const [pick, setPick] = useState({ run: -1, layer: 1, unit: 0 });
  const runIdx = candidates.includes(pick.run) ? pick.run : (candidates[0] ?? -1);
  const hidden = sizes.slice(1, -1);
  const layer = Math.min(Math.max(1, pick.layer), Math.max(1, hidden.length));
  const unit = Math.min(pick.unit, Math.max(0, (hidden[layer - 1] ?? 1) - 1));
  const key = `${runIdx}/${layer}/${unit}`;

  const status = useStore((s) => s.runs[runIdx]?.status ?? 'idle');
  const lastIteration = useStore((s) => {
    const pts = s.runs[runIdx]?.points;
    return pts && pts.length ? pts[pts.length - 1].iteration : 0;
  });
  const [shown, setShown] = useState<Shown | null>(null);
  const inFlight = useRef(false);
  const latest = useRef({ key, status, lastIteration, shown });
  latest.current = { key, status, lastIteration, shown };

  const fetchView = useCallback(async () => {
    const cur = latest.current;
    if (inFlight.current || runIdx < 0) return;
    // 'starting': the worker may have no network yet; 'error'/'stopped': it has none any more.
    if (cur.status !== 'running' && cur.status !== 'paused' && cur.status !== 'finished' && cur.status !== 'diverged') return;
    // While paused or finished only fetch when something changed; while running, every tick.
    const stale = !cur.shown || cur.shown.key !== cur.key || cur.shown.iteration !== cur.lastIteration;
    if (cur.status !== 'running' && !stale) return;
    inFlight.current = true;
    try {
      const reply = await useStore.getState().requestLiftedView(runIdx, layer, unit);
      if (reply && latest.current.key === key) setShown({ key, ...reply });
    } finally {
      inFlight.current = false;
    }
  }, [runIdx, layer, unit, key]);

  useEffect(() => {
    void fetchView();
    const t = setInterval(() => void fetchView(), REFRESH_MS);
    return () => clearInterval(t);
  }, [fetchView]);
  // A fresh comparison (reset, new experiment) drops the old picture.
  useEffect(() => {
    if (status === 'idle') setShown(null);
  }, [status]);

  if (!isPlanar(experiment.dataset) || sizes[0] !== 2 || hidden.length === 0 || candidates.length === 0) return null;

  const capability = methodOf(experiment.runs[runIdx]?.algorithm ?? '')?.liftedView;
  const view = shown?.key === key ? shown.view : null;
  const build = () => buildFigure(view, useStore.getState().presentation);
  const tolerance = capability?.tolerance ? lastValue(runIdx, capability.tolerance.diagnostic) : undefined;

  return (
    <section className="panel lifted-view-panel" data-testid="lifted-view-panel" style={{ gridColumn: '1 / -1' }}>
      <h3 style={{ margin: '4px 0', fontSize: 15 }}>Lifted activations of one hidden unit on the training points</h3>
      <div style={{ display: 'grid', gridTemplateColumns: 'minmax(300px, 2fr) minmax(180px, 1fr) minmax(140px, 1fr)', gap: '4px 14px', alignItems: 'center' }}>
        <SelectField label="run" value={String(runIdx)} testId="lifted-run"
          options={candidates.map((i) => ({ value: String(i), label: `${i + 1}. ${runLabel(experiment.runs[i])}` }))}
          onChange={(v) => setPick({ run: Number(v), layer, unit })} />
        <SelectField label="hidden layer" value={String(layer)} testId="lifted-layer"
          options={hidden.map((w, l) => ({ value: String(l + 1), label: `${l + 1} (${w} units)` }))}
          onChange={(v) => setPick({ run: runIdx, layer: Number(v), unit })} />
        <SelectField label="unit" value={String(unit)} testId="lifted-unit"
          options={Array.from({ length: hidden[layer - 1] ?? 0 }, (_, j) => ({ value: String(j), label: String(j + 1) }))}
          onChange={(v) => setPick({ run: runIdx, layer, unit: Number(v) })} />
      </div>
      <p style={{ fontSize: 13, margin: '6px 0' }} data-testid="lifted-view-info" data-iteration={view ? shown!.iteration : ''}>
        {shown?.key === key && shown.error ? (
          <span className="field-error">{shown.error}</span>
        ) : view ? (
          <>
            Iteration {shown!.iteration}: lifted vs {capability?.reluOfLiftedShort ?? 'ReLU(lifted pre-activation)'} RMS{' '}
            <b>{fmt(rms(view.lifted, view.reluOfLifted))}</b> (max {fmt(maxAbs(view.lifted, view.reluOfLifted))}
            {tolerance !== undefined ? `, ${capability!.tolerance!.label} = ${fmt(tolerance)}` : ''}); lifted vs forward pass RMS <b>{fmt(rms(view.lifted, view.forward))}</b>.
            {' '}Right plot: {capability?.reluOfLiftedLong ?? 'ReLU of the lifted pre-activation'}
            {capability?.firstLayerNote && layer === 1 ? ` (${capability.firstLayerNote})` : ''}.
          </>
        ) : shown?.key === key && shown.view === null ? (
          `This run keeps no lifted activations${capability?.unavailableWhen ? ` (${capability.unavailableWhen})` : ''}.`
        ) : status === 'idle' ? (
          'Press Run or Step: the picture appears with the first iteration and refreshes every second.'
        ) : (
          'Waiting for the run…'
        )}
      </p>
      <Plot id={LIFTED_PLOT_ID} title={`Run ${runIdx + 1}, hidden layer ${layer}, unit ${unit + 1}`}
        build={build} revision={shown} height={340} />
    </section>
  );
}

/** The latest value of a diagnostic among the run's last few points. */
function lastValue(runIdx: number, diagnostic: Diagnostic): number | undefined {
  const pts = useStore.getState().runs[runIdx]?.points ?? [];
  for (let i = pts.length - 1; i >= 0 && i >= pts.length - 5; i--) {
    const v = diagnostic.of(pts[i]);
    if (v !== undefined) return v;
  }
  return undefined;
}

function buildFigure(view: LiftedView | null, big: boolean): { data: unknown[]; layout: Record<string, unknown> } {
  // Room above the plots for the two maps' titles and, over the right plot, its legend (three short lines): the
  // legend sits above its plot like every other legend of the playground, clear of the axis titles below.
  const margin = big ? { l: 80, r: 20, t: 120, b: 70 } : { l: 60, r: 20, t: 74, b: 50 };
  const axes = {
    xaxis: { domain: [0, 0.27], title: { text: 'x₁' }, zeroline: false },
    yaxis: { title: { text: 'x₂' }, zeroline: false },
    xaxis2: { domain: [0.36, 0.63], title: { text: 'x₁' }, zeroline: false },
    yaxis2: { anchor: 'x2', matches: 'y', zeroline: false },
    xaxis3: { domain: [big ? 0.8 : 0.75, 1], title: { text: 'lifted activation' }, zeroline: false },
    yaxis3: { anchor: 'x3', title: { text: 'ReLU value', standoff: 4 }, zeroline: false },
  };
  const sub = (x: number, text: string) => ({ text, x, xref: 'paper', y: 1, yref: 'paper', yanchor: 'bottom', yshift: 4, xanchor: 'center', showarrow: false, font: { size: big ? 18 : 13 } });
  const annotations = [sub(0.135, 'coloured by the lifted activation'), sub(0.495, 'coloured by the forward-pass ReLU')];
  if (!view) return { data: [], layout: { ...axes, annotations, margin, showlegend: false } };
  const n = view.lifted.length;
  const d = view.inputDim;
  const px = new Array<number>(n), py = new Array<number>(n);
  let top = 0;
  for (let i = 0; i < n; i++) {
    px[i] = view.x[i * d];
    py[i] = view.x[i * d + 1];
    top = Math.max(top, view.lifted[i], view.forward[i], view.reluOfLifted[i]);
  }
  top = top > 0 ? top : 1;
  const colour = (values: Float32Array, bar: boolean) => ({
    color: Array.from(values), cmin: 0, cmax: top, colorscale: 'Viridis', size: 6, line: { width: 0 },
    showscale: bar, colorbar: bar ? { x: 0.645, len: 0.9, thickness: 12 } : undefined,
  });
  const lifted = Array.from(view.lifted);
  return {
    data: [
      { type: 'scatter', mode: 'markers', x: px, y: py, name: 'lifted', showlegend: false, marker: colour(view.lifted, false), xaxis: 'x', yaxis: 'y', hovertemplate: 'lifted %{marker.color:.3f}<extra></extra>' },
      { type: 'scatter', mode: 'markers', x: px, y: py, name: 'forward', showlegend: false, marker: colour(view.forward, true), xaxis: 'x2', yaxis: 'y2', hovertemplate: 'forward %{marker.color:.3f}<extra></extra>' },
      { type: 'scatter', mode: 'lines', x: [0, top], y: [0, top], name: 'diagonal: the two agree', line: { color: '#888', dash: 'dash', width: 1 }, xaxis: 'x3', yaxis: 'y3', hoverinfo: 'skip' },
      { type: 'scatter', mode: 'markers', x: lifted, y: Array.from(view.forward), name: 'forward-pass ReLU', marker: { color: '#D55E00', size: 5, opacity: 0.6 }, xaxis: 'x3', yaxis: 'y3' },
      { type: 'scatter', mode: 'markers', x: lifted, y: Array.from(view.reluOfLifted), name: 'ReLU(lifted pre-activation)', marker: { color: '#0072B2', size: 5, opacity: 0.6 }, xaxis: 'x3', yaxis: 'y3' },
    ],
    layout: { ...axes, annotations, margin, showlegend: true, legend: { orientation: 'v', x: 1, xanchor: 'right', y: 1, yanchor: 'bottom', font: { size: big ? 16 : 11 }, tracegroupgap: 0 } },
  };
}
