import { describe, expect, it } from 'vitest';
import { cubicMin, DEFAULT_LINE_SEARCH, strongWolfe } from './linesearch';

// Strong-Wolfe line search (N&W algorithms 3.5/3.6), checked on 1-D restrictions with known derivatives.

type Fn = { name: string; f: (a: number) => number; df: (a: number) => number };
const fns: Fn[] = [
  // Rosenbrock restricted to the steepest-descent ray from (−1.2, 1).
  (() => {
    const x0 = [-1.2, 1];
    const g0 = [-400 * x0[0] * (x0[1] - x0[0] ** 2) - 2 * (1 - x0[0]), 200 * (x0[1] - x0[0] ** 2)];
    const d = [-g0[0], -g0[1]];
    const at = (a: number) => [x0[0] + a * d[0], x0[1] + a * d[1]];
    return {
      name: 'rosenbrock ray',
      f: (a: number) => {
        const [x, y] = at(a);
        return 100 * (y - x * x) ** 2 + (1 - x) ** 2;
      },
      df: (a: number) => {
        const [x, y] = at(a);
        return (-400 * x * (y - x * x) - 2 * (1 - x)) * d[0] + 200 * (y - x * x) * d[1];
      },
    };
  })(),
  // Non-convex: φ(α) = −α/(α² + 2) + small quartic (N&W-style test with a single minimiser at α ≈ 1.4).
  { name: 'rational', f: (a) => -a / (a * a + 2) + 1e-3 * a ** 4, df: (a) => (a * a - 2) / (a * a + 2) ** 2 + 4e-3 * a ** 3 },
  // Wiggly: φ(α) = (α − 3)² + sin(5α) (several local minima).
  { name: 'wiggly', f: (a) => (a - 3) ** 2 + Math.sin(5 * a), df: (a) => 2 * (a - 3) + 5 * Math.cos(5 * a) },
];

describe('strong-Wolfe line search', () => {
  for (const fn of fns) {
    for (const alpha1 of [1e-4, 1e-2, 1, 50]) {
      it(`${fn.name}, first trial ${alpha1}: both strong Wolfe conditions hold at the returned step`, () => {
        const f0 = fn.f(0);
        const d0 = fn.df(0);
        expect(d0).toBeLessThan(0);
        const r = strongWolfe((a) => ({ f: fn.f(a), dphi: fn.df(a), payload: null }), f0, d0, alpha1);
        expect(r.status).toBe('wolfe');
        const a = r.accepted!.alpha;
        expect(a).toBeGreaterThan(0);
        // recompute independently rather than trusting the returned sample
        expect(fn.f(a)).toBeLessThanOrEqual(f0 + DEFAULT_LINE_SEARCH.c1 * a * d0);
        expect(Math.abs(fn.df(a))).toBeLessThanOrEqual(DEFAULT_LINE_SEARCH.c2 * Math.abs(d0));
        expect(r.evals).toBeLessThanOrEqual(20);
        expect(r.trials.length).toBe(r.evals);
      });
    }
  }

  it('finds the exact minimiser of a quadratic in two evaluations (cubic interpolation)', () => {
    const f = (a: number) => 3 * (a - 0.7) ** 2 - 1;
    const df = (a: number) => 6 * (a - 0.7);
    const r = strongWolfe((a) => ({ f: f(a), dphi: df(a), payload: null }), f(0), df(0), 5, { ...DEFAULT_LINE_SEARCH, c2: 1e-9 });
    expect(r.accepted!.alpha).toBeCloseTo(0.7, 12);
    expect(r.evals).toBe(2);
    expect(cubicMin(0, f(0), df(0), 5, f(5), df(5))).toBeCloseTo(0.7, 12);
  });

  it('reports no decrease when the function is flat to rounding, and stays within the budget', () => {
    const r = strongWolfe(() => ({ f: 1, dphi: -1e-30, payload: null }), 1, -1e-30, 1);
    expect(r.status).toBe('none');
    expect(r.accepted).toBeUndefined();
    expect(r.evals).toBeLessThanOrEqual(20);
  });
});
