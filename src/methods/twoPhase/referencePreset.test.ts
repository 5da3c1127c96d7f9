import { describe, expect, it } from 'vitest';
import { referencePresetFromLink as fromLink } from '../../testing/referencePreset';

describe('reference-protocol preset (algorithms.md §5)', () => {
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
});
