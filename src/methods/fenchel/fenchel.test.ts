import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Experiment } from '../../engine/experiment';
import { defaultExperiment } from '../defaultExperiment';
import { evaluate } from '../../engine/metrics';
import { buildProblem, disposeProblem } from '../../engine/problem';
import { useCpu } from '../../testing/cpu';
import { nodeLoader } from '../../testing/nodeLoader';
import type { Problem } from '../../engine/types';
import { defaultHyper } from '../registry';
import { fenchelAlgorithm, lambdaAt, liftedActivations2D, parseFenchel } from './fenchel';
import { FENCHEL_SPEC } from './fenchel.hyper';
import { getAlgorithm } from '../algorithms';
import { legacyInit } from '../../engine/init';

beforeAll(useCpu);

function moons(batchSize: number, hidden = [8, 8], n = 120): Experiment {
  const e = defaultExperiment();
  e.dataset = { ...e.dataset, kind: 'moons', noise: 0.1, trainSize: n, testSize: 60 };
  e.network = { hidden, activation: 'relu', outputLink: 'softmax', loss: 'ce', init: legacyInit(1) };
  e.training.batchSize = batchSize;
  return e;
}

describe('Fenchel lifted BCD (algorithm)', () => {
  let problem: Problem;
  beforeAll(async () => {
    problem = await buildProblem(moons(0), nodeLoader);
  });
  afterAll(() => disposeProblem(problem));

  it('is registered under "fenchel" with its catalogue spec', () => {
    expect(getAlgorithm('fenchel')).toBe(fenchelAlgorithm);
    expect(FENCHEL_SPEC.label).toBe('Fenchel lifted (BCD)');
    expect(defaultHyper(FENCHEL_SPEC)).toMatchObject({ lambda: 1, c: 1, rho: 1e-4, innerSteps: 20, lambdaSchedule: false });
  });

  it('300 sweeps: no tensor growth, no block or lifted-objective rise, lifted below forward at the block optimum', () => {
    const hyper = { ...defaultHyper(FENCHEL_SPEC), innerSteps: 5 };
    let s = fenchelAlgorithm.init(problem, hyper, 1);
    const ev0 = evaluate(s.params, problem.net, problem.data.xTrain, problem.data.yTrain, true);
    let baseline = -1;
    let rises = 0;
    let liftedRises = 0;
    let boundViolations = 0;
    let firstLifted = NaN;
    let last: Record<string, number> = {};
    let lastCost = 0;
    for (let i = 0; i < 300; i++) {
      const r = fenchelAlgorithm.step(s);
      s = r.state;
      const x = r.metrics.extra;
      if (i === 0) {
        baseline = tf.memory().numTensors;
        firstLifted = x.liftedObjective;
      }
      if (i === 299) expect(tf.memory().numTensors).toBe(baseline);
      if (x.blockRose) rises++;
      if (x.liftedRose) liftedRises++;
      if (!(x.liftedAtBlockOptimum <= x.forwardLossAtSameWeights)) boundViolations++;
      expect(r.metrics.loss).toBe(x.forwardLoss);
      expect(r.metrics.cost).toBeCloseTo(i + 1, 9);
      lastCost = r.metrics.cost;
      last = x;
    }
    expect(rises).toBe(0);
    expect(liftedRises).toBe(0);
    expect(boundViolations).toBe(0);
    expect(lastCost).toBeCloseTo(300, 9);
    // it trains: the lifted objective falls, the forward loss falls below its start, the layers nearly agree
    expect(last.liftedObjective).toBeLessThan(0.5 * firstLifted);
    expect(last.forwardLoss).toBeLessThan(ev0.loss);
    expect(last['layer1.B']).toBeGreaterThanOrEqual(0);
    expect(last['layer2.B']).toBeGreaterThanOrEqual(0);
    expect(last['layer1.mismatch']).toBeLessThan(0.2);
    expect(last.liftedData).toBeCloseTo(last.liftedObjective - last.ridge, 6);
    // B bounds the mismatch: mean B ≥ ½ mismatch² (B ≥ ½(v − u₊)² entrywise)
    expect(last['layer2.B']).toBeGreaterThanOrEqual(0.5 * last['layer2.mismatch'] ** 2 * (1 - 1e-3));
    const ev = evaluate(s.params, problem.net, problem.data.xTest, problem.data.yTest, true);
    expect(ev.accuracy).toBeGreaterThan(0.75);
    fenchelAlgorithm.dispose(s);
  });

  it('starts on the ReLU graph: after init the lifted activations equal the forward pass', () => {
    const s = fenchelAlgorithm.init(problem, defaultHyper(FENCHEL_SPEC), 1);
    const u = liftedActivations2D(s, 2, 3);
    expect(u.x.length).toBe(2 * 120);
    expect(u.lifted.length).toBe(120);
    expect(Array.from(u.lifted)).toEqual(Array.from(u.forward));
    expect(Array.from(u.reluOfLifted)).toEqual(Array.from(u.lifted));
    // biases start at 0.1 (the authors' code), so some units are active
    expect(u.lifted.some((v) => v > 0)).toBe(true);
    const r = fenchelAlgorithm.step(s);
    const v = liftedActivations2D(r.state, 2, 3);
    // after a sweep the lifted values leave the forward pass but stay ≥ 0
    expect(v.lifted.every((a) => a >= 0)).toBe(true);
    expect(Math.max(...v.lifted.map((a, i) => Math.abs(a - v.forward[i])))).toBeGreaterThan(1e-4);
    expect(() => liftedActivations2D(r.state, 3, 0)).toThrow();
    fenchelAlgorithm.dispose(r.state);
  });

  it('λ schedule: λ_k = λ_0·growth^k up to the cap, reported as `lambda`', () => {
    const hyper = { ...defaultHyper(FENCHEL_SPEC), lambda: 0.5, lambdaSchedule: true, lambdaGrowth: 1.5, lambdaCap: 2, innerSteps: 2 };
    const o = parseFenchel(hyper);
    expect(lambdaAt(o, 0)).toBe(0.5);
    expect(lambdaAt(o, 2)).toBeCloseTo(1.125, 12);
    expect(lambdaAt(o, 10)).toBe(2);
    expect(lambdaAt({ ...o, lambdaSchedule: false }, 10)).toBe(0.5);
    let s = fenchelAlgorithm.init(problem, hyper, 1);
    const seen: number[] = [];
    for (let i = 0; i < 6; i++) {
      const r = fenchelAlgorithm.step(s);
      s = r.state;
      seen.push(r.metrics.extra.lambda);
      expect(r.metrics.extra.blockRose).toBeUndefined();
    }
    expect(seen).toEqual([0.5, 0.75, 1.125, 1.6875, 2, 2]);
    fenchelAlgorithm.dispose(s);
  });

  it('mini-batch mode: fresh activations per batch, proximal anchors, cost B/N per sweep, no tensor growth', async () => {
    const p = await buildProblem(moons(40), nodeLoader);
    const hyper = { ...defaultHyper(FENCHEL_SPEC), rhoD: 10, rhoDOut: 100, innerSteps: 3 };
    let s = fenchelAlgorithm.init(p, hyper, 3);
    expect(s.acts.length).toBe(0);
    let baseline = 0;
    for (let i = 0; i < 30; i++) {
      const r = fenchelAlgorithm.step(s);
      s = r.state;
      if (i === 0) baseline = tf.memory().numTensors;
      expect(r.metrics.cost).toBeCloseTo(((i + 1) * 40) / 120, 9);
      expect(r.metrics.extra.blockRose).toBeUndefined();
      expect(r.metrics.extra.forwardLossAtSameWeights).toBeUndefined();
      expect(Number.isFinite(r.metrics.loss)).toBe(true);
    }
    expect(tf.memory().numTensors).toBe(baseline);
    expect(() => liftedActivations2D(s, 1, 0)).toThrow();
    fenchelAlgorithm.dispose(s);
    disposeProblem(p);
  });

  it('rejects networks the lifted model does not cover', async () => {
    const e = moons(0);
    e.network.activation = 'tanh';
    const p = await buildProblem(e, nodeLoader);
    expect(() => fenchelAlgorithm.init(p, defaultHyper(FENCHEL_SPEC), 1)).toThrow(/ReLU/);
    disposeProblem(p);
  });
});
