import { describe, expect, it } from 'vitest';
import { BLOCK, columnGrid, decimateToColumns } from './columnDecimation';

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

/** The points of column c of the grid (indices into xs). */
function columnIndices(xs: number[], grid: { x0: number; x1: number; columns: number }, c: number): number[] {
  const scale = grid.columns / (grid.x1 - grid.x0);
  return xs.map((x, i) => [Math.min(grid.columns - 1, Math.floor((x - grid.x0) * scale)), i]).filter(([col]) => col === c).map(([, i]) => i);
}

describe('decimateToColumns', () => {
  it('keeps at most two points per pixel column (plus the first and the last), however long the series', () => {
    const xs = range(100_000);
    const ys = xs.map((i) => Math.sin(i / 7) + 1 / (1 + i));
    const grid = columnGrid([{ x: xs }], 600);
    const d = decimateToColumns(xs, ys, grid);
    expect(d.x.length).toBeLessThanOrEqual(2 * 600 + 2);
    expect(d.x.length).toBeGreaterThan(600);
    for (let i = 1; i < d.x.length; i++) expect(d.x[i]).toBeGreaterThan(d.x[i - 1]);
  });

  it('keeps the first and the last point', () => {
    const xs = range(5000).map((i) => i + 1);
    // first and last are neither minimum nor maximum of their columns
    const ys = xs.map((_, i) => (i === 0 || i === 4999 ? 1 : i % 2 ? 2 : 0));
    const d = decimateToColumns(xs, ys, columnGrid([{ x: xs }], 100));
    expect([d.x[0], d.y[0]]).toEqual([1, 1]);
    expect([d.x[d.x.length - 1], d.y[d.y.length - 1]]).toEqual([5000, 1]);
  });

  it("keeps each column's minimum and maximum, so a one-point spike or dip is never hidden", () => {
    const xs = range(30_000);
    const ys = xs.map((i) => (i === 12_345 ? 1e6 : i === 22_222 ? -5 : 1 + 0.001 * Math.sin(i)));
    const grid = columnGrid([{ x: xs }], 300);
    const d = decimateToColumns(xs, ys, grid);
    expect(d.y).toContain(1e6);
    expect(d.y).toContain(-5);
    for (let c = 0; c < 300; c++) {
      const idx = columnIndices(xs, grid, c);
      const col = idx.map((i) => ys[i]);
      const shown = d.x.map((x, k) => [x, d.y[k]]).filter(([x]) => idx.includes(x)).map(([, y]) => y);
      expect(shown).toContain(Math.min(...col));
      expect(shown).toContain(Math.max(...col));
    }
  });

  it('keeps a non-finite point (a divergence) as a break in the line and reports it with the last finite value', () => {
    const xs = range(10_000);
    const ys = xs.map((i) => (i < 7000 ? 1 / (1 + i) : i === 7000 ? NaN : i < 7100 ? Infinity : 0.5));
    const d = decimateToColumns(xs, ys, columnGrid([{ x: xs }], 200));
    const k = d.x.indexOf(7000);
    expect(k).toBeGreaterThan(0);
    expect(Number.isNaN(d.y[k])).toBe(true);
    // the whole non-finite stretch is one break, marked where the curve left off
    expect(d.breaks).toEqual([{ x: 7000, y: 1 / 7000 }]);
    // the line resumes after the stretch
    expect(d.y[d.y.length - 1]).toBe(0.5);
  });

  it('a divergence as the very first or last point is kept and reported', () => {
    const first = decimateToColumns([0, 1, 2], [Infinity, 1, 2], columnGrid([{ x: [0, 2] }], 1));
    expect(first.breaks).toEqual([{ x: 0, y: null }]);
    expect(first.x[0]).toBe(0);
    const xs = range(1000);
    const last = decimateToColumns(xs, xs.map((i) => (i === 999 ? NaN : i)), columnGrid([{ x: xs }], 10));
    expect(last.x[last.x.length - 1]).toBe(999);
    expect(last.breaks).toEqual([{ x: 999, y: 998 }]);
  });

  it('leaves a short series as it is (fewer points than columns) and handles empty and single-x input', () => {
    const xs = [0, 1, 2, 3];
    const ys = [4, 3, 2, 1];
    expect(decimateToColumns(xs, ys, columnGrid([{ x: xs }], 600))).toEqual({ x: xs, y: ys, breaks: [] });
    expect(decimateToColumns([], [], columnGrid([], 600))).toEqual({ x: [], y: [], breaks: [] });
    expect(decimateToColumns([5], [1], columnGrid([{ x: [5] }], 600))).toEqual({ x: [5], y: [1], breaks: [] });
  });

  it('columnGrid spans every trace of the chart, so their columns coincide', () => {
    expect(columnGrid([{ x: [3, 10] }, { x: [0, 4, NaN] }], 50)).toEqual({ x0: 0, x1: 10, columns: 50 });
    expect(columnGrid([], 0.5)).toEqual({ x0: 0, x1: 1, columns: 1 });
  });
});

describe('decimateToColumns from kept block extremes', () => {
  /** A seeded pseudo-random series with plateaus, spikes and breaks (NaN, ±∞), x non-decreasing with repeats. */
  function series(n: number, seed: number): { xs: number[]; ys: number[] } {
    let state = seed;
    const rand = () => ((state = (state * 1103515245 + 12345) % 2147483648) / 2147483648);
    const xs: number[] = [];
    const ys: number[] = [];
    let x = 0;
    for (let i = 0; i < n; i++) {
      x += rand() < 0.1 ? 0 : rand() * 2;
      xs.push(x);
      const r = rand();
      ys.push(r < 0.002 ? Number.NaN : r < 0.003 ? Infinity : r < 0.2 ? 1 : Math.sin(i / 50) + rand() * 0.1 + (r > 0.998 ? 5 : 0));
    }
    return { xs, ys };
  }

  it('cuts a series it has seen before (and one that grew since) exactly as a series seen for the first time', () => {
    for (const seed of [1, 2, 3]) {
      const { xs: allX, ys: allY } = series(20_000, seed);
      // The display series grows in place, as seriesCache's do.
      const xs = allX.slice(0, 5000);
      const ys = allY.slice(0, 5000);
      for (const n of [5000, 5000, 5003, 9000, 9000 + BLOCK, 20_000]) {
        while (xs.length < n) {
          xs.push(allX[xs.length]);
          ys.push(allY[ys.length]);
        }
        for (const columns of [37, 300, 1200, 5000]) {
          const grid = columnGrid([{ x: xs }], columns);
          const fresh = decimateToColumns(xs.slice(), ys.slice(), grid); // new arrays: no kept blocks
          expect(decimateToColumns(xs, ys, grid), `seed ${seed}, ${n} points, ${columns} columns`).toEqual(fresh);
        }
      }
    }
  });

  it('a series replaced by a new, shorter one is cut from its own points', () => {
    const { xs, ys } = series(3000, 7);
    const grid = columnGrid([{ x: xs }], 100);
    decimateToColumns(xs, ys, grid);
    decimateToColumns(xs, ys, grid);
    const shorter = { xs: xs.slice(0, 1000), ys: ys.slice(0, 1000).map((y) => -y) };
    const g2 = columnGrid([{ x: shorter.xs }], 100);
    expect(decimateToColumns(shorter.xs, shorter.ys, g2)).toEqual(decimateToColumns(shorter.xs.slice(), shorter.ys.slice(), g2));
  });
});
