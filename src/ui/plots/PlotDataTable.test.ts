import { describe, expect, it } from 'vitest';
import { latestPoint } from './PlotDataTable';

describe("a plot's text alternative", () => {
  it('reads the last finite point of a series (a diverged tail is skipped), or none', () => {
    expect(latestPoint({ x: [1, 2, 3], y: [0.5, 0.4, 0.3] })).toEqual({ x: 3, y: 0.3 });
    expect(latestPoint({ x: [1, 2, 3, 4], y: [0.5, 0.4, Number.NaN, null as unknown as number] })).toEqual({ x: 2, y: 0.4 });
    expect(latestPoint({ x: [], y: [] })).toBeNull();
    expect(latestPoint({ x: [1], y: [Infinity] })).toBeNull();
  });
});
