import { describe, expect, it } from 'vitest';
import { findPreset } from '../presets/index';
import { decodeHash, encodeExperiment } from '../url/codec';

/**
 * The four reference-protocol presets reproduce algorithms.md §5 exactly: data, init, biases, input scaling, step
 * bounds and budgets. Each is a link like any other (decoded back to itself), and its text says what differs.
 */
function fromLink(id: string) {
  const p = findPreset(id);
  expect(p, id).toBeDefined();
  const back = decodeHash('#' + encodeExperiment(p!.experiment));
  expect(back.ok === true && back.value).toEqual(p!.experiment);
  expect(p!.lookFor).toMatch(/What differs from/);
  expect(p!.lookFor).toMatch(/What it changes/);
  return p!.experiment;
}

describe('reference-protocol presets (algorithms.md §5)', () => {
  it('two-phase: MNIST 14×14, first 2,000 / 1,000 images, 196-64-64-10 tanh, N(0, 0.01²) weights, zero biases, Adam batch 512', () => {
    const e = fromLink('twophase-reference');
    expect(e.dataset).toMatchObject({ kind: 'mnist', resolution: 14, trainSize: 2000, testSize: 1000, classes: [] });
    expect(e.dataset.standardize).toBeUndefined();
    expect(e.network).toEqual({ hidden: [64, 64], activation: 'tanh', outputLink: 'softmax', loss: 'ce', init: { scheme: 'normal', gain: 1, sigma: 0.01, bias: 'zero', biasValue: 0 } });
    expect(e.training.batchSize).toBe(512);
    expect(e.runs.map((r) => [r.algorithm, r.hyper.lr, r.hyper.beta1, r.hyper.beta2])).toEqual([
      ['adam', 1e-3, 0.9, 0.999],
      ['adam', 1e-2, 0.9, 0.999],
      ['twophase', 1e-3, 0.9, 0.999],
      ['cg', undefined, undefined, undefined],
    ]);
    expect(e.runs[2].hyper).toMatchObject({ rho: 0.9, swapMode: 'auto' });
    // 1,000 evaluations at 512/2,000 of an evaluation per Adam step
    expect(e.training.maxIterations * (512 / 2000)).toBeGreaterThanOrEqual(1000);
  });

  it('VI whole network: native moons, 1,000 / 1,000, noise 0.2, not standardised, 2-32-2 ReLU squared loss, He, zero biases, SGD-momentum 0.9 at 0.15, batch 100, 100 epochs', () => {
    const e = fromLink('vi-moons-reference');
    expect(e.dataset).toMatchObject({ kind: 'moons', coordinates: 'native', noise: 0.2, trainSize: 1000, testSize: 1000 });
    expect(e.dataset.standardize).toBeUndefined();
    expect(e.network).toEqual({ hidden: [32], activation: 'relu', outputLink: 'softmax', loss: 'mse', init: { scheme: 'he-normal', gain: 1, sigma: 0.01, bias: 'zero', biasValue: 0 } });
    expect(e.training).toMatchObject({ batchSize: 100, maxIterations: 1000 });
    expect(e.runs.map((r) => [r.algorithm, r.hyper.direction ?? 'gradient', r.hyper.hiddenDivBatch ?? false, r.hyper.lr, r.hyper.momentum])).toEqual([
      ['vi', 'field', false, 0.15, 0.9],
      ['vi', 'field', true, 0.15, 0.9],
      ['sgd', 'gradient', false, 0.15, 0.9],
    ]);
  });

  for (const [id, bias, sweeps] of [['mdlam-reference', 'zero', 200], ['fenchel-reference', 'constant', 100]] as const)
    it(`${id}: native moons, 1,000 / 1,000, noise 0.1, standardised, 2-16-16-2 ReLU CE, He, ${bias} biases, full batch, ${sweeps} sweeps`, () => {
      const e = fromLink(id);
      expect(e.dataset).toMatchObject({ kind: 'moons', coordinates: 'native', noise: 0.1, trainSize: 1000, testSize: 1000, standardize: true });
      expect(e.network).toMatchObject({ hidden: [16, 16], activation: 'relu', outputLink: 'softmax', loss: 'ce' });
      expect(e.network.init).toMatchObject({ scheme: 'he-normal', gain: 1, bias });
      expect(e.training).toMatchObject({ batchSize: 0, maxIterations: sweeps });
      if (id === 'mdlam-reference') {
        for (const r of e.runs.filter((x) => x.algorithm === 'mdlam')) expect(r.hyper).toMatchObject({ rho: 1, mu: 1e-3, eps0: 1, epsMin: 1e-3, epsDecay: 0.5 });
      } else {
        expect(e.network.init.biasValue).toBe(0.1);
        const [spectral, frob] = e.runs;
        expect(spectral.hyper).toMatchObject({ lambda: 1, c: 1, innerSteps: 20, solver: 'pg', lipschitz: 'spectral', initBias: 0.1 });
        expect(frob.hyper).toMatchObject({ lipschitz: 'frobenius' });
      }
    });
});
