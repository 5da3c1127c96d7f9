import { describe, expect, it } from 'vitest';
import { MAX_RUNS } from '../engine/experiment';
import { findPreset } from '../presets';
import { testStore } from '../testing/storeFixture';

describe('experiment slice', () => {
  it('setExperiment replaces the experiment, ends the workers and starts the runs over', async () => {
    const { store, made } = testStore();
    await store.getState().run();
    expect(made.length).toBe(store.getState().runs.length);
    const next = structuredClone(store.getState().experiment);
    next.runs.push({ ...next.runs[0] });
    store.getState().setExperiment(next);
    const s = store.getState();
    expect(s.experiment).toBe(next);
    expect(s.runs.map((r) => r.status)).toEqual(next.runs.map(() => 'idle'));
    expect(s.hiddenRuns).toEqual(next.runs.map(() => false));
    expect(made.every((w) => w.terminated)).toBe(true);
  });

  it('updateExperiment validates the edit: a bad one is refused with a notice and changes nothing', () => {
    const { store } = testStore();
    const before = store.getState().experiment;
    store.getState().updateExperiment((d) => (d.training.maxIterations = -5));
    expect(store.getState().experiment).toBe(before);
    expect(store.getState().notices.at(-1)?.text).toMatch(/^Not applied: .*maxIterations/);
    store.getState().updateExperiment((d) => (d.training.maxIterations = 77));
    expect(store.getState().experiment.training.maxIterations).toBe(77);
    expect(before.training.maxIterations).not.toBe(77); // the old experiment object was not edited in place
  });

  it('loadPreset loads a copy of the preset, and names an unknown one', () => {
    const { store } = testStore();
    store.getState().loadPreset('twophase-mnist');
    const preset = findPreset('twophase-mnist')!;
    expect(store.getState().experiment).toEqual(preset.experiment);
    expect(store.getState().experiment).not.toBe(preset.experiment);
    expect(store.getState().runs).toHaveLength(preset.experiment.runs.length);
    store.getState().loadPreset('nope');
    expect(store.getState().notices.at(-1)?.text).toBe('There is no preset "nope".');
  });

  it('addRun stops at MAX_RUNS; removeRun keeps one run and moves the landscape reference with the runs', () => {
    const { store } = testStore();
    while (store.getState().experiment.runs.length < MAX_RUNS) store.getState().addRun('adam');
    store.getState().addRun('adam');
    expect(store.getState().experiment.runs).toHaveLength(MAX_RUNS);
    expect(store.getState().notices.at(-1)?.text).toMatch(/At most/);
    store.getState().updateLandscape((d) => (d.slice.reference = 2));
    store.getState().removeRun(0);
    expect(store.getState().experiment.landscape?.slice.reference).toBe(1);
    store.getState().removeRun(1);
    expect(store.getState().experiment.landscape?.slice.reference).toBe(0);
    expect(store.getState().notices.at(-1)?.text).toMatch(/went through run 2, which was removed/);
    while (store.getState().experiment.runs.length > 1) store.getState().removeRun(0);
    store.getState().removeRun(0);
    expect(store.getState().experiment.runs).toHaveLength(1);
  });

  it('renameRun, setTitle and setView change the experiment without restarting the runs', async () => {
    const { store, made } = testStore();
    await store.getState().run();
    const runs = store.getState().runs;
    store.getState().renameRun(0, '  my run ');
    expect(store.getState().experiment.runs[0].label).toBe('my run');
    store.getState().renameRun(0, '');
    expect(store.getState().experiment.runs[0].label).toBeUndefined();
    store.getState().setTitle('A title');
    expect(store.getState().experiment.title).toBe('A title');
    store.getState().setView({ logY: true });
    expect(store.getState().experiment.view.logY).toBe(true);
    expect(store.getState().runs).toBe(runs);
    expect(made.some((w) => w.terminated)).toBe(false);
  });

  it('a new experiment starts its lecture from the first step; the same lecture keeps its step', () => {
    const { store } = testStore();
    store.getState().loadPreset('twophase-mnist');
    store.getState().setLectureStep(2);
    expect(store.getState().lectureStep).toBe(2);
    store.getState().updateExperiment((d) => (d.view.logY = !d.view.logY)); // same set-up: same lecture
    expect(store.getState().lectureStep).toBe(2);
    store.getState().updateExperiment((d) => (d.training.maxIterations += 1)); // another set-up
    expect(store.getState().lectureStep).toBe(0);
  });
});
