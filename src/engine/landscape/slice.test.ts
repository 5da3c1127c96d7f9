import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Experiment } from '../experiment';
import { defaultExperiment } from '../../methods/defaultExperiment';
import { defaultRun } from '../../methods/registry';
import { evaluate } from '../metrics';
import { lossOnly } from '../model';
import { flattenParams, paramCount, unflattenParams, disposeParams } from '../params';
import { startTrainingRun } from '../../methods/algorithms';
import { useCpu } from '../../testing/cpu';
import { nodeLoader } from '../../testing/nodeLoader';
import { computeSlice, filterNormalisedDirection, projectOntoPlane, sliceAxis, sliceDirections, sliceForRun } from './slice';
import { SnapshotRecorder } from './snapshots';
import { makeRng } from '../random';
import { legacyInit } from '../init';

beforeAll(useCpu);

function smallMnist(): Experiment {
  const e = defaultExperiment();
  e.dataset = { kind: 'mnist', seed: 1, noise: 0, trainSize: 200, testSize: 50, resolution: 14, classes: [] };
  e.network = { hidden: [16, 12], activation: 'relu', outputLink: 'softmax', loss: 'ce', init: legacyInit(1) };
  e.training = { batchSize: 32, maxIterations: 40, evalEvery: 10, seed: 3, backend: 'cpu' };
  e.runs = [defaultRun('sgd'), { algorithm: 'adam', hyper: { ...defaultRun('adam').hyper, lr: 0.003 } }];
  return e;
}

async function finishedRun(e: Experiment, i: number) {
  const run = await startTrainingRun(e, i, nodeLoader);
  let last;
  for (;;) {
    const o = run.step();
    last = o.point;
    if (o.stop) break;
  }
  return { run, last: last! };
}

describe('filter-normalised random directions', () => {
  const sizes = [5, 4, 3];
  const mlp = { sizes, activation: 'tanh' as const, outputLink: 'softmax' as const, loss: 'ce' as const, init: legacyInit(1) };
  const rng = makeRng(11);
  const center = Float32Array.from({ length: paramCount(mlp) }, () => rng() * 2 - 1);

  it('each neuron column has the norm of the weights’ column, biases get 0', () => {
    for (const which of [1, 2] as const) {
      const d = filterNormalisedDirection(center, mlp, 7, which);
      let o = 0;
      for (let l = 1; l < sizes.length; l++) {
        const din = sizes[l - 1], dout = sizes[l];
        for (let j = 0; j < dout; j++) {
          let dn = 0, wn = 0;
          for (let i = 0; i < din; i++) {
            dn += d[o + i * dout + j] ** 2;
            wn += center[o + i * dout + j] ** 2;
          }
          expect(Math.sqrt(dn)).toBeCloseTo(Math.sqrt(wn), 5);
        }
        o += din * dout;
        for (let j = 0; j < dout; j++) expect(d[o + j]).toBe(0);
        o += dout;
      }
    }
  });

  it('are fixed by the seed: same seed same plane, another seed or the other axis a different one', () => {
    const a = sliceDirections(center, mlp, 7);
    const b = sliceDirections(Float32Array.from(center), mlp, 7);
    const c = sliceDirections(center, mlp, 8);
    expect(Array.from(a.d1)).toEqual(Array.from(b.d1));
    expect(Array.from(a.d2)).toEqual(Array.from(b.d2));
    expect(Array.from(a.d1)).not.toEqual(Array.from(c.d1));
    expect(Array.from(a.d1)).not.toEqual(Array.from(a.d2));
  });

  it('projection recovers in-plane coordinates and measures the off-plane part', () => {
    const { d1, d2 } = sliceDirections(center, mlp, 7);
    const theta = center.map((c, i) => c + 0.3 * d1[i] - 0.2 * d2[i]);
    const p = projectOntoPlane(theta, center, { d1, d2 });
    expect(p.a).toBeCloseTo(0.3, 4);
    expect(p.b).toBeCloseTo(-0.2, 4);
    expect(p.offPlane).toBeLessThan(1e-3);
    const off = Float32Array.from(center);
    off[sizes[0] * sizes[1]] += 1; // a bias: orthogonal to both directions
    expect(projectOntoPlane(off, center, { d1, d2 }).offPlane).toBeCloseTo(1, 6);
  });
});

describe('network slice', () => {
  it('the centre value equals the run’s final loss; grid values equal the loss at θc + a d1 + b d2; no tensor leaks', async () => {
    const e = smallMnist();
    const { run, last } = await finishedRun(e, 1);
    const before = tf.memory().numTensors;
    const res = sliceForRun(run.problem.net, run.problem.data.xTrain, run.problem.data.yTrain, flattenParams(run.params), run.iteration, run.snapshots.snaps, {
      seed: 5, resolution: 5, span: 0.5, samples: 0, grid: true,
    });
    expect(tf.memory().numTensors).toBe(before);
    expect(last.trainLoss).toBeDefined();
    expect(Math.abs(res.grid!.centerLoss - last.trainLoss!) / last.trainLoss!).toBeLessThan(1e-5);
    // Independent check of two off-centre grid points through the ordinary forward pass.
    const { d1, d2 } = sliceDirections(res.center, run.problem.net, 5);
    const axis = sliceAxis(5, 0.5);
    for (const [r, c] of [[0, 4], [3, 1]]) {
      const theta = res.center.map((v, i) => v + axis[c] * d1[i] + axis[r] * d2[i]);
      const p = unflattenParams(theta, run.problem.net);
      const ev = evaluate(p, run.problem.net, run.problem.data.xTrain, run.problem.data.yTrain, true);
      disposeParams(p);
      expect(Math.abs(res.grid!.values[r * 5 + c] - ev.loss) / ev.loss).toBeLessThan(1e-4);
    }
    // Trajectory: starts at iteration 0, ends at the centre with zero offset and the final loss.
    const tr = res.trajectory;
    expect(tr[0].iteration).toBe(0);
    const end = tr[tr.length - 1];
    expect(end.iteration).toBe(run.iteration);
    expect([end.a, end.b, end.offPlane]).toEqual([0, 0, 0]);
    expect(Math.abs(end.loss - last.trainLoss!) / last.trainLoss!).toBeLessThan(1e-5);
    expect(tr[0].loss).toBeGreaterThan(end.loss);
    run.dispose();
  });

  it('projects another run onto the same plane when given the reference centre', async () => {
    const e = smallMnist();
    const ref = await finishedRun(e, 1);
    const other = await finishedRun(e, 0);
    const net = ref.run.problem.net;
    const center = flattenParams(ref.run.params);
    const req = { seed: 5, resolution: 3, span: 1, samples: 100, grid: false };
    const a = sliceForRun(net, other.run.problem.data.xTrain, other.run.problem.data.yTrain, flattenParams(other.run.params), other.run.iteration, other.run.snapshots.snaps, { ...req, center });
    expect(a.grid).toBeUndefined();
    expect(a.samples).toBe(100);
    expect(Array.from(a.center)).toEqual(Array.from(center));
    // Both runs share the seed's initial weights: their iteration-0 snapshots project to the same point.
    const b = sliceForRun(net, ref.run.problem.data.xTrain, ref.run.problem.data.yTrain, center, ref.run.iteration, ref.run.snapshots.snaps, { ...req, center });
    expect(a.trajectory[0].a).toBeCloseTo(b.trajectory[0].a, 6);
    expect(a.trajectory[0].b).toBeCloseTo(b.trajectory[0].b, 6);
    const endA = a.trajectory[a.trajectory.length - 1];
    expect(Math.hypot(endA.a, endA.b) + endA.offPlane).toBeGreaterThan(0);
    ref.run.dispose();
    other.run.dispose();
  });

  it('computeSlice keeps the tensor count flat over repeated calls', () => {
    const sizes = [3, 4, 2];
    const net = { sizes, activation: 'tanh' as const, outputLink: 'softmax' as const, loss: 'ce' as const, init: legacyInit(1) };
    const x = tf.randomNormal([10, 3], 0, 1, 'float32', 1) as tf.Tensor2D;
    const y = tf.oneHot(tf.tensor1d([0, 1, 0, 1, 1, 0, 0, 1, 1, 0], 'int32'), 2).asType('float32') as tf.Tensor2D;
    const c = Float32Array.from({ length: paramCount(net) }, (_, i) => Math.sin(i));
    const dirs = sliceDirections(c, net, 1);
    const n0 = tf.memory().numTensors;
    for (let k = 0; k < 20; k++) computeSlice(net, x, y, c, dirs, sliceAxis(5, 1));
    expect(tf.memory().numTensors).toBe(n0);
    tf.dispose([x, y]);
  });
});

describe('snapshot recorder', () => {
  it('stays within its cap over a long run, evenly spaced, starting at 0', () => {
    const rec = new SnapshotRecorder(1000, 20_000);
    expect(rec.cap).toBe(20);
    let reads = 0;
    for (let it = 0; it <= 5000; it++) rec.maybeRecord(it, () => (reads++, new Float32Array(1000)));
    expect(rec.snaps.length).toBeLessThanOrEqual(rec.cap);
    expect(rec.snaps.length).toBeGreaterThanOrEqual(rec.cap / 2);
    expect(rec.snaps[0].iteration).toBe(0);
    const gaps = rec.snaps.slice(1).map((s, i) => s.iteration - rec.snaps[i].iteration);
    expect(new Set(gaps).size).toBe(1);
    expect(gaps[0]).toBe(rec.every);
    expect(reads).toBeLessThan(200);
  });
});

describe('slices of a convolutional network', () => {
  it('the grid of a trained CNN: its centre is the objective at the weights (weight decay included), and the plane is not flat', async () => {
    const e = smallMnist();
    e.network = { ...e.network, hidden: [], layers: [{ type: 'conv2d', filters: 3, kernel: 3 }, { type: 'avgpool', size: 2 }, { type: 'flatten' }, { type: 'dense', units: 8 }], weightDecay: 0.01 };
    e.training.maxIterations = 10;
    const { run } = await finishedRun(e, 0);
    const { net, data } = run.problem;
    const center = flattenParams(run.params);
    const x = data.xTrain.slice([0, 0], [64, -1]) as tf.Tensor2D;
    const y = data.yTrain.slice([0, 0], [64, -1]) as tf.Tensor2D;
    const grid = computeSlice(net, x, y, center, sliceDirections(center, net, 2), sliceAxis(3, 0.5));
    const p = unflattenParams(center, net);
    const atCenter = lossOnly(p, net, x, y);
    expect(grid.centerLoss).toBeCloseTo(atCenter.dataSync()[0], 4);
    expect(Math.max(...grid.values) - Math.min(...grid.values)).toBeGreaterThan(1e-3);
    tf.dispose([x, y, atCenter]);
    disposeParams(p);
    run.dispose();
  });
});
