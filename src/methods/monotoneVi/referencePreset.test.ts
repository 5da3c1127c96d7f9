import { describe, expect, it } from 'vitest';
import { referencePresetFromLink as fromLink } from '../../testing/referencePreset';

describe('reference-protocol preset (algorithms.md §5)', () => {
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

  it("VI whole network, the authors' notebook setup: native moons standardised, 500 / 500, noise 0.1, PyTorch-default uniform weights and biases, 100 epochs", () => {
    const e = fromLink('vi-moons-notebook');
    expect(e.dataset).toMatchObject({ kind: 'moons', coordinates: 'native', noise: 0.1, trainSize: 500, testSize: 500, standardize: true });
    expect(e.network).toEqual({ hidden: [32], activation: 'relu', outputLink: 'softmax', loss: 'mse', init: { scheme: 'pytorch-uniform', gain: 1, sigma: 0.01, bias: 'scheme', biasValue: 0 } });
    // 100 epochs of 500 points at batch 100.
    expect(e.training).toMatchObject({ batchSize: 100, maxIterations: 500 });
    expect(e.runs).toEqual(fromLink('vi-moons-reference').runs);
  });
});
