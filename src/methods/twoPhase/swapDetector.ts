/**
 * The two-phase swap detector (algorithms.md §2, "Swap detector"), pure and tensor-free so it can be tested
 * on synthetic streams.
 *
 * Sourced rule: once per epoch look at the gradient norm, keep the running maximum g_max, swap when the epoch's
 * norm falls below ρ·g_max (ρ = 0.9). Chosen refinements from the notes, all configurable: the norm is smoothed by
 * an exponential moving average s_t = α g_t + (1 − α) s_{t−1} (s_1 = g_1, α = 0.3); g_max is the running maximum
 * of the *smoothed* series (over raw norms a rising noisy stream swaps wrongly at epoch 3); no swap before epoch
 * `minEpochs` (3); a swap needs `patience` (2) consecutive smoothed values below the threshold. It fires once.
 * Manual overrides: 'at-epoch' swaps at the end of epoch k; 'never' never swaps (the series are still computed).
 *
 * Below-threshold epochs are counted from epoch 1 (also before `minEpochs`); with that convention a geometric
 * stream r^t swaps at epoch 3 (r = 0.5), 5 (0.9) and 15 (0.99), as the notes' NumPy reference says.
 */

export type SwapMode = 'auto' | 'at-epoch' | 'never';

export interface SwapDetectorConfig {
  rho: number;
  alpha: number;
  minEpochs: number;
  patience: number;
  mode: SwapMode;
  /** Epoch at whose end 'at-epoch' swaps (1-based). */
  swapEpoch: number;
}

export const DEFAULT_SWAP_CONFIG: SwapDetectorConfig = { rho: 0.9, alpha: 0.3, minEpochs: 3, patience: 2, mode: 'auto', swapEpoch: 20 };

export interface SwapDetectorState {
  /** Epochs seen so far (1-based after the first update). */
  epoch: number;
  /** Smoothed norm s_t; NaN before the first epoch. */
  smoothed: number;
  /** Running maximum of the smoothed series. */
  gMax: number;
  /** Consecutive epochs with s_t < ρ·g_max. */
  below: number;
  swapped: boolean;
  /** Set when the swap fired: epoch, caller's iteration and the (loss, raw ‖g‖) point of that epoch. */
  swap?: { epoch: number; iteration: number; loss: number; gradNorm: number };
}

export interface SwapObservation {
  state: SwapDetectorState;
  /** True only on the epoch where the swap fires. */
  fired: boolean;
  smoothed: number;
  /** ρ·g_max after this epoch. */
  threshold: number;
}

export function initSwapDetector(): SwapDetectorState {
  return { epoch: 0, smoothed: NaN, gMax: 0, below: 0, swapped: false };
}

/** Feed one epoch's norm (and loss, recorded at the swap). Pure: returns a new state. */
export function observeEpoch(
  prev: SwapDetectorState,
  cfg: SwapDetectorConfig,
  gradNorm: number,
  loss: number,
  iteration = prev.epoch + 1,
): SwapObservation {
  const epoch = prev.epoch + 1;
  const smoothed = Number.isNaN(prev.smoothed) ? gradNorm : cfg.alpha * gradNorm + (1 - cfg.alpha) * prev.smoothed;
  const gMax = Math.max(prev.gMax, smoothed);
  const threshold = cfg.rho * gMax;
  const below = smoothed < threshold ? prev.below + 1 : 0;
  let fired = false;
  if (!prev.swapped) {
    if (cfg.mode === 'auto') fired = epoch >= cfg.minEpochs && below >= cfg.patience;
    else if (cfg.mode === 'at-epoch') fired = epoch >= cfg.swapEpoch;
  }
  const state: SwapDetectorState = {
    epoch,
    smoothed,
    gMax,
    below,
    swapped: prev.swapped || fired,
    swap: fired ? { epoch, iteration, loss, gradNorm } : prev.swap,
  };
  return { state, fired, smoothed, threshold };
}

/** Runs the detector over a whole stream; returns the 1-based swap epoch or undefined. For tests and the UI help. */
export function swapEpochOf(stream: ArrayLike<number>, cfg: SwapDetectorConfig = DEFAULT_SWAP_CONFIG): number | undefined {
  let s = initSwapDetector();
  for (let i = 0; i < stream.length; i++) {
    const o = observeEpoch(s, cfg, stream[i], NaN);
    s = o.state;
    if (o.fired) return o.state.epoch;
  }
  return undefined;
}
