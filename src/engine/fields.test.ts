import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { fieldAndGradient, fullNetworkField, glmField, lastLayerField } from './fields';
import { initParams, lossAndGrad } from './model';
import { disposeParams } from './params';
import { gaussian, makeRng } from './random';
import { useCpu } from '../testing/cpu';
import type { Activation, Layer, NetworkSpec, OutputLink } from './types';
import { legacyInit } from './init';

beforeAll(useCpu);

// ---- float64 plain-JS reference (row-major matrices as number[][]) -------------------------------------------
type M = number[][];
const matmul = (a: M, b: M): M => a.map((r) => b[0].map((_, j) => r.reduce((s, v, k) => s + v * b[k][j], 0)));
const transpose = (a: M): M => a[0].map((_, j) => a.map((r) => r[j]));
const act = (z: number, a: Activation) => (a === 'relu' ? Math.max(0, z) : a === 'tanh' ? Math.tanh(z) : a === 'sigmoid' ? 1 / (1 + Math.exp(-z)) : z);
const actDeriv = (z: number, a: Activation) => (a === 'relu' ? (z > 0 ? 1 : 0) : a === 'tanh' ? 1 - Math.tanh(z) ** 2 : a === 'sigmoid' ? act(z, a) * (1 - act(z, a)) : 1);
function link(z: M, l: OutputLink): M {
  if (l === 'identity') return z;
  if (l === 'sigmoid') return z.map((r) => r.map((v) => 1 / (1 + Math.exp(-v))));
  return z.map((r) => {
    const m = Math.max(...r);
    const e = r.map((v) => Math.exp(v - m));
    const s = e.reduce((a, b) => a + b, 0);
    return e.map((v) => v / s);
  });
}
const toM = (t: tf.Tensor): M => t.arraySync() as M;
const layerToM = (l: Layer) => ({ W: toM(l.W), b: Array.from(l.b.dataSync()) });

/** (1/N)[X;1]ᵀ(φ(XW+b) − Y) in float64. */
function refGlmField(x: M, W: M, b: number[], y: M, l: OutputLink): { W: M; b: number[] } {
  const n = x.length;
  const z = matmul(x, W).map((r) => r.map((v, j) => v + b[j]));
  const r = link(z, l).map((row, i) => row.map((v, j) => (v - y[i][j]) / n));
  return { W: matmul(transpose(x), r), b: r[0].map((_, j) => r.reduce((s, row) => s + row[j], 0)) };
}

/** Whole-network field by hand: backprop keeping G_l = ∂L/∂X_l, F_l = X_{l−1}ᵀ G_l (hidden ÷ B optional). */
function refFullField(x: M, layers: { W: M; b: number[] }[], y: M, net: NetworkSpec, divBatch: boolean) {
  const n = x.length;
  const xs: M[] = [x];
  const zs: M[] = [];
  for (let l = 0; l < layers.length; l++) {
    const z = matmul(xs[l], layers[l].W).map((r) => r.map((v, j) => v + layers[l].b[j]));
    zs.push(z);
    if (l < layers.length - 1) xs.push(z.map((r) => r.map((v) => act(v, net.activation))));
  }
  const out = link(zs[zs.length - 1], net.outputLink);
  let g: M = out.map((row, i) => row.map((v, j) => (v - y[i][j]) / n)); // G_L
  // ∂L/∂Z_L for the loss
  const dZout = (): M => {
    if (net.loss === 'ce' || net.outputLink === 'identity') return g;
    if (net.outputLink === 'sigmoid') return g.map((row, i) => row.map((v, j) => v * out[i][j] * (1 - out[i][j])));
    return g.map((row, i) => {
      const inner = row.reduce((s, v, j) => s + v * out[i][j], 0);
      return row.map((v, j) => out[i][j] * (v - inner));
    });
  };
  let delta = dZout();
  const field: { W: M; b: number[] }[] = new Array(layers.length);
  for (let l = layers.length - 1; l >= 0; l--) {
    const scale = divBatch && l < layers.length - 1 ? 1 / n : 1;
    const gs = g.map((r) => r.map((v) => v * scale));
    field[l] = { W: matmul(transpose(xs[l]), gs), b: gs[0].map((_, j) => gs.reduce((s, row) => s + row[j], 0)) };
    if (l > 0) {
      g = matmul(delta, transpose(layers[l].W));
      delta = g.map((row, i) => row.map((v, j) => v * actDeriv(zs[l - 1][i][j], net.activation)));
    }
  }
  return field;
}

function maxRelErr(a: M | number[], b: M | number[]): number {
  const fa = (a as unknown[]).flat() as number[];
  const fb = (b as unknown[]).flat() as number[];
  let err = 0;
  let scale = 0;
  fa.forEach((v, i) => {
    err = Math.max(err, Math.abs(v - fb[i]));
    scale = Math.max(scale, Math.abs(fb[i]));
  });
  return err / Math.max(scale, 1e-12);
}

function randomData(seed: number, n: number, d: number, k: number, l: OutputLink) {
  const rng = makeRng(seed);
  const x: M = Array.from({ length: n }, () => Array.from({ length: d }, () => gaussian(rng)));
  const y: M = Array.from({ length: n }, () => {
    if (l === 'softmax') {
      const c = Math.floor(rng() * k);
      return Array.from({ length: k }, (_, j) => (j === c ? 1 : 0));
    }
    return Array.from({ length: k }, () => (l === 'sigmoid' ? rng() : gaussian(rng)));
  });
  return { x, y, xt: tf.tensor2d(x), yt: tf.tensor2d(y) };
}

describe('GLM field', () => {
  it('is monotone on 500 seeded random pairs (sigmoid), and on 200 each for softmax and identity', () => {
    // algorithms.md §1: ⟨F(θ) − F(θ′), θ − θ′⟩ ≥ 0 for every θ, θ′. Pairs are drawn at scales up to ‖θ‖ ≈ 30
    // (saturated links) so the check covers the regime where the squared-loss gradient is not monotone.
    const cases: [OutputLink, number, number][] = [['sigmoid', 1, 500], ['softmax', 3, 200], ['identity', 2, 200]];
    for (const [l, k, pairs] of cases) {
      const d = 4;
      const { xt, yt } = randomData(7 + k, 40, d, k, l);
      const rng = makeRng(1234 + k);
      let minRatio = Infinity;
      let gradFailures = 0;
      const net: NetworkSpec = { sizes: [d, k], activation: 'linear', outputLink: l, loss: 'mse', init: legacyInit(1) };
      for (let p = 0; p < pairs; p++) {
        const scale = 0.1 + 10 * rng();
        const mk = (): Layer => ({ W: tf.tensor2d(Array.from({ length: d * k }, () => gaussian(rng) * scale), [d, k]), b: tf.tensor1d(Array.from({ length: k }, () => gaussian(rng) * scale)) });
        const a = mk();
        const b = mk();
        const [m, dsq, mg] = tf.tidy(() => {
          const fa = glmField(a, xt, yt, l);
          const fb = glmField(b, xt, yt, l);
          const dW = tf.sub(a.W, b.W);
          const db = tf.sub(a.b, b.b);
          const m = tf.add(tf.sum(tf.mul(tf.sub(fa.W, fb.W), dW)), tf.sum(tf.mul(tf.sub(fa.b, fb.b), db)));
          const dsq = tf.add(tf.sum(tf.square(dW)), tf.sum(tf.square(db)));
          // contrast: the squared-loss gradient at the same pair
          const ga = lossAndGrad([a], net, xt, yt).grads[0];
          const gb = lossAndGrad([b], net, xt, yt).grads[0];
          const mg = tf.add(tf.sum(tf.mul(tf.sub(ga.W, gb.W), dW)), tf.sum(tf.mul(tf.sub(ga.b, gb.b), db)));
          return [m.dataSync()[0], dsq.dataSync()[0], mg.dataSync()[0]];
        });
        minRatio = Math.min(minRatio, m / dsq);
        if (mg < -1e-6 * dsq) gradFailures++;
        disposeParams([a, b]);
      }
      // float32 rounding: allow −1e-6 relative to ‖Δθ‖²
      expect(minRatio).toBeGreaterThan(-1e-6);
      if (l !== 'identity') expect(gradFailures).toBeGreaterThan(0); // for the identity link the two coincide
      else expect(gradFailures).toBe(0);
      tf.dispose([xt, yt]);
    }
  });

  for (const l of ['sigmoid', 'softmax', 'identity'] as OutputLink[]) {
    it(`matches (1/N)[X;1]ᵀ(φ(XW+b) − Y) computed in float64 (${l})`, () => {
      const k = l === 'softmax' ? 3 : 2;
      const { x, y, xt, yt } = randomData(3, 25, 5, k, l);
      const [layer] = initParams({ sizes: [5, k], activation: 'linear', outputLink: l, loss: 'mse', init: legacyInit(3) }, 9);
      const f = glmField(layer, xt, yt, l);
      const ref = refGlmField(x, toM(layer.W), Array.from(layer.b.dataSync()), y, l);
      expect(maxRelErr(toM(f.W), ref.W)).toBeLessThan(1e-5);
      expect(maxRelErr(Array.from(f.b.dataSync()), ref.b)).toBeLessThan(1e-5);
      disposeParams([layer, f]);
      tf.dispose([xt, yt]);
    });
  }
});

describe('last-layer field', () => {
  it('equals the GLM field on the frozen features H = X_{L−1}(x), computed directly in float64', () => {
    const net: NetworkSpec = { sizes: [4, 6, 5, 3], activation: 'tanh', outputLink: 'softmax', loss: 'mse', init: legacyInit(1) };
    const params = initParams(net, 4);
    const { x, y, xt, yt } = randomData(11, 30, 4, 3, 'softmax');
    // H by hand in float64
    let h: M = x;
    for (let l = 0; l < 2; l++) {
      const { W, b } = layerToM(params[l]);
      h = matmul(h, W).map((r) => r.map((v, j) => Math.tanh(v + b[j])));
    }
    const top = layerToM(params[2]);
    const ref = refGlmField(h, top.W, top.b, y, 'softmax');
    const direct = lastLayerField(params, net, xt, yt);
    const fg = fieldAndGradient(params, net, xt, yt, { trainFrom: 0, scope: 'last' });
    expect(maxRelErr(toM(direct.W), ref.W)).toBeLessThan(1e-5);
    expect(maxRelErr(Array.from(direct.b.dataSync()), ref.b)).toBeLessThan(1e-5);
    expect(maxRelErr(toM(fg.field[2].W), ref.W)).toBeLessThan(1e-5);
    // frozen layers: zero field and zero gradient
    expect(tf.sum(tf.abs(fg.field[0].W)).dataSync()[0]).toBe(0);
    expect(tf.sum(tf.abs(fg.grads[1].W)).dataSync()[0]).toBe(0);
    // and the GLM field on tf-computed features is the same object as the last-layer field
    const hT = tf.tensor2d(h);
    const onH = glmField(params[2], hT, yt, 'softmax');
    expect(maxRelErr(toM(onH.W), toM(direct.W))).toBeLessThan(1e-5);
    disposeParams([...params, direct, onH, ...fg.field, ...fg.grads]);
    tf.dispose([xt, yt, hT, fg.loss]);
  });

  it('is exactly the cross-entropy gradient for a softmax head (§1 note) but not the squared-loss gradient', () => {
    const ce: NetworkSpec = { sizes: [3, 5, 4], activation: 'relu', outputLink: 'softmax', loss: 'ce', init: legacyInit(2) };
    const mse: NetworkSpec = { ...ce, loss: 'mse' };
    const params = initParams(ce, 2);
    const { xt, yt } = randomData(5, 20, 3, 4, 'softmax');
    const a = fieldAndGradient(params, ce, xt, yt, { trainFrom: 0, scope: 'last' });
    const b = fieldAndGradient(params, mse, xt, yt, { trainFrom: 0, scope: 'last' });
    const cos = (u: tf.Tensor, v: tf.Tensor) => tf.tidy(() => tf.div(tf.sum(tf.mul(u, v)), tf.mul(tf.norm(u), tf.norm(v))).dataSync()[0]);
    expect(cos(a.field[1].W, a.grads[1].W)).toBeGreaterThan(1 - 1e-6);
    expect(maxRelErr(toM(a.field[1].W), toM(b.field[1].W))).toBeLessThan(1e-6); // the field ignores the loss
    expect(cos(b.field[1].W, b.grads[1].W)).toBeLessThan(0.999);
    disposeParams([...params, ...a.field, ...a.grads, ...b.field, ...b.grads]);
    tf.dispose([xt, yt, a.loss, b.loss]);
  });
});

describe('whole-network field', () => {
  const nets: NetworkSpec[] = [
    { sizes: [2, 7, 2], activation: 'relu', outputLink: 'softmax', loss: 'mse', init: legacyInit(1) },
    { sizes: [3, 5, 4, 2], activation: 'tanh', outputLink: 'sigmoid', loss: 'mse', init: legacyInit(1.5) },
    { sizes: [3, 4, 1], activation: 'sigmoid', outputLink: 'identity', loss: 'mse', init: legacyInit(1) },
    { sizes: [3, 6, 3], activation: 'tanh', outputLink: 'softmax', loss: 'ce', init: legacyInit(1) },
  ];
  for (const net of nets)
    for (const div of [false, true])
      it(`matches F_l = X_{l−1}ᵀ G_l by hand in float64 (${net.sizes.join('-')} ${net.activation} ${net.outputLink} ${net.loss}${div ? ', hidden ÷ batch' : ''})`, () => {
        const k = net.sizes[net.sizes.length - 1];
        const { x, y, xt, yt } = randomData(17, 12, net.sizes[0], k, net.outputLink);
        const params = initParams(net, 8);
        const ref = refFullField(x, params.map(layerToM), y, net, div);
        const f = fullNetworkField(params, net, xt, yt, div);
        f.forEach((layer, l) => {
          expect(maxRelErr(toM(layer.W), ref[l].W)).toBeLessThan(2e-5);
          expect(maxRelErr(Array.from(layer.b.dataSync()), ref[l].b)).toBeLessThan(2e-5);
        });
        // Dropping σ′ makes the hidden field differ from the gradient (not a trivial pass-through).
        const { loss, grads } = lossAndGrad(params, net, xt, yt);
        expect(maxRelErr(toM(grads[0].W), toM(f[0].W))).toBeGreaterThan(1e-3);
        disposeParams([...params, ...f, ...grads]);
        tf.dispose([xt, yt, loss]);
      });
});
