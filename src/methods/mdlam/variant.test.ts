import { beforeAll, describe, expect, it } from 'vitest';
import { defaultExperiment } from '../defaultExperiment';
import { evaluate } from '../../engine/metrics';
import { buildProblem, disposeProblem } from '../../engine/problem';
import { nodeLoader } from '../../testing/nodeLoader';
import { useCpu } from '../../testing/cpu';
import type { Problem } from '../../engine/types';
import { getAlgorithm } from '../algorithms';
import { defaultHyper, findSpec } from '../registry';

beforeAll(useCpu);

/**
 * Issue 14 in small: over 5 seeds of two moons (2-16-16-2, 200 / 200 points, full batch), the playground's coupled
 * variant trains the hidden layers and its forward network beats a linear softmax model, while the paper's method
 * stays at the linear model's level (its hidden layers freeze as ε halves). bench/mdlam.ts measures the full-size
 * protocol; this keeps the sweeps few enough for `npm test`.
 */
const SEEDS = [1, 2, 3, 4, 5];
const SWEEPS = 60;

async function moons(seed: number, hidden: number[]): Promise<Problem> {
  const e = defaultExperiment();
  e.dataset = { ...e.dataset, kind: 'moons', seed, trainSize: 200, testSize: 200, noise: 0.1 };
  e.network = { ...e.network, hidden, activation: 'relu', outputLink: 'softmax', loss: 'ce' };
  e.training = { ...e.training, seed, batchSize: 0 };
  return buildProblem(e, nodeLoader);
}

function testAccuracy(p: Problem, algo: string, hyper: Record<string, number>, steps: number): number {
  const a = getAlgorithm(algo);
  let s = a.init(p, { ...defaultHyper(findSpec(algo)!), ...hyper }, 1);
  for (let i = 0; i < steps; i++) s = a.step(s).state;
  const acc = evaluate(s.params, p.net, p.data.xTest, p.data.yTest, true).accuracy;
  a.dispose(s);
  return acc;
}

describe('mDLAM variant vs faithful vs a linear model (two moons, 5 seeds)', () => {
  const acc = { faithful: [] as number[], variant: [] as number[], linear: [] as number[] };
  const mean = (v: number[]) => v.reduce((x, y) => x + y, 0) / v.length;
  beforeAll(async () => {
    for (const seed of SEEDS) {
      const p = await moons(seed, [16, 16]);
      acc.faithful.push(testAccuracy(p, 'mdlam', {}, SWEEPS));
      acc.variant.push(testAccuracy(p, 'mdlam-coupled', {}, SWEEPS));
      disposeProblem(p);
      const lin = await moons(seed, []);
      acc.linear.push(testAccuracy(lin, 'adam', { lr: 0.05 }, 300));
      disposeProblem(lin);
    }
  }, 600_000);

  // Measured when written (seeds 1–5): variant 0.923, linear 0.879, faithful 0.866 (per seed the variant led the
  // linear model by 0.025 to 0.08, the faithful method trailed it by 0.005 to 0.02). The margins below leave room.
  it('the coupled variant beats the linear model on average and on every seed', () => {
    expect(mean(acc.variant)).toBeGreaterThan(mean(acc.linear) + 0.03);
    acc.variant.forEach((v, i) => expect(v).toBeGreaterThan(acc.linear[i] + 0.01));
  });

  it('the faithful method does no better than the linear model, and the variant beats it', () => {
    expect(mean(acc.faithful)).toBeLessThan(mean(acc.linear) + 0.01);
    expect(mean(acc.variant)).toBeGreaterThan(mean(acc.faithful) + 0.04);
  });
});
