import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initParams, lossAndGrad, lossOnly } from './model';
import { disposeParams, flattenParams, unflattenParams } from './params';
import { useCpu } from '../testing/cpu';
import type { NetworkSpec } from './types';
import { legacyInit } from './init';

beforeAll(useCpu);

const nets: NetworkSpec[] = [
  { sizes: [3, 5, 4, 3], activation: 'tanh', outputLink: 'softmax', loss: 'ce', init: legacyInit(1) },
  { sizes: [3, 6, 3], activation: 'sigmoid', outputLink: 'softmax', loss: 'mse', init: legacyInit(1) },
  { sizes: [3, 4, 2], activation: 'relu', outputLink: 'sigmoid', loss: 'mse', init: legacyInit(1) },
  { sizes: [3, 4, 1], activation: 'tanh', outputLink: 'identity', loss: 'mse', init: legacyInit(1) },
  { sizes: [3, 4, 2], activation: 'tanh', outputLink: 'sigmoid', loss: 'ce', init: legacyInit(1) },
];

function batch(net: NetworkSpec) {
  const x = tf.randomNormal([7, net.sizes[0]], 0, 1, 'float32', 3) as tf.Tensor2D;
  const k = net.sizes[net.sizes.length - 1];
  const y = net.outputLink === 'softmax'
    ? (tf.oneHot(tf.tensor1d([0, 1, 2, 0, 1, 2, 1].map((c) => c % k), 'int32'), k).toFloat() as tf.Tensor2D)
    : (tf.randomUniform([7, k], 0, 1, 'float32', 5) as tf.Tensor2D);
  return { x, y };
}

describe('explicit back-propagation', () => {
  for (const net of nets) {
    it(`matches central finite differences (${net.activation}, ${net.outputLink}, ${net.loss})`, () => {
      // float32 forward passes: central differences with h = 1e-2 are accurate to ~1e-4 relative here.
      const params = initParams(net, 11);
      const { x, y } = batch(net);
      const { loss, grads } = lossAndGrad(params, net, x, y);
      const g = flattenParams(grads);
      const theta = flattenParams(params);
      const h = 1e-2;
      let maxErr = 0;
      let maxG = 0;
      for (let i = 0; i < theta.length; i += Math.max(1, Math.floor(theta.length / 25))) {
        const plus = Float32Array.from(theta);
        const minus = Float32Array.from(theta);
        plus[i] += h;
        minus[i] -= h;
        const pp = unflattenParams(plus, net);
        const pm = unflattenParams(minus, net);
        const lp = lossOnly(pp, net, x, y);
        const lm = lossOnly(pm, net, x, y);
        const fd = (lp.dataSync()[0] - lm.dataSync()[0]) / (2 * h);
        maxErr = Math.max(maxErr, Math.abs(fd - g[i]));
        maxG = Math.max(maxG, Math.abs(g[i]));
        tf.dispose([lp, lm]);
        disposeParams(pp);
        disposeParams(pm);
      }
      expect(maxG).toBeGreaterThan(1e-3);
      expect(maxErr).toBeLessThan(2e-3 * Math.max(1, maxG));
      tf.dispose([loss, x, y]);
      disposeParams(grads);
      disposeParams(params);
    });
  }

  it('agrees with the TF.js gradient tape', () => {
    const net = nets[0];
    const params = initParams(net, 2);
    const { x, y } = batch(net);
    const { loss, grads } = lossAndGrad(params, net, x, y);
    const vars = params.flatMap((l) => [l.W, l.b]);
    const tape = tf.grads((...ts: tf.Tensor[]) => {
      const p = [];
      for (let i = 0; i < ts.length; i += 2) p.push({ W: ts[i] as tf.Tensor2D, b: ts[i + 1] as tf.Tensor1D });
      return lossOnly(p, net, x, y);
    })(vars);
    const mine = flattenParams(grads);
    const ref = new Float32Array(tape.flatMap((t) => Array.from(t.dataSync())));
    for (let i = 0; i < ref.length; i++) expect(Math.abs(mine[i] - ref[i])).toBeLessThan(1e-5 + 1e-4 * Math.abs(ref[i]));
    tf.dispose([loss, x, y, ...tape]);
    disposeParams(grads);
    disposeParams(params);
  });

  it('gives identical weights for the same seed and different ones for another seed', () => {
    const net = nets[0];
    const a = flattenParams(initParams(net, 5));
    const b = flattenParams(initParams(net, 5));
    const c = flattenParams(initParams(net, 6));
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(Array.from(a)).not.toEqual(Array.from(c));
  });
});
