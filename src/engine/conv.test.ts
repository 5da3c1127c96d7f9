import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { CONV_CHUNK_ROWS, initParams, lossAndGrad, lossOnly, stagesOf } from './model';
import { disposeParams, flattenParams, paramCount } from './params';
import { fieldAndGradient } from './fields';
import { buildLayout, LayerListError, LENET5, type LayerSpec, type InputShape } from './layers';
import { useCpu, useWasm } from '../testing/cpu';
import { legacyInit } from './init';
import { hostMaxPoolGrad } from './hostKernels';

const lossAndGradPool = (input: tf.Tensor4D, dy: tf.Tensor4D) => hostMaxPoolGrad(dy, input, 2, 2)!;
import type { Activation, NetworkSpec, Params } from './types';

beforeAll(useCpu);

function convNet(layers: LayerSpec[], input: InputShape, outputs: number, weightDecay = 0, activation: Activation = 'relu'): NetworkSpec {
  const layout = buildLayout(layers, input, outputs, activation);
  return { sizes: layout.sizes, stages: layout.stages, activation, outputLink: 'softmax', loss: 'ce', init: legacyInit(1), weightDecay };
}

const SMALL: LayerSpec[] = [
  { type: 'conv2d', filters: 3, kernel: 3 },
  { type: 'maxpool', size: 2 },
  { type: 'conv2d', filters: 4, kernel: 2, padding: 'same', activation: 'tanh' },
  { type: 'avgpool', size: 2 },
  { type: 'flatten' },
  { type: 'dense', units: 5, activation: 'sigmoid' },
];
const STRIDED: LayerSpec[] = [{ type: 'conv2d', filters: 2, kernel: 3, stride: 2, padding: 'same' }, { type: 'maxpool', size: 3, stride: 1 }, { type: 'flatten' }];

function batch(net: NetworkSpec, rows = 6, seed = 3) {
  const x = tf.randomNormal([rows, net.sizes[0]], 0, 1, 'float32', seed) as tf.Tensor2D;
  const k = net.sizes[net.sizes.length - 1];
  const y = tf.oneHot(tf.tensor1d(Array.from({ length: rows }, (_, i) => i % k), 'int32'), k).toFloat() as tf.Tensor2D;
  return { x, y };
}

/** The gradient by TF.js's own tape through the forward ops (conv2d, pooling, and their registered gradients). */
function tapeGradient(params: Params, net: NetworkSpec, x: tf.Tensor2D, y: tf.Tensor2D): Float32Array {
  const vars = params.flatMap((l) => [l.W, l.b]);
  const tape = tf.grads((...ts: tf.Tensor[]) => {
    const p: Params = [];
    for (let i = 0; i < ts.length; i += 2) p.push({ W: ts[i] as tf.Tensor2D, b: ts[i + 1] as tf.Tensor1D });
    return lossOnly(p, net, x, y);
  })(vars);
  const out = new Float32Array(tape.flatMap((t) => Array.from(t.dataSync())));
  tf.dispose(tape);
  return out;
}

function expectClose(mine: Float32Array, ref: Float32Array) {
  expect(mine.length).toBe(ref.length);
  let maxRef = 0;
  for (let i = 0; i < ref.length; i++) {
    expect(Math.abs(mine[i] - ref[i])).toBeLessThan(1e-5 + 1e-4 * Math.abs(ref[i]));
    maxRef = Math.max(maxRef, Math.abs(ref[i]));
  }
  expect(maxRef).toBeGreaterThan(1e-3);
}

describe('convolutional layers: explicit back-propagation', () => {
  const cases: [string, NetworkSpec][] = [
    ['conv → max-pool → conv (same) → avg-pool → dense', convNet(SMALL, { image: [8, 8, 1] }, 3)],
    ['strided same conv, overlapping max-pool', convNet(STRIDED, { image: [7, 7, 1] }, 3)],
    ['with weight decay λ = 0.05', convNet(SMALL, { image: [8, 8, 1] }, 3, 0.05)],
    ['a stride that leaves the last rows unread (8×8, kernel 3, stride 2, valid)', convNet([{ type: 'conv2d', filters: 2, kernel: 3, stride: 2 }, { type: 'flatten' }], { image: [8, 8, 1] }, 3)],
  ];
  for (const [name, net] of cases) {
    it(`agrees with the TF.js gradient tape: ${name}`, () => {
      const params = initParams(net, 4);
      const { x, y } = batch(net);
      const { loss, grads } = lossAndGrad(params, net, x, y);
      expectClose(flattenParams(grads), tapeGradient(params, net, x, y));
      const again = lossOnly(params, net, x, y);
      expect(again.dataSync()[0]).toBeCloseTo(loss.dataSync()[0], 6);
      tf.dispose([loss, again, x, y]);
      disposeParams(grads);
      disposeParams(params);
    });
  }

  it('weight decay adds λ/2 Σ‖W‖² to the objective (weights, not biases)', () => {
    const plain = convNet(SMALL, { image: [8, 8, 1] }, 3);
    const decayed = { ...plain, weightDecay: 0.1 };
    const params = initParams(plain, 2);
    const { x, y } = batch(plain);
    const a = lossOnly(params, plain, x, y).dataSync()[0];
    const b = lossOnly(params, decayed, x, y).dataSync()[0];
    const w2 = params.reduce((s, p) => s + Array.from(p.W.dataSync()).reduce((t, v) => t + v * v, 0), 0);
    expect(b - a).toBeCloseTo(0.05 * w2, 4);
    tf.dispose([x, y]);
    disposeParams(params);
  });

  it('a large set is taken in row blocks with the same loss, gradient and accuracy as one pass', () => {
    const net = convNet(STRIDED, { image: [7, 7, 1] }, 3);
    const params = initParams(net, 1);
    const { x, y } = batch(net, CONV_CHUNK_ROWS * 2 + 37, 9);
    const blocks = lossAndGrad(params, net, x, y, { withAccuracy: true });
    // keepUpstream forces one pass over every row (the field needs each row's signal).
    const whole = lossAndGrad(params, net, x, y, { withAccuracy: true, keepUpstream: true });
    expect(blocks.loss.dataSync()[0]).toBeCloseTo(whole.loss.dataSync()[0], 5);
    expect(blocks.accuracy!.dataSync()[0]).toBeCloseTo(whole.accuracy!.dataSync()[0], 5);
    const gb = flattenParams(blocks.grads), gw = flattenParams(whole.grads);
    for (let i = 0; i < gw.length; i++) expect(Math.abs(gb[i] - gw[i])).toBeLessThan(1e-5 + 1e-3 * Math.abs(gw[i]));
    tf.dispose([x, y, blocks.loss, blocks.accuracy!, whole.loss, whole.accuracy!, ...whole.upstream!, ...whole.activations!.slice(1)]);
    disposeParams(blocks.grads);
    disposeParams(whole.grads);
    disposeParams(params);
  });

  it('keeps the tensor count flat over many steps', () => {
    const net = convNet(SMALL, { image: [8, 8, 1] }, 3, 0.01);
    const params = initParams(net, 1);
    const { x, y } = batch(net);
    const n0 = tf.memory().numTensors;
    for (let k = 0; k < 30; k++) {
      const r = lossAndGrad(params, net, x, y, { withAccuracy: true });
      tf.dispose([r.loss, r.accuracy!]);
      disposeParams(r.grads);
      const f = fieldAndGradient(params, net, x, y, { trainFrom: 0, scope: 'full' });
      f.loss.dispose();
      disposeParams(f.field);
      disposeParams(f.grads);
    }
    expect(tf.memory().numTensors).toBe(n0);
    tf.dispose([x, y]);
    disposeParams(params);
  });
});

describe('convolutional layers on WASM (the app\'s usual backend)', () => {
  it('give the CPU backend\'s loss and gradient', async () => {
    const net = convNet([...SMALL.slice(0, 2), { type: 'conv2d', filters: 4, kernel: 3, stride: 2, padding: 'same' }, ...SMALL.slice(3)], { image: [9, 9, 1] }, 3, 0.01);
    const read = () => {
      const params = initParams(net, 8);
      const { x, y } = batch(net, 5, 2);
      const r = lossAndGrad(params, net, x, y);
      const out = { loss: r.loss.dataSync()[0], g: flattenParams(r.grads) };
      tf.dispose([x, y, r.loss]);
      disposeParams(r.grads);
      disposeParams(params);
      return out;
    };
    const cpu = read();
    await useWasm();
    try {
      const wasm = read();
      expect(wasm.loss).toBeCloseTo(cpu.loss, 5);
      expectClose(wasm.g, cpu.g);
    } finally {
      await useCpu();
    }
  });
});

describe('max-pooling backward on WASM', () => {
  // WASM's own MaxPoolGrad sends nothing back from a window whose maximum is ≤ 0 (tanh gives all-negative windows;
  // ReLU all-zero ones, which the gradient masks but the VI field does not): these failed before hostMaxPoolGrad.
  const TANH_MAX: LayerSpec[] = [
    { type: 'conv2d', filters: 3, kernel: 3, activation: 'tanh' },
    { type: 'maxpool', size: 2 },
    { type: 'flatten' },
  ];
  const read = (net: NetworkSpec, field: boolean) => {
    const params = initParams(net, 4);
    const { x, y } = batch(net, 5, 9);
    const r = fieldAndGradient(params, net, x, y, { trainFrom: 0, scope: 'full' });
    const out = field ? flattenParams(r.field) : flattenParams(r.grads);
    tf.dispose([x, y, r.loss]);
    disposeParams(r.field);
    disposeParams(r.grads);
    disposeParams(params);
    return out;
  };
  for (const [name, net, field] of [
    ['the gradient of tanh → max-pool', convNet(TANH_MAX, { image: [8, 8, 1] }, 3), false],
    ['the VI field of ReLU → max-pool (signal unmasked by σ′)', convNet(SMALL, { image: [8, 8, 1] }, 3), true],
  ] as const) {
    it(`gives the CPU backend's ${name}`, async () => {
      const cpu = read(net, field);
      await useWasm();
      try {
        expectClose(read(net, field), cpu);
      } finally {
        await useCpu();
      }
    });
  }

  it('routes a window with ties or a non-positive maximum to its first maximum, as TF.js\'s CPU kernel', async () => {
    // windows: all zero (tie), all negative, a tie of positives at the 2nd and 4th place, one clear maximum
    const input = tf.tensor4d([0, 0, -3, -1, 0, 0, -2, -5, 0, 1, 2, 9, 0, 1, 2, 3], [1, 4, 4, 1]);
    const dy = tf.tensor4d([1, 2, 3, 4], [1, 2, 2, 1]);
    const attrs = { filterSize: [2, 2], strides: [2, 2], pad: 'valid' } as unknown as tf.NamedAttrMap;
    const cpu = Array.from((tf.engine().runKernel('MaxPoolGrad', { dy, input, output: tf.maxPool(input, 2, 2, 'valid') }, attrs) as tf.Tensor).dataSync());
    expect(cpu).toEqual([1, 0, 0, 2, 0, 0, 0, 0, 0, 3, 0, 4, 0, 0, 0, 0]);
    await useWasm();
    try {
      const [i2, d2] = [tf.tensor4d(input.dataSync(), [1, 4, 4, 1]), tf.tensor4d(dy.dataSync(), [1, 2, 2, 1])];
      const wasm = Array.from(lossAndGradPool(i2, d2).dataSync());
      expect(wasm).toEqual(cpu);
      tf.dispose([i2, d2]);
    } finally {
      await useCpu();
    }
    tf.dispose([input, dy]);
  });
});

describe('the VI field of a convolutional network (algorithms.md §1, whole network)', () => {
  it('equals the gradient when every layer is linear (no σ′ to drop), and differs with ReLU', () => {
    const linear = convNet(SMALL.map((l) => ('activation' in l || l.type === 'conv2d' || l.type === 'dense' ? { ...l, activation: 'linear' } : l)) as LayerSpec[], { image: [8, 8, 1] }, 3, 0, 'linear');
    expect(stagesOf(linear).every((s) => s.activation === 'linear')).toBe(true);
    const relu = convNet(SMALL, { image: [8, 8, 1] }, 3);
    for (const [net, same] of [[linear, true], [relu, false]] as const) {
      const params = initParams(net, 6);
      const { x, y } = batch(net);
      const r = fieldAndGradient(params, net, x, y, { trainFrom: 0, scope: 'full' });
      const f = flattenParams(r.field), g = flattenParams(r.grads);
      let diff = 0;
      for (let i = 0; i < g.length; i++) diff = Math.max(diff, Math.abs(f[i] - g[i]));
      if (same) expect(diff).toBeLessThan(1e-5);
      else expect(diff).toBeGreaterThan(1e-4);
      tf.dispose([x, y, r.loss]);
      disposeParams(r.field);
      disposeParams(r.grads);
      disposeParams(params);
    }
  });
});

describe('building a layer list', () => {
  const mnist: InputShape = { image: [28, 28, 1] };
  it('gives LeNet-5 on 28×28 its shapes: 24×24×6 → 12×12×6 → 8×8×16 → 4×4×16 = 256 → 120 → 84 → 10', () => {
    const net = convNet([...LENET5], mnist, 10);
    expect(net.sizes).toEqual([784, 864, 256, 120, 84, 10]);
    // 6·25+6 + 16·150+16 + 256·120+120 + 120·84+84 + 84·10+10
    expect(paramCount(net)).toBe(156 + 2416 + 30840 + 10164 + 850);
  });

  const refused: [string, LayerSpec[], InputShape, RegExp][] = [
    ['a kernel larger than its input', [{ type: 'conv2d', filters: 2, kernel: 9 }, { type: 'flatten' }], { image: [7, 7, 1] }, /layer 1 \(convolution\).*9×9 kernel is larger than its 7×7 input/],
    ['a convolution on features', [{ type: 'conv2d', filters: 2, kernel: 3 }], { features: 2 }, /layer 1 \(convolution\).*needs image data/],
    ['a convolution after a dense layer', [{ type: 'dense', units: 4 }, { type: 'conv2d', filters: 2, kernel: 3 }], mnist, /layer 2 \(convolution\) comes after a flatten or dense layer/],
    ['a pool with no convolution', [{ type: 'maxpool', size: 2 }], mnist, /layer 1 \(max-pool\) has no convolution before it/],
    ['a dense layer on feature maps', [{ type: 'conv2d', filters: 2, kernel: 3 }, { type: 'dense', units: 4 }], mnist, /layer 2 \(dense\).*add a flatten layer/],
    ['a list ending on an image', [{ type: 'conv2d', filters: 2, kernel: 3 }], mnist, /ends on an image of 26×26×2/],
    ['zero filters', [{ type: 'conv2d', filters: 0, kernel: 3 }, { type: 'flatten' }], mnist, /layer 1 \(convolution\): it needs at least one filter/],
    ['too many parameters', [{ type: 'dense', units: 1024 }, { type: 'dense', units: 1024 }, { type: 'dense', units: 1024 }, { type: 'dense', units: 1024 }], mnist, /parameters; a run may have at most/],
    ['too many activations', [...Array.from({ length: 4 }, () => ({ type: 'conv2d', filters: 128, kernel: 3, padding: 'same' }) as const), { type: 'flatten' }], mnist, /401,418 activations per image/],
  ];
  for (const [name, layers, input, message] of refused) {
    it(`refuses ${name}, naming the layer and the reason`, () => {
      expect(() => buildLayout(layers, input, 10, 'relu')).toThrow(LayerListError);
      expect(() => buildLayout(layers, input, 10, 'relu')).toThrow(message);
    });
  }
});
