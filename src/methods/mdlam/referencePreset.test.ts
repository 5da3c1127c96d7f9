import { describe, expect, it } from 'vitest';
import { referencePresetFromLink as fromLink } from '../../testing/referencePreset';

describe('reference-protocol preset (algorithms.md §5)', () => {
  it('mdlam-reference: native moons, 1,000 / 1,000, noise 0.1, standardised, 2-16-16-2 ReLU CE, He, zero biases, full batch, 200 sweeps', () => {
    const e = fromLink('mdlam-reference');
    expect(e.dataset).toMatchObject({ kind: 'moons', coordinates: 'native', noise: 0.1, trainSize: 1000, testSize: 1000, standardize: true });
    expect(e.network).toMatchObject({ hidden: [16, 16], activation: 'relu', outputLink: 'softmax', loss: 'ce' });
    expect(e.network.init).toMatchObject({ scheme: 'he-normal', gain: 1, bias: 'zero' });
    expect(e.training).toMatchObject({ batchSize: 0, maxIterations: 200 });
    const mdlamRuns = e.runs.filter((x) => x.algorithm === 'mdlam');
    expect(mdlamRuns.length).toBeGreaterThan(0);
    for (const r of mdlamRuns) expect(r.hyper).toMatchObject({ rho: 1, mu: 1e-3, eps0: 1, epsMin: 1e-3, epsDecay: 0.5 });
  });
});
