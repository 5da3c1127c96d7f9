import { describe, expect, it } from 'vitest';
import { decodeHash, encodeExperiment } from '../../url/codec';
import { validateExperiment } from '../../url/validate';
import { findPreset } from '../../presets/index';
import { TWO_PHASE_PRESETS } from './presets';
import { legacyInit } from '../../engine/init';

describe('two-phase presets', () => {
  it('are listed, validate, round-trip through the URL, and follow the notes’ demo (§2)', () => {
    expect(TWO_PHASE_PRESETS.map((p) => p.id)).toEqual(['twophase-mnist', 'twophase-mnist-glorot', 'twophase-reference']);
    for (const p of TWO_PHASE_PRESETS) {
      expect(findPreset(p.id)).toBe(p);
      const v = validateExperiment(p.experiment);
      expect(v.ok).toBe(true);
      expect(v.ok === true && v.warnings).toEqual([]);
      const back = decodeHash('#' + encodeExperiment(p.experiment));
      expect(back.ok === true && back.value).toEqual(p.experiment);
      const e = p.experiment;
      expect(e.dataset).toMatchObject({ kind: 'mnist', resolution: 14 });
      expect(e.network).toMatchObject({ hidden: [64, 64], activation: 'tanh', outputLink: 'softmax', loss: 'ce' });
      expect(e.runs.map((r) => [r.algorithm, r.hyper.lr])).toEqual([
        ['adam', 1e-3],
        ['adam', 1e-2],
        ['twophase', 1e-3],
        ['cg', undefined],
      ]);
      expect(p.lookFor.length).toBeGreaterThan(80);
    }
    expect(TWO_PHASE_PRESETS[0].experiment.network.init).toEqual(legacyInit(0.01));
    expect(TWO_PHASE_PRESETS[1].experiment.network.init).toEqual(legacyInit(1));
  });

  it('the MNIST preset carries lecture steps, one of them pausing at the swap', () => {
    const steps = findPreset('twophase-mnist')!.steps ?? [];
    expect(steps.length).toBeGreaterThan(0);
    expect(steps.some((s) => s.at === 'swap')).toBe(true);
  });
});
