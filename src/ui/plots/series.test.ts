import { describe, expect, it } from 'vitest';
import type { MetricPoint } from '../../engine/types';
import { series, smooth, xValue } from './series';

const point = (iteration: number, extra: Record<string, number> = {}): MetricPoint => ({
  iteration, time: iteration / 10, cost: iteration * 2, epoch: iteration / 4, loss: 1 / (iteration + 1), gradNorm: 1, extra,
});

describe('series helpers', () => {
  it('xValue reads the chosen axis', () => {
    const p = point(8);
    expect([xValue(p, 'iteration'), xValue(p, 'epoch'), xValue(p, 'cost'), xValue(p, 'time')]).toEqual([8, 2, 16, 0.8]);
  });

  it('smooth is the bias-corrected EMA: a constant stays constant, NaN passes through without poisoning later values', () => {
    expect(smooth([3, 3, 3], 0.9)).toEqual([3, 3, 3].map(() => expect.closeTo(3, 12)));
    const s = smooth([1, NaN, 3], 0.5);
    expect(s[0]).toBeCloseTo(1, 12);
    expect(Number.isNaN(s[1])).toBe(true);
    // acc = 0.5·0.5 + 0.5·3 = 1.75, norm = 0.75 → 2.333…
    expect(s[2]).toBeCloseTo(1.75 / 0.75, 12);
    const raw = [1, 2];
    expect(smooth(raw, 0)).toBe(raw);
  });

  it('series skips points without the value and uses the axis', () => {
    const pts = [point(1, { a: 5 }), point(2), point(3, { a: 7 })];
    expect(series(pts, 'cost', (p) => p.extra.a)).toEqual({ x: [2, 6], y: [5, 7] });
  });
});
