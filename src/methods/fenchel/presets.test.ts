import { describe, expect, it } from 'vitest';
import { validateExperiment } from '../../url/validate';
import { FENCHEL_PRESETS } from './presets';
import { findPreset } from '../../presets/index';

describe('Fenchel presets', () => {
  it('are listed, validate unchanged, and compare Fenchel BCD with baselines on one ReLU/softmax network', () => {
    expect(FENCHEL_PRESETS.map((p) => p.id)).toEqual(['fenchel-mnist', 'fenchel-moons', 'fenchel-reference']);
    for (const p of FENCHEL_PRESETS) {
      expect(findPreset(p.id)).toBe(p);
      const v = validateExperiment(p.experiment);
      if (!v.ok) throw new Error(v.errors.join('; '));
      expect(v.value).toEqual(p.experiment);
      const n = p.experiment.network;
      expect([n.activation, n.outputLink, n.loss]).toEqual(['relu', 'softmax', 'ce']);
      expect(p.experiment.training.batchSize).toBe(0);
      const algs = p.experiment.runs.map((r) => r.algorithm);
      expect(algs[0]).toBe('fenchel');
      expect(algs).toContain('adam');
    }
    expect(findPreset('fenchel-mnist')!.experiment.runs.map((r) => r.algorithm)).toEqual(['fenchel', 'sgd', 'adam']);
    expect(findPreset('fenchel-moons')!.experiment.network.hidden).toEqual([16, 16]);
  });
});
