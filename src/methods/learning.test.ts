import { beforeAll, describe, expect, it } from 'vitest';
import type { Experiment } from '../engine/experiment';
import { defaultExperiment } from './defaultExperiment';
import type { InitConfig } from '../engine/init';
import { evaluate } from '../engine/metrics';
import { buildProblem, disposeProblem } from '../engine/problem';
import { useWasm } from '../engine/testing/cpu';
import { nodeLoader } from '../engine/testing/nodeLoader';
import type { Hyper } from '../engine/types';
import { getAlgorithm } from './algorithms';
import { defaultHyper, findSpec } from './registry';

/**
 * Tests that catch a method that does not learn (issue 13): each research method's *forward* network, trained on two
 * moons, against a linear softmax model trained on the same split — a network that learned nothing beyond a linear
 * boundary scores about the same. Five seeds, small sizes (WASM backend) to keep them moderate on two cores. The data
 * and init follow the notes' reference protocols (algorithms.md §5: He init; the reference's moon coordinates;
 * standardised inputs for the lifted methods). The margins asserted are those that hold today; each test prints
 * what it measured.
 */
beforeAll(useWasm);

const SEEDS = [1, 2, 3, 4, 5];
const noLoader = async (): Promise<Uint8Array> => {
  throw new Error('synthetic data needs no files');
};
const HE = (bias: number): InitConfig => ({ scheme: 'he-normal', gain: 1, sigma: 0.01, bias: bias ? 'constant' : 'zero', biasValue: bias });

function moons(seed: number, o: { hidden: number[]; loss: 'ce' | 'mse'; batchSize: number; noise: number; standardize: boolean; bias: number }): Experiment {
  const e = defaultExperiment();
  e.dataset = { ...e.dataset, kind: 'moons', seed, noise: o.noise, trainSize: 200, testSize: 500, coordinates: 'native', ...(o.standardize ? { standardize: true } : {}) };
  e.network = { hidden: o.hidden, activation: 'relu', outputLink: 'softmax', loss: o.loss, init: HE(o.bias) };
  e.training = { ...e.training, batchSize: o.batchSize, seed };
  return e;
}

/** Test accuracy of `algorithm` after `steps` steps. */
async function testAccuracy(e: Experiment, algorithm: string, hyper: Hyper, steps: number): Promise<number> {
  const problem = await buildProblem(e, noLoader);
  const alg = getAlgorithm(algorithm);
  let s = alg.init(problem, { ...defaultHyper(findSpec(algorithm)!), ...hyper }, e.training.seed);
  for (let k = 0; k < steps; k++) s = alg.step(s).state;
  const acc = evaluate(s.params, problem.net, problem.data.xTest, problem.data.yTest, true).accuracy;
  alg.dispose(s);
  disposeProblem(problem);
  return acc;
}

const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;

/** Per seed: the method's forward test accuracy minus the linear model's on the same split. */
async function gapsToLinear(name: string, data: Omit<Parameters<typeof moons>[1], 'hidden' | 'loss' | 'batchSize'>, method: (e: (hidden: number[], loss: 'ce' | 'mse', batch: number) => Experiment) => Promise<number>) {
  const gaps: number[] = [];
  const accs: number[] = [];
  const lins: number[] = [];
  for (const seed of SEEDS) {
    const acc = await method((hidden, loss, batchSize) => moons(seed, { ...data, hidden, loss, batchSize }));
    // softmax regression on the same split: full-batch Adam to convergence
    const lin = await testAccuracy(moons(seed, { ...data, hidden: [], loss: 'ce', batchSize: 0 }), 'adam', { lr: 0.05 }, 300);
    accs.push(acc);
    lins.push(lin);
    gaps.push(acc - lin);
  }
  console.log(`${name}: forward test accuracy ${accs.map((v) => v.toFixed(3)).join(' ')}; linear ${lins.map((v) => v.toFixed(3)).join(' ')}; mean gap ${mean(gaps).toFixed(3)}`);
  return { gaps, accs, lins };
}

describe('each research method’s forward network against a linear model (two moons, five seeds)', () => {
  // Measured at this commit (mean gap over seeds 1–5; per seed in brackets):
  //   VI field 0.026 [0.018 0.004 0.014 0.028 0.066]; Fenchel 0.050 [0.038 0.014 0.054 0.078 0.068];
  //   mDLAM −0.008 [−0.014 0.002 −0.028 −0.006 0.006].
  it('monotone VI, whole network (field, SGD-momentum, reference init and data): above the linear model on average and on no seed below it by more than a point', async () => {
    const { gaps } = await gapsToLinear('VI field', { noise: 0.2, standardize: false, bias: 0 }, (e) =>
      testAccuracy(e([16], 'mse', 50), 'vi', { scope: 'full', direction: 'field', rule: 'momentum', lr: 0.15, momentum: 0.9 }, 400),
    );
    expect(mean(gaps)).toBeGreaterThan(0.01);
    expect(Math.min(...gaps)).toBeGreaterThan(-0.01);
  }, 600_000);

  it('Fenchel lifted BCD (reference init, biases and scaling; spectral steps): above the linear model on every seed, by three points on average', async () => {
    const { gaps } = await gapsToLinear('Fenchel', { noise: 0.1, standardize: true, bias: 0.1 }, (e) => testAccuracy(e([16, 16], 'ce', 0), 'fenchel', { initBias: 0.1 }, 30));
    expect(mean(gaps)).toBeGreaterThan(0.03);
    expect(Math.min(...gaps)).toBeGreaterThan(0);
  }, 600_000);

  it('mDLAM as published (faithful method, reference init and scaling): at the linear model’s level — within three points, not above it by two', async () => {
    // The notes’ diagnosis (§3): the hidden layers freeze once ε is small, so the forward network stays near linear.
    // A variant that makes it learn must leave this faithful default alone (and get its own test).
    const { gaps } = await gapsToLinear('mDLAM', { noise: 0.1, standardize: true, bias: 0 }, (e) => testAccuracy(e([16, 16], 'ce', 0), 'mdlam', {}, 60));
    expect(mean(gaps)).toBeGreaterThan(-0.03);
    expect(mean(gaps)).toBeLessThan(0.02);
  }, 600_000);
});

/** Full training loss of `algorithm` once its cost (gradient evaluations) reaches `budget`, or where it stopped. */
async function lossAtCost(e: Experiment, algorithm: string, hyper: Hyper, budget: number): Promise<number> {
  const problem = await buildProblem(e, nodeLoader);
  const a = getAlgorithm(algorithm);
  let s = a.init(problem, { ...defaultHyper(findSpec(algorithm)!), ...hyper }, e.training.seed);
  for (let k = 0; k < 10 * budget; k++) {
    const r = a.step(s);
    s = r.state;
    if (r.metrics.cost >= budget || r.finished) break;
  }
  const loss = evaluate(s.params, problem.net, problem.data.xTrain, problem.data.yTrain, true).loss;
  a.dispose(s);
  disposeProblem(problem);
  return loss;
}

describe('two-phase at equal cost (algorithms.md §2: the notes’ budget of 500 gradient evaluations)', () => {
  it('Adam → CG ends far below Adam on an MNIST 14×14 subset (tanh, N(0, 0.01²) init, full batch)', async () => {
    // Measured at this commit (training loss at 500 evaluations, seeds 1–3): Adam 5.7e-2, 5.5e-2, 5.8e-2;
    // Adam → CG 7.5e-9, 1.2e-7, 8.2e-8 (the notes' NumPy reference on 2,000 images: 2e-3 vs 6e-7..4e-6).
    for (const seed of [1, 2]) {
      const e = defaultExperiment();
      e.dataset = { kind: 'mnist', seed: 1, noise: 0, trainSize: 256, testSize: 100, resolution: 14, classes: [] };
      e.network = { hidden: [32], activation: 'tanh', outputLink: 'softmax', loss: 'ce', init: { scheme: 'normal', gain: 1, sigma: 0.01, bias: 'zero', biasValue: 0 } };
      e.training = { ...e.training, batchSize: 0, seed };
      const adam = await lossAtCost(e, 'adam', { lr: 1e-3 }, 500);
      const twoPhase = await lossAtCost(e, 'twophase', { lr: 1e-3 }, 500);
      console.log(`seed ${seed}: training loss at 500 evaluations — Adam ${adam.toExponential(2)}, Adam → CG ${twoPhase.toExponential(2)}`);
      expect(twoPhase).toBeLessThan(adam / 100);
    }
  }, 600_000);
});
