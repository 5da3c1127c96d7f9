import { describe, expect, it } from 'vitest';
import type { MetricPoint } from '../../engine/types';
import { series, smooth } from './series';
import { cachedSeries, cachedSmoothedSeries } from './seriesCache';

const point = (iteration: number, loss: number, testLoss?: number): MetricPoint => ({
  iteration, time: iteration / 10, cost: iteration * 2, epoch: iteration / 4, loss, gradNorm: 1, extra: {}, ...(testLoss === undefined ? {} : { testLoss }),
});

describe('cachedSeries', () => {
  it('matches series() and smooth() as points are appended in place, with non-finite values and gaps', () => {
    const pts: MetricPoint[] = [];
    for (let i = 1; i <= 50; i++) {
      pts.push(point(i, i === 30 ? NaN : 1 / i, i % 5 === 0 ? 2 / i : undefined));
      const want = series(pts, 'cost', (p) => p.loss);
      expect(cachedSeries(pts, 'cost', 'loss', (p) => p.loss)).toEqual(want);
      expect(cachedSeries(pts, 'cost', 'testLoss', (p) => p.testLoss)).toEqual(series(pts, 'cost', (p) => p.testLoss));
      expect(cachedSmoothedSeries(pts, 'cost', 'loss', (p) => p.loss, 0.6)).toEqual({ x: want.x, y: smooth(want.y, 0.6) });
    }
    // another smoothing weight, another axis: computed afresh
    const want = series(pts, 'epoch', (p) => p.loss);
    expect(cachedSmoothedSeries(pts, 'epoch', 'loss', (p) => p.loss, 0.9)).toEqual({ x: want.x, y: smooth(want.y, 0.9) });
    expect(cachedSmoothedSeries(pts, 'epoch', 'loss', (p) => p.loss, 0)).toEqual(want);
  });

  it('rebuilds when the array was cleared in place, also when it was refilled past its old length', () => {
    const pts = [point(1, 1), point(2, 0.5)];
    cachedSeries(pts, 'iteration', 'loss', (p) => p.loss);
    pts.length = 0;
    expect(cachedSeries(pts, 'iteration', 'loss', (p) => p.loss)).toEqual({ x: [], y: [] });
    cachedSeries(pts, 'iteration', 'loss', (p) => p.loss);
    pts.length = 0;
    for (let i = 1; i <= 4; i++) pts.push(point(i, 10 * i)); // a restarted run (backend lost), longer than before
    expect(cachedSeries(pts, 'iteration', 'loss', (p) => p.loss)).toEqual({ x: [1, 2, 3, 4], y: [10, 20, 30, 40] });
    expect(cachedSmoothedSeries(pts, 'iteration', 'loss', (p) => p.loss, 0.5).y).toEqual(smooth([10, 20, 30, 40], 0.5));
  });
});
