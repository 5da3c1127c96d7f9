import { describe, expect, it } from 'vitest';
import { decodeHash, encodeExperiment } from '../../url/codec';
import { validateExperiment } from '../../url/validate';
import { findPreset } from '../../presets/index';
import { MDLAM_PRESETS } from './presets';

describe('mDLAM presets', () => {
  it('are listed, validate, round-trip through the URL, and meet mDLAM’s requirements', () => {
    for (const p of MDLAM_PRESETS) {
      expect(findPreset(p.id)).toBe(p);
      const v = validateExperiment(p.experiment);
      expect(v.ok).toBe(true);
      const back = decodeHash('#' + encodeExperiment(p.experiment));
      expect(back.ok === true && back.value).toEqual(p.experiment);
      const e = p.experiment;
      expect(e.network.activation).toBe('relu');
      expect([e.network.outputLink, e.network.loss]).toEqual(['softmax', 'ce']);
      expect(e.training.batchSize).toBe(0);
      const md = e.runs.filter((r) => r.algorithm === 'mdlam');
      // accelerated vs plain is one click: both runs are in every preset
      expect(md.map((r) => r.hyper.accelerate).sort()).toEqual([false, true]);
    }
    const mnist = MDLAM_PRESETS.find((p) => p.experiment.dataset.kind === 'mnist')!;
    expect(mnist.experiment.runs.map((r) => r.algorithm)).toEqual(['mdlam', 'mdlam', 'sgd', 'adam']);
    const moons = MDLAM_PRESETS.find((p) => p.experiment.dataset.kind === 'moons')!;
    expect(moons.experiment.network.hidden).toEqual([16, 16]);
  });
});
