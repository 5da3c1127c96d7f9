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
      // every mDLAM preset shows the paper's method; the playground's variant is never labelled as it
      expect(e.runs.some((r) => r.algorithm === 'mdlam')).toBe(true);
      for (const r of e.runs.filter((x) => x.algorithm === 'mdlam-coupled')) expect(r.label).toMatch(/playground variant/);
    }
    const mnist = findPreset('mdlam-mnist')!.experiment;
    expect(mnist.runs.map((r) => r.algorithm)).toEqual(['mdlam', 'mdlam', 'mdlam-coupled', 'sgd', 'adam']);
    // accelerated vs plain is one click on the MNIST and reference presets
    for (const id of ['mdlam-mnist', 'mdlam-reference'])
      expect(findPreset(id)!.experiment.runs.filter((r) => r.algorithm === 'mdlam').map((r) => r.hyper.accelerate).sort()).toEqual([false, true]);
    const moons = findPreset('mdlam-moons')!.experiment;
    expect(moons.network.hidden).toEqual([16, 16]);
    // issue 14: the two-moons preset compares the faithful method, the variant and Adam
    expect(moons.runs.map((r) => r.algorithm)).toEqual(['mdlam', 'mdlam-coupled', 'adam']);
  });

  it('the paper-protocol preset has the authors’ settings (algorithms.md §5, last paragraph)', () => {
    const e = findPreset('mdlam-paper')!.experiment;
    expect(e.network).toEqual({ hidden: [100, 100], activation: 'relu', outputLink: 'softmax', loss: 'ce', init: { scheme: 'normal', gain: 1, sigma: 0.1, bias: 'scheme', biasValue: 0 } });
    expect(e.dataset).toMatchObject({ kind: 'moons', trainSize: 500, testSize: 500, noise: 0.1, standardize: true });
    expect(e.training).toMatchObject({ batchSize: 0, maxIterations: 200 });
    expect(e.runs[0].algorithm).toBe('mdlam');
    expect(e.runs[0].hyper).toMatchObject({ lossReduction: 'sum', rho: 1e-3, mu: 0.05, eps0: 100, epsMin: 1e-3, epsDecay: 0.5 });
    expect(e.runs.map((r) => r.algorithm)).toEqual(['mdlam', 'mdlam-coupled', 'adam']);
    // every figure it quotes is the playground's own measurement under these settings (bench/mdlam.ts table)
    expect(findPreset('mdlam-paper')!.lookFor).toMatch(/\{\{mdlam\.table\.paper100\.paper\.testAcc\.mean\}\}/);
  });
});
