import { afterEach, describe, expect, it, vi } from 'vitest';
import { LiveRunWorkers } from './liveRuns';
import { fakeWorkers } from '../testing/fakeWorkers';

describe('LiveRunWorkers: one worker per run and one request/reply', () => {
  afterEach(() => vi.useRealTimers());

  it('gives each run its own worker and ends the old one when a run starts again', () => {
    const { factory, made } = fakeWorkers();
    const workers = new LiveRunWorkers(factory);
    const seen: string[] = [];
    workers.start(0, (m) => seen.push(`0:${m.type}`), () => {});
    workers.start(1, (m) => seen.push(`1:${m.type}`), () => {});
    made[1].emit({ type: 'status', status: 'running', iteration: 0 });
    expect(seen).toEqual(['1:status']);
    workers.start(0, () => {}, () => {});
    expect(made.map((w) => w.terminated)).toEqual([true, false, false]);
    workers.send(1, { type: 'pause' });
    workers.send(5, { type: 'pause' }); // no worker: nothing happens
    expect(made[1].sentTypes()).toEqual(['pause']);
    workers.terminateAll();
    expect(made.every((w) => w.terminated)).toBe(true);
    expect(workers.has(0)).toBe(false);
  });

  it('ends a crashed worker before reporting the crash', () => {
    const { factory, made } = fakeWorkers();
    const workers = new LiveRunWorkers(factory);
    const crashes: [string, boolean][] = [];
    workers.start(0, () => {}, (message) => crashes.push([message, made[0].terminated]));
    made[0].crash('boom');
    expect(crashes).toEqual([['the worker crashed: boom', true]]);
  });

  it('resolves a request with the first matching reply of the same run, and leaves no waiter behind', async () => {
    const { factory, made } = fakeWorkers();
    const workers = new LiveRunWorkers(factory);
    workers.start(0, () => {}, () => {});
    workers.start(1, () => {}, () => {});
    const id = workers.requestId();
    expect(workers.requestId()).toBe(id + 1);
    const reply = workers.ask(1, { type: 'get-weights' }, (m) => (m.type === 'weights' ? m.flat : undefined), 1000);
    expect(made[1].sentTypes()).toEqual(['get-weights']);
    made[0].emit({ type: 'weights', sizes: [1], flat: [0] }); // another run's reply is not this one's
    made[1].emit({ type: 'status', status: 'running', iteration: 3 }); // not a reply
    made[1].emit({ type: 'weights', sizes: [2], flat: [4, 5] });
    made[1].emit({ type: 'weights', sizes: [2], flat: [6, 7] });
    await expect(reply).resolves.toEqual([4, 5]);
    expect(workers.pendingRequests).toBe(0);
  });

  it('answers null without a worker, and null after the timeout', async () => {
    vi.useFakeTimers();
    const { factory } = fakeWorkers();
    const workers = new LiveRunWorkers(factory);
    await expect(workers.ask(0, { type: 'get-weights' }, () => 1, 1000)).resolves.toBeNull();
    workers.start(0, () => {}, () => {});
    const reply = workers.ask(0, { type: 'get-weights' }, (m) => (m.type === 'weights' ? 1 : undefined), 1000);
    expect(workers.pendingRequests).toBe(1);
    vi.advanceTimersByTime(1001);
    await expect(reply).resolves.toBeNull();
    expect(workers.pendingRequests).toBe(0);
  });

  it('keeps spare workers readied for Run; a run with the same warmth takes one, another warmth gets a new worker', () => {
    const { factory, made } = fakeWorkers();
    const workers = new LiveRunWorkers(factory);
    const wasm1 = { backend: 'wasm' as const, wasmThreads: 1 };
    workers.prewarm(2, wasm1);
    expect(made.map((w) => w.sent)).toEqual([[{ type: 'warm-up', ...wasm1 }], [{ type: 'warm-up', ...wasm1 }]]);
    workers.prewarm(2, wasm1); // already there: nothing new
    expect(made).toHaveLength(2);
    const seen: string[] = [];
    made[0].emit({ type: 'status', status: 'running', iteration: 0 }); // before a run takes it: dropped
    const taken = workers.start(0, (m) => seen.push(m.type), () => {}, wasm1);
    expect(taken).toBe(made[0]);
    expect(workers.spareCount).toBe(1);
    made[0].emit({ type: 'ready', backend: 'wasm', threads: 1, notices: [], paramCount: 1, setupMs: 1 });
    expect(seen).toEqual(['ready']);
    workers.start(1, () => {}, () => {}, { backend: 'webgl', wasmThreads: 1 });
    expect(made).toHaveLength(3); // the spare is readied for WASM, not WebGL
    expect(workers.spareCount).toBe(1);
    // Readying for another warmth ends the old spare; ending the runs' workers leaves the spares.
    workers.prewarm(1, { backend: 'wasm', wasmThreads: 2 });
    expect(made[1].terminated).toBe(true);
    workers.terminateAll();
    expect(made[3].terminated).toBe(false);
    expect(made[0].terminated).toBe(true);
  });

  it('drops a spare that crashes before a run takes it; a taken spare reports its crash on the run', () => {
    const { factory, made } = fakeWorkers();
    const workers = new LiveRunWorkers(factory);
    const wasm1 = { backend: 'wasm' as const, wasmThreads: 1 };
    workers.prewarm(2, wasm1);
    made[0].crash('failed to load');
    expect(made[0].terminated).toBe(true);
    expect(workers.spareCount).toBe(1);
    const crashes: string[] = [];
    expect(workers.start(0, () => {}, (m) => crashes.push(m), wasm1)).toBe(made[1]);
    made[1].crash('out of memory');
    expect(crashes).toEqual(['the worker crashed: out of memory']);
    expect(made[1].terminated).toBe(true);
  });
});
