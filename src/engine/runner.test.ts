import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Experiment } from './experiment';
import { defaultExperiment } from '../methods/defaultExperiment';
import { defaultRun } from '../methods/registry';
import { startTrainingRun } from '../methods/algorithms';
import { useCpu } from '../testing/cpu';
import { nodeLoader } from '../testing/nodeLoader';

beforeAll(useCpu);

function small(kind: Experiment['dataset']['kind'], algorithm: string, hyper: Record<string, number> = {}): Experiment {
  const e = defaultExperiment();
  e.dataset = { ...e.dataset, kind, trainSize: 200, testSize: 100 };
  e.network.hidden = [8];
  e.training = { ...e.training, batchSize: 32, maxIterations: 400, evalEvery: 50 };
  e.runs = [{ algorithm, hyper: { ...defaultRun(algorithm).hyper, ...hyper } }];
  return e;
}

async function trainFor(e: Experiment, steps: number) {
  const run = await startTrainingRun(e, 0, nodeLoader);
  const points = [];
  for (let i = 0; i < steps; i++) {
    const out = run.step();
    points.push(out.point);
    if (out.stop) break;
  }
  run.dispose();
  return points;
}

describe('training runs', () => {
  for (const [algo, hyper] of [['sgd', { lr: 0.1 }], ['adam', { lr: 0.01 }]] as const) {
    it(`${algo} reduces the training loss on two moons`, async () => {
      const pts = await trainFor(small('moons', algo, hyper), 400);
      const first = pts[0].trainLoss!;
      const last = pts[pts.length - 1].trainLoss!;
      expect(pts.length).toBe(400);
      expect(last).toBeLessThan(0.6 * first);
      expect(pts[pts.length - 1].testAccuracy!).toBeGreaterThan(0.8);
    });
  }

  it('gives bit-identical numbers for the same experiment, and different ones for another seed', async () => {
    const e = small('spiral', 'adam');
    const a = await trainFor(e, 120);
    const b = await trainFor(e, 120);
    expect(b.map((p) => p.loss)).toEqual(a.map((p) => p.loss));
    const other = structuredClone(e);
    other.training.seed = 2;
    const c = await trainFor(other, 120);
    expect(c.map((p) => p.loss)).not.toEqual(a.map((p) => p.loss));
  });

  it('stops a divergent run with a clear message and keeps the last finite point', async () => {
    const e = small('circle', 'sgd', { lr: 100, momentum: 0.99 });
    e.network.loss = 'mse';
    e.network.outputLink = 'identity';
    const run = await startTrainingRun(e, 0, nodeLoader);
    let stop;
    for (let i = 0; i < 400 && !stop; i++) stop = run.step().stop;
    expect(stop?.status).toBe('diverged');
    expect(stop?.message).toMatch(/diverged at iteration \d+/);
    expect(Number.isFinite(run.lastFinitePoint!.loss)).toBe(true);
    run.dispose();
  });

  it('keeps tf.memory() flat over many steps of SGD and Adam', async () => {
    for (const algo of ['sgd', 'adam']) {
      const run = await startTrainingRun(small('xor', algo), 0, nodeLoader);
      for (let i = 0; i < 20; i++) run.step();
      const before = tf.memory().numTensors;
      for (let i = 0; i < 300; i++) run.step();
      expect(tf.memory().numTensors).toBe(before);
      run.dispose();
    }
  });

  it('reports the first point and evaluation points with accuracy', async () => {
    const pts = await trainFor(small('blobs', 'adam'), 60);
    expect(pts[0].testAccuracy).toBeDefined();
    expect(pts[1].testAccuracy).toBeUndefined();
    expect(pts[49].testAccuracy).toBeDefined();
    expect(pts[59].cost).toBeCloseTo((60 * 32) / 200, 6);
  });
});

describe('cost budget (worker-pool jobs)', () => {
  it('stops a run once its cumulative cost reaches maxCost, and evaluates that last point', async () => {
    const e = small('moons', 'sgd', { lr: 0.1 });
    // batch 32 of 200: 0.16 cost units per step, so a budget of 8 takes 50 steps.
    const run = await startTrainingRun(e, 0, nodeLoader, { maxCost: 8 });
    let out;
    let steps = 0;
    do {
      out = run.step();
      steps++;
    } while (!out.stop && steps < 1000);
    run.dispose();
    expect(steps).toBe(50);
    expect(out.stop?.status).toBe('finished');
    expect(out.stop?.message).toMatch(/budget of 8 cost units/);
    expect(out.point.cost).toBeGreaterThanOrEqual(8);
    expect(out.point.trainLoss).toBeDefined();
  });
});
