import { create } from 'zustand';
import type { BackendName } from '../engine/backend';
import { MAX_RUNS, type Experiment, type TargetMetric } from '../engine/experiment';
import { runLabel } from '../methods/registry';
import { jobKey, seedCount, seedJobs, settingHyper, settingText, sweepCostPerMethod, sweepJobs, sweepSettings, type Setting } from '../sweeps/jobs';
import { spread, type JobSummary, type Spread } from '../sweeps/stats';
import { poolSize, WorkerPool } from '../workers/pool';
import type { Progress } from '../workers/scheduler';
import { autoBackend } from './backendChoice';
import { useStore } from './store';
import { draftLines, useDrafts } from './drafts';

/**
 * The comparison protocol's live state (its configuration lives in the experiment, experiment.protocol): the
 * worker pool, its progress, and a cache of job results by job key (src/sweeps/jobs.ts). Written only through
 * the actions below; components read results with the selectors at the end of this file.
 */
export type Activity = 'seeds' | 'sweep';

interface SweepsState {
  results: Record<string, JobSummary>;
  progress: Progress | null;
  activity: Activity | null;
  poolSize: number;
  /** Every seed replicate of every run on the pool; `quiet`: say nothing when all are computed already (▶ Run). */
  runSeeds(options?: { quiet?: boolean }): void;
  runSweep(): void;
  pause(): void;
  resume(): void;
  cancel(): void;
  /** Add the best setting of the sweep for run `runIndex` as a new run of the comparison, labelled with its tuning cost. */
  promoteBest(runIndex: number): void;
  clearResults(): void;
  /** Workers of the pool, set before its first job (the pool keeps the size it was made with); bench/pool.mjs compares sizes. */
  setPoolSize(size: number): void;
}

async function poolBackend(): Promise<BackendName> {
  const choice = useStore.getState().experiment.training.backend;
  return choice === 'auto' ? (await autoBackend()).backend : choice;
}

export const useSweeps = create<SweepsState>((set, get) => {
  // Results arrive one job at a time; React hears of them at most every FLUSH_MS (a sweep finishes several a
  // second, and each update redraws the protocol's plots).
  const FLUSH_MS = 500;
  /** Made on the first job; owned here (no module-level state). */
  let pool: WorkerPool | null = null;
  let pending: Record<string, JobSummary> = {};
  let timer: ReturnType<typeof setTimeout> | null = null;
  let lastProgress: Progress | null = null;
  const flush = () => {
    timer = null;
    set((s) => ({ results: { ...s.results, ...pending }, progress: lastProgress, activity: lastProgress && lastProgress.queued + lastProgress.running === 0 ? null : s.activity }));
    pending = {};
  };
  const schedule = () => {
    if (timer === null) timer = setTimeout(flush, FLUSH_MS);
  };
  const ensurePool = () => {
    if (!pool)
      pool = new WorkerPool(get().poolSize, poolBackend, {
        onResult(key, summary) {
          pending[key] = summary;
          schedule();
        },
        onProgress(p) {
          lastProgress = p;
          schedule();
        },
      });
    return pool;
  };
  const launch = (activity: Activity, jobs: ReturnType<typeof seedJobs>, quiet = false) => {
    const { results } = get();
    const todo = jobs.filter((j) => !results[j.key]);
    if (!todo.length) {
      if (!quiet) useStore.getState().notify('info', activity === 'seeds' ? 'Every seed of every run is already computed.' : 'Every trial of this sweep is already computed.');
      return;
    }
    set({ activity });
    ensurePool().submit(todo);
  };
  return {
    results: {},
    progress: null,
    activity: null,
    poolSize: poolSize(typeof navigator === 'undefined' ? undefined : navigator.hardwareConcurrency),
    runSeeds(options = {}) {
      if (get().activity) return useStore.getState().notify('error', 'The pool is busy: cancel or wait for the current jobs first.');
      launch('seeds', seedJobs(useStore.getState().experiment), options.quiet);
    },
    runSweep() {
      if (get().activity) return useStore.getState().notify('error', 'The pool is busy: cancel or wait for the current jobs first.');
      const e = useStore.getState().experiment;
      if (!e.protocol?.sweep) return useStore.getState().notify('error', 'Set up a sweep first (runs, hyperparameter, range).');
      launch('sweep', sweepJobs(e));
    },
    pause() {
      pool?.pause();
    },
    resume() {
      pool?.resume();
    },
    cancel() {
      pool?.cancel();
      set({ activity: null });
    },
    promoteBest(runIndex) {
      const e = useStore.getState().experiment;
      const best = bestSetting(e, get().results, runIndex);
      const sweep = e.protocol?.sweep;
      if (!best || !sweep) return useStore.getState().notify('error', `Run ${runIndex + 1} has no finished sweep to promote from.`);
      if (e.runs.length >= MAX_RUNS) return useStore.getState().notify('error', `At most ${MAX_RUNS} runs can be compared at once.`);
      const base = e.runs[runIndex];
      const trials = sweepSettings(sweep).length;
      useStore.getState().updateExperiment((d) => {
        d.runs.push({
          algorithm: base.algorithm,
          hyper: settingHyper(base, best.setting),
          label: `${runLabel({ algorithm: base.algorithm, hyper: base.hyper })} tuned (${settingText(best.setting)})`.slice(0, 60),
          tuning: { keys: sweep.axes.map((a) => a.key), trials, seeds: seedCount(e), cost: sweepCostPerMethod(e) },
        });
      });
    },
    clearResults() {
      set({ results: {} });
    },
    setPoolSize(size) {
      if (!Number.isInteger(size) || size < 1) return useStore.getState().notify('error', `The pool size must be a whole number of workers ≥ 1, not ${size}.`);
      if (pool) return useStore.getState().notify('error', `The pool already runs with ${get().poolSize} workers; reload the page to change its size.`);
      set({ poolSize: size });
    },
  };
});

/**
 * ▶ Run (the button and Space): the live runs and, when the experiment asks for several seeds (protocol.seeds > 1),
 * the seed replicates on the pool too — a comparison over seeds is about its bands, and a lecturer who presses Run on
 * "SGD vs Adam over 5 seeds" expects them (issue 31: Run trained one seed and the bands needed a button below the
 * fold). Seeds start with a fresh start only (not when paused runs resume), and not while the pool is busy or a field
 * holds an unapplied value (then run() refuses and says why).
 */
export async function runComparison(): Promise<void> {
  const store = useStore.getState();
  const fresh = store.runs.every((r) => r.status === 'idle');
  const refused = draftLines(useDrafts.getState().drafts).length > 0;
  await store.run();
  if (refused || !fresh || seedCount(store.experiment) <= 1 || useSweeps.getState().activity) return;
  useSweeps.getState().runSeeds({ quiet: true });
}

// ---- Selectors (pure functions of the experiment and the results) ----

/** Replicates of run `i` that have finished (in replicate order; missing ones left out). */
export function seedResults(e: Experiment, results: Record<string, JobSummary>, i: number): JobSummary[] {
  const run = e.runs[i];
  if (!run) return [];
  const out: JobSummary[] = [];
  for (let k = 0; k < seedCount(e); k++) {
    const r = results[jobKey(e, i, run.hyper, k)];
    if (r) out.push(r);
  }
  return out;
}

/** The metric the sweep ranks by and the sensitivity plot shows: the target's metric, else the final training loss. */
export function sweepMetric(e: Experiment): TargetMetric {
  return e.protocol?.target?.metric ?? 'trainLoss';
}

/** A job's final value of `metric`; a diverged job counts as the worst value (+∞ loss, accuracy 0), a failed one NaN. */
export function finalValue(r: JobSummary, metric: TargetMetric): number {
  if (r.status === 'diverged') return metric === 'trainLoss' ? Infinity : 0;
  const last = r.points[r.points.length - 1];
  if (r.status === 'error' || !last) return NaN;
  return metric === 'trainLoss' ? last.trainLoss : (last.testAccuracy ?? NaN);
}

export interface SettingResult {
  setting: Setting;
  /** Spread of the final metric over the finished seeds of this setting. */
  spread: Spread;
}

/** Per setting of the sweep, the spread over seeds of run `runIndex`'s final metric (settings with no result left out). */
export function sweepResults(e: Experiment, results: Record<string, JobSummary>, runIndex: number): SettingResult[] {
  const sweep = e.protocol?.sweep;
  const run = e.runs[runIndex];
  if (!sweep || !run || !sweep.runs.includes(runIndex)) return [];
  const metric = sweepMetric(e);
  const out: SettingResult[] = [];
  for (const setting of sweepSettings(sweep)) {
    const hyper = settingHyper(run, setting);
    const vals: number[] = [];
    for (let k = 0; k < seedCount(e); k++) {
      const r = results[jobKey(e, runIndex, hyper, k, sweep.trialCost)];
      if (r) vals.push(finalValue(r, metric));
    }
    if (vals.length) out.push({ setting, spread: spread(vals) });
  }
  return out;
}

/** The setting with the best median final metric, once every trial × seed of the run's sweep has finished. */
export function bestSetting(e: Experiment, results: Record<string, JobSummary>, runIndex: number): SettingResult | null {
  const sweep = e.protocol?.sweep;
  if (!sweep) return null;
  const rows = sweepResults(e, results, runIndex);
  if (rows.length < sweepSettings(sweep).length || rows.some((r) => r.spread.n < seedCount(e))) return null;
  const lower = sweepMetric(e) === 'trainLoss';
  let best: SettingResult | null = null;
  for (const r of rows) {
    const m = r.spread.median;
    if (Number.isNaN(m)) continue;
    if (!best || (lower ? m < best.spread.median : m > best.spread.median)) best = r;
  }
  return best;
}
