import type { BackendName } from '../engine/backend';
import { MAX_RUNS } from '../engine/experiment';
import { runLabel } from '../methods/registry';
import { seedCount, seedJobs, settingHyper, settingText, sweepCostPerMethod, sweepJobs, sweepSettings, type Job } from '../sweeps/jobs';
import { bestSetting } from '../sweeps/results';
import type { JobSummary } from '../sweeps/stats';
import { poolSize, WorkerPool } from '../workers/pool';
import type { RunWorkerFactory } from '../workers/runWorker';
import type { Progress } from '../workers/scheduler';
import { autoBackend } from './backendChoice';
import { draftLines, useDrafts } from './drafts';
import type { SliceCreator, SweepActivity, SweepsSlice } from './storeShape';

/**
 * Results arrive one job at a time; React hears of them at most this often (a sweep finishes several jobs a second,
 * and each update redraws the protocol's plots).
 */
export const SWEEP_RESULTS_FLUSH_MS = 500;

/**
 * The sweeps slice (src/state/storeShape.ts SweepsSlice). It owns the worker pool, made on the first job with the
 * store's one worker factory (`newWorker`: the real RunClient in the app, a fake in unit tests).
 */
export const createSweepsSlice =
  (newWorker: RunWorkerFactory): SliceCreator<SweepsSlice> =>
  (set, get) => {
    let pool: WorkerPool | null = null;
    let pending: Record<string, JobSummary> = {};
    let timer: ReturnType<typeof setTimeout> | null = null;
    let lastProgress: Progress | null = null;

    const setSweeps = (patch: Partial<SweepsSlice['sweeps']>) => set((s) => ({ sweeps: { ...s.sweeps, ...patch } }));
    const flush = () => {
      timer = null;
      set((s) => ({
        sweeps: {
          ...s.sweeps,
          results: { ...s.sweeps.results, ...pending },
          progress: lastProgress,
          activity: lastProgress && lastProgress.queued + lastProgress.running === 0 ? null : s.sweeps.activity,
        },
      }));
      pending = {};
    };
    const scheduleFlush = () => {
      if (timer === null) timer = setTimeout(flush, SWEEP_RESULTS_FLUSH_MS);
    };

    const poolBackend = async (): Promise<BackendName> => {
      const choice = get().experiment.training.backend;
      return choice === 'auto' ? (await autoBackend()).backend : choice;
    };
    const ensurePool = (): WorkerPool => {
      pool ??= new WorkerPool(
        get().sweeps.poolSize,
        poolBackend,
        {
          onResult(key, summary) {
            pending[key] = summary;
            scheduleFlush();
          },
          onProgress(p) {
            lastProgress = p;
            scheduleFlush();
          },
        },
        newWorker,
      );
      return pool;
    };
    const launch = (activity: SweepActivity, jobs: Job[], quiet = false) => {
      const { results } = get().sweeps;
      const todo = jobs.filter((j) => !results[j.key]);
      if (!todo.length) {
        if (!quiet) get().notify('info', activity === 'seeds' ? 'Every seed of every run is already computed.' : 'Every trial of this sweep is already computed.');
        return;
      }
      setSweeps({ activity });
      ensurePool().submit(todo);
    };
    const refusedWhileBusy = (): boolean => {
      if (!get().sweeps.activity) return false;
      get().notify('error', 'The pool is busy: cancel or wait for the current jobs first.');
      return true;
    };

    return {
      sweeps: {
        results: {},
        progress: null,
        activity: null,
        poolSize: poolSize(typeof navigator === 'undefined' ? undefined : navigator.hardwareConcurrency),
      },

      // A comparison over seeds is about its bands, and a lecturer who presses Run on "SGD vs Adam over 5 seeds"
      // expects them (issue 31: Run trained one seed and the bands needed a button below the fold).
      async runComparison() {
        const fresh = get().runs.every((r) => r.status === 'idle');
        const refused = draftLines(useDrafts.getState().drafts).length > 0;
        await get().run();
        if (refused || !fresh || seedCount(get().experiment) <= 1 || get().sweeps.activity) return;
        get().runSeeds({ quiet: true });
      },
      runSeeds(options = {}) {
        if (refusedWhileBusy()) return;
        launch('seeds', seedJobs(get().experiment), options.quiet);
      },
      runSweep() {
        if (refusedWhileBusy()) return;
        const e = get().experiment;
        if (!e.protocol?.sweep) return get().notify('error', 'Set up a sweep first (runs, hyperparameter, range).');
        launch('sweep', sweepJobs(e));
      },
      pauseSweeps() {
        pool?.pause();
      },
      resumeSweeps() {
        pool?.resume();
      },
      cancelSweeps() {
        pool?.cancel();
        setSweeps({ activity: null });
      },
      promoteBest(runIndex) {
        const e = get().experiment;
        const best = bestSetting(e, get().sweeps.results, runIndex);
        const sweep = e.protocol?.sweep;
        if (!best || !sweep) return get().notify('error', `Run ${runIndex + 1} has no finished sweep to promote from.`);
        if (e.runs.length >= MAX_RUNS) return get().notify('error', `At most ${MAX_RUNS} runs can be compared at once.`);
        const base = e.runs[runIndex];
        const trials = sweepSettings(sweep).length;
        get().updateExperiment((d) => {
          d.runs.push({
            algorithm: base.algorithm,
            hyper: settingHyper(base, best.setting),
            label: `${runLabel({ algorithm: base.algorithm, hyper: base.hyper })} tuned (${settingText(best.setting)})`.slice(0, 60),
            tuning: { keys: sweep.axes.map((a) => a.key), trials, seeds: seedCount(e), cost: sweepCostPerMethod(e) },
          });
        });
      },
      setPoolSize(size) {
        if (!Number.isInteger(size) || size < 1) return get().notify('error', `The pool size must be a whole number of workers ≥ 1, not ${size}.`);
        if (pool) return get().notify('error', `The pool already runs with ${get().sweeps.poolSize} workers; reload the page to change its size.`);
        setSweeps({ poolSize: size });
      },
    };
  };
