import { afterEach, describe, expect, it, vi } from 'vitest';
import { defaultExperiment } from '../methods/defaultExperiment';
import { seedJobs } from '../sweeps/jobs';
import { point, testStore } from '../testing/storeFixture';
import { PROTOCOL_VERSION, type ToWorker } from '../workers/protocol';
import { SWEEP_RESULTS_FLUSH_MS } from './sweepsSlice';

const startsOf = (sent: ToWorker[]) => sent.filter((m): m is Extract<ToWorker, { type: 'start' }> => m.type === 'start');

/** The default comparison over two seeds: runs × 2 replicate jobs. */
function seededStore() {
  const e = defaultExperiment();
  e.protocol = { seeds: 2 };
  const fixture = testStore(e);
  fixture.store.getState().setPoolSize(2);
  return fixture;
}

/** Let the pool's launch (it awaits the backend choice) send its start messages. */
const launched = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

describe('sweeps slice', () => {
  afterEach(() => vi.useRealTimers());

  it('setPoolSize takes a whole number of workers before the pool exists, and names a bad one', () => {
    const { store } = testStore();
    store.getState().setPoolSize(3);
    expect(store.getState().sweeps.poolSize).toBe(3);
    store.getState().setPoolSize(0);
    store.getState().setPoolSize(2.5);
    expect(store.getState().sweeps.poolSize).toBe(3);
    expect(store.getState().notices.map((n) => n.text).slice(-2)).toEqual([
      'The pool size must be a whole number of workers ≥ 1, not 0.',
      'The pool size must be a whole number of workers ≥ 1, not 2.5.',
    ]);
  });

  it('runs seed replicates on workers of the store’s one factory, each started with the one start message', async () => {
    const { store, made } = seededStore();
    const jobs = seedJobs(store.getState().experiment);
    store.getState().runSeeds();
    expect(store.getState().sweeps.activity).toBe('seeds');
    await launched();
    expect(made).toHaveLength(2); // the pool's size, not one worker per job
    const starts = made.map((w) => startsOf(w.sent)[0]);
    starts.forEach((start, k) => {
      expect(start).toMatchObject({ version: PROTOCOL_VERSION, runIndex: jobs[k].runIndex, backend: 'wasm', autoRun: true, wasmThreads: 1 });
      expect(start.job).toEqual({ maxCost: undefined, noBoundary: true });
      expect(start.experiment).toEqual(jobs[k].experiment);
    });
  });

  it('a finished job’s result reaches the store in one batch; its worker is reused for the next job', async () => {
    vi.useFakeTimers();
    const { store, made } = seededStore();
    const jobs = seedJobs(store.getState().experiment);
    store.getState().runSeeds();
    await vi.advanceTimersByTimeAsync(0);
    const w = made[0];
    w.emit({ type: 'ready', backend: 'wasm', threads: 1, notices: [], paramCount: 10, setupMs: 1 });
    w.emit({ type: 'metrics', points: [{ ...point(5), trainLoss: 0.25 }] });
    w.emit({ type: 'status', status: 'finished', iteration: 5 });
    expect(store.getState().sweeps.results).toEqual({}); // not yet: results are flushed in batches
    await vi.advanceTimersByTimeAsync(SWEEP_RESULTS_FLUSH_MS);
    const result = store.getState().sweeps.results[jobs[0].key];
    expect(result).toMatchObject({ status: 'finished', backend: 'wasm' });
    expect(result.points.map((p) => [p.iteration, p.trainLoss])).toEqual([[5, 0.25]]);
    expect(store.getState().sweeps.progress).toMatchObject({ total: jobs.length, done: 1, failed: 0 });
    expect(made).toHaveLength(2);
    expect(w.sentTypes()).toEqual(['start', 'stop', 'start']);
    expect(startsOf(w.sent)[1].runIndex).toBe(jobs[2].runIndex);
  });

  it('a crashed pool worker fails its job with the same report a live run shows, and the next job gets a new worker', async () => {
    vi.useFakeTimers();
    const { store, made } = seededStore();
    store.getState().runSeeds();
    await vi.advanceTimersByTimeAsync(0);
    made[1].crash('out of memory');
    expect(made[1].terminated).toBe(true);
    await vi.advanceTimersByTimeAsync(SWEEP_RESULTS_FLUSH_MS);
    expect(store.getState().sweeps.progress).toMatchObject({ failed: 1, running: 2 });
    expect(made).toHaveLength(3);
    expect(made[2].sentTypes()).toEqual(['start']);

    // A live run's worker crashing is reported in the same words (runWorker.ts openRunWorker).
    await store.getState().run();
    made[3].crash('out of memory');
    expect(store.getState().runs[0]).toMatchObject({ status: 'error', message: 'the worker crashed: out of memory' });
  });

  it('▶ Run on a comparison over seeds starts the live runs and the replicates; cancel ends the pool’s workers', async () => {
    const { store, made } = seededStore();
    const n = store.getState().experiment.runs.length;
    await store.getState().runComparison();
    await launched();
    expect(made).toHaveLength(n + 2);
    expect(store.getState().runs.every((r) => r.status === 'starting')).toBe(true);
    expect(store.getState().sweeps.activity).toBe('seeds');
    store.getState().cancelSweeps();
    expect(made.slice(n).every((w) => w.terminated)).toBe(true);
    expect(made.slice(0, n).some((w) => w.terminated)).toBe(false);
    expect(store.getState().sweeps.activity).toBeNull();
  });
});
