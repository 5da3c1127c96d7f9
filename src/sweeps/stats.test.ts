import { describe, expect, it } from 'vitest';
import { bandOverSeeds, logGrid, performanceProfile, quantile, randomLog, reachTarget, spread, timeToTarget, type EvalPoint } from './stats';

const pt = (iteration: number, trainLoss: number, testAccuracy?: number): EvalPoint => ({ iteration, cost: iteration / 10, time: iteration / 100, epoch: iteration / 20, trainLoss, testAccuracy });

describe('quantiles and spread', () => {
  it('interpolates between order statistics', () => {
    expect(quantile([1, 2, 3, 4, 5], 0.5)).toBe(3);
    expect(quantile([1, 2, 3, 4, 5], 0.25)).toBe(2);
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantile([], 0.5)).toBeNaN();
  });

  it('keeps a diverged seed (+∞) in the order without poisoning the median', () => {
    const s = spread([0.1, 0.2, Infinity, 0.3, 0.15]);
    expect(s.median).toBeCloseTo(0.2);
    expect(s.q3).toBeCloseTo(0.3);
    expect(s.max).toBe(Infinity);
    expect(s.n).toBe(5);
    expect(spread([NaN, 1]).n).toBe(1);
  });
});

describe('bandOverSeeds', () => {
  it('gives the median and the interquartile range of seeds on a common grid', () => {
    const seeds = [1, 2, 3, 4, 5].map((k) => ({ x: [0, 10], y: [k, k] }));
    const b = bandOverSeeds(seeds, 3);
    expect(b.x).toEqual([0, 5, 10]);
    expect(b.median).toEqual([3, 3, 3]);
    expect(b.lo).toEqual([2, 2, 2]);
    expect(b.hi).toEqual([4, 4, 4]);
  });

  it('interpolates each seed and holds a finished seed at its last value, a diverged one at its afterEnd', () => {
    const b = bandOverSeeds(
      [
        { x: [0, 10], y: [0, 10] },
        { x: [0, 5], y: [0, 5] },
        { x: [0, 5], y: [0, 1], afterEnd: Infinity },
      ],
      3,
    );
    // at x = 10: values 10, 5 (held), ∞ → median 10
    expect(b.median[2]).toBe(10);
    // at x = 5: 5, 5, 1 → median 5
    expect(b.median[1]).toBe(5);
  });
});

describe('time to target', () => {
  const seed = (accs: number[]) => accs.map((a, i) => pt((i + 1) * 100, 1 - a, a));
  it('finds the first evaluation meeting an accuracy or a loss target', () => {
    const pts = seed([0.5, 0.8, 0.95, 0.97]);
    expect(reachTarget(pts, { metric: 'testAccuracy', value: 0.9 })?.iteration).toBe(300);
    expect(reachTarget(pts, { metric: 'trainLoss', value: 0.19 })?.iteration).toBe(300);
    expect(reachTarget(pts, { metric: 'testAccuracy', value: 0.99 })).toBeNull();
  });

  it('takes the median over seeds, a failing seed counting as never', () => {
    const row = timeToTarget([seed([0.95]), seed([0.5, 0.95]), seed([0.5, 0.5, 0.95])], { metric: 'testAccuracy', value: 0.9 });
    expect(row).toMatchObject({ reached: 3, n: 3, cost: 20 });
    expect(row.seconds).toBeCloseTo(2);
    const fail = timeToTarget([seed([0.95]), seed([0.5]), seed([0.5])], { metric: 'testAccuracy', value: 0.9 });
    expect(fail.reached).toBe(1);
    expect(fail.cost).toBe(Infinity);
  });
});

describe('search grids', () => {
  it('spaces a log grid evenly in the exponent, ends included', () => {
    expect(logGrid(1e-3, 1, 4)).toEqual([0.001, 0.01, 0.1, 1]);
    expect(logGrid(1e-4, 1e-1, 7)).toHaveLength(7);
  });

  it('draws a seeded log-uniform search inside the range, the same for the same seed', () => {
    const a = randomLog(1e-4, 1, 20, 5);
    expect(a).toEqual(randomLog(1e-4, 1, 20, 5));
    expect(a).not.toEqual(randomLog(1e-4, 1, 20, 6));
    expect(Math.min(...a)).toBeGreaterThanOrEqual(1e-4);
    expect(Math.max(...a)).toBeLessThanOrEqual(1);
    // log-uniform: about half of the draws below the geometric midpoint 1e-2
    expect(a.filter((v) => v < 1e-2).length).toBeGreaterThan(4);
  });
});

describe('performance profile', () => {
  it('counts problems solved within τ × the best cost', () => {
    // 3 problems × 2 methods; method 1 fails problem 3.
    const costs = [
      [10, 20],
      [30, 15],
      [5, Infinity],
    ];
    const p = performanceProfile(costs, [1, 2, 4]);
    expect(p[0]).toEqual([2 / 3, 1, 1]);
    expect(p[1]).toEqual([1 / 3, 2 / 3, 2 / 3]);
  });

  it('counts a problem no method solved as unsolved by all', () => {
    expect(performanceProfile([[Infinity, Infinity]], [1, 10])).toEqual([
      [0, 0],
      [0, 0],
    ]);
  });
});
