import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultHyper } from './registry';
import { fenchelAlgorithm, type FenchelState } from './fenchel/fenchel';
import { FENCHEL_SPEC } from './fenchel/fenchel.hyper';
import { mdlamAlgorithm, type MdlamState } from './mdlam/mdlam';
import { defaultExperiment, type Experiment } from '../engine/experiment';
import { defaultRun } from './registry';
import { buildProblem, disposeProblem } from '../engine/problem';
import { TrainingRun } from '../engine/runner';
import { useCpu } from '../engine/testing/cpu';
import { nodeLoader } from '../engine/testing/nodeLoader';
import type { Params, Problem } from '../engine/types';
import { mdlamLiftedView } from './mdlam/liftedView';
import { legacyInit } from '../engine/init';

beforeAll(useCpu);

function moons(hidden: number[], batchSize = 0): Experiment {
  const e = defaultExperiment();
  e.dataset = { ...e.dataset, kind: 'moons', noise: 0.1, trainSize: 40, testSize: 20 };
  e.network = { hidden, activation: 'relu', outputLink: 'softmax', loss: 'ce', init: legacyInit(1) };
  e.training.batchSize = batchSize;
  return e;
}

const rows = (t: tf.Tensor2D) => t.arraySync();
const relu = (v: number) => (v > 0 ? v : 0);

/** h W + b, then ReLU, on plain arrays. */
function denseRelu(h: number[][], W: number[][], b: number[]): number[][] {
  return h.map((r) => b.map((bj, j) => relu(r.reduce((acc, v, i) => acc + v * W[i][j], bj))));
}

/** Ordinary forward activations of hidden layers 1..layer on plain arrays. */
function forwardPlain(params: Params, x: number[][], layer: number): number[][] {
  let h = x;
  for (let l = 0; l < layer; l++) h = denseRelu(h, rows(params[l].W), Array.from(params[l].b.dataSync()));
  return h;
}

const column = (m: number[][], j: number) => m.map((r) => r[j]);

function expectClose(got: Float32Array, want: number[], tol = 1e-5) {
  expect(got.length).toBe(want.length);
  let worst = 0;
  want.forEach((w, i) => (worst = Math.max(worst, Math.abs(got[i] - w) / Math.max(1, Math.abs(w)))));
  expect(worst).toBeLessThan(tol);
}

const maxAbsDiff = (a: Float32Array, b: Float32Array) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);

describe('lifted views (Algorithm.liftedView)', () => {
  let problem: Problem;
  beforeAll(async () => {
    problem = await buildProblem(moons([4, 3]), nodeLoader);
  });
  afterAll(() => disposeProblem(problem));

  it('mDLAM: a_l, ReLU(z_l) and the forward pass match a direct computation, with no tensors left behind', () => {
    let s: MdlamState = mdlamAlgorithm.init(problem, { ...defaultRun('mdlam').hyper }, 1);
    for (let i = 0; i < 3; i++) s = mdlamAlgorithm.step(s).state;
    const x = rows(problem.data.xTrain);
    for (const [layer, unit] of [[1, 0], [1, 3], [2, 2]]) {
      const before = tf.memory().numTensors;
      const v = mdlamAlgorithm.liftedView!(s, layer, unit)!;
      expect(tf.memory().numTensors).toBe(before);
      expect(v).toMatchObject({ layer, unit, inputDim: 2 });
      expect(Array.from(v.x)).toEqual(x.flat().map(Math.fround));
      expectClose(v.lifted, column(rows(s.a[layer - 1]), unit));
      expectClose(v.reluOfLifted, column(rows(s.z[layer - 1]), unit).map(relu));
      expectClose(v.forward, column(forwardPlain(s.params, x, layer), unit));
      // after a few sweeps the lifted variables are not the forward pass (otherwise the view would show nothing)
      expect(maxAbsDiff(v.lifted, v.forward)).toBeGreaterThan(1e-4);
    }
    expect(() => mdlamLiftedView(s, 3, 0)).toThrow(/hidden layer 3/);
    expect(() => mdlamLiftedView(s, 2, 3)).toThrow(/unit 3/);
    mdlamAlgorithm.dispose(s);
  });

  it('Fenchel: A_l, ReLU(A_{l−1}W_l + b_l) and the forward pass match a direct computation, with no tensors left behind', () => {
    let s: FenchelState = fenchelAlgorithm.init(problem, { ...defaultHyper(FENCHEL_SPEC), innerSteps: 3 }, 1);
    for (let i = 0; i < 3; i++) s = fenchelAlgorithm.step(s).state;
    const x = rows(problem.data.xTrain);
    for (const [layer, unit] of [[1, 2], [2, 0], [2, 2]]) {
      const before = tf.memory().numTensors;
      const v = fenchelAlgorithm.liftedView!(s, layer, unit)!;
      expect(tf.memory().numTensors).toBe(before);
      expect(v).toMatchObject({ layer, unit, inputDim: 2 });
      const below = layer === 1 ? x : rows(s.acts[layer - 2]);
      const { W, b } = s.params[layer - 1];
      expectClose(v.lifted, column(rows(s.acts[layer - 1]), unit));
      expectClose(v.reluOfLifted, column(denseRelu(below, rows(W), Array.from(b.dataSync())), unit));
      expectClose(v.forward, column(forwardPlain(s.params, x, layer), unit));
      expect(maxAbsDiff(v.lifted, v.forward)).toBeGreaterThan(1e-4);
    }
    fenchelAlgorithm.dispose(s);
  });

  it('TrainingRun.liftedView: the method view for lifted runs, null for Fenchel mini-batch and for gradient methods', async () => {
    const e = moons([4, 3]);
    e.runs = [{ algorithm: 'fenchel', hyper: { ...defaultHyper(FENCHEL_SPEC), innerSteps: 2 } }, defaultRun('adam')];
    const lifted = await TrainingRun.create(e, 0, nodeLoader);
    const adam = await TrainingRun.create(e, 1, nodeLoader);
    lifted.step();
    adam.step();
    const before = tf.memory().numTensors;
    const v = lifted.liftedView(2, 1);
    expect(v?.lifted.length).toBe(40);
    expect(adam.liftedView(1, 0)).toBeNull();
    expect(tf.memory().numTensors).toBe(before);
    lifted.dispose();
    adam.dispose();
    const mb = moons([4, 3], 10);
    mb.runs = [{ algorithm: 'fenchel', hyper: { ...defaultHyper(FENCHEL_SPEC), innerSteps: 2 } }];
    const mini = await TrainingRun.create(mb, 0, nodeLoader);
    mini.step();
    expect(mini.liftedView(1, 0)).toBeNull();
    mini.dispose();
  });
});
