import { describe, expect, it } from 'vitest';
import { minimizeCg } from '../../methods/cg/cg';
import { makeRng } from '../random';
import { defaultLabRun } from '../../methods/registry';
import { arrowSegments, convexityGrid, fieldArrows } from './field';
import { GLM_THETA_STAR, LAB_PROBLEMS, labFunction, minEigen, type LabFunction } from './functions';
import { runLabTrajectory } from '../../methods/registry';

const all = (): LabFunction[] => LAB_PROBLEMS.map((id) => labFunction(id, { condition: 25 }));

function randomPoints(fn: LabFunction, n: number, seed: number): [number, number][] {
  const rng = makeRng(seed);
  return Array.from({ length: n }, () => [
    fn.xRange[0] + rng() * (fn.xRange[1] - fn.xRange[0]),
    fn.yRange[0] + rng() * (fn.yRange[1] - fn.yRange[0]),
  ]);
}

describe('2-D lab problems', () => {
  it.each(LAB_PROBLEMS)('%s: gradient matches central finite differences', (id) => {
    const fn = labFunction(id, { condition: 25 });
    for (const [x, y] of randomPoints(fn, 25, 3)) {
      const h = 1e-6 * Math.max(1, Math.abs(x), Math.abs(y));
      const fdx = (fn.f(x + h, y) - fn.f(x - h, y)) / (2 * h);
      const fdy = (fn.f(x, y + h) - fn.f(x, y - h)) / (2 * h);
      const [gx, gy] = fn.grad(x, y);
      const scale = Math.max(1e-6, Math.hypot(gx, gy));
      expect(Math.abs(gx - fdx) / scale).toBeLessThan(1e-5);
      expect(Math.abs(gy - fdy) / scale).toBeLessThan(1e-5);
    }
  });

  it.each(LAB_PROBLEMS)('%s: Hessian matches finite differences of the gradient', (id) => {
    const fn = labFunction(id, { condition: 25 });
    for (const [x, y] of randomPoints(fn, 15, 4)) {
      const h = 1e-5 * Math.max(1, Math.abs(x), Math.abs(y));
      const [gxp, gyp] = fn.grad(x + h, y);
      const [gxm, gym] = fn.grad(x - h, y);
      const [, gyyp] = fn.grad(x, y + h);
      const [, gyym] = fn.grad(x, y - h);
      const [hxx, hxy, hyy] = fn.hess(x, y);
      const scale = Math.max(1e-6, Math.abs(hxx) + Math.abs(hxy) + Math.abs(hyy));
      expect(Math.abs(hxx - (gxp - gxm) / (2 * h)) / scale).toBeLessThan(1e-4);
      expect(Math.abs(hxy - (gyp - gym) / (2 * h)) / scale).toBeLessThan(1e-4);
      expect(Math.abs(hyy - (gyyp - gyym) / (2 * h)) / scale).toBeLessThan(1e-4);
    }
  });

  it('each listed minimiser has zero gradient and the stated minimum value', () => {
    for (const fn of all())
      for (const [x, y] of fn.minima) {
        expect(Math.hypot(...fn.grad(x, y)), fn.id).toBeLessThan(1e-4);
        expect(fn.f(x, y) - fn.fMin, fn.id).toBeLessThan(1e-9);
      }
  });

  it('quadratic has the requested condition number', () => {
    for (const k of [1, 10, 1000]) {
      const [a, b, c] = labFunction('quadratic', { condition: k }).hess(0, 0);
      const lmin = minEigen([a, b, c]);
      const lmax = a + c - lmin;
      expect(lmax / lmin).toBeCloseTo(k, 6);
    }
  });

  it('GLM: F vanishes at θ*, is monotone on random pairs, while the squared loss is not convex', () => {
    const fn = labFunction('glm');
    expect(Math.hypot(...fn.field!(...GLM_THETA_STAR))).toBeLessThan(1e-12);
    const pts = randomPoints(fn, 400, 9);
    let gradFailures = 0;
    for (let i = 0; i + 1 < pts.length; i += 2) {
      const [a, b] = [pts[i], pts[i + 1]];
      const fa = fn.field!(...a), fb = fn.field!(...b);
      const d = [a[0] - b[0], a[1] - b[1]];
      expect((fa[0] - fb[0]) * d[0] + (fa[1] - fb[1]) * d[1]).toBeGreaterThanOrEqual(-1e-12);
      const ga = fn.grad(...a), gb = fn.grad(...b);
      if ((ga[0] - gb[0]) * d[0] + (ga[1] - gb[1]) * d[1] < 0) gradFailures++;
    }
    expect(gradFailures).toBeGreaterThan(0);
    const grid = convexityGrid(fn, 30);
    expect(grid.z.flat().some((v) => v === 1)).toBe(true);
  });

  it('convexity shading: none on the quadratic, the band |y| < 1/√3 on the saddle', () => {
    expect(convexityGrid(labFunction('quadratic', { condition: 50 }), 20).z.flat().every((v) => v === 0)).toBe(true);
    const fn = labFunction('saddle');
    const g = convexityGrid(fn, 21);
    g.ys.forEach((y, r) => g.xs.forEach((_x, c) => expect(g.z[r][c]).toBe(3 * y * y - 1 < 0 ? 1 : 0)));
  });
});

describe('field arrows', () => {
  it('equal −∇L and −F at the sampled points; drawn segments point along them', () => {
    for (const fn of all()) {
      for (const kind of ['gradient', 'vi'] as const) {
        const arrows = fieldArrows(fn, kind, 9);
        if (kind === 'vi' && !fn.field) {
          expect(arrows).toHaveLength(0);
          continue;
        }
        expect(arrows).toHaveLength(81);
        for (const a of arrows) {
          const [gx, gy] = kind === 'vi' ? fn.field!(a.x, a.y) : fn.grad(a.x, a.y);
          expect(a.u).toBe(-gx);
          expect(a.v).toBe(-gy);
        }
        const seg = arrowSegments(arrows, fn, 9);
        // Each arrow is shaft + two head strokes = 9 entries; the shaft points along (u, v) in data units.
        let k = 0;
        for (const a of arrows) {
          if (!(Math.hypot(a.u, a.v) > 0)) continue;
          const ex = seg.x[k + 1] - seg.x[k], ey = seg.y[k + 1] - seg.y[k];
          expect(seg.x[k]).toBe(a.x);
          const cos = (ex * a.u + ey * a.v) / (Math.hypot(ex, ey) * Math.hypot(a.u, a.v));
          expect(cos).toBeGreaterThan(1 - 1e-9);
          k += 9;
        }
      }
    }
  });
});

describe('trajectories', () => {
  it('CG reaches the minimum of the 2-D quadratic in two line searches', () => {
    for (const k of [2, 10, 100]) {
      const fn = labFunction('quadratic', { condition: k });
      const t = runLabTrajectory(fn, [-2.5, 1.5], defaultLabRun('cg'), 2);
      expect(t.path).toHaveLength(3);
      const [x, y] = t.path[2];
      expect(Math.hypot(...fn.grad(x, y)) / Math.hypot(...fn.grad(-2.5, 1.5))).toBeLessThan(1e-6);
      expect(t.trials.length).toBeGreaterThanOrEqual(2);
    }
  });

  it('CG reaches the minimum of an n-dimensional quadratic in n line searches', () => {
    for (const n of [3, 5, 8]) {
      const rng = makeRng(100 + n);
      // A = QᵀDQ with eigenvalues spread over two decades, b random.
      const M = Array.from({ length: n }, () => Array.from({ length: n }, () => rng() - 0.5));
      const A = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => M.reduce((s, r) => s + r[i] * r[j], 0) + (i === j ? 0.01 * (1 + i) : 0)));
      const b = Array.from({ length: n }, () => rng() - 0.5);
      const fg = (x: number[]) => {
        const Ax = A.map((r) => r.reduce((s, v, j) => s + v * x[j], 0));
        return { f: 0.5 * x.reduce((s, v, i) => s + v * Ax[i], 0) - b.reduce((s, v, i) => s + v * x[i], 0), g: Ax.map((v, i) => v - b[i]) };
      };
      const x0 = new Array(n).fill(0);
      const g0 = Math.hypot(...fg(x0).g);
      // Finite termination needs exact line searches: with the notes' c2 = 0.1 a first trial can pass strong Wolfe
      // inexactly (measured: n = 3 ends at ‖g‖/‖g0‖ ≈ 4e-4); c2 = 1e-6 makes the cubic-interpolating search exact.
      const res = minimizeCg(fg, x0, { maxIterations: n, c2: 1e-6 });
      expect(res.iterations).toBe(n);
      expect(res.gradNorm / g0).toBeLessThan(1e-6);
      const before = minimizeCg(fg, x0, { maxIterations: n - 1, c2: 1e-6 });
      expect(before.gradNorm / g0).toBeGreaterThan(1e-6);
    }
  });

  it('GLM from a saturated start: the field step recovers θ*, gradient descent at the same step barely moves', () => {
    const fn = labFunction('glm');
    const start: [number, number] = [-6, 6];
    const vi = runLabTrajectory(fn, start, { ...defaultLabRun('vi'), lr: 2, momentum: 0 }, 200);
    const gd = runLabTrajectory(fn, start, { ...defaultLabRun('gd'), lr: 2, momentum: 0 }, 200);
    const err = (p: [number, number]) => Math.hypot(p[0] - GLM_THETA_STAR[0], p[1] - GLM_THETA_STAR[1]) / Math.hypot(...GLM_THETA_STAR);
    const viEnd = vi.path[vi.path.length - 1], gdEnd = gd.path[gd.path.length - 1];
    expect(err(viEnd)).toBeLessThan(0.01);
    expect(err(gdEnd)).toBeGreaterThan(0.5);
  });

  it('Adam → CG swaps at the set iteration and then only CG moves', () => {
    const fn = labFunction('rosenbrock');
    const t = runLabTrajectory(fn, [-1.5, 2], { ...defaultLabRun('adamcg'), lr: 0.05, swapAt: 40 }, 200);
    expect(t.swapIndex).toBe(40);
    const adam = runLabTrajectory(fn, [-1.5, 2], { ...defaultLabRun('adam'), lr: 0.05 }, 40);
    expect(t.path[40]).toEqual(adam.path[40]);
    expect(t.trials.length).toBeGreaterThan(0);
    expect(t.loss[t.loss.length - 1]).toBeLessThan(1e-8);
  });

  it('momentum GD matches the engine rule v ← μv + g, θ ← θ − γv on the quadratic', () => {
    const fn = labFunction('quadratic', { condition: 10 });
    const t = runLabTrajectory(fn, [1, 1], { ...defaultLabRun('gd'), lr: 0.1, momentum: 0.5 }, 2);
    const g0 = fn.grad(1, 1);
    const p1 = [1 - 0.1 * g0[0], 1 - 0.1 * g0[1]];
    const g1 = fn.grad(p1[0], p1[1]);
    const v = [0.5 * g0[0] + g1[0], 0.5 * g0[1] + g1[1]];
    expect(t.path[2][0]).toBeCloseTo(p1[0] - 0.1 * v[0], 14);
    expect(t.path[2][1]).toBeCloseTo(p1[1] - 0.1 * v[1], 14);
  });

  it('gradient noise (SGD emulation) is seeded per stream and averages out around the minimum', () => {
    const fn = labFunction('quadratic', { condition: 4 });
    const run = { ...defaultLabRun('gd'), lr: 0.2, momentum: 0, noise: 0.3 };
    const a = runLabTrajectory(fn, [2, 2], run, 3000, 1);
    const b = runLabTrajectory(fn, [2, 2], run, 3000, 1);
    const c = runLabTrajectory(fn, [2, 2], run, 3000, 2);
    const exact = runLabTrajectory(fn, [2, 2], { ...run, noise: 0 }, 3000, 1);
    expect(a.path).toEqual(b.path);
    expect(a.path[5]).not.toEqual(c.path[5]);
    expect(a.path[5]).not.toEqual(exact.path[5]);
    const tail = a.path.slice(1000);
    const mean = [0, 1].map((k) => tail.reduce((s, p) => s + p[k], 0) / tail.length);
    const spread = Math.sqrt(tail.reduce((s, p) => s + p[0] ** 2 + p[1] ** 2, 0) / tail.length);
    expect(spread).toBeGreaterThan(0.05); // it keeps moving (exact GD would sit at the minimum)
    expect(Math.hypot(mean[0], mean[1])).toBeLessThan(spread / 3);
    expect(Math.hypot(...exact.path[3000])).toBeLessThan(1e-6);
  });
});
