import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeRng } from '../../engine/random';
import { useCpu } from '../../testing/cpu';
import {
  aObjective,
  aProjectedStep,
  bClosedForm,
  penaltyTerm,
  tubeViolation,
  wExact,
  wGradientStep,
  wObjective,
  zHiddenCoupled,
  zHiddenProject,
  zOutputFista,
  zOutputObjective,
} from './blocks';

beforeAll(useCpu);

function rand(shape: [number, number], seed: number, scale = 1, offset = 0): tf.Tensor2D {
  const rng = makeRng(seed);
  return tf.tensor2d(Array.from({ length: shape[0] * shape[1] }, () => offset + scale * (2 * rng() - 1)), shape);
}
function rand1(n: number, seed: number): tf.Tensor1D {
  const rng = makeRng(seed);
  return tf.tensor1d(Array.from({ length: n }, () => 2 * rng() - 1));
}

/** A small lifted layer: a (N × din, ≥ 0 like ReLU outputs), z (N × dout), W, b. */
function layer(seed: number, n = 12, din = 5, dout = 4) {
  return { a: tf.relu(rand([n, din], seed, 1.5, 0.3)) as tf.Tensor2D, z: rand([n, dout], seed + 1, 2), w: rand([din, dout], seed + 2, 0.5), b: rand1(dout, seed + 3) };
}

const scales = { rho: 1, mu: 1e-2 };

describe('mDLAM block updates', () => {
  it('the W gradient step decreases φ(W) with an accepted θ (5 seeds, ρ from 0.01 to 10)', () => {
    for (let seed = 1; seed <= 5; seed++) {
      const s = { rho: [0.01, 0.1, 1, 3, 10][seed - 1], mu: 1e-2 };
      const { a, z, w, b } = layer(10 * seed);
      const before = wObjective(w, a, z, b, s);
      const step = wGradientStep(w, a, z, b, s);
      expect(step.ok).toBe(true);
      expect(step.theta).toBeGreaterThanOrEqual(1);
      const after = wObjective(step.w, a, z, b, s);
      expect(after).toBeLessThan(before);
      tf.dispose([a, z, w, b, step.w]);
    }
  });

  it('the exact W solve matches brute-force minimisation (many gradient steps) and zeroes the gradient', () => {
    const { a, z, w, b } = layer(3, 10, 3, 2);
    const exact = wExact(a, z, b, scales);
    let it = w.clone();
    for (let k = 0; k < 3000; k++) {
      const st = wGradientStep(it, a, z, b, scales);
      it.dispose();
      it = st.w;
    }
    const e = exact.dataSync();
    const g = it.dataSync();
    for (let i = 0; i < e.length; i++) expect(Math.abs(e[i] - g[i])).toBeLessThan(1e-3 * Math.max(1, Math.abs(e[i])));
    expect(wObjective(exact, a, z, b, scales)).toBeLessThanOrEqual(wObjective(it, a, z, b, scales) + 1e-6);
    const grad = tf.tidy(() => tf.add(tf.mul(-scales.rho / 10, tf.matMul(a, tf.sub(z, tf.add(tf.matMul(a, exact), b)), true, false)), tf.mul(scales.mu, exact)));
    expect(tf.max(tf.abs(grad)).dataSync()[0]).toBeLessThan(1e-5);
    tf.dispose([a, z, w, b, exact, it, grad]);
  });

  it('b closed form is the brute-force minimiser of the penalty', () => {
    const { a, z, w, b } = layer(4);
    const bStar = bClosedForm(a, w, z);
    const pStar = penaltyTerm(z, a, w, bStar, 1).dataSync()[0];
    expect(pStar).toBeLessThan(penaltyTerm(z, a, w, b, 1).dataSync()[0]);
    // brute force over a grid around b* in each coordinate: nothing lower
    const bs = bStar.arraySync();
    for (let j = 0; j < bs.length; j++) {
      for (const d of [-0.1, -0.01, -0.001, 0.001, 0.01, 0.1]) {
        const alt = bs.slice();
        alt[j] += d;
        const bt = tf.tensor1d(alt);
        const p = penaltyTerm(z, a, w, bt, 1);
        expect(p.dataSync()[0]).toBeGreaterThan(pStar);
        tf.dispose([bt, p]);
      }
    }
    tf.dispose([a, z, w, b, bStar]);
  });

  it('z hidden projection equals the brute-force minimiser over the feasible set, entry by entry', () => {
    const eps = 0.3;
    const p = rand([6, 5], 7, 2);
    // a within the tube of some z, mixing entries near 0 and positive ones
    const a = tf.relu(rand([6, 5], 8, 1.2, 0.2)) as tf.Tensor2D;
    const z = zHiddenProject(p, a, eps);
    const pv = p.dataSync();
    const av = a.dataSync();
    const zv = z.dataSync();
    for (let i = 0; i < pv.length; i++) {
      let best = Infinity;
      let arg = NaN;
      for (let t = -4; t <= 4; t += 1e-3) {
        if (Math.abs(Math.max(t, 0) - av[i]) > eps + 1e-9) continue;
        const c = (t - pv[i]) ** 2;
        if (c < best) {
          best = c;
          arg = t;
        }
      }
      expect(Math.abs(zv[i] - arg)).toBeLessThan(2e-3);
    }
    expect(tubeViolation(a, z, eps)).toBeLessThanOrEqual(1e-6);
    tf.dispose([p, a, z]);
  });

  it('the coupled z block (playground variant) equals the brute-force minimiser, and is the projection at γ = 0', () => {
    const eps = 0.3;
    const rho = 1.3;
    const p = rand([6, 5], 17, 2);
    const a = tf.relu(rand([6, 5], 18, 1.2, 0.2)) as tf.Tensor2D;
    for (const gamma of [0, 0.7, 5]) {
      const z = zHiddenCoupled(p, a, eps, rho, gamma);
      const [pv, av, zv] = [p.dataSync(), a.dataSync(), z.dataSync()];
      for (let i = 0; i < pv.length; i++) {
        let best = Infinity;
        let arg = NaN;
        for (let t = -4; t <= 4; t += 1e-3) {
          if (Math.abs(Math.max(t, 0) - av[i]) > eps + 1e-9) continue;
          const c = (rho / 2) * (t - pv[i]) ** 2 + (gamma / 2) * (av[i] - Math.max(t, 0)) ** 2;
          if (c < best) {
            best = c;
            arg = t;
          }
        }
        expect(Math.abs(zv[i] - arg)).toBeLessThan(2e-3);
      }
      expect(tubeViolation(a, z, eps)).toBeLessThanOrEqual(1e-6);
      if (gamma === 0) {
        const proj = zHiddenProject(p, a, eps);
        expect(Array.from(proj.dataSync())).toEqual(Array.from(zv));
        proj.dispose();
      }
      z.dispose();
    }
    tf.dispose([p, a]);
  });

  it('with the coupling γ, the a step decreases ψ + (γ/2N)‖a − ReLU(z)‖² and stays in the tube', () => {
    for (let seed = 1; seed <= 3; seed++) {
      const eps = 0.2;
      const gamma = 2;
      const zCur = rand([12, 4], 600 + seed, 1.5);
      const reluZ = tf.relu(zCur) as tf.Tensor2D;
      const a0 = tf.tidy(() => tf.add(reluZ, tf.mul(eps * 0.9, rand([12, 4], 700 + seed)))) as tf.Tensor2D;
      const zNext = rand([12, 3], 800 + seed, 2);
      const wNext = rand([4, 3], 900 + seed);
      const bNext = rand1(3, 1000 + seed);
      const before = aObjective(a0, zNext, wNext, bNext, 1, gamma, reluZ);
      // the coupling term is really in the objective
      expect(before).toBeGreaterThan(aObjective(a0, zNext, wNext, bNext, 1));
      const st = aProjectedStep(a0, zCur, zNext, wNext, bNext, 1, eps, undefined, gamma);
      expect(st.ok).toBe(true);
      expect(aObjective(st.a, zNext, wNext, bNext, 1, gamma, reluZ)).toBeLessThan(before);
      expect(tubeViolation(st.a, zCur, eps)).toBeLessThanOrEqual(1e-6);
      tf.dispose([zCur, reluZ, a0, zNext, wNext, bNext, st.a]);
    }
  });

  it('the a projected step decreases ψ and stays in the ε-tube (from a feasible point)', () => {
    for (let seed = 1; seed <= 4; seed++) {
      const eps = 0.2;
      const zCur = rand([12, 4], 100 + seed, 1.5);
      const a0 = tf.tidy(() => tf.add(tf.relu(zCur), tf.mul(eps * 0.9, rand([12, 4], 200 + seed)))) as tf.Tensor2D;
      const zNext = rand([12, 3], 300 + seed, 2);
      const wNext = rand([4, 3], 400 + seed);
      const bNext = rand1(3, 500 + seed);
      const before = aObjective(a0, zNext, wNext, bNext, 1);
      const st = aProjectedStep(a0, zCur, zNext, wNext, bNext, 1, eps);
      expect(st.ok).toBe(true);
      expect(aObjective(st.a, zNext, wNext, bNext, 1)).toBeLessThan(before);
      expect(tubeViolation(st.a, zCur, eps)).toBeLessThanOrEqual(1e-6);
      tf.dispose([zCur, a0, zNext, wNext, bNext, st.a]);
    }
  });

  it('the output FISTA decreases h(z) and reaches the brute-force minimiser on a tiny problem', () => {
    const rho = 0.5;
    const p = rand([4, 3], 9, 2);
    const y = tf.oneHot(tf.tensor1d([0, 2, 1, 2], 'int32'), 3).toFloat() as tf.Tensor2D;
    const z0 = rand([4, 3], 10, 1);
    const h0 = zOutputObjective(z0, p, y, rho);
    const short = zOutputFista(z0, p, y, rho, 3);
    expect(zOutputObjective(short.z, p, y, rho)).toBeLessThan(h0);
    const res = zOutputFista(z0, p, y, rho, 200, 1e-7);
    // brute force: plain gradient descent on the per-sample objective for many steps
    let z = z0.clone();
    for (let k = 0; k < 4000; k++) {
      const zn = tf.tidy(() => tf.sub(z, tf.mul(0.5, tf.add(tf.sub(tf.softmax(z), y), tf.mul(rho, tf.sub(z, p))))) as tf.Tensor2D);
      z.dispose();
      z = zn;
    }
    const a = res.z.dataSync();
    const b = z.dataSync();
    for (let i = 0; i < a.length; i++) expect(Math.abs(a[i] - b[i])).toBeLessThan(1e-4);
    expect(res.iterations).toBeLessThan(200);
    tf.dispose([p, y, z0, short.z, res.z, z]);
  });
});
