import { describe, expect, it } from 'vitest';
import { defaultExperiment } from '../methods/defaultExperiment';
import { PRESETS } from '../presets';
import { decodeHash, encodeExperiment } from './codec';
import { presetFor } from './presetFor';

describe('which preset an experiment is (the story shown on the working page)', () => {
  it('every preset, opened from its link, is found as itself (no two presets share a set-up)', () => {
    for (const p of PRESETS) {
      const back = decodeHash('#' + encodeExperiment(p.experiment));
      expect(back.ok, p.id).toBe(true);
      if (back.ok !== true) continue;
      expect(presetFor(back.value)?.id, p.id).toBe(p.id);
    }
  });

  it('view, title and backend keep the preset; a setting, the seeds or the data leave it', () => {
    const p = PRESETS.find((q) => q.id === 'seeds-bands')!;
    const e = structuredClone(p.experiment);
    expect(presetFor({ ...e, title: 'mine', view: { ...e.view, logY: !e.view.logY }, training: { ...e.training, backend: 'wasm' } })?.id).toBe(p.id);
    expect(presetFor({ ...e, protocol: { ...e.protocol!, seeds: 3 } })).toBeUndefined();
    expect(presetFor({ ...e, runs: [{ ...e.runs[0], hyper: { ...e.runs[0].hyper, lr: 0.5 } }, e.runs[1]] })).toBeUndefined();
    expect(presetFor({ ...e, dataset: { ...e.dataset, noise: 0.2 } })).toBeUndefined();
    // The page's default experiment is the two-spirals preset (its story shows on a first visit); an edit of it is not.
    expect(presetFor(defaultExperiment())?.id).toBe('2d-spiral');
    const edited = defaultExperiment();
    edited.training.maxIterations += 1;
    expect(presetFor(edited)).toBeUndefined();
  });
});
