import { afterEach, describe, expect, it, vi } from 'vitest';
import { RunWorkers } from './runWorkers';
import { fakeWorkers } from './testing/fakeWorkers';

describe('RunWorkers: one worker per run and one request/reply', () => {
  afterEach(() => vi.useRealTimers());

  it('gives each run its own worker and ends the old one when a run starts again', () => {
    const { factory, made } = fakeWorkers();
    const workers = new RunWorkers(factory);
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
    const workers = new RunWorkers(factory);
    const crashes: [string, boolean][] = [];
    workers.start(0, () => {}, (message) => crashes.push([message, made[0].terminated]));
    made[0].crash('boom');
    expect(crashes).toEqual([['boom', true]]);
  });

  it('resolves a request with the first matching reply of the same run, and leaves no waiter behind', async () => {
    const { factory, made } = fakeWorkers();
    const workers = new RunWorkers(factory);
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
    const workers = new RunWorkers(factory);
    await expect(workers.ask(0, { type: 'get-weights' }, () => 1, 1000)).resolves.toBeNull();
    workers.start(0, () => {}, () => {});
    const reply = workers.ask(0, { type: 'get-weights' }, (m) => (m.type === 'weights' ? 1 : undefined), 1000);
    expect(workers.pendingRequests).toBe(1);
    vi.advanceTimersByTime(1001);
    await expect(reply).resolves.toBeNull();
    expect(workers.pendingRequests).toBe(0);
  });
});
