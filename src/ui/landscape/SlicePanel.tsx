import { useEffect, useState } from 'react';
import { defaultLandscape } from '../../engine/landscape/config';
import { describeNetwork } from '../../engine/experiment';
import { runLabel } from '../../methods/registry';
import type { ProjectedSnapshot, SliceGrid } from '../../engine/landscape/slice';
import { useStore, type SliceReply } from '../../state/store';
import { NumberField, SelectField } from '../panels/fields';
import { runColor } from '../plots/colors';
import { Plot } from '../plots/Plot';

/**
 * Loss-landscape slice of the comparison's real networks (src/engine/landscape/slice.ts): the reference run's
 * worker computes the loss on the plane through its final weights; every other finished run's worker projects
 * its own snapshots onto the same plane (same centre, same seed → same directions).
 */
export const SLICE_PLOT_ID = 'landscape-slice';

interface RunSlice {
  trajectory: ProjectedSnapshot[];
  grid?: SliceGrid;
  ms: number;
  backend: string;
  samples: number;
}

export function SlicePanel() {
  const experiment = useStore((s) => s.experiment);
  const runs = useStore((s) => s.runs);
  const updateLandscape = useStore((s) => s.updateLandscape);
  const cfg = (experiment.landscape ?? defaultLandscape()).slice;
  const [results, setResults] = useState<Record<number, RunSlice>>({});
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [revision, setRevision] = useState(0);

  const done = (s: string) => s === 'finished' || s === 'paused';
  const ref = Math.min(cfg.reference, experiment.runs.length - 1);
  const anyRunning = runs.some((r) => r.status === 'running' || r.status === 'starting');
  const canCompute = !busy && !anyRunning && runs[ref] && done(runs[ref].status);
  const startRuns = useStore((s) => s.run);
  // "Train, then compute the slice": armed → training seen → every run stopped → compute (one click for a lecture).
  const [chain, setChain] = useState<'off' | 'armed' | 'training'>('off');

  /** One run's reply to the store's slice request, as the panel keeps it; an error is shown by run. */
  const accept = (i: number, reply: SliceReply | null): boolean => {
    if (!reply || reply.error || !reply.trajectory) {
      setError(`run ${i + 1}: ${reply?.error ?? 'no result (the run has no live worker)'}`);
      return false;
    }
    const r: RunSlice = { trajectory: reply.trajectory, grid: reply.grid, ms: reply.ms ?? NaN, backend: reply.backend, samples: reply.samples ?? 0 };
    setResults((old) => ({ ...old, [i]: r }));
    setRevision((v) => v + 1);
    return true;
  };

  const compute = async () => {
    setError(null);
    setResults({});
    const store = useStore.getState();
    if (!store.runs[ref] || !done(store.runs[ref].status)) {
      setError('the reference run has no worker: run the comparison first');
      return;
    }
    setBusy(true);
    try {
      const reply = await store.requestSlice(ref, { seed: cfg.seed, resolution: cfg.resolution, span: cfg.span, samples: cfg.samples, grid: true });
      if (!accept(ref, reply) || !reply?.center) return;
      // The reference is done: every other finished run is projected onto the same plane.
      const center = reply.center;
      const st = useStore.getState();
      await Promise.all(
        st.runs.map(async (run, j) => {
          if (j === ref || !done(run.status)) return;
          accept(j, await st.requestSlice(j, { center, seed: cfg.seed, resolution: cfg.resolution, span: cfg.span, samples: cfg.samples, grid: false }));
        }),
      );
    } finally {
      setBusy(false);
    }
  };

  useEffect(() => {
    if (chain === 'armed' && anyRunning) setChain('training');
    else if (chain === 'training' && !anyRunning) {
      setChain('off');
      if (runs[ref] && done(runs[ref].status)) void compute();
    }
  }, [chain, anyRunning]);

  const trainThenCompute = () => {
    setChain('armed');
    setResults({});
    void startRuns();
  };

  const refResult = results[ref];
  // Zoomed on the trajectories by default: a trained network's snapshots lie within a few thousandths of the centre
  // on a random plane spanning ±1, invisible at the full span.
  const [zoom, setZoom] = useState(true);
  const allPts = Object.values(results).flatMap((r) => r.trajectory);
  const extent = allPts.length ? Math.max(...allPts.map((p) => Math.max(Math.abs(p.a), Math.abs(p.b)))) : 0;
  const meanOff = allPts.length ? allPts.filter((p) => p.iteration > 0 || p.offPlane > 0).reduce((s, p) => s + p.offPlane, 0) / Math.max(1, allPts.filter((p) => p.iteration > 0 || p.offPlane > 0).length) : 0;
  const refPoint = runs[ref]?.points.filter((p) => p.trainLoss !== undefined).at(-1);
  const build = () => {
    const data: unknown[] = [];
    const g = refResult?.grid;
    if (g) {
      const n = g.alphas.length;
      const z = Array.from({ length: n }, (_, r) => Array.from(g.values.subarray(r * n, (r + 1) * n), (v) => Math.log10(Math.max(v, 1e-12))));
      data.push({ type: 'contour', x: g.alphas, y: g.alphas, z, ncontours: 24, colorscale: 'YlGnBu', reversescale: true, colorbar: { title: { text: 'log₁₀ L' }, thickness: 12 }, name: 'slice', hovertemplate: 'a = %{x:.3f}, b = %{y:.3f}<br>log₁₀ L = %{z:.4f}<extra></extra>' });
    }
    Object.entries(results).forEach(([k, r]) => {
      const j = Number(k);
      const t = r.trajectory;
      data.push({
        type: 'scatter', mode: 'lines+markers', x: t.map((p) => p.a), y: t.map((p) => p.b), line: { color: runColor(j), width: 2 }, marker: { color: runColor(j), size: 5 },
        name: `${j + 1}. ${experiment.runs[j] ? runLabel(experiment.runs[j]) : ''}`, meta: `slice-run-${j}`,
        customdata: t.map((p) => [p.iteration, p.loss, p.offPlane]),
        hovertemplate: 'iteration %{customdata[0]}<br>L = %{customdata[1]:.4g}<br>off the plane: %{customdata[2]:.1%}<extra></extra>',
      });
    });
    if (g) data.push({ type: 'scatter', mode: 'markers', x: [0], y: [0], marker: { symbol: 'x', size: 11, color: '#000' }, name: `centre (run ${ref + 1} final)`, meta: 'slice-centre' });
    return {
      data,
      layout: {
        xaxis: { title: { text: 'a (direction 1, filter-normalised)' }, zeroline: false, ...(zoom && extent > 0 ? { range: [-1.2 * extent, 1.2 * extent] } : {}) },
        yaxis: { title: { text: 'b (direction 2)' }, zeroline: false, ...(zoom && extent > 0 ? { range: [-1.2 * extent, 1.2 * extent] } : {}) },
      },
    };
  };

  return (
    <section className="panel slice-panel" data-testid="slice-panel">
      <h3>Slice of the real networks</h3>
      <p className="lab-note">
        Loss of the comparison’s network ({experiment.dataset.kind}, {describeNetwork(experiment)}) on the plane θ<sub>c</sub> + a·d₁ + b·d₂ through
        one run’s final weights θ<sub>c</sub>, with d₁, d₂ seeded Gaussian directions normalised per neuron (Li et al. 2018; biases 0). Each run’s recorded
        snapshots are projected onto the plane; a random plane holds little of a trajectory, so the hover shows the share of each step off the plane.
        “Train, then compute the slice” trains every run of the comparison and computes the slice when they finish.
      </p>
      <div className="slice-controls">
        <SelectField label="through run" value={String(ref)} testId="slice-reference" options={experiment.runs.map((r, i) => ({ value: String(i), label: `${i + 1}. ${runLabel(r)} (${runs[i]?.status ?? 'idle'})` }))} onChange={(v) => updateLandscape((d) => (d.slice.reference = Number(v)))} />
        <NumberField label="seed" value={cfg.seed} min={0} max={2 ** 31 - 1} integer testId="slice-seed" onChange={(v) => updateLandscape((d) => (d.slice.seed = v))} />
        <NumberField label="resolution (odd)" value={cfg.resolution} min={3} max={101} integer testId="slice-resolution" onChange={(v) => updateLandscape((d) => (d.slice.resolution = v))} />
        <NumberField label="span ±" value={cfg.span} min={0.01} max={100} testId="slice-span" onChange={(v) => updateLandscape((d) => (d.slice.span = v))} />
        <NumberField label="samples (0 = all)" value={cfg.samples} min={0} max={12000} integer testId="slice-samples" onChange={(v) => updateLandscape((d) => (d.slice.samples = v))} />
        <button className="primary" disabled={busy || anyRunning || chain !== 'off'} onClick={trainThenCompute} data-testid="slice-train-compute">
          {chain !== 'off' ? 'Training…' : busy ? 'Computing…' : 'Train, then compute the slice'}
        </button>
        <button disabled={!canCompute} onClick={() => void compute()} data-testid="slice-compute" title="Compute the slice of the runs as they are now (the reference run must have trained)">Compute slice</button>
      </div>
      {error && <p className="field-error" role="alert">{error}</p>}
      {/* The picture first, where a projector shows it; the figures that qualify it below. */}
      {Object.keys(results).length > 0 && <Plot id={SLICE_PLOT_ID} title={`Loss on a random plane through run ${ref + 1}'s final weights (seed ${cfg.seed})`} build={build} revision={revision} height={460} />}
      {refResult?.grid && (
        <p className="slice-info" data-testid="slice-info">
          {cfg.resolution}×{cfg.resolution} grid on {refResult.samples} samples in {(refResult.ms / 1000).toFixed(2)} s ({refResult.backend}); centre loss{' '}
          <b data-testid="slice-centre-loss">{refResult.grid.centerLoss.toPrecision(6)}</b>
          {refPoint?.trainLoss !== undefined && refResult.samples === (experiment.dataset.trainSize) && <> — run {ref + 1}’s final training loss {refPoint.trainLoss.toPrecision(6)}</>}
        </p>
      )}
      {allPts.length > 0 && (
        <p className="slice-info" data-testid="slice-extent">
          Projected snapshots lie within |a|, |b| ≤ {extent.toPrecision(2)} of the centre, on average {(100 * meanOff).toFixed(1)}% of each step’s distance
          to the centre lies off the plane (random directions in {runs[ref]?.paramCount ?? 'many'} dimensions capture little of a trajectory; Li et al. use PCA directions for trajectories).{' '}
          <label><input type="checkbox" checked={zoom} onChange={(e) => { setZoom(e.target.checked); setRevision((v) => v + 1); }} data-testid="slice-zoom" /> zoom on the trajectories</label>
        </p>
      )}
    </section>
  );
}
