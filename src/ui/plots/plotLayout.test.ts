import { describe, expect, it } from 'vitest';
import { accuracyRange, calloutOffset, cleanLogAxes, logTicks, logTickText, plotFrame, showLonePoints } from './plotLayout';

describe('log ticks', () => {
  it('one tick per decade over a wide range, no minor digits', () => {
    const t = logTicks(2e-4, 3);
    expect(t.tickvals).toEqual([1e-4, 1e-3, 1e-2, 1e-1, 1, 10]);
    expect(t.ticktext).toEqual(['1e-4', '1e-3', '0.01', '0.1', '1', '10']);
  });
  it('adds 2× and 5× on a narrow range so that some ticks fall inside it', () => {
    const t = logTicks(0.3, 2.2);
    expect(t.tickvals).toEqual([0.2, 0.5, 1, 2, 5]);
    expect(t.tickvals.filter((v) => v > 0.3 && v < 2.2).length).toBeGreaterThanOrEqual(2);
    expect(t.range![0]).toBeCloseTo(Math.log10(0.2), 9);
    expect(t.range![1]).toBeCloseTo(Math.log10(5), 9);
  });
  it('within one decade every multiple, and the range spans the data from tick to tick', () => {
    const t = logTicks(0.62, 0.95);
    expect(t.tickvals).toEqual([0.6, 0.7, 0.8, 0.9, 1]);
    expect(t.ticktext).toEqual(['0.6', '0.7', '0.8', '0.9', '1']);
    expect(10 ** t.range![0]).toBeLessThanOrEqual(0.62);
    expect(10 ** t.range![1]).toBeGreaterThanOrEqual(0.95);
  });
  it('thins decades when the range is very wide', () => {
    const t = logTicks(1e-12, 1e4);
    expect(t.tickvals.length).toBeLessThanOrEqual(9);
    expect(t.tickvals[0]).toBeCloseTo(1e-12, 20);
  });
  it('refuses non-positive input with no ticks rather than NaN ticks', () => {
    expect(logTicks(0, 1).tickvals).toEqual([]);
    expect(logTicks(Number.NaN, 1).tickvals).toEqual([]);
  });
  it('writes ticks as plain numbers near 1 and as 1e-k far from it', () => {
    expect(logTickText(0.001)).toBe('1e-3');
    expect(logTickText(5e-6)).toBe('5e-6');
    expect(logTickText(0.05)).toBe('0.05');
    expect(logTickText(1000)).toBe('1000');
    expect(logTickText(1e4)).toBe('1e4');
  });
});

describe('cleanLogAxes', () => {
  it('ticks a log axis from the visible data on it and leaves linear axes alone', () => {
    const data = [
      { x: [1, 2, 3], y: [5, 0.5, 0.02] },
      { x: [1, 2], y: [1e-6, 1e-7], visible: 'legendonly' },
      { x: [1, 2], y: [100, 200], yaxis: 'y2' },
    ];
    const patch = cleanLogAxes(data, { xaxis: {}, yaxis: { type: 'log', title: { text: 'loss' } }, yaxis2: { type: 'linear' } });
    expect(Object.keys(patch)).toEqual(['yaxis']);
    const y = patch.yaxis as { tickvals: number[]; title: unknown };
    expect(y.tickvals).toEqual([0.01, 0.1, 1, 10]);
    expect(y.title).toEqual({ text: 'loss' });
  });
  it('gives an empty log axis a sensible range instead of plotly’s 0.1 … 10k', () => {
    const patch = cleanLogAxes([], { yaxis: { type: 'log' } });
    expect((patch.yaxis as { range: number[] }).range).toEqual([-2, 1]);
    expect((patch.yaxis as { tickvals: number[] }).tickvals).toEqual([0.01, 0.1, 1, 10]);
  });
  it('keeps ticks a plot sets itself', () => {
    expect(cleanLogAxes([{ y: [1, 2] }], { yaxis: { type: 'log', dtick: 1 } })).toEqual({});
  });
  it('a reversed log axis spans the data from tick to tick, high to low, not plotly’s autorange', () => {
    // the gradient-norm-vs-loss plot: losses between 0.35 and 2.3 (issue 31 item 7: drawn 1e4 → 1 before)
    const patch = cleanLogAxes([{ x: [2.3, 1.2, 0.6, 0.35], y: [0.1, 0.5, 0.3, 0.02] }], { xaxis: { type: 'log', autorange: 'reversed' } });
    const x = patch.xaxis as { range: number[]; autorange: unknown; tickvals: number[] };
    expect(x.autorange).toBe(false);
    expect(x.range[0]).toBeGreaterThan(x.range[1]); // reversed: the largest loss at the left
    expect(10 ** x.range[0]).toBeGreaterThanOrEqual(2.3);
    expect(10 ** x.range[0]).toBeCloseTo(5, 9); // the tick just above the data (2× and 5× ticks here)
    expect(10 ** x.range[1]).toBeLessThanOrEqual(0.35);
    expect(10 ** x.range[1]).toBeCloseTo(0.2, 9); // the tick just below
    // no data yet: the empty range, reversed too
    const empty = cleanLogAxes([], { xaxis: { type: 'log', autorange: 'reversed' } }).xaxis as { range: number[] };
    expect(empty.range).toEqual([1, -2]);
  });
});

describe('calloutOffset', () => {
  it('points the text away from the nearer edges, so a label at the plot’s right or top edge stays inside', () => {
    expect(calloutOffset(0.9, 0.9)).toEqual({ ax: -40, ay: 30 });
    expect(calloutOffset(0.1, 0.1)).toEqual({ ax: 40, ay: -30 });
    expect(calloutOffset(0.9, 0.2, 60, 20)).toEqual({ ax: -60, ay: -20 });
  });
});

describe('accuracy axis', () => {
  it('is 0 … 1 unless zoomed', () => {
    expect(accuracyRange([0.9, 0.92], false)).toEqual([0, 1.02]);
  });
  it('zoomed, it spans the data with a margin and separates 0.90 from 0.92', () => {
    const [lo, hi] = accuracyRange([0.9, 0.92, Number.NaN], true);
    expect(lo).toBeCloseTo(0.89, 6);
    expect(hi).toBeCloseTo(0.93, 6);
    // 0.02 apart is at least a third of the axis
    expect(0.02 / (hi - lo)).toBeGreaterThan(0.3);
  });
  it('zoomed with no data falls back to 0 … 1', () => {
    expect(accuracyRange([], true)).toEqual([0, 1.02]);
  });
});

describe('plot frame', () => {
  it("every side of the frame's margin is at least 12 px, so that plotly pads every automargin push alike", () => {
    for (const big of [false, true]) {
      const margin = (plotFrame({ width: 600, height: 400, big }) as { margin: Record<string, number> }).margin;
      for (const side of ['l', 'r', 't', 'b']) expect(margin[side]).toBeGreaterThanOrEqual(12);
    }
  });
  it('puts the legend above the plot area and lets the margins grow to fit the axes', () => {
    const f = plotFrame({ width: 600, height: 400, big: false }) as { legend: { y: number; yanchor: string }; xaxis: { automargin: boolean }; width: number };
    expect(f.legend.y).toBeGreaterThanOrEqual(1);
    expect(f.legend.yanchor).toBe('bottom');
    expect(f.xaxis.automargin).toBe(true);
    expect(f.width).toBe(600);
  });
  it('scales type with the chart’s width in presentation mode', () => {
    const small = plotFrame({ width: 600, height: 400, big: true }) as { font: { size: number } };
    const large = plotFrame({ width: 900, height: 400, big: true }) as { font: { size: number } };
    expect(small.font.size).toBeLessThan(large.font.size);
  });
});

describe('showLonePoints', () => {
  it('gives a marker to a line trace with one finite point, and leaves every other trace as it is', () => {
    const lone = { x: [1], y: [0.7], mode: 'lines', name: 'a' };
    const loneAmongGaps = { x: [1, 2, 3], y: [null, 0.5, NaN], name: 'b' }; // mode defaults to lines
    const line = { x: [1, 2], y: [0.7, 0.6], mode: 'lines' };
    const empty = { x: [], y: [], mode: 'lines' };
    const markers = { x: [1], y: [0.7], mode: 'markers' };
    const heatmap = { type: 'heatmap', z: [[1]], y: [1] };
    const out = showLonePoints([lone, loneAmongGaps, line, empty, markers, heatmap]) as { mode?: string }[];
    expect(out.map((t) => t.mode)).toEqual(['lines+markers', 'lines+markers', 'lines', 'lines', 'markers', undefined]);
    expect(out[2]).toBe(line);
    expect(lone.mode).toBe('lines'); // the input is not edited
  });
});
