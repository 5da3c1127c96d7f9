import { describe, expect, it } from 'vitest';
import { linePath, liveRange, liveRanges, liveSignature, redrawLinesInPlace, type LineTrace, type PixelAxis } from './liveLines';
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
  it('is null for a chart with a trace of another type (always drawn by plotly); a change of mode is a change', () => {
    expect(liveSignature([trace([1, 2], [3, 4], { type: 'heatmap' })], {})).toBeNull();
    const lone = liveSignature([trace([1], [3], { mode: 'lines+markers' })], {});
    expect(lone).not.toBeNull();
    expect(liveSignature([trace([1, 2], [3, 4])], {})).not.toBe(lone);
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

/** A stand-in for a drawn plotly chart: per trace a group with its calcdata and its line paths. */
function fakeChart(data: LineTrace[], linesPerTrace: number[]) {
  const paths = linesPerTrace.map((n) => Array.from({ length: n }, () => ({ d: 'old', setAttribute(_: string, v: string) { this.d = v; } })));
  const groups = paths.map((lines, index) => ({ __data__: [{ trace: { index } }], querySelectorAll: () => lines }));
  const el = {
    data: data.map((t) => ({ ...t })),
    _fullLayout: { xaxis: axis(0, 10, 100), yaxis: axis(0, 1, 50, true) },
    querySelectorAll: () => groups,
  };
  return { el: el as unknown as HTMLElement & { data: LineTrace[] }, paths };
}

describe('redrawLinesInPlace', () => {
  const line = (x: number[], y: number[], extra: Partial<LineTrace> = {}): LineTrace => ({ type: 'scatter', mode: 'lines', x, y, ...extra });
  it("writes each visible line's new points and the chart's data; a hidden trace and an unchanged marker trace are left", () => {
    const { el, paths } = fakeChart([line([0, 5], [1, 0.5]), line([0, 5], [0, 0], { visible: 'legendonly' }), line([2], [0.5], { mode: 'lines+markers' })], [1, 0, 0]);
    const next = [line([0, 5, 10], [1, 0.5, 0]), line([0, 5, 10], [0, 0, 0], { visible: 'legendonly' }), line([2], [0.5], { mode: 'lines+markers' })];
    expect(redrawLinesInPlace(el, next)).toBe(true);
    expect(paths[0][0].d).toBe('M0,0L50,25L100,50');
    expect(el.data[0].x).toBe(next[0].x);
  });
  it('changes nothing when a line leaves the drawn axes, a marker trace moved, or a trace is drawn in pieces', () => {
    for (const [next, lines] of [
      [[line([0, 5], [1, 0.5]), line([0, 11], [0, 0])], [1, 1]],
      [[line([0, 5], [1, 0.5]), line([2, 3], [0.5, 0.4], { mode: 'lines+markers' })], [1, 0]],
      [[line([0, 5], [1, 0.5]), line([0, 1], [0, 0])], [1, 2]],
    ] as [LineTrace[], number[]][]) {
      const { el, paths } = fakeChart([line([0, 5], [1, 0.5]), { ...next[1], x: [2], y: [0.5] }], lines);
      const before = el.data.map((t) => t.x);
      expect(redrawLinesInPlace(el, next)).toBe(false);
      expect(paths.flat().every((p) => p.d === 'old')).toBe(true);
      expect(el.data.map((t) => t.x)).toEqual(before);
    }
  });
});
