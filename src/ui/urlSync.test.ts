import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Experiment } from '../engine/experiment';
import { METRICS_FLUSH_MS } from '../state/runsSlice';
import { point, testStore } from '../testing/storeFixture';
import { decodeHash, encodeExperiment } from '../url/codec';
import { startUrlSync } from './urlSync';

describe('URL sync', () => {
  afterEach(() => vi.useRealTimers());

  it('encodes the experiment on start and on every experiment change, never for metrics, statuses or view state', async () => {
    vi.useFakeTimers();
    const { store, made } = testStore();
    const encode = vi.fn((e: Experiment) => encodeExperiment(e));
    const hashes: string[] = [];
    const stop = startUrlSync({ store, encode, writeHash: (h) => hashes.push(h) });
    expect(encode).toHaveBeenCalledTimes(1);
    expect(hashes).toHaveLength(1);

    // Training: statuses, the first point, then many metrics messages and their throttled flushes.
    await store.getState().run();
    made.forEach((w) => w.emit({ type: 'status', status: 'running', iteration: 0 }));
    for (let i = 1; i <= 40; i++) {
      made.forEach((w) => w.emit({ type: 'metrics', points: [point(i)] }));
      vi.advanceTimersByTime(METRICS_FLUSH_MS / 2);
    }
    expect(store.getState().runs[0].points).toHaveLength(40);
    expect(store.getState().runs[0].version).toBeGreaterThan(10); // the store did change many times
    store.getState().setPresentation(true);
    store.getState().notify('error', 'x');
    store.getState().toggleRunVisible(0);
    expect(encode).toHaveBeenCalledTimes(1);

    // An experiment change is written, and the hash decodes to the experiment shown.
    store.getState().setView({ logY: !store.getState().experiment.view.logY });
    expect(encode).toHaveBeenCalledTimes(2);
    expect(hashes).toHaveLength(2);
    const back = decodeHash(hashes[1]);
    expect(back.ok === true && back.value).toEqual(store.getState().experiment);

    store.getState().setLabOpen(true);
    expect(encode).toHaveBeenCalledTimes(3);
    stop();
    store.getState().setLabOpen(false);
    expect(encode).toHaveBeenCalledTimes(3);
  });
});
