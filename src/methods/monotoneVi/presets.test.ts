import { describe, expect, it } from 'vitest';
import { describeViRun } from './monotoneVi.hyper';
import { decodeHash, encodeExperiment } from '../../url/codec';
import { validateExperiment } from '../../url/validate';
import { findPreset } from '../../presets/index';
import { MONOTONE_VI_PRESETS } from './presets';

describe('monotone VI presets', () => {
  it('are listed, validate, round-trip through the URL, train on squared loss and name every VI run’s rule', () => {
    for (const p of MONOTONE_VI_PRESETS) {
      expect(findPreset(p.id)).toBe(p);
      const v = validateExperiment(p.experiment);
      expect(v.ok && v.warnings).toEqual([]);
      const back = decodeHash('#' + encodeExperiment(p.experiment));
      expect(back.ok === true && back.value).toEqual(p.experiment);
      // §1 note: with cross-entropy the output-layer field equals the gradient; the presets must differ from it
      expect(p.experiment.network.loss).toBe('mse');
      const vi = p.experiment.runs.filter((r) => r.algorithm === 'vi' && r.hyper.direction === 'field');
      expect(vi.length).toBeGreaterThan(0);
      for (const r of vi) expect(r.label).toBe(describeViRun(r.hyper));
      // a baseline on the gradient runs beside VI in every preset
      expect(p.experiment.runs.some((r) => r.algorithm === 'sgd' || r.hyper.direction === 'gradient')).toBe(true);
    }
    const ft = findPreset('vi-finetune')!.experiment;
    expect(ft.pretrain?.classes).toEqual([0, 1, 2, 3, 4]);
    expect(ft.dataset.classes).toEqual([5, 6, 7, 8, 9]);
    const moons = findPreset('vi-moons')!.experiment.runs.map((r) => [r.algorithm, r.hyper.hiddenDivBatch ?? null]);
    expect(moons).toEqual([['vi', false], ['vi', true], ['sgd', null]]);
  });

  it('rejects a pretrain section on a non-image dataset', () => {
    const e = { ...findPreset('vi-moons')!.experiment, pretrain: { classes: [0, 1], iterations: 10, lr: 0.01, seed: 1 } };
    const v = validateExperiment(e);
    expect(v.ok).toBe(false);
  });
});
