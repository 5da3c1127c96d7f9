import { beforeAll, describe, expect, it } from 'vitest';
import { useWasm } from '../../testing/cpu';
import { gapsToLinear, mean, testAccuracy } from '../../testing/learning';

beforeAll(useWasm);

describe('forward network against a linear model (two moons, five seeds; src/methods/testing/learning.ts)', () => {
  // Measured (mean gap over seeds 1–5; per seed in brackets): VI field 0.026 [0.018 0.004 0.014 0.028 0.066].
  it('monotone VI, whole network (field, SGD-momentum, reference init and data): above the linear model on average and on no seed below it by more than a point', async () => {
    const { gaps } = await gapsToLinear('VI field', { noise: 0.2, standardize: false, bias: 0 }, (e) =>
      testAccuracy(e([16], 'mse', 50), 'vi', { scope: 'full', direction: 'field', rule: 'momentum', lr: 0.15, momentum: 0.9 }, 400),
    );
    expect(mean(gaps)).toBeGreaterThan(0.01);
    expect(Math.min(...gaps)).toBeGreaterThan(-0.01);
  }, 600_000);
});
