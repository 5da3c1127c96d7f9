import { afterEach, describe, expect, it, vi } from 'vitest';
import { PROTOCOL_VERSION, type ToWorker } from '../workers/protocol';
import { findPreset } from '../presets';
import { METRICS_FLUSH_MS } from './runsSlice';
import { point, testStore } from '../testing/storeFixture';

const startOf = (sent: ToWorker[]) => sent.find((m): m is Extract<ToWorker, { type: 'start' }> => m.type === 'start');

describe('runs slice', () => {
  afterEach(() => vi.useRealTimers());

  it('run() starts one worker per idle run with the experiment, and resumes paused runs', async () => {
    const { store, made } = testStore();
    const n = store.getState().experiment.runs.length;
    await store.getState().run();
    expect(made).toHaveLength(n);
    made.forEach((w, i) => {
      const start = startOf(w.sent)!;
      expect(start).toMatchObject({ version: PROTOCOL_VERSION, runIndex: i, backend: 'wasm', autoRun: true });
      expect(start.experiment).toBe(store.getState().experiment);
    });
    expect(store.getState().runs.map((r) => [r.status, r.backendSource])).toEqual(made.map(() => ['starting', 'chosen']));
    made[0].emit({ type: 'status', status: 'paused', iteration: 4 });
    await store.getState().run();
    expect(made).toHaveLength(n); // no new workers
    expect(made[0].sentTypes()).toEqual(['start', 'resume']);
    expect(made[1].sentTypes()).toEqual(['start']);
  });

  it('once the page asks, idle runs have spare workers readied for them, and Run takes them', async () => {
    const { store, made } = testStore();
    const n = store.getState().experiment.runs.length;
    store.getState().prewarmWorkers();
    expect(made).toHaveLength(n);
    expect(made.every((w) => w.sentTypes().join() === 'warm-up')).toBe(true);
    await store.getState().run();
    expect(made).toHaveLength(n); // Run took the spares: no new workers
    expect(made.map((w) => w.sentTypes())).toEqual(made.map(() => ['warm-up', 'start']));
    // While runs are live no spares are made; a reset ends the runs' workers and readies new spares.
    store.getState().prewarmWorkers();
    expect(made).toHaveLength(n);
    store.getState().reset();
    expect(made).toHaveLength(2 * n);
    expect(made.slice(0, n).every((w) => w.terminated)).toBe(true);
    expect(made.slice(n).every((w) => w.sentTypes().join() === 'warm-up' && !w.terminated)).toBe(true);
  });

  it('applies worker messages with the reducer; new points reach React in one throttled flush', async () => {
    vi.useFakeTimers();
    const { store, made } = testStore();
    await store.getState().run();
    const w = made[0];
    w.emit({ type: 'ready', backend: 'wasm', threads: 1, notices: ['note'], paramCount: 42, setupMs: 3 });
    w.emit({ type: 'status', status: 'running', iteration: 0 });
    expect(store.getState().runs[0]).toMatchObject({ backend: 'wasm', paramCount: 42, notices: ['note'], status: 'running' });
    w.emit({ type: 'metrics', points: [point(1)] }); // the first point is shown at once (its latency is measured)
    const v1 = store.getState().runs[0].version;
    expect(store.getState().runs[0].firstPointMs).toBeGreaterThanOrEqual(0);
    w.emit({ type: 'metrics', points: [point(2), point(3)] });
    w.emit({ type: 'metrics', points: [point(4)] });
    made[1].emit({ type: 'metrics', points: [point(1)] });
    made[1].emit({ type: 'metrics', points: [point(2)] });
    expect(store.getState().runs[0].points.map((p) => p.iteration)).toEqual([1, 2, 3, 4]);
    expect(store.getState().runs[0].version).toBe(v1);
    const v2 = store.getState().runs[1].version;
    vi.advanceTimersByTime(METRICS_FLUSH_MS);
    expect(store.getState().runs[0].version).toBe(v1 + 1);
    expect(store.getState().runs[1].version).toBe(v2 + 1);
  });

  it('pause() and step() talk only to the runs that can hear them', async () => {
    const { store, made } = testStore();
    await store.getState().step(3);
    expect(made.map((w) => startOf(w.sent)?.autoRun)).toEqual(made.map(() => false));
    expect(made[0].sentTypes()).toEqual(['start', 'step']);
    expect(made[0].sent[1]).toEqual({ type: 'step', count: 3 });
    made[0].emit({ type: 'status', status: 'running', iteration: 1 });
    made[1].emit({ type: 'status', status: 'finished', iteration: 9 });
    store.getState().pause();
    expect(made[0].sentTypes()).toEqual(['start', 'step', 'pause']);
    expect(made[1].sentTypes()).toEqual(['start', 'step']);
  });

  it('pauses every run when one reaches an event of pauseOn, and shows the lecture step written for it', async () => {
    const preset = findPreset('twophase-mnist')!;
    const { store, made } = testStore(preset.experiment);
    const swapRun = preset.experiment.runs.findIndex((r) => r.algorithm === 'twophase');
    const swapStep = preset.steps!.findIndex((s) => s.at === 'swap');
    expect(swapRun).toBeGreaterThanOrEqual(0);
    expect(swapStep).toBeGreaterThan(0);
    await store.getState().run();
    made.forEach((w) => w.emit({ type: 'status', status: 'running', iteration: 0 }));
    made[swapRun].emit({ type: 'metrics', points: [point(1, { phase: 0 }), point(2, { swap: 1, phase: 1 })] });
    expect(store.getState().pausedAt).toEqual({ runIndex: swapRun, eventId: 'swap', label: 'swap → CG', iteration: 2 });
    expect(store.getState().lectureStep).toBe(swapStep);
    for (const w of made) expect(w.sentTypes()).toContain('pause');
    // Run clears the caption
    await store.getState().run();
    expect(store.getState().pausedAt).toBeNull();
  });

  it('reports a crashed worker on its run; restartRun starts that run alone from scratch', async () => {
    const { store, made } = testStore();
    await store.getState().run();
    made[0].emit({ type: 'metrics', points: [point(1)] });
    made[0].crash('out of memory');
    expect(store.getState().runs[0]).toMatchObject({ status: 'error', message: 'the worker crashed: out of memory' });
    expect(made[0].terminated).toBe(true);
    const n = made.length;
    await store.getState().restartRun(0);
    expect(made).toHaveLength(n + 1);
    expect(store.getState().runs[0]).toMatchObject({ status: 'starting', points: [] });
    expect(made[1].terminated).toBe(false);
  });

  it('requests go to live runs only and come back through the one request/reply', async () => {
    const { store, made } = testStore();
    await expect(store.getState().requestWeights()).resolves.toEqual(store.getState().runs.map(() => null));
    await store.getState().run();
    made[1].emit({ type: 'status', status: 'error', iteration: 0, message: 'bad' });
    const weights = store.getState().requestWeights(1000);
    expect(made[0].sentTypes()).toContain('get-weights');
    expect(made[1].sentTypes()).not.toContain('get-weights');
    made[0].emit({ type: 'weights', sizes: [2], flat: [1, 2] });
    const got = await weights;
    expect(got[0]).toEqual({ sizes: [2], flat: [1, 2] });
    expect(got[1]).toBeNull();

    const view = store.getState().requestLiftedView(0, 0, 3, 1000);
    const ask = made[0].sent.at(-1) as Extract<ToWorker, { type: 'lifted-view' }>;
    expect(ask).toMatchObject({ type: 'lifted-view', layer: 0, unit: 3 });
    made[0].emit({ type: 'lifted-view-result', requestId: ask.requestId + 1, iteration: 1, view: null }); // another request's
    made[0].emit({ type: 'lifted-view-result', requestId: ask.requestId, iteration: 7, view: null });
    await expect(view).resolves.toMatchObject({ iteration: 7, view: null });
  });

  it('reset() ends every worker, clears the pause and starts the runs over; toggleRunVisible hides one run', async () => {
    const { store, made } = testStore();
    await store.getState().run();
    store.getState().toggleRunVisible(1);
    expect(store.getState().hiddenRuns[1]).toBe(true);
    store.getState().reset();
    expect(made.every((w) => w.terminated)).toBe(true);
    expect(store.getState().runs.every((r) => r.status === 'idle' && r.points.length === 0)).toBe(true);
    expect(store.getState().hiddenRuns.every((h) => !h)).toBe(true);
    expect(store.getState().pausedAt).toBeNull();
  });
});
