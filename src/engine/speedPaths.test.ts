import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Batcher } from './batcher';
import { hostKernelsActive, hostSumSquares } from './hostKernels';
import { activationDerivFromOutput, initParams, lossAndGrad } from './model';
import { adamInit, adamUpdate, adamUpdateOps, sgdMomentumUpdate, sgdMomentumUpdateOps, zerosLikeParams, type AdamState } from './optimizers';
import { disposeParams, flattenParams, paramTensors, sumSquares } from './params';
import { readAndDispose } from './scalars';
import { useCpu, useWasm } from '../testing/cpu';
import type { NetworkSpec, Params } from './types';
import { legacyInit } from './init';

/**
 * The speed paths (bench/README.md) must compute what the plain formulations compute: the fused CPU/WASM update
 * kernels against the op formulation, the host-side ‖g‖², host-copied batches against tf.gather, the WASM
 * matmul transpose wrapper against the CPU backend, and step(x) against cast(x > 0).
 */

const net: NetworkSpec = { sizes: [5, 7, 4, 3], activation: 'tanh', outputLink: 'softmax', loss: 'ce', init: legacyInit(1) };

function randomParams(seed: number, scale = 1): Params {
  return initParams({ ...net, init: legacyInit(scale) }, seed);
}

function maxRelDiff(a: Float32Array, b: Float32Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]) / Math.max(1e-6, Math.abs(b[i])));
  return m;
}

function runBoth(backend: () => Promise<void>, name: string) {
  beforeAll(backend);

  it('the fused Adam kernel equals the op formulation over 30 steps (float32 tolerance), with flat tensor counts', () => {
    expect(tf.getBackend()).toBe(name);
    expect(hostKernelsActive()).toBe(true);
    const h = { lr: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-8 };
    let pa = randomParams(1);
    let pb = randomParams(1);
    let sa: AdamState = adamInit(pa);
    let sb: AdamState = adamInit(pb);
    const before = tf.memory().numTensors;
    for (let k = 0; k < 30; k++) {
      const g = randomParams(100 + k, 3); // a different "gradient" each step, same for both
      const oa = adamUpdate(pa, g, sa, h);
      const ob = adamUpdateOps(pb, g, sb, h);
      for (const p of [pa, sa.m, sa.v, pb, sb.m, sb.v, g]) disposeParams(p);
      pa = oa.params; sa = oa.state; pb = ob.params; sb = ob.state;
      expect(tf.memory().numTensors).toBe(before);
    }
    expect(sa.t).toBe(30);
    const fa = flattenParams(pa), fb = flattenParams(pb);
    expect(maxRelDiff(fa, fb)).toBeLessThan(1e-4);
    expect(maxRelDiff(flattenParams(sa.v), flattenParams(sb.v))).toBeLessThan(1e-5);
    // the parameters did move (a no-op kernel would fail above only by luck)
    const p0 = flattenParams(randomParams(1));
    expect(maxRelDiff(fa, p0)).toBeGreaterThan(1e-2);
    for (const p of [pa, sa.m, sa.v, pb, sb.m, sb.v]) disposeParams(p);
  });

  for (const momentum of [0, 0.9]) {
    it(`the fused heavy-ball kernel equals the op formulation (μ = ${momentum})`, () => {
      let pa = randomParams(2), pb = randomParams(2);
      let va = zerosLikeParams(pa), vb = zerosLikeParams(pb);
      for (let k = 0; k < 20; k++) {
        const g = randomParams(200 + k);
        const oa = sgdMomentumUpdate(pa, g, { velocity: va }, 0.05, momentum);
        const ob = sgdMomentumUpdateOps(pb, g, { velocity: vb }, 0.05, momentum);
        for (const p of [pa, va, pb, vb, g]) disposeParams(p);
        pa = oa.params; va = oa.state.velocity; pb = ob.params; vb = ob.state.velocity;
      }
      expect(maxRelDiff(flattenParams(pa), flattenParams(pb))).toBeLessThan(1e-5);
      expect(maxRelDiff(flattenParams(va), flattenParams(vb))).toBeLessThan(1e-5);
      for (const p of [pa, va, pb, vb]) disposeParams(p);
    });
  }

  it('host ‖g‖² equals the tensor sum of squares; readAndDispose reads values in order', () => {
    const g = randomParams(3, 2);
    const host = hostSumSquares(paramTensors(g))!;
    const [dev, a, b] = readAndDispose([sumSquares(paramTensors(g)), tf.scalar(1.5), tf.scalar(-2)]);
    expect(host).toBeGreaterThan(0);
    expect(Math.abs(host - dev) / dev).toBeLessThan(1e-5);
    expect([a, b]).toEqual([1.5, -2]);
    disposeParams(g);
  });

  it('host-copied batches equal tf.gather of the same permutation rows', () => {
    const n = 50;
    const x = tf.randomNormal([n, 4], 0, 1, 'float32', 7) as tf.Tensor2D;
    const y = tf.oneHot(tf.tensor1d(Array.from({ length: n }, (_, i) => i % 3), 'int32'), 3).toFloat() as tf.Tensor2D;
    const xs = x.arraySync(), ys = y.arraySync();
    const bat = new Batcher(x, y, 16, 9);
    const seen = new Set<string>();
    for (let k = 0; k < 7; k++) { // crosses an epoch boundary (3 batches per epoch)
      const { x: bx, y: by, owned } = bat.next();
      expect(owned).toBe(true);
      expect(bx.shape).toEqual([16, 4]);
      const rowsX = bx.arraySync(), rowsY = by.arraySync();
      for (let r = 0; r < 16; r++) {
        const i = xs.findIndex((row) => row.every((v, j) => v === rowsX[r][j]));
        expect(i).toBeGreaterThanOrEqual(0);
        expect(rowsY[r]).toEqual(ys[i]);
        if (k < 3) {
          expect(seen.has(String(i))).toBe(false); // no repeats within an epoch
          seen.add(String(i));
        }
      }
      bx.dispose();
      by.dispose();
    }
    expect(bat.epoch).toBe(2);
    tf.dispose([x, y]);
  });

  it('step(x) equals cast(x > 0) on ReLU outputs', () => {
    const x = tf.relu(tf.tensor2d([[-1, 0, 2], [3, -0.5, 1e-30]])) as tf.Tensor2D;
    const d = activationDerivFromOutput(x, 'relu');
    expect(Array.from(d.dataSync())).toEqual([0, 0, 1, 1, 0, 1]);
    tf.dispose([x, d]);
  });
}

describe('speed paths on the CPU backend', () => runBoth(useCpu, 'cpu'));

describe('speed paths on the WASM backend', () => {
  runBoth(useWasm, 'wasm');

  it('matmuls with transpose flags (wrapped to explicit transposes) equal the CPU backend, fused and plain', async () => {
    const a = tf.randomNormal([6, 5], 0, 1, 'float32', 11).arraySync() as number[][];
    const b = tf.randomNormal([6, 4], 0, 1, 'float32', 12).arraySync() as number[][];
    const c = tf.randomNormal([3, 4], 0, 1, 'float32', 13).arraySync() as number[][];
    const compute = () =>
      tf.tidy(() => {
        const A = tf.tensor2d(a), B = tf.tensor2d(b), C = tf.tensor2d(c), bias = tf.tensor1d([0.1, -0.2, 0.3]);
        return [
          tf.matMul(A, B, true, false), // 5×4
          tf.matMul(B, C, false, true), // 6×3
          tf.matMul(B, tf.transpose(A), true, true), // Bᵀ (4×6) · (Aᵀ)ᵀ (6×5) = 4×5
          tf.fused.matMul({ a: B, b: C, transposeB: true, bias, activation: 'relu' }),
        ].map((t) => t.arraySync() as number[][]);
      });
    const before = tf.memory().numTensors;
    const wasm = compute();
    expect(tf.memory().numTensors).toBe(before);
    await useCpu();
    const cpu = compute();
    await useWasm();
    for (let k = 0; k < cpu.length; k++)
      for (let i = 0; i < cpu[k].length; i++)
        for (let j = 0; j < cpu[k][i].length; j++) expect(wasm[k][i][j]).toBeCloseTo(cpu[k][i][j], 4);
    // and lossAndGrad (which uses both flags) agrees across backends
    const x = tf.randomNormal([8, 5], 0, 1, 'float32', 14) as tf.Tensor2D;
    const y = tf.oneHot(tf.tensor1d([0, 1, 2, 0, 1, 2, 0, 1], 'int32'), 3).toFloat() as tf.Tensor2D;
    const p = randomParams(4);
    const grad = () => {
      const r = lossAndGrad(p, { ...net, activation: 'relu' }, x, y);
      const out = flattenParams(r.grads);
      r.loss.dispose();
      disposeParams(r.grads);
      return out;
    };
    const gw = grad();
    await useCpu();
    const gc = grad();
    await useWasm();
    let m = 0;
    for (let i = 0; i < gc.length; i++) m = Math.max(m, Math.abs(gw[i] - gc[i]));
    expect(m).toBeLessThan(1e-5);
    expect(gc.some((v) => v !== 0)).toBe(true);
    disposeParams(p);
    tf.dispose([x, y]);
  });
});

afterAll(useCpu);
