import { beforeAll, describe, expect, it } from 'vitest';
import { useWasm } from '../../testing/cpu';
import { gapsToLinear, mean, testAccuracy } from '../../testing/learning';

beforeAll(useWasm);

describe('forward network against a linear model (two moons, five seeds; src/methods/testing/learning.ts)', () => {
  // Measured (mean gap over seeds 1–5; per seed in brackets): mDLAM −0.008 [−0.014 0.002 −0.028 −0.006 0.006].
  it('mDLAM as published (faithful method, reference init and scaling): at the linear model’s level — within three points, not above it by two', async () => {
    // The notes’ diagnosis (§3): the hidden layers freeze once ε is small, so the forward network stays near linear.
    // A variant that makes it learn must leave this faithful default alone (and get its own test).
    const { gaps } = await gapsToLinear('mDLAM', { noise: 0.1, standardize: true, bias: 0 }, (e) => testAccuracy(e([16, 16], 'ce', 0), 'mdlam', {}, 60));
    expect(mean(gaps)).toBeGreaterThan(-0.03);
    expect(mean(gaps)).toBeLessThan(0.02);
  }, 600_000);
});
