import { describe, expect, it } from 'vitest';
import { linePath, liveRange, liveRanges, liveSignature, type PixelAxis } from './liveLines';
import { axisExtent } from './plotLayout';

/** A linear axis over [lo, hi] drawn `length` px long (y grows downwards in SVG, as plotly's y axes do). */
const axis = (lo: number, hi: number, length: number, flipped = false): PixelAxis => ({
  c2p: (v) => (flipped ? ((hi - v) / (hi - lo)) * length : ((v - lo) / (hi - lo)) * length),
  _length: length,
});

describe('linePath', () => {
  const xa = axis(0, 10, 100);
  const ya = axis(0, 1, 50, true);
  it('draws every point with the axes\' own mapping, rounded to 0.01 px', () => {
    expect(linePath([0, 5, 10], [1, 0.5, 0], xa, ya)).toBe('M0,0L50,25L100,50');
    expect(linePath([1 / 3, 2], [0.123456, 0.5], xa, ya)).toBe('M3.33,43.83L20,25');
  });
  it('refuses a point outside the plot area (the axes must move), however slightly beyond the half-pixel slack', () => {
    expect(linePath([0, 10.1], [0.5, 0.5], xa, ya)).toBeNull();
    expect(linePath([0, 5], [0.5, 1.02], xa, ya)).toBeNull();
    expect(linePath([0, 10.04], [0.5, 0.5], xa, ya)).not.toBeNull(); // 0.4 px past the edge: within the slack
  });
  it('refuses a break (a non-finite value: plotly draws the line in separate pieces) and a lone point', () => {
    expect(linePath([0, 1, 2], [0.5, Number.NaN, 0.4], xa, ya)).toBeNull();
    expect(linePath([0, 1, 2], [0.5, Infinity, 0.4], xa, ya)).toBeNull();
    expect(linePath([0, 1, 2], [0.5, null, 0.4], xa, ya)).toBeNull();
    expect(linePath([1], [0.5], xa, ya)).toBeNull();
  });
});

describe('liveSignature', () => {
  const trace = (x: number[], y: number[], extra: Record<string, unknown> = {}) => ({ type: 'scatter', mode: 'lines', x, y, name: 'a', line: { color: 'red', width: 2 }, ...extra });
  it('does not see the points, sees everything else', () => {
    const layout = { xaxis: { range: [0, 10] } };
    const a = liveSignature([trace([1, 2], [3, 4])], layout);
    expect(liveSignature([trace([1, 2, 3], [3, 4, 5])], layout)).toBe(a);
    expect(liveSignature([trace([1, 2], [3, 4], { visible: 'legendonly' })], layout)).not.toBe(a);
    expect(liveSignature([trace([1, 2], [3, 4], { line: { color: 'red', width: 4 } })], layout)).not.toBe(a);
    expect(liveSignature([trace([1, 2], [3, 4])], { xaxis: { range: [0, 11] } })).not.toBe(a);
    expect(liveSignature([trace([1, 2], [3, 4]), trace([1], [1])], layout)).not.toBe(a);
  });
  it('is null for a chart with markers or another trace type (always drawn by plotly)', () => {
    expect(liveSignature([trace([1, 2], [3, 4], { mode: 'lines+markers' })], {})).toBeNull();
    expect(liveSignature([trace([1, 2], [3, 4], { mode: 'markers' })], {})).toBeNull();
    expect(liveSignature([trace([1, 2], [3, 4], { type: 'heatmap' })], {})).toBeNull();
  });
});

describe('live axis ranges', () => {
  it('keeps the drawn range while it holds the data and the data fill at least half of it', () => {
    expect(liveRange([0, 80], [0, 100], 'x')).toEqual([0, 100]);
    expect(liveRange([0.2, 2.3], [0.1, 2.4], 'y')).toEqual([0.1, 2.4]);
  });
  it('re-fits with room ahead when the data leave the drawn range: x 35 % past the newest point, y 12 % either side', () => {
    expect(liveRange([0, 101], [0, 100], 'x')).toEqual([0, 101 + 0.35 * 101]);
    const [lo, hi] = liveRange([0.05, 2.3], [0.1, 2.4], 'y');
    expect(lo).toBeCloseTo(0.05 - 0.12 * 2.25, 12);
    expect(hi).toBeCloseTo(2.3 + 0.12 * 2.25, 12);
  });
  it('re-fits when the data fill less than half of the drawn range (after a reset, say)', () => {
    expect(liveRange([0, 10], [0, 100], 'x')).toEqual([0, 13.5]);
  });
  it('gives a single value some room rather than an empty range', () => {
    const [lo, hi] = liveRange([2, 2], undefined, 'y');
    expect(lo).toBeLessThan(2);
    expect(hi).toBeGreaterThan(2);
  });
  it('only for linear axes that set no range and are not reversed; hidden traces do not count', () => {
    const data = [
      { x: [1, 2, 3], y: [5, 4, 3] },
      { x: [1, 50], y: [100, 200], visible: 'legendonly' },
    ];
    const fit = liveRanges(data, { xaxis: { title: 'iteration' }, yaxis: { type: 'linear' } }, null, 0);
    expect(fit.ranges.xaxis).toEqual([1, 3 + 0.35 * 2]);
    expect(fit.ranges.yaxis[0]).toBeCloseTo(3 - 0.24, 12);
    expect(fit.extents).toEqual({ xaxis: [1, 3], yaxis: [3, 5] });
    expect(liveRanges(data, { xaxis: { range: [0, 5] }, yaxis: { type: 'log' } }, null, 0).ranges).toEqual({});
    expect(liveRanges(data, { xaxis: { autorange: 'reversed' } }, null, 0).ranges).toEqual({});
    expect(axisExtent([{ x: [1, Number.NaN, 4], y: [0, 0, 0] }], 'x', 'x')).toEqual([1, 4]);
    expect(axisExtent([{ x: [-1, 0, 4], y: [0, 0, 0] }], 'x', 'x', true)).toEqual([4, 4]);
    expect(axisExtent([{ x: [1], y: [1], xaxis: 'x2' }], 'x', 'x')).toBeNull();
  });
  it('an x axis re-fitted keeps room for two seconds of growth at the rate the data grew since the last fit', () => {
    const layout = { xaxis: {}, yaxis: { range: [0, 1] } };
    const first = liveRanges([{ x: [0, 100], y: [0.5, 0.5] }], layout, null, 1000);
    expect(first.ranges.xaxis).toEqual([0, 135]);
    // Half a second later the data reached x = 150 (100 per second): room for 200 more, more than 35 % of the span.
    const second = liveRanges([{ x: [0, 150], y: [0.5, 0.5] }], layout, first, 1500);
    expect(second.ranges.xaxis).toEqual([0, 350]);
    // Slow growth: the 35 % rule.
    const slow = liveRanges([{ x: [0, 136], y: [0.5, 0.5] }], layout, first, 11_000);
    expect(slow.ranges.xaxis[1]).toBeCloseTo(136 * 1.35, 9);
    // Data still inside the drawn range: the range stays (the lines are redrawn in place).
    expect(liveRanges([{ x: [0, 120], y: [0.5, 0.5] }], layout, first, 1100).ranges.xaxis).toEqual([0, 135]);
  });
});
