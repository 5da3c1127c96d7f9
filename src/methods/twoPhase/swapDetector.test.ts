import { describe, expect, it } from 'vitest';
import { makeRng } from '../../engine/random';
import { DEFAULT_SWAP_CONFIG, initSwapDetector, observeEpoch, swapEpochOf, type SwapDetectorConfig } from './swapDetector';

// algorithms.md §2, "Swap detector": the consequences the notes list, checked on synthetic streams.

const geometric = (r: number, n = 300) => Array.from({ length: n }, (_, i) => Math.pow(r, i + 1));

/** Independent EMA of a stream (s_1 = g_1), to locate where the smoothed series crosses ρ·peak. */
function smoothed(stream: number[], alpha: number): number[] {
  const out: number[] = [];
  for (const g of stream) out.push(out.length ? alpha * g + (1 - alpha) * out[out.length - 1] : g);
  return out;
}

describe('swap detector', () => {
  it('swaps a falling stream early: 0.5^t at epoch 3, 0.9^t at 5, 0.99^t at 15', () => {
    expect(swapEpochOf(geometric(0.5))).toBe(3);
    expect(swapEpochOf(geometric(0.9))).toBe(5);
    expect(swapEpochOf(geometric(0.99))).toBe(15);
  });

  it('swaps a rise-then-fall stream within the patience after the smoothed series crosses 0.9·peak', () => {
    const rng = makeRng(7);
    for (const [peak, noise] of [
      [9, 0],
      [20, 0],
      [40, 0.02],
    ]) {
      // g_t = t·exp(−t/peak): rises to t = peak, then falls (the shape of the small-init MLP runs in §2).
      const stream = Array.from({ length: 300 }, (_, i) => (i + 1) * Math.exp(-(i + 1) / peak) * (1 + noise * (2 * rng() - 1)));
      const s = smoothed(stream, 0.3);
      let runMax = 0;
      let cross = -1;
      let below = 0;
      let firstRun = -1;
      for (let t = 0; t < s.length; t++) {
        runMax = Math.max(runMax, s[t]);
        below = s[t] < 0.9 * runMax ? below + 1 : 0;
        if (below === 1 && cross < 0) cross = t + 1;
        if (below >= 2 && t + 1 >= 3 && firstRun < 0) firstRun = t + 1;
      }
      const swap = swapEpochOf(stream)!;
      expect(cross).toBeGreaterThan(peak); // crossing happens after the raw peak
      expect(swap).toBeGreaterThanOrEqual(cross);
      expect(swap).toBeLessThanOrEqual(cross + DEFAULT_SWAP_CONFIG.patience - 1 + (noise ? 3 : 0));
      expect(swap).toBe(firstRun);
    }
  });

  it('does not swap while a noisy stream is still rising (the running max is over the smoothed series)', () => {
    const rng = makeRng(3);
    let rawSwapsEarly = 0;
    let smoothSwapsEarly = 0;
    for (let trial = 0; trial < 200; trial++) {
      // Rising by 3% per epoch for 30 epochs with ±10% bounded noise, then falling.
      const stream = Array.from({ length: 60 }, (_, i) => Math.pow(1.03, Math.min(i, 30)) * Math.pow(0.95, Math.max(0, i - 30)) * (1 + 0.1 * (2 * rng() - 1)));
      const raw = swapEpochOf(stream, { ...DEFAULT_SWAP_CONFIG, alpha: 1, patience: 1 });
      const smooth = swapEpochOf(stream);
      if (raw !== undefined && raw <= 30) rawSwapsEarly++;
      if (smooth !== undefined && smooth <= 30) smoothSwapsEarly++;
    }
    expect(rawSwapsEarly).toBeGreaterThan(20);
    expect(smoothSwapsEarly).toBe(0);
  });

  it('never swaps a stationary stream with bounded ±5% noise (1,000 seeded trials of 200 epochs)', () => {
    const rng = makeRng(11);
    let swaps = 0;
    for (let trial = 0; trial < 1000; trial++) {
      const level = 0.01 + rng();
      const stream = Array.from({ length: 200 }, () => level * (1 + 0.05 * (2 * rng() - 1)));
      if (swapEpochOf(stream) !== undefined) swaps++;
    }
    expect(swaps).toBe(0);
  });

  it('honours the manual overrides and fires once, recording the epoch, iteration and (loss, ‖g‖)', () => {
    const at: SwapDetectorConfig = { ...DEFAULT_SWAP_CONFIG, mode: 'at-epoch', swapEpoch: 7 };
    expect(swapEpochOf(Array(50).fill(1), at)).toBe(7);
    expect(swapEpochOf(geometric(0.5), { ...DEFAULT_SWAP_CONFIG, mode: 'never' })).toBeUndefined();
    let s = initSwapDetector();
    let fired = 0;
    const stream = geometric(0.5, 20);
    stream.forEach((g, i) => {
      const o = observeEpoch(s, DEFAULT_SWAP_CONFIG, g, 10 - i, 100 + 4 * i);
      s = o.state;
      if (o.fired) fired++;
      expect(o.threshold).toBeCloseTo(0.9 * s.gMax, 12);
    });
    expect(fired).toBe(1);
    expect(s.swap).toEqual({ epoch: 3, iteration: 108, loss: 8, gradNorm: 0.125 });
  });
});
