import { describe, expect, it } from 'vitest';
import { referencePresetFromLink as fromLink } from '../../testing/referencePreset';

describe('reference-protocol preset (algorithms.md §5)', () => {
  it('fenchel-reference: native moons, 1,000 / 1,000, noise 0.1, standardised, 2-16-16-2 ReLU CE, He, constant 0.1 biases, full batch, 100 sweeps', () => {
    const e = fromLink('fenchel-reference');
    expect(e.dataset).toMatchObject({ kind: 'moons', coordinates: 'native', noise: 0.1, trainSize: 1000, testSize: 1000, standardize: true });
    expect(e.network).toMatchObject({ hidden: [16, 16], activation: 'relu', outputLink: 'softmax', loss: 'ce' });
    expect(e.network.init).toMatchObject({ scheme: 'he-normal', gain: 1, bias: 'constant', biasValue: 0.1 });
    expect(e.training).toMatchObject({ batchSize: 0, maxIterations: 100 });
    const [spectral, frob] = e.runs;
    expect(spectral.hyper).toMatchObject({ lambda: 1, c: 1, innerSteps: 20, solver: 'pg', lipschitz: 'spectral', initBias: 0.1 });
    expect(frob.hyper).toMatchObject({ lipschitz: 'frobenius' });
  });
});
