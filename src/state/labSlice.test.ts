import { describe, expect, it } from 'vitest';
import { defaultLandscape } from '../engine/landscape/config';
import { testStore } from '../testing/storeFixture';

describe('lab slice', () => {
  it('edits experiment.landscape without resetting the training runs', async () => {
    const { store, made } = testStore();
    await store.getState().run();
    const runs = store.getState().runs;
    store.getState().setLabOpen(true);
    expect(store.getState().experiment.landscape).toEqual({ ...defaultLandscape(), open: true });
    store.getState().updateLandscape((d) => (d.iterations = 120));
    store.getState().setLandscapeLive({ condition: 50 });
    expect(store.getState().experiment.landscape).toMatchObject({ iterations: 120, condition: 50, open: true });
    expect(store.getState().runs).toBe(runs);
    expect(made.some((w) => w.terminated)).toBe(false);
  });

  it('refuses an invalid edit with a notice and keeps the landscape as it was', () => {
    const { store } = testStore();
    store.getState().setLabOpen(true);
    const before = store.getState().experiment.landscape;
    store.getState().updateLandscape((d) => (d.iterations = -1));
    expect(store.getState().experiment.landscape).toBe(before);
    expect(store.getState().notices.at(-1)?.text).toMatch(/^Not applied: .*iterations/);
  });
});
