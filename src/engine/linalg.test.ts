import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { cgSolve, choleskyFactor, choleskyLower, choleskySolve, gramPlusRidge, NotPositiveDefiniteError, ridgeSolve, solveSpd } from './linalg';
import { makeRng } from './random';
import { useCpu } from '../testing/cpu';

beforeAll(useCpu);

/** Float64 Gaussian elimination with partial pivoting: an independent reference for A X = B. */
function referenceSolve(a: ArrayLike<number>, b: ArrayLike<number>, n: number, k: number): Float64Array {
  const m = Float64Array.from(a);
  const x = Float64Array.from(b);
  for (let c = 0; c < n; c++) {
    let piv = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r * n + c]) > Math.abs(m[piv * n + c])) piv = r;
    if (piv !== c) {
      for (let j = 0; j < n; j++) [m[c * n + j], m[piv * n + j]] = [m[piv * n + j], m[c * n + j]];
      for (let j = 0; j < k; j++) [x[c * k + j], x[piv * k + j]] = [x[piv * k + j], x[c * k + j]];
    }
    for (let r = c + 1; r < n; r++) {
      const f = m[r * n + c] / m[c * n + c];
      if (f === 0) continue;
      for (let j = c; j < n; j++) m[r * n + j] -= f * m[c * n + j];
      for (let j = 0; j < k; j++) x[r * k + j] -= f * x[c * k + j];
    }
  }
  for (let r = n - 1; r >= 0; r--) {
    for (let j = 0; j < k; j++) {
      let s = x[r * k + j];
      for (let c = r + 1; c < n; c++) s -= m[r * n + c] * x[c * k + j];
      x[r * k + j] = s / m[r * n + r];
    }
  }
  return x;
}

function relErr(got: ArrayLike<number>, ref: ArrayLike<number>): number {
  let d = 0;
  let r = 0;
  for (let i = 0; i < ref.length; i++) {
    d += (got[i] - ref[i]) ** 2;
    r += ref[i] ** 2;
  }
  return Math.sqrt(d / r);
}

/** A random SPD matrix M Mᵀ/m + shift·I (float32 values) and a random right-hand side. */
function randomSystem(n: number, k: number, shift: number, seed: number) {
  const rng = makeRng(seed);
  const m = tf.tensor2d(Array.from({ length: n * (n + 3) }, () => 2 * rng() - 1), [n + 3, n]);
  const a = gramPlusRidge(m, shift * (n + 3));
  const b = tf.tensor2d(Array.from({ length: n * k }, () => 2 * rng() - 1), [n, k]);
  m.dispose();
  return { a, b };
}

describe('linalg', () => {
  it('Cholesky factor reproduces A = L Lᵀ', () => {
    const { a, b } = randomSystem(12, 1, 0.1, 1);
    const f = choleskyFactor(a);
    const l = choleskyLower(f);
    const llt = tf.matMul(l, l, false, true);
    expect(relErr(llt.dataSync(), a.dataSync())).toBeLessThan(1e-6);
    const lv = l.arraySync();
    for (let i = 0; i < 12; i++) for (let j = i + 1; j < 12; j++) expect(lv[i][j]).toBe(0);
    tf.dispose([a, b, l, llt]);
  });

  for (const [n, k, shift] of [
    [5, 1, 1],
    [40, 7, 0.05],
    [150, 3, 0.01],
  ] as const) {
    it(`Cholesky solve matches a float64 reference to 1e-6 relative (n=${n}, k=${k})`, () => {
      const { a, b } = randomSystem(n, k, shift, 10 + n);
      const x = choleskySolve(choleskyFactor(a), b);
      const ref = referenceSolve(a.dataSync(), b.dataSync(), n, k);
      const e = relErr(x.dataSync(), ref);
      expect(e).toBeLessThan(1e-6);
      expect(x.shape).toEqual([n, k]);
      tf.dispose([a, b, x]);
    });
  }

  it('CG matches the reference within the documented float32 tolerance (κ·u₃₂) and reports its residual', () => {
    const n = 60;
    const { a, b } = randomSystem(n, 4, 0.2, 3);
    const res = cgSolve((v) => tf.matMul(a, v), b, { tol: 1e-6, maxIter: 200 });
    const ref = referenceSolve(a.dataSync(), b.dataSync(), n, 4);
    // κ(A) is about ((1+√(n/m))² + 0.2)/0.2 ≈ 25 here: κ·6e-8 ≈ 1.5e-6, we allow 1e-5.
    expect(relErr(res.x.dataSync(), ref)).toBeLessThan(1e-5);
    expect(res.relResidual).toBeLessThan(1e-5);
    expect(res.iterations).toBeGreaterThan(3);
    expect(res.iterations).toBeLessThan(200);
    // warm start from the answer converges at once
    const again = cgSolve((v) => tf.matMul(a, v), b, { x0: res.x, tol: 1e-4 });
    expect(again.iterations).toBe(0);
    tf.dispose([a, b, res.x, again.x]);
  });

  it('solveSpd picks CG beyond the width threshold and both routes agree', () => {
    const { a, b } = randomSystem(30, 2, 0.3, 4);
    const x1 = solveSpd(a, b);
    const x2 = solveSpd(a, b, { method: 'cg', tol: 1e-6 });
    const x3 = solveSpd(a, b, { choleskyMaxN: 10, tol: 1e-6 });
    expect(relErr(x2.dataSync(), x1.dataSync())).toBeLessThan(1e-5);
    expect(relErr(x3.dataSync(), x1.dataSync())).toBeLessThan(1e-5);
    tf.dispose([a, b, x1, x2, x3]);
  });

  it('ridgeSolve is the stationary point of ‖XW − Y‖² + λ‖W‖² and reuses a factor', () => {
    const rng = makeRng(7);
    const m = 50;
    const d = 8;
    const x = tf.tensor2d(Array.from({ length: m * d }, () => rng() - 0.5), [m, d]);
    const y = tf.tensor2d(Array.from({ length: m * 3 }, () => rng() - 0.5), [m, 3]);
    const lambda = 0.3;
    const w = ridgeSolve(x, y, lambda);
    // gradient Xᵀ(XW − Y) + λW must vanish
    const g = tf.tidy(() => tf.add(tf.matMul(x, tf.sub(tf.matMul(x, w), y), true, false), tf.mul(lambda, w)));
    const scale = tf.tidy(() => tf.norm(tf.matMul(x, y, true, false)));
    expect(tf.norm(g).dataSync()[0] / scale.dataSync()[0]).toBeLessThan(1e-5);
    const gram = gramPlusRidge(x, lambda);
    const w2 = ridgeSolve(x, y, lambda, { factor: choleskyFactor(gram) });
    expect(relErr(w2.dataSync(), w.dataSync())).toBeLessThan(1e-6);
    tf.dispose([x, y, w, g, scale, gram, w2]);
  });

  it('refuses a matrix that is not positive definite and leaks no tensors', () => {
    const before = tf.memory().numTensors;
    const a = tf.tensor2d([1, 2, 2, 1], [2, 2]);
    expect(() => choleskyFactor(a)).toThrow(NotPositiveDefiniteError);
    a.dispose();
    const { a: a2, b } = randomSystem(20, 3, 0.5, 9);
    for (let i = 0; i < 5; i++) {
      tf.dispose([solveSpd(a2, b), solveSpd(a2, b, { method: 'cg' }), ridgeSolve(a2, b, 0.1)]);
    }
    tf.dispose([a2, b]);
    expect(tf.memory().numTensors).toBe(before);
  });
});
