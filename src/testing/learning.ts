import type { Experiment } from '../engine/experiment';
import { defaultExperiment } from '../methods/defaultExperiment';
import type { InitConfig } from '../engine/init';
import { evaluate } from '../engine/metrics';
import { buildProblem, disposeProblem } from '../engine/problem';
import { nodeLoader } from './nodeLoader';
import type { Hyper } from '../engine/types';
import { getAlgorithm } from '../methods/algorithms';
import { defaultHyper, findSpec } from '../methods/registry';

/**
 * The harness of the tests that catch a method that does not learn (issue 13), used by each method folder's
 * learning.test.ts: a method's *forward* network, trained on two moons, against a linear softmax model trained on the
 * same split — a network that learned nothing beyond a linear boundary scores about the same. Five seeds, small
 * sizes (the tests run on the WASM backend) to keep them moderate on two cores. The data and init follow the notes'
 * reference protocols (algorithms.md §5: He init; the reference's moon coordinates; standardised inputs for the
 * lifted methods); and a cost-budget comparison (training loss once the gradient evaluations reach a budget).
 */

export const SEEDS = [1, 2, 3, 4, 5];
const noLoader = async (): Promise<Uint8Array> => {
  throw new Error('synthetic data needs no files');
};
const HE = (bias: number): InitConfig => ({ scheme: 'he-normal', gain: 1, sigma: 0.01, bias: bias ? 'constant' : 'zero', biasValue: bias });

export function moons(seed: number, o: { hidden: number[]; loss: 'ce' | 'mse'; batchSize: number; noise: number; standardize: boolean; bias: number }): Experiment {
  const e = defaultExperiment();
  e.dataset = { ...e.dataset, kind: 'moons', seed, noise: o.noise, trainSize: 200, testSize: 500, coordinates: 'native', ...(o.standardize ? { standardize: true } : {}) };
  e.network = { hidden: o.hidden, activation: 'relu', outputLink: 'softmax', loss: o.loss, init: HE(o.bias) };
  e.training = { ...e.training, batchSize: o.batchSize, seed };
  return e;
}

/** Test accuracy of `algorithm` after `steps` steps. */
export async function testAccuracy(e: Experiment, algorithm: string, hyper: Hyper, steps: number): Promise<number> {
  const problem = await buildProblem(e, noLoader);
  const alg = getAlgorithm(algorithm);
  let s = alg.init(problem, { ...defaultHyper(findSpec(algorithm)!), ...hyper }, e.training.seed);
  for (let k = 0; k < steps; k++) s = alg.step(s).state;
  const acc = evaluate(s.params, problem.net, problem.data.xTest, problem.data.yTest, true).accuracy;
  alg.dispose(s);
  disposeProblem(problem);
  return acc;
}

export const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;

/** Per seed: the method's forward test accuracy minus the linear model's on the same split. */
export async function gapsToLinear(name: string, data: Omit<Parameters<typeof moons>[1], 'hidden' | 'loss' | 'batchSize'>, method: (e: (hidden: number[], loss: 'ce' | 'mse', batch: number) => Experiment) => Promise<number>) {
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

/** Full training loss of `algorithm` once its cost (gradient evaluations) reaches `budget`, or where it stopped. */
export async function lossAtCost(e: Experiment, algorithm: string, hyper: Hyper, budget: number): Promise<number> {
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
