import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { gaussian, makeRng, type Rng } from '../../engine/random';
import { useCpu } from '../../testing/cpu';
import type { Params } from '../../engine/types';
import {
  activationSweep,
  biconvexB,
  biconvexBScalar,
  disposeBlock,
  disposeTerms,
  forwardActivations,
  hiddenActivationBlock,
  hiddenWeightBlock,
  lastActivationBlock,
  liftedTerms,
  outputWeightBlock,
  solveBlock,
  SpectralBound,
  FROBENIUS_BOUND,
  weightSweep,
  type ConvexBlock,
  type InnerSolver,
  type LiftedWeights,
} from './blocks';

beforeAll(useCpu);

const relu = (u: number) => (u > 0 ? u : 0);

function randParams(rng: Rng, sizes: number[], scale = 1): Params {
  const p: Params = [];
  for (let l = 1; l < sizes.length; l++) {
    const w = Float32Array.from({ length: sizes[l - 1] * sizes[l] }, () => (gaussian(rng) * scale) / Math.sqrt(sizes[l - 1]));
    const b = Float32Array.from({ length: sizes[l] }, () => 0.1 + 0.3 * gaussian(rng));
    p.push({ W: tf.tensor2d(w, [sizes[l - 1], sizes[l]]), b: tf.tensor1d(b) });
  }
  return p;
}

function randData(rng: Rng, n: number, d: number, k: number) {
  const x = tf.tensor2d(Float32Array.from({ length: n * d }, () => gaussian(rng)), [n, d]);
  const lab = Array.from({ length: n }, (_, i) => i % k);
  const y = tf.oneHot(tf.tensor1d(lab, 'int32'), k).toFloat() as tf.Tensor2D;
  return { x, y };
}

const read = (t: tf.Tensor) => {
  const v = t.dataSync()[0];
  t.dispose();
  return v;
};

describe('biconvex penalty B(u, v) = ½v² + ½u₊² − uv (algorithms.md §4.1)', () => {
  it('B ≥ ½(v − u₊)² ≥ 0 on v ≥ 0, zero exactly on the ReLU graph (200,000 seeded pairs)', () => {
    const rng = makeRng(2024);
    let minGap = Infinity;
    let positiveOffGraph = 0;
    let offGraph = 0;
    for (let i = 0; i < 200_000; i++) {
      const u = 3 * gaussian(rng);
      // a quarter of the pairs on the graph, the rest off it (v ≥ 0 always)
      const v = i % 4 === 0 ? relu(u) : Math.abs(3 * gaussian(rng));
      const B = biconvexBScalar(u, v);
      const lower = 0.5 * (v - relu(u)) ** 2;
      minGap = Math.min(minGap, B - lower);
      if (v === relu(u)) expect(B).toBe(0);
      else {
        offGraph++;
        if (B > 0) positiveOffGraph++;
      }
    }
    expect(minGap).toBeGreaterThanOrEqual(-1e-12);
    expect(offGraph).toBeGreaterThan(140_000);
    expect(positiveOffGraph).toBe(offGraph);
  });

  it('has the closed forms ½(v − u)² for u ≥ 0 and ½v² + |u|v for u < 0, and can be negative only for v < 0', () => {
    expect(biconvexBScalar(2, 0.5)).toBeCloseTo(0.5 * 1.5 ** 2, 12);
    expect(biconvexBScalar(-2, 0.5)).toBeCloseTo(0.5 * 0.25 + 2 * 0.5, 12);
    expect(biconvexBScalar(-2, 0)).toBe(0);
    expect(biconvexBScalar(1, -1)).toBeCloseTo(2, 12);
    expect(biconvexBScalar(-1, -1)).toBeLessThan(0); // why the constraint v ≥ 0 is needed
  });

  it('the tensor version agrees with the scalar one and is exactly 0 at v = ReLU(u) in float32', () => {
    const rng = makeRng(7);
    const n = 5000;
    const u = Float32Array.from({ length: n }, () => 3 * gaussian(rng));
    const v = Float32Array.from({ length: n }, (_, i) => (i % 2 ? Math.abs(3 * gaussian(rng)) : relu(u[i])));
    const B = biconvexB(tf.tensor1d(u), tf.tensor1d(v));
    const got = B.dataSync();
    let maxErr = 0;
    for (let i = 0; i < n; i++) {
      maxErr = Math.max(maxErr, Math.abs(got[i] - biconvexBScalar(u[i], v[i])) / (1 + Math.abs(biconvexBScalar(u[i], v[i]))));
      if (i % 2 === 0) expect(got[i]).toBe(0);
      else expect(got[i]).toBeGreaterThanOrEqual(0);
    }
    expect(maxErr).toBeLessThan(1e-5);
    tf.dispose(B);
  });
});

/** Brute-force minimisation in float64: a grid of k points per coordinate, zooming in by half around the best. */
function gridZoom(f: (x: number[]) => number, centre: number[], half: number, lower?: number[], k = 21): { x: number[]; f: number } {
  let c = centre.slice();
  let h = half;
  const d = c.length;
  let best = { x: c, f: f(c) };
  while (h > 1e-7) {
    const idx = new Array(d).fill(0);
    const total = k ** d;
    for (let t = 0; t < total; t++) {
      let r = t;
      const x = new Array(d);
      for (let j = 0; j < d; j++) {
        idx[j] = r % k;
        r = Math.floor(r / k);
        x[j] = c[j] - h + (2 * h * idx[j]) / (k - 1);
        if (lower && x[j] < lower[j]) x[j] = lower[j];
      }
      const v = f(x);
      if (v < best.f) best = { x, f: v };
    }
    c = best.x;
    h /= 2;
  }
  return best;
}

const ce64 = (z: number[], cls: number) => {
  const m = Math.max(...z);
  const lse = m + Math.log(z.reduce((s, v) => s + Math.exp(v - m), 0));
  return lse - z[cls];
};

function solveAndRead(block: ConvexBlock, x0: tf.Tensor[], steps: number, solver: InnerSolver) {
  const r = solveBlock(block, x0, steps, solver);
  const out = { x: r.x.map((t) => Array.from(t.dataSync())), before: read(r.before), after: read(r.after) };
  tf.dispose(r.x);
  return out;
}

describe('block solvers match brute-force minimisation on tiny problems', () => {
  const solvers: [InnerSolver, number][] = [
    ['pg', 3000],
    ['fista', 400],
  ];

  for (const [solver, steps] of solvers) {
    it(`last activation block (1 sample, 2 hidden units, 2 classes), ${solver}`, () => {
      const Wd = [
        [1.2, -0.7],
        [-0.4, 0.9],
      ];
      const bd = [0.1, -0.2];
      const zd = [0.8, -0.5];
      const lam = 0.7;
      const c = 1.5;
      const f = ([a0, a1]: number[]) =>
        c * ce64([a0 * Wd[0][0] + a1 * Wd[1][0] + bd[0], a0 * Wd[0][1] + a1 * Wd[1][1] + bd[1]], 1) + lam * (biconvexBScalar(zd[0], a0) + biconvexBScalar(zd[1], a1));
      const ref = gridZoom(f, [2, 2], 2, [0, 0]);
      const block = lastActivationBlock(tf.tensor2d([zd]), tf.tensor2d(Wd), tf.tensor1d(bd), tf.tensor2d([[0, 1]]), lam, c);
      const got = solveAndRead(block, [tf.tensor2d([[0.3, 0.3]])], steps, solver);
      disposeBlock(block);
      expect(got.after).toBeLessThanOrEqual(got.before);
      expect(Math.abs(got.after - ref.f)).toBeLessThan(1e-5 * (1 + Math.abs(ref.f)));
      expect(Math.abs(got.x[0][0] - ref.x[0])).toBeLessThan(2e-3);
      expect(Math.abs(got.x[0][1] - ref.x[1])).toBeLessThan(2e-3);
      // the constraint is active in one coordinate here (the second unit wants to go negative)
      expect(Math.min(ref.x[0], ref.x[1])).toBeLessThan(1e-6);
    });

    it(`hidden activation block (1 sample, 2 units, next layer 2 units), ${solver}`, () => {
      const Wd = [
        [0.9, -1.1],
        [0.5, 0.8],
      ];
      const bd = [0.05, 0.3];
      const zd = [0.6, 1.4];
      const an = [1.0, 0.0];
      const lam = 1.3;
      const lamN = 0.8;
      const c = 2;
      const f = ([a0, a1]: number[]) =>
        lam * (biconvexBScalar(zd[0], a0) + biconvexBScalar(zd[1], a1)) +
        c * lamN * (biconvexBScalar(a0 * Wd[0][0] + a1 * Wd[1][0] + bd[0], an[0]) + biconvexBScalar(a0 * Wd[0][1] + a1 * Wd[1][1] + bd[1], an[1]));
      const ref = gridZoom(f, [2, 2], 2, [0, 0]);
      const block = hiddenActivationBlock(tf.tensor2d([zd]), tf.tensor2d(Wd), tf.tensor1d(bd), tf.tensor2d([an]), lam, lamN, c);
      const got = solveAndRead(block, [tf.tensor2d([[0.1, 0.1]])], steps, solver);
      disposeBlock(block);
      expect(got.after).toBeLessThanOrEqual(got.before);
      expect(Math.abs(got.after - ref.f)).toBeLessThan(1e-5 * (1 + Math.abs(ref.f)));
      expect(Math.abs(got.x[0][0] - ref.x[0])).toBeLessThan(2e-3);
      expect(Math.abs(got.x[0][1] - ref.x[1])).toBeLessThan(2e-3);
    });

    it(`hidden weight block (ReLU-matching regression, 1 input, 1 unit, 6 samples), ${solver}`, () => {
      const xs = [-1.5, -0.6, 0.1, 0.7, 1.2, 2.0];
      const as = [0.0, 0.2, 0.1, 0.9, 1.1, 2.3];
      const lam = 1.1;
      const rho = 0.05;
      const rhoD = 0.2;
      const W0 = 0.4;
      const b0 = -0.1;
      const n = xs.length;
      const f = ([w, b]: number[]) =>
        (lam / n) * xs.reduce((s, x, i) => s + biconvexBScalar(x * w + b, as[i]), 0) + rho * w * w + rhoD * ((w - W0) ** 2 + (b - b0) ** 2);
      const ref = gridZoom(f, [0, 0], 5);
      const block = hiddenWeightBlock(tf.tensor2d(xs, [n, 1]), tf.tensor2d(as, [n, 1]), tf.tensor2d([[W0]]), tf.tensor1d([b0]), lam, rho, rhoD);
      const got = solveAndRead(block, [tf.tensor2d([[W0]]), tf.tensor1d([b0])], steps, solver);
      disposeBlock(block);
      expect(got.after).toBeLessThanOrEqual(got.before);
      expect(Math.abs(got.after - ref.f)).toBeLessThan(1e-5 * (1 + Math.abs(ref.f)));
      expect(Math.abs(got.x[0][0] - ref.x[0])).toBeLessThan(2e-3);
      expect(Math.abs(got.x[1][0] - ref.x[1])).toBeLessThan(2e-3);
    });

    it(`output weight block (logistic regression + ridge + proximal, 1 input, 2 classes), ${solver}`, () => {
      const xs = [-1.2, -0.4, 0.3, 0.5, 1.1, 1.8];
      const cls = [0, 0, 1, 0, 1, 1];
      const rho = 0.02;
      const rhoD = 0.05;
      const W0 = [0.3, -0.3];
      const b0 = [0.1, 0.1];
      const n = xs.length;
      const f = ([w0, w1, c0, c1]: number[]) =>
        xs.reduce((s, x, i) => s + ce64([x * w0 + c0, x * w1 + c1], cls[i]), 0) / n +
        rho * (w0 * w0 + w1 * w1) +
        rhoD * ((w0 - W0[0]) ** 2 + (w1 - W0[1]) ** 2 + (c0 - b0[0]) ** 2 + (c1 - b0[1]) ** 2);
      const ref = gridZoom(f, [0, 0, 0, 0], 4, undefined, 11);
      const y = tf.oneHot(tf.tensor1d(cls, 'int32'), 2).toFloat() as tf.Tensor2D;
      const block = outputWeightBlock(tf.tensor2d(xs, [n, 1]), y, tf.tensor2d([W0]), tf.tensor1d(b0), rho, rhoD);
      const got = solveAndRead(block, [tf.tensor2d([W0]), tf.tensor1d(b0)], steps, solver);
      disposeBlock(block);
      expect(got.after).toBeLessThanOrEqual(got.before);
      expect(Math.abs(got.after - ref.f)).toBeLessThan(1e-5 * (1 + Math.abs(ref.f)));
      const gx = [got.x[0][0], got.x[0][1], got.x[1][0], got.x[1][1]];
      gx.forEach((v, i) => expect(Math.abs(v - ref.x[i])).toBeLessThan(3e-3));
    });
  }
});

describe('block-coordinate descent on the lifted objective', () => {
  const sizes = [3, 6, 5, 3];
  const w: LiftedWeights = { lambdas: [1, 1], c: 1, rho: 1e-3, rhoD: 0, rhoDOut: 0 };

  it('at forward-pass activations every B vanishes and J − ridge equals the ordinary loss', () => {
    const rng = makeRng(11);
    const params = randParams(rng, sizes);
    const { x, y } = randData(rng, 40, 3, 3);
    const acts = forwardActivations(params, x);
    const t = liftedTerms(params, acts, x, y, w);
    // the ordinary loss computed independently by the model
    const fwd = tf.tidy(() => {
      let h = x;
      for (let l = 0; l < params.length - 1; l++) h = tf.relu(tf.add(tf.matMul(h, params[l].W), params[l].b));
      const z = tf.add(tf.matMul(h, params[params.length - 1].W), params[params.length - 1].b) as tf.Tensor2D;
      return tf.mean(tf.sub(tf.logSumExp(z, 1), tf.sum(tf.mul(y, z), 1)));
    });
    const [obj, ridge, ce, b1, b2, m1] = [t.objective, t.ridge, t.ce, t.meanB[0], t.meanB[1], t.mismatch[0]].map((s) => s.dataSync()[0]);
    expect(b1).toBe(0);
    expect(b2).toBe(0);
    expect(m1).toBe(0);
    expect(Math.abs(obj - ridge - read(fwd))).toBeLessThan(1e-6);
    expect(ce).toBeGreaterThan(0.3);
    disposeTerms(t);
    tf.dispose([...acts, x, y]);
    params.forEach((p) => tf.dispose([p.W, p.b]));
  });

  for (const solver of ['pg', 'fista'] as InnerSolver[]) {
    it(`every block update leaves J no higher, over 8 sweeps and 4 seeds (${solver})`, () => {
      let checked = 0;
      let totalDrop = 0;
      for (const seed of [1, 2, 3, 4]) {
        const rng = makeRng(100 + seed);
        const params = randParams(rng, sizes, 1.5);
        const { x, y } = randData(rng, 30, 3, 3);
        // start off the ReLU graph so that every block has work to do
        const acts = forwardActivations(params, x).map((a) => {
          const noisy = tf.relu(tf.add(a, tf.randomNormal(a.shape, 0, 0.5, 'float32', seed))) as tf.Tensor2D;
          a.dispose();
          return noisy;
        });
        const J = () => {
          const t = liftedTerms(params, acts, x, y, w);
          const v = t.objective.dataSync()[0];
          disposeTerms(t);
          return v;
        };
        let prev = J();
        const start = prev;
        for (let sweep = 0; sweep < 8; sweep++) {
          // one block at a time: run the sweeps with steps and check J after each layer's block via the records
          const recs = [...activationSweep(params, acts, x, y, w, 10, solver)];
          const afterActs = J();
          recs.push(...weightSweep(params, acts, x, y, w, 10, solver));
          const afterWeights = J();
          for (const r of recs) {
            const b = read(r.before);
            const a = read(r.after);
            expect(a).toBeLessThanOrEqual(b + 1e-6 * Math.abs(b));
            checked++;
          }
          expect(afterActs).toBeLessThanOrEqual(prev + 1e-6 * prev);
          expect(afterWeights).toBeLessThanOrEqual(afterActs + 1e-6 * afterActs);
          prev = afterWeights;
        }
        totalDrop += start - prev;
        expect(prev).toBeLessThan(start);
        tf.dispose([...acts, x, y]);
        params.forEach((p) => tf.dispose([p.W, p.b]));
      }
      expect(checked).toBe(4 * 8 * 5);
      expect(totalDrop).toBeGreaterThan(0.1);
    });
  }

  it('a block change equals the change of J when c = 1 (the blocks are exact blocks of J)', () => {
    const rng = makeRng(5);
    const params = randParams(rng, sizes, 1.5);
    const { x, y } = randData(rng, 25, 3, 3);
    const acts = forwardActivations(params, x).map((a) => {
      const s = tf.mul(a, 1.3) as tf.Tensor2D;
      a.dispose();
      return s;
    });
    const J = () => {
      const t = liftedTerms(params, acts, x, y, w);
      const v = t.objective.dataSync()[0];
      disposeTerms(t);
      return v;
    };
    const j0 = J();
    const recs = activationSweep(params, acts, x, y, w, 15, 'pg');
    const j1 = J();
    const drop = recs.reduce((s, r) => s + read(r.before) - read(r.after), 0);
    expect(drop).toBeGreaterThan(1e-3);
    expect(Math.abs(j0 - j1 - drop)).toBeLessThan(1e-5 + 1e-4 * drop);
    tf.dispose([...acts, x, y]);
    params.forEach((p) => tf.dispose([p.W, p.b]));
  });

  it('minimising over the activations gives a lower bound of the ordinary loss (§4 "Lifted problem")', () => {
    for (const seed of [21, 22, 23]) {
      const rng = makeRng(seed);
      const params = randParams(rng, sizes, 1.5);
      const { x, y } = randData(rng, 50, 3, 3);
      const gaps: number[] = [];
      for (const lam of [0.3, 1, 10]) {
        const wl = { ...w, lambdas: [lam, lam] };
        const acts = forwardActivations(params, x);
        const t0 = liftedTerms(params, acts, x, y, wl);
        const fwd = t0.objective.dataSync()[0] - t0.ridge.dataSync()[0];
        disposeTerms(t0);
        for (let k = 0; k < 12; k++) for (const r of activationSweep(params, acts, x, y, wl, 25, 'fista')) tf.dispose([r.before, r.after]);
        const t = liftedTerms(params, acts, x, y, wl);
        const lifted = t.objective.dataSync()[0] - t.ridge.dataSync()[0];
        const mis = t.mismatch.map((m) => m.dataSync()[0]);
        disposeTerms(t);
        // a strict bound at these random weights
        expect(lifted).toBeLessThan(fwd - 1e-3);
        gaps.push(fwd - lifted);
        expect(lifted).toBeGreaterThan(0);
        expect(Math.max(...mis)).toBeGreaterThan(0);
        tf.dispose(acts);
      }
      // min_A J_λ is non-decreasing in λ (B ≥ 0), so the relaxation gap shrinks as λ grows
      expect(gaps[0]).toBeGreaterThan(gaps[1]);
      expect(gaps[1]).toBeGreaterThan(gaps[2]);
      tf.dispose([x, y]);
      params.forEach((p) => tf.dispose([p.W, p.b]));
    }
  });
});

describe('spectral-norm Lipschitz bounds (algorithms.md §5, Fenchel row)', () => {
  /** ‖M‖₂² of a matrix built with known singular values: M = Q1 diag(s) Q2ᵀ with random orthogonal Q1, Q2. */
  function withSingularValues(rng: Rng, rows: number, cols: number, s: number[]): tf.Tensor2D {
    return tf.tidy(() => {
      const q = (n: number) => tf.linalg.qr(tf.tensor2d(Float32Array.from({ length: n * n }, () => gaussian(rng)), [n, n]))[0];
      const k = Math.min(rows, cols);
      const d = tf.concat([tf.diag(tf.tensor1d(s)), tf.zeros([k, cols - k])], 1);
      const dd = rows > k ? tf.concat([d, tf.zeros([rows - k, cols])], 0) : d;
      return tf.matMul(tf.matMul(q(rows), dd), q(cols), false, true) as tf.Tensor2D;
    });
  }

  it('estimates ‖M‖₂² within a few percent above (never below the truth by more than float error), warm or cold, and never exceeds Frobenius', () => {
    const rng = makeRng(17);
    const sv = [3, 2.9, 1, 0.5, 0.2, 0.1];
    const m = withSingularValues(rng, 40, 6, sv);
    const bound = new SpectralBound();
    const first = bound.matrix('W', m).dataSync()[0];
    expect(first / 9).toBeGreaterThan(0.995);
    expect(first / 9).toBeLessThan(1.06);
    // warm: 3 iterations from the last vector, after the matrix moved a little
    const moved = tf.mul(m, 1.01) as tf.Tensor2D;
    const second = bound.matrix('W', moved).dataSync()[0];
    expect(second / (9 * 1.0201)).toBeGreaterThan(0.995);
    expect(second / (9 * 1.0201)).toBeLessThan(1.06);
    const frob = FROBENIUS_BOUND.matrix('W', m);
    expect(first).toBeLessThan(frob.dataSync()[0] / 1.2);
    // [A, 1]: the same as the matrix bound of A with a column of ones appended
    const a = tf.tensor2d(Float32Array.from({ length: 50 * 3 }, () => gaussian(rng) + 0.5), [50, 3]);
    const ones = tf.concat([a, tf.ones([50, 1])], 1) as tf.Tensor2D;
    const fresh = new SpectralBound(200, 200, 1);
    const truth = fresh.matrix('x', ones).dataSync()[0];
    const aug = bound.augmented('A', a).dataSync()[0];
    expect(aug / truth).toBeGreaterThan(0.999);
    expect(aug / truth).toBeLessThan(1.06);
    const before = tf.memory().numTensors;
    for (let k = 0; k < 20; k++) bound.matrix('W', m).dispose();
    expect(tf.memory().numTensors).toBe(before);
    bound.dispose();
    fresh.dispose();
    tf.dispose([m, moved, frob, a, ones]);
  });
});
