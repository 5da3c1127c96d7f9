import { useMemo, useState, type ReactNode } from 'react';
import Plotly from 'plotly.js/dist/plotly-cartesian.min.js';
import { LAB_FIELDS, LAB_MAX_RUNS, LAB_PROBLEMS, defaultLandscape, type LabFocus, type LabRun } from '../../engine/landscape/config';
import { LAB_METHODS, defaultLabRun, labMethod } from '../../methods/registry';
import { labFunction } from '../../engine/landscape/functions';
import type { Trajectory } from '../../engine/landscape/trajectories';
import { useStore } from '../../state/store';
import { CheckField, FieldScope, NumberField, SelectField } from '../panels/fields';
import { runColor } from '../plots/colors';
import { figureWithTitle } from '../plots/Plot';
import { LAB_PLOT_ID, LabPlot, labFigure, runName } from './LabPlot';
import { LinSlider, LogSlider } from './LogSlider';
import { SlicePanel, SLICE_PLOT_ID } from './SlicePanel';
import './landscape.css';

/** The LabRun knobs a lab method uses (its folder's declaration). */
const knobs = (method: string) => labMethod(method)?.knobs ?? [];

const PROBLEM_LABELS: Record<(typeof LAB_PROBLEMS)[number], string> = {
  quadratic: 'Convex quadratic (condition κ)',
  rosenbrock: 'Rosenbrock',
  beale: 'Beale',
  saddle: 'Saddle between two minima',
  himmelblau: 'Himmelblau (four minima)',
  glm: 'GLM: logistic link, squared loss',
};
const FIELD_LABELS: Record<(typeof LAB_FIELDS)[number], string> = { none: 'none', gradient: '−∇L', vi: '−F (GLM)', both: '−∇L and −F' };
const FOCUS_OPTIONS: { value: LabFocus; label: string }[] = [
  { value: 'function', label: 'optimisers on a 2-D test function' },
  { value: 'slice', label: 'a slice of the comparison’s trained networks' },
];

/** The lab's page: the subject chooser and the subject's own settings beside the subject's view. */
function LabLayout({ focus, sidebar, children }: { focus: LabFocus; sidebar: ReactNode; children: ReactNode }) {
  return (
    <div className="layout lab" data-testid="landscape-lab">
      <aside className="sidebar">
        <FieldScope name="landscape lab">
          <FocusField focus={focus} />
          {sidebar}
        </FieldScope>
      </aside>
      <main className="main">{children}</main>
    </div>
  );
}

/** The lab's two subjects share the page but not the view: each shows only what it is about. */
function FocusField({ focus }: { focus: LabFocus }) {
  const updateLandscape = useStore((s) => s.updateLandscape);
  return (
    <fieldset className="panel">
      <legend>Lab</legend>
      <SelectField label="the lab shows" testId="lab-focus" value={focus} options={FOCUS_OPTIONS} onChange={(f) => updateLandscape((d) => (d.focus = f))} />
    </fieldset>
  );
}

export async function exportPlot(id: string, format: 'png' | 'svg', name: string): Promise<void> {
  // The lab plot is two overlaid layers: export their combined figure (Plotly.toImage takes a figure too).
  // A Plot's title is HTML above the chart: put it back into the exported figure.
  const el = id === LAB_PLOT_ID ? labFigure.current : figureWithTitle(id);
  if (!el) return;
  const url = await Plotly.toImage(el, { format, width: 1000, height: 800, scale: format === 'png' ? 2 : 1 });
  const a = document.createElement('a');
  a.href = url;
  a.download = `${name}.${format}`;
  a.click();
}

export function LandscapeLab() {
  const stored = useStore((s) => s.experiment.landscape);
  const setLandscapeLive = useStore((s) => s.setLandscapeLive);
  const updateLandscape = useStore((s) => s.updateLandscape);
  const config = useMemo(() => stored ?? defaultLandscape(), [stored]);
  const [trajs, setTrajs] = useState<Trajectory[]>([]);
  const fn = labFunction(config.problem, { condition: config.condition });
  const scrub = config.show.scrub;
  const commit = () => updateLandscape(() => {});
  const setRun = (i: number, patch: Partial<LabRun>, live = false) => {
    if (live) setLandscapeLive({ runs: config.runs.map((r, j) => (j === i ? { ...r, ...patch } : r)) });
    else updateLandscape((d) => (d.runs[i] = { ...d.runs[i], ...patch }));
  };
  const focus = config.focus ?? 'function';
  if (focus === 'slice') {
    return (
      <LabLayout focus={focus} sidebar={
        <fieldset className="panel">
          <legend>Export</legend>
          <div className="lab-export">
            <button onClick={() => void exportPlot(SLICE_PLOT_ID, 'png', 'network-slice')} data-testid="slice-export-png">slice PNG</button>
            <button onClick={() => void exportPlot(SLICE_PLOT_ID, 'svg', 'network-slice')} data-testid="slice-export-svg">slice SVG</button>
          </div>
        </fieldset>
      }>
        <SlicePanel />
      </LabLayout>
    );
  }
  return (
    <LabLayout focus={focus} sidebar={<>
        <fieldset className="panel">
          <legend>Problem</legend>
          <SelectField
            label="landscape"
            value={config.problem}
            testId="lab-problem"
            options={LAB_PROBLEMS.map((p) => ({ value: p, label: PROBLEM_LABELS[p] }))}
            onChange={(p) => updateLandscape((d) => { d.problem = p; d.start = [...labFunction(p, { condition: d.condition }).defaultStart]; })}
          />
          {config.problem === 'quadratic' &&
            (scrub ? (
              <LogSlider label="condition κ" value={config.condition} min={1} max={1000} testId="lab-condition-slider" onInput={(v) => setLandscapeLive({ condition: v })} onCommit={commit} />
            ) : (
              <NumberField label="condition κ" value={config.condition} min={1} max={10000} testId="lab-condition" onChange={(v) => updateLandscape((d) => (d.condition = v))} />
            ))}
          <NumberField label="start θ₁" value={config.start[0]} min={-1000} max={1000} testId="lab-start-x" onChange={(v) => updateLandscape((d) => (d.start = [v, d.start[1]]))} />
          <NumberField label="start θ₂" value={config.start[1]} min={-1000} max={1000} testId="lab-start-y" onChange={(v) => updateLandscape((d) => (d.start = [d.start[0], v]))} />
          <NumberField label="iterations" value={config.iterations} min={1} max={5000} integer testId="lab-iterations" help="Steps for GD, Adam and the field step; line searches for CG." onChange={(v) => updateLandscape((d) => (d.iterations = v))} />
          <p className="lab-note">{fn.note}</p>
        </fieldset>
        <fieldset className="panel">
          <legend>View</legend>
          <SelectField label="arrow field" value={config.show.field} testId="lab-field" options={LAB_FIELDS.map((f) => ({ value: f, label: FIELD_LABELS[f] }))} onChange={(f) => updateLandscape((d) => (d.show.field = f))} />
          <CheckField label="shade non-convex regions" value={config.show.convexity} testId="lab-convexity" help="Where the Hessian's smallest eigenvalue is negative." onChange={(v) => updateLandscape((d) => (d.show.convexity = v))} />
          <CheckField label="CG line-search trial points" value={config.show.trials} testId="lab-trials" onChange={(v) => updateLandscape((d) => (d.show.trials = v))} />
          <CheckField label="log contours" value={config.show.logContours} testId="lab-log" onChange={(v) => updateLandscape((d) => (d.show.logContours = v))} />
          <CheckField label="scrub mode (sliders redraw at once)" value={scrub} testId="lab-scrub" onChange={(v) => updateLandscape((d) => (d.show.scrub = v))} />
          <div className="lab-export">
            <button onClick={() => void exportPlot(LAB_PLOT_ID, 'png', `landscape-${config.problem}`)} data-testid="lab-export-png">PNG</button>
            <button onClick={() => void exportPlot(LAB_PLOT_ID, 'svg', `landscape-${config.problem}`)} data-testid="lab-export-svg">SVG</button>
          </div>
        </fieldset>
        <fieldset className="panel">
          <legend>Methods (same start)</legend>
          {config.runs.map((r, i) => (
            <div key={i} className="run-config" style={{ borderColor: runColor(i) }} data-testid={`lab-run-${i}`}>
              <div className="lab-run-head">
                <select value={r.method} aria-label={`method of run ${i + 1}`} onChange={(e) => updateLandscape((d) => (d.runs[i] = defaultLabRun(e.target.value)))}>
                  {LAB_METHODS.map((m) => <option key={m.id} value={m.id}>{m.label}</option>)}
                </select>
                <button className="link" disabled={config.runs.length <= 1} onClick={() => updateLandscape((d) => d.runs.splice(i, 1))} aria-label={`remove run ${i + 1}`}>✕</button>
              </div>
              {knobs(r.method).includes('lr') &&
                (scrub ? (
                  <LogSlider label={labMethod(r.method)?.lrLabel ?? 'step γ'} value={r.lr} min={1e-4} max={labMethod(r.method)?.lrMax ?? 10} testId={`lab-lr-slider-${i}`} onInput={(v) => setRun(i, { lr: v }, true)} onCommit={commit} />
                ) : (
                  <NumberField label={labMethod(r.method)?.lrLabel ?? 'step γ'} value={r.lr} min={1e-6} max={100} testId={`lab-lr-${i}`} onChange={(v) => setRun(i, { lr: v })} />
                ))}
              {knobs(r.method).includes('momentum') &&
                (scrub ? (
                  <LinSlider label="momentum" value={r.momentum} min={0} max={0.99} step={0.01} testId={`lab-momentum-slider-${i}`} onInput={(v) => setRun(i, { momentum: v }, true)} onCommit={commit} />
                ) : (
                  <NumberField label="momentum" value={r.momentum} min={0} max={0.999} testId={`lab-momentum-${i}`} onChange={(v) => setRun(i, { momentum: v })} />
                ))}
              {knobs(r.method).includes('noise') && <NumberField label="gradient noise σ (SGD)" value={r.noise} min={0} max={1000} testId={`lab-noise-${i}`} help="Seeded Gaussian noise added to every gradient (or field) component: stochastic-gradient emulation. 0 = exact gradients." onChange={(v) => setRun(i, { noise: v })} />}
              {knobs(r.method).includes('swapAt') && <NumberField label="swap after (first-phase steps)" value={r.swapAt} min={0} max={5000} integer onChange={(v) => setRun(i, { swapAt: v })} />}
              {knobs(r.method).includes('c2') && <NumberField label="Wolfe c2" value={r.c2} min={1e-9} max={0.9} help="Strong-Wolfe curvature constant (CG: 0.1 in the notes §2; quasi-Newton: 0.9); near 0 makes the line search exact." onChange={(v) => setRun(i, { c2: v })} />}
            </div>
          ))}
          <select value="" aria-label="add a method" disabled={config.runs.length >= LAB_MAX_RUNS} data-testid="lab-add-run" onChange={(e) => e.target.value && updateLandscape((d) => d.runs.push(defaultLabRun(e.target.value)))}>
            <option value="">Add a method…</option>
            {LAB_METHODS.map((m) => <option key={m.id} value={m.id}>{m.label}</option>)}
          </select>
        </fieldset>
      </>}>
        <LabPlot config={config} onTrajectories={setTrajs} />
        <table className="lab-summary" data-testid="lab-summary">
          <thead>
            <tr><th>run</th><th>final L</th><th>steps</th><th>evaluations</th><th>final θ</th><th>note</th></tr>
          </thead>
          <tbody>
            {trajs.map((t, i) => {
              const r = config.runs[i];
              if (!r) return null;
              const end = t.path[t.path.length - 1];
              return (
                <tr key={i}>
                  <td><span className="swatch" style={{ background: runColor(i) }} /> {runName(i, r.method, r.noise)}</td>
                  <td>{t.loss[t.loss.length - 1].toExponential(3)}</td>
                  <td>{t.path.length - 1}</td>
                  <td>{t.evaluations}</td>
                  <td>({end[0].toFixed(3)}, {end[1].toFixed(3)})</td>
                  <td>{[t.note, t.stopped, t.swapIndex >= 0 ? `swap at step ${t.swapIndex}` : ''].filter(Boolean).join('; ')}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
    </LabLayout>
  );
}
