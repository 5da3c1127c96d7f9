import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { evaluate, evaluateWithGradient } from './metrics';
import { initParams, lossAndGrad } from './model';
import { disposeParams, flattenParams } from './params';
import { useCpu } from '../testing/cpu';
import type { NetworkSpec } from './types';
import { legacyInit } from './init';

beforeAll(useCpu);

describe('evaluation', () => {
  it('one pass gives the same loss, accuracy and full-gradient norm as separate passes, without leaks', () => {
    const net: NetworkSpec = { sizes: [3, 6, 4], activation: 'relu', outputLink: 'softmax', loss: 'ce', init: legacyInit(1) };
    const params = initParams(net, 3);
    const x = tf.randomNormal([50, 3], 0, 1, 'float32', 1) as tf.Tensor2D;
    const y = tf.oneHot(tf.tensor1d(Array.from({ length: 50 }, (_, i) => i % 4), 'int32'), 4).toFloat() as tf.Tensor2D;
    const before = tf.memory().numTensors;
    const one = evaluateWithGradient(params, net, x, y, true);
    expect(tf.memory().numTensors).toBe(before);
    const sep = evaluate(params, net, x, y, true);
    const { loss, grads } = lossAndGrad(params, net, x, y);
    const g = flattenParams(grads);
    const norm = Math.sqrt(g.reduce((s, v) => s + v * v, 0));
    expect(one.loss).toBeCloseTo(sep.loss, 6);
    expect(one.accuracy).toBe(sep.accuracy);
    expect(one.accuracy).toBeGreaterThan(0);
    expect(one.gradNorm).toBeCloseTo(norm, 5);
    expect(one.gradNorm).toBeGreaterThan(1e-3);
    tf.dispose([loss, x, y]);
    disposeParams(grads);
    disposeParams(params);
  });
});
