import { datasetShape, networkLayout, type Experiment } from '../../engine/experiment';
import { CONV_CHUNK_ROWS, hasConvolution, stageActivations, stageParamCount } from '../../engine/layers';
import { hasOnlyCoarsePointer } from './useNarrow';

/**
 * How much memory an experiment needs, against what a phone or tablet can give it.
 *
 * The estimate is an upper bound built from what bench/run-all.mjs measured inside the run workers (tf.memory()
 * bytes and the worker's JS heap, bench/README.md):
 * - tensors per run: the training and test inputs (float32), the parameters with up to three same-sized copies
 *   (gradient, and two optimiser moments or CG's direction and previous gradient), and activations of the whole
 *   training set for every layer, three floats per unit (pre-activation, activation, and the backward signal —
 *   full-set evaluation does one such pass, and the lifted methods keep z and a for every sample);
 *   for the MNIST-12,000 SGD worker this gives 46 MB against 45.9 MB measured, for a lifted method 85 MB against 83.7 MB;
 *   a convolution layer counts its output before and after pooling, and a convolutional network passes over at most
 *   CONV_CHUNK_ROWS rows at once (engine/model.ts), so only that many rows' activations live together;
 * - ×2 for the WebAssembly heap, which grows by doubling and never returns memory;
 * - 24 MB per worker for TF.js, its WASM module and the worker's JS heap (measured 3–9 MB of JS heap plus the
 *   module's initial 16 MB of linear memory).
 */
export interface MemoryEstimate {
  bytes: number;
  perRun: number;
  runs: number;
}

const WORKER_BASE_BYTES = 24 * 2 ** 20;
const F32 = 4;

export function estimateMemory(e: Experiment): MemoryEstimate {
  const { inputSize } = datasetShape(e.dataset);
  const { stages } = networkLayout(e);
  const params = stages.reduce((n, s) => n + stageParamCount(s), 0);
  const units = stages.reduce((n, s) => n + stageActivations(s), 0);
  const samples = e.dataset.trainSize + e.dataset.testSize;
  const rowsAtOnce = hasConvolution(stages) ? Math.min(e.dataset.trainSize, CONV_CHUNK_ROWS) : e.dataset.trainSize;
  const tensors = F32 * (samples * inputSize + 4 * params + 3 * rowsAtOnce * units);
  const perRun = WORKER_BASE_BYTES + 2 * tensors;
  const runs = Math.max(1, e.runs.length);
  return { bytes: perRun * runs, perRun, runs };
}

export interface DeviceBudget {
  bytes: number;
  /** Why this budget applies, in words for the dialog. */
  reason: string;
}

/**
 * The budget. Phones and tablets (a touch screen without a fine pointer, or a browser reporting ≤ 4 GB of device
 * memory) get 400 MB for all runs together: mobile browsers end a tab well before the device's memory is used
 * (iOS Safari on 3–4 GB iPhones at roughly 1–1.5 GB per tab, Chrome on Android earlier on 2–3 GB devices when the
 * system is short), and the page itself, plotly and the main thread's copies of the metrics need their share.
 * The shipped presets fit it (a test checks this); MNIST at 12,000 images with several runs does not.
 * Desktops get 4 GB, which only refuses what would not work anywhere.
 */
export function deviceBudget(env: { coarsePointer: boolean; deviceMemoryGB?: number } = currentDevice()): DeviceBudget {
  const small = env.coarsePointer || (env.deviceMemoryGB !== undefined && env.deviceMemoryGB <= 4);
  if (small) return { bytes: 400 * 2 ** 20, reason: 'this looks like a phone or tablet, where the browser allows about 400 MB for the runs' };
  return { bytes: 4 * 2 ** 30, reason: 'the browser allows about 4 GB for the runs' };
}

function currentDevice(): { coarsePointer: boolean; deviceMemoryGB?: number } {
  if (typeof window === 'undefined') return { coarsePointer: false };
  const coarsePointer = hasOnlyCoarsePointer();
  const deviceMemoryGB = (navigator as Navigator & { deviceMemory?: number }).deviceMemory;
  return { coarsePointer, deviceMemoryGB };
}

export const megabytes = (bytes: number): string => `${Math.round(bytes / 2 ** 20)} MB`;
