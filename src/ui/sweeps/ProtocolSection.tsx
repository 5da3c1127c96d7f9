import type { NumberHyper } from '../../engine/hyper';
import { findSpec, runLabel } from '../../methods/registry';
import type { Experiment, ProtocolConfig, SweepConfig, SweepMode, TargetMetric } from '../../engine/experiment';
import { PROTOCOL_SETTINGS, SWEEP_AXIS_SETTINGS, SWEEP_SETTINGS, TARGET_SETTINGS } from '../../engine/settings';
import { seedCount, settingText, sweepCostPerMethod, sweepSettings } from '../../sweeps/jobs';
import { protocolResultsCsv } from '../../sweeps/resultsCsv';
import { useStore } from '../../state/store';
import { bestSetting, sweepMetric } from '../../sweeps/results';
import { FieldScope, SelectField } from '../panels/fields';
import { SettingField } from '../panels/SettingField';
import { runColor } from '../plots/colors';
import { SensitivityPlot } from './SensitivityPlot';
import { TargetTable } from './TargetTable';
import { ProfilePlot } from './ProfilePlot';

/** Numeric hyperparameters shared by the methods of the given runs (what a sweep over them can vary). */
export function commonNumericKeys(e: Experiment, runs: number[]): NumberHyper[] {
  const specs = runs.map((i) => findSpec(e.runs[i]?.algorithm ?? ''));
  if (!specs.length || specs.some((s) => !s)) return [];
  const first = specs[0]!.hyper.filter((h): h is NumberHyper => h.kind === 'number' || h.kind === 'int');
  return first.filter((h) => specs.every((s) => s!.hyper.some((x) => x.key === h.key && (x.kind === 'number' || x.kind === 'int'))));
}

/** A default range for sweeping `key` over `runs`: two decades below to one above the first run's value, inside every method's bounds. */
export function defaultAxis(e: Experiment, runs: number[], key: string): { key: string; min: number; max: number } {
  const v = Number(e.runs[runs[0]]?.hyper[key]) || 1;
  let min = v / 100;
  let max = v * 10;
  for (const i of runs) {
    const h = findSpec(e.runs[i].algorithm)?.hyper.find((x) => x.key === key) as NumberHyper | undefined;
    if (h) {
      min = Math.max(min, h.min > 0 ? h.min : min);
      max = Math.min(max, h.max);
    }
  }
  return { key, min: Number(min.toPrecision(3)), max: Number(max.toPrecision(3)) };
}

/** Trial budget equal to one run of the experiment for a mini-batch first-order method: maxIterations × B / N. */
function defaultTrialCost(e: Experiment): number {
  const n = e.dataset.trainSize;
  const b = e.training.batchSize <= 0 || e.training.batchSize >= n ? n : e.training.batchSize;
  return Number(Math.max(0.01, (e.training.maxIterations * b) / n).toPrecision(3));
}

/** The value a target starts at when its metric is chosen (a link without a value means TARGET_SETTINGS.value's default). */
const FIRST_TARGET: Record<TargetMetric, number> = { testAccuracy: 0.9, trainLoss: 0.1 };

function fmtSeconds(ms: number | null): string {
  if (ms === null) return 'estimating…';
  const s = Math.round(ms / 1000);
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${s % 60} s`;
}

function download(name: string, content: string): void {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(new Blob([content], { type: 'text/csv' }));
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}

/** Progress of the pool: bar, jobs done, time left, pause/resume and cancel. */
function PoolProgress() {
  const progress = useStore((s) => s.sweeps.progress);
  const activity = useStore((s) => s.sweeps.activity);
  const size = useStore((s) => s.sweeps.poolSize);
  const { pauseSweeps, resumeSweeps, cancelSweeps } = useStore.getState();
  if (!progress || (!activity && !progress.cancelled && progress.total === 0)) return <p className="muted small">Pool: {size} workers (this machine's cores, at most 8).</p>;
  const finished = progress.done + progress.failed;
  const busy = activity !== null;
  return (
    <div className="pool-progress" data-testid="pool-progress">
      <progress max={Math.max(1, progress.total)} value={finished} />
      <span data-testid="pool-status">
        {progress.cancelled && !busy
          ? `cancelled after ${finished} of the jobs`
          : `${finished} of ${progress.total} jobs${progress.failed ? ` (${progress.failed} failed)` : ''} · ${progress.running} running on ${size} workers`}
        {busy && (progress.paused ? ' · paused' : ` · about ${fmtSeconds(progress.etaMs)} left`)}
        {!busy && !progress.cancelled && ` · done in ${fmtSeconds(progress.elapsedMs)}`}
      </span>
      {busy && (
        <>
          <button data-testid="pool-pause" onClick={() => (progress.paused ? resumeSweeps() : pauseSweeps())}>
            {progress.paused ? 'Resume' : 'Pause'}
          </button>
          <button data-testid="pool-cancel" onClick={cancelSweeps}>
            Cancel
          </button>
        </>
      )}
    </div>
  );
}

function SweepControls({ e, update }: { e: Experiment; update: (edit: (p: ProtocolConfig, d: Experiment) => void) => void }) {
  const results = useStore((s) => s.sweeps.results);
  const activity = useStore((s) => s.sweeps.activity);
  const { runSweep, promoteBest } = useStore.getState();
  const sweep = e.protocol?.sweep;
  const setSweep = (edit: (s: SweepConfig, d: Experiment) => void) =>
    update((p, d) => {
      if (p.sweep) edit(p.sweep, d);
    });
  if (!sweep)
    return (
      <button
        data-testid="sweep-toggle"
        onClick={() =>
          update((p, d) => {
            const runs = d.runs.map((_, i) => i).slice(0, 3);
            const keys = commonNumericKeys(d, runs);
            const key = keys.find((k) => k.key === 'lr') ?? keys[0];
            if (!key) return;
            p.sweep = { runs, axes: [defaultAxis(d, runs, key.key)], mode: 'grid', points: 7, trialCost: defaultTrialCost(d), seed: 1 };
          })
        }
      >
        Set up a tuning sweep
      </button>
    );
  const keys = commonNumericKeys(e, sweep.runs);
  const trials = sweepSettings(sweep).length;
  return (
    <div className="sweep-controls">
      <div className="sweep-runs">
        sweep runs:
        {e.runs.map((r, i) => (
          <label key={i} className="inline-check">
            <input
              type="checkbox"
              data-testid={`sweep-run-${i}`}
              checked={sweep.runs.includes(i)}
              onChange={(ev) =>
                setSweep((s, d) => {
                  const next = ev.target.checked ? [...s.runs, i].sort() : s.runs.filter((x) => x !== i);
                  if (!next.length) return;
                  s.runs = next;
                  // Keep only axes every chosen method has; fall back to its default range.
                  const common = commonNumericKeys(d, next).map((h) => h.key);
                  s.axes = s.axes.filter((a) => common.includes(a.key)).map((a) => ({ ...defaultAxis(d, next, a.key), ...a }));
                  if (!s.axes.length && common.length) s.axes = [defaultAxis(d, next, common.includes('lr') ? 'lr' : common[0])];
                })
              }
            />
            <span className="swatch" style={{ background: runColor(i) }} /> {i + 1}. {runLabel(r)}
          </label>
        ))}
      </div>
      {sweep.axes.map((a, k) => (
        <div className="sweep-axis" key={k}>
          <SelectField label={`hyperparameter ${k + 1}`} testId={`sweep-key-${k}`} value={a.key} options={keys.map((h) => ({ value: h.key, label: `${h.key} (${h.label})` }))}
            onChange={(v) => setSweep((s, d) => void (s.axes[k] = defaultAxis(d, s.runs, v)))} />
          <SettingField setting={SWEEP_AXIS_SETTINGS.min} index={k} value={a.min} onChange={(v: number) => setSweep((s) => void (s.axes[k].min = v))} />
          <SettingField setting={SWEEP_AXIS_SETTINGS.max} index={k} value={a.max} onChange={(v: number) => setSweep((s) => void (s.axes[k].max = v))} />
          {k === 1 && <button className="link" onClick={() => setSweep((s) => void s.axes.splice(1, 1))}>remove</button>}
        </div>
      ))}
      {sweep.axes.length === 1 && keys.length > 1 && (
        <button className="link" onClick={() => setSweep((s, d) => void s.axes.push(defaultAxis(d, s.runs, keys.find((h) => h.key !== s.axes[0].key)!.key)))}>add a second hyperparameter</button>
      )}
      <div className="sweep-row">
        <SettingField setting={SWEEP_SETTINGS.mode} value={sweep.mode} onChange={(v: SweepMode) => setSweep((s) => void (s.mode = v))} />
        <SettingField setting={SWEEP_SETTINGS.points} label={sweep.mode === 'grid' ? undefined : 'settings drawn'} value={sweep.points} onChange={(v: number) => setSweep((s) => void (s.points = v))} />
        <SettingField setting={SWEEP_SETTINGS.trialCost} value={sweep.trialCost} onChange={(v: number) => setSweep((s) => void (s.trialCost = v))} />
        {sweep.mode === 'random' && <SettingField setting={SWEEP_SETTINGS.seed} value={sweep.seed} onChange={(v: number) => setSweep((s) => void (s.seed = v))} />}
      </div>
      <p className="muted small" data-testid="sweep-budget-text">
        {trials} settings × {seedCount(e)} seed{seedCount(e) > 1 ? 's' : ''} per method, each trial {sweep.trialCost} cost units: {Number(sweepCostPerMethod(e).toPrecision(4))} cost units per method,{' '}
        {trials * seedCount(e) * sweep.runs.length} jobs in all.
      </p>
      <div className="sweep-actions">
        <button className="primary" data-testid="run-sweep" disabled={activity !== null} onClick={runSweep}>
          Run sweep
        </button>
        <button className="link" onClick={() => update((p) => void delete p.sweep)}>remove sweep</button>
        {sweep.runs.map((i) => {
          const best = bestSetting(e, results, i);
          return (
            <button key={i} data-testid={`promote-best-${i}`} disabled={!best} onClick={() => promoteBest(i)}
              title={best ? `median ${sweepMetric(e)} ${best.spread.median}` : 'available when every trial of this run has finished'}>
              Promote best of run {i + 1}{best ? `: ${settingText(best.setting)}` : ''}
            </button>
          );
        })}
      </div>
    </div>
  );
}

/**
 * The comparison protocol: seeds with bands, a tuning sweep with a budget, and time to target, all run on the worker
 * pool. Its settings live in the experiment (experiment.protocol, so the link carries them); its results in
 * src/state/sweepsSlice.ts.
 */
export function ProtocolSection() {
  const e = useStore((s) => s.experiment);
  const updateExperiment = useStore((s) => s.updateExperiment);
  const results = useStore((s) => s.sweeps.results);
  const activity = useStore((s) => s.sweeps.activity);
  const { runSeeds } = useStore.getState();
  const update = (edit: (p: ProtocolConfig, d: Experiment) => void) =>
    updateExperiment((d) => {
      d.protocol = d.protocol ?? { seeds: 1 };
      edit(d.protocol, d);
    });
  const n = seedCount(e);
  const target = e.protocol?.target;
  const classification = e.dataset.kind !== 'glm';
  const tuned = e.runs.map((r, i) => (r.tuning ? i + 1 : 0)).filter(Boolean);
  const untuned = e.runs.map((r, i) => (r.tuning ? 0 : i + 1)).filter(Boolean);
  return (
    <FieldScope name="seeds and tuning"><section className="protocol panel" data-testid="protocol">
      <h2>Seeds, tuning and time to target</h2>
      {tuned.length > 0 && untuned.length > 0 && (
        <div className="tuning-notice" role="note" data-testid="tuning-notice">
          Unequal tuning: run{tuned.length > 1 ? 's' : ''} {tuned.join(', ')} {tuned.length > 1 ? 'were' : 'was'} tuned by a sweep, run{untuned.length > 1 ? 's' : ''} {untuned.join(', ')}{' '}
          {untuned.length > 1 ? 'use their' : 'uses its'} preset settings. A ranking between them partly measures the tuning effort.
        </div>
      )}
      <div className="protocol-row">
        <SettingField setting={PROTOCOL_SETTINGS.seeds} value={n} onChange={(v: number) => update((p) => void (p.seeds = v))} />
        {/* Optional setting: off is written by leaving it out (engine/settings.ts), so links without it stay as they were. */}
        <SettingField setting={PROTOCOL_SETTINGS.varySplit} value={e.protocol?.varySplit ?? PROTOCOL_SETTINGS.varySplit.default}
          onChange={(on: boolean) => update((p) => (on ? (p.varySplit = true) : void delete p.varySplit))} />
        <button className="primary" data-testid="run-seeds" disabled={activity !== null} onClick={() => runSeeds()}>
          Run {n} seed{n > 1 ? 's' : ''} of every run
        </button>
        {/* The target is optional as a whole ('none'); an accuracy target needs classes (not the planted GLM). */}
        <SelectField label={TARGET_SETTINGS.metric.label} testId={TARGET_SETTINGS.metric.id} value={target?.metric ?? 'none'}
          options={[{ value: 'none', label: 'none' }, ...TARGET_SETTINGS.metric.options.filter((o) => classification || o.value !== 'testAccuracy')]}
          onChange={(v) =>
            update((p) => {
              if (v === 'none') delete p.target;
              else p.target = { metric: v, value: FIRST_TARGET[v] };
            })
          } />
        {target && (
          <SettingField setting={TARGET_SETTINGS.value} max={target.metric === 'testAccuracy' ? 1 : undefined} value={target.value} onChange={(v: number) => update((p) => void (p.target!.value = v))} />
        )}
      </div>
      <SweepControls e={e} update={update} />
      <PoolProgress />
      {/* The band plots sit under the curves (SeedBands in App), where Run puts them on the screen. */}
      {e.protocol?.sweep && <SensitivityPlot />}
      <TargetTable />
      <ProfilePlot />
      {Object.keys(results).length > 0 && (
        <button onClick={() => download('protocol-results.csv', protocolResultsCsv(e, results))} data-testid="export-protocol">
          Export seeds and sweep results (CSV)
        </button>
      )}
    </section></FieldScope>
  );
}
