import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildLayout, type LayerSpec } from '../../engine/layers';
import { initParams } from '../../engine/model';
import { disposeParams } from '../../engine/params';
import { useCpu } from '../../testing/cpu';
import { legacyInit } from '../../engine/init';
import type { NetworkSpec, Problem } from '../../engine/types';
import { defaultHyper } from '../registry';
import { fenchelAlgorithm } from './fenchel';
import { FENCHEL_SPEC } from './fenchel.hyper';
import { convWeightBlock, disposeBlock, forwardActivations, liftedLayers, mappedHiddenActivationBlock, mappedLastActivationBlock, nextLayerMap, SpectralBound, type ConvexBlock } from './blocks';

beforeAll(useCpu);

/** conv 3@3×3 → avg-pool 2 → conv 4@2×2 (same) → flatten → 5 → 3 on 8×8 images: every kind of lifted block. */
const LAYERS: LayerSpec[] = [
  { type: 'conv2d', filters: 3, kernel: 3 },
  { type: 'avgpool', size: 2 },
  { type: 'conv2d', filters: 4, kernel: 2, padding: 'same' },
  { type: 'flatten' },
  { type: 'dense', units: 5 },
];

function net(layers = LAYERS): NetworkSpec {
  const l = buildLayout(layers, { image: [8, 8, 1] }, 3, 'relu');
  return { sizes: l.sizes, stages: l.stages, activation: 'relu', outputLink: 'softmax', loss: 'ce', init: legacyInit(1) };
}

function data(n: number) {
  const x = tf.randomUniform([n, 64], 0, 1, 'float32', 5) as tf.Tensor2D;
  const y = tf.oneHot(tf.tensor1d(Array.from({ length: n }, (_, i) => (i * 7) % 3), 'int32'), 3).toFloat() as tf.Tensor2D;
  return { x, y };
}

/** A block's gradient against the TF.js tape of its value. */
function expectGradientOfValue(block: ConvexBlock, at: tf.Tensor[]) {
  const tape = tf.grads((...xs: tf.Tensor[]) => block.value(xs))(at);
  const mine = block.grad(at);
  for (let i = 0; i < at.length; i++) {
    const a = mine[i].dataSync(), b = tape[i].dataSync();
    let scale = 0;
    for (let k = 0; k < b.length; k++) scale = Math.max(scale, Math.abs(b[k]));
    expect(scale).toBeGreaterThan(0);
    for (let k = 0; k < b.length; k++) expect(Math.abs(a[k] - b[k])).toBeLessThan(1e-5 + 1e-3 * scale);
  }
  tf.dispose([...tape, ...mine]);
}

describe('Fenchel lifted blocks on convolution layers (algorithms.md §6)', () => {
  it('each block\'s gradient is the gradient of its objective (activation blocks through the pooling and the next convolution; the convolution weight block)', () => {
    const spec = net();
    const layers = liftedLayers(spec);
    const params = initParams(spec, 3);
    const { x, y } = data(6);
    const acts = forwardActivations(params, x, layers).map((a) => tf.add(a, 0.05) as tf.Tensor2D); // off the ReLU graph: B > 0
    const z1 = layers.pre(1, x, params[0]);
    const z3 = layers.pre(3, layers.pool(2, acts[1]), params[2]);
    const blocks = [
      // A_1 (conv, pooled) → layer 2 (conv)
      mappedHiddenActivationBlock(z1, nextLayerMap(layers, 1, params[1]), acts[1], 1, 1, 1, tf.scalar(1)),
      // A_3 (dense) as if it were the last: through layer 4 = the output
      mappedLastActivationBlock(z3, nextLayerMap(layers, 3, params[3]), y, 1, 1, tf.scalar(1)),
      // (W_2, b_2) of the second convolution on the pooled A_1
      convWeightBlock(layers, 2, layers.pool(1, acts[0]), acts[1], params[1].W, params[1].b, 1, 1e-3, 0.5, tf.scalar(1)),
    ];
    expectGradientOfValue(blocks[0], [acts[0]]);
    expectGradientOfValue(blocks[1], [acts[2]]);
    expectGradientOfValue(blocks[2], [params[1].W, params[1].b]);
    blocks.forEach(disposeBlock);
    tf.dispose([x, y, z1, z3, ...acts]);
    disposeParams(params);
  });

  it('the spectral bound of a convolution map lies below its Frobenius-style bound and above ‖Mv‖² of random v', () => {
    const spec = net();
    const layers = liftedLayers(spec);
    const params = initParams(spec, 2);
    const map = nextLayerMap(layers, 1, { W: params[1].W, b: tf.zerosLike(params[1].b) });
    const first = spec.stages![0];
    if (first.kind !== 'conv') throw new Error('the first layer is a convolution');
    const dim = first.convH * first.convW * 3;
    const norms = new SpectralBound();
    const frob = tf.tidy(() => tf.mul(4, tf.sum(tf.square(params[1].W))) as tf.Scalar); // ⌈2/1⌉² ‖W‖²_F
    const bound = norms.operator('m', dim, (v) => tf.tidy(() => tf.reshape(map.adjoint(map.apply(tf.reshape(v, [1, dim]))), [dim]) as tf.Tensor1D), () => frob.clone());
    const b = bound.dataSync()[0];
    expect(b).toBeLessThanOrEqual(frob.dataSync()[0] * (1 + 1e-6));
    for (let k = 0; k < 5; k++) {
      const ratio = tf.tidy(() => {
        const v = tf.randomNormal([1, dim], 0, 1, 'float32', k);
        return tf.div(tf.sum(tf.square(map.apply(v as tf.Tensor2D))), tf.sum(tf.square(v)));
      });
      expect(ratio.dataSync()[0]).toBeLessThanOrEqual(b);
      ratio.dispose();
    }
    norms.dispose();
    tf.dispose([bound, frob]);
    disposeParams(params);
  });
});

describe('Fenchel lifted BCD on a CNN (algorithm)', () => {
  it('40 sweeps: no block rises, the lifted objective stays below the forward loss at the block optimum, the forward loss falls, memory flat', async () => {
    const spec = net();
    const { x, y } = data(48);
    const initialParams = initParams(spec, 1);
    const problem: Problem = { net: spec, data: { xTrain: x, yTrain: y, xTest: x, yTest: y, numClasses: 3, name: 'test' }, initialParams, batchSize: 0, frozenBelow: 0 };
    let s = fenchelAlgorithm.init(problem, { ...defaultHyper(FENCHEL_SPEC), innerSteps: 10 }, 1);
    let baseline = -1;
    let first = NaN;
    let last = NaN;
    for (let i = 0; i < 40; i++) {
      const r = fenchelAlgorithm.step(s);
      s = r.state;
      const e = r.metrics.extra;
      if (i === 0) {
        baseline = tf.memory().numTensors;
        first = e.forwardLoss;
      }
      last = e.forwardLoss;
      expect(e.blockRose, `sweep ${i}`).toBeUndefined();
      expect(e.liftedAtBlockOptimum).toBeLessThanOrEqual(e.forwardLossAtSameWeights + 1e-5);
    }
    expect(tf.memory().numTensors).toBe(baseline);
    expect(last).toBeLessThan(first);
    fenchelAlgorithm.dispose(s);
    tf.dispose([x, y]);
    disposeParams(initialParams);
  });

  it('refuses max pooling, saying why', () => {
    const spec = net([{ type: 'conv2d', filters: 2, kernel: 3 }, { type: 'maxpool', size: 2 }, { type: 'flatten' }]);
    const { x, y } = data(4);
    const initialParams = initParams(spec, 1);
    const problem: Problem = { net: spec, data: { xTrain: x, yTrain: y, xTest: x, yTest: y, numClasses: 3, name: 'test' }, initialParams, batchSize: 0, frozenBelow: 0 };
    expect(() => fenchelAlgorithm.init(problem, defaultHyper(FENCHEL_SPEC), 1)).toThrow('max pooling is not linear');
    tf.dispose([x, y]);
    disposeParams(initialParams);
  });
});
