import { afterEach, describe, expect, it, vi } from 'vitest';
import { MetricsFlush } from './metricsFlush';

describe('MetricsFlush', () => {
  afterEach(() => vi.useRealTimers());

  it('hands over every run marked within one interval in a single flush', () => {
    vi.useFakeTimers();
    const flushes: number[][] = [];
    const f = new MetricsFlush(250, (s) => flushes.push([...s].sort()));
    f.mark(2);
    vi.advanceTimersByTime(100);
    f.mark(0);
    f.mark(2);
    expect(flushes).toEqual([]);
    vi.advanceTimersByTime(150);
    expect(flushes).toEqual([[0, 2]]);
    // the next mark starts a new interval
    f.mark(1);
    vi.advanceTimersByTime(249);
    expect(flushes).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(flushes).toEqual([[0, 2], [1]]);
    vi.advanceTimersByTime(10_000);
    expect(flushes).toHaveLength(2);
  });

  it('drops pending marks when cancelled', () => {
    vi.useFakeTimers();
    const flushes: number[][] = [];
    const f = new MetricsFlush(250, (s) => flushes.push([...s]));
    f.mark(0);
    f.cancel();
    vi.advanceTimersByTime(1000);
    expect(flushes).toEqual([]);
    f.mark(1);
    vi.advanceTimersByTime(250);
    expect(flushes).toEqual([[1]]);
  });
});
