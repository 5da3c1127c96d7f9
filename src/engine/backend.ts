import * as tf from '@tensorflow/tfjs';
import { installWasmFastPaths } from './wasmFastPaths';

/**
 * Backend selection. "WebGPU first" means "the fastest backend that works, by a short probe": on a machine
 * without a GPU, WebGPU runs on a software adapter and is the slowest; with a GPU it wins. The probe times a
 * small MLP-like step on each backend that initialises and picks the fastest; the UI remembers the answer.
 */
export const BACKEND_ORDER = ['webgpu', 'webgl', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKEND_ORDER)[number];

export interface ProbeResult {
  backend: BackendName;
  /** Milliseconds per probe step, per backend that initialised (Infinity when it timed out). */
  timings: Partial<Record<BackendName, number>>;
  notices: string[];
}

/** Try to make `name` the active backend. tf.setBackend resolves false (not throws) when e.g. no adapter exists. */
export async function trySetBackend(name: BackendName): Promise<string | null> {
  try {
    const ok = await tf.setBackend(name);
    if (!ok) return `${name} is not available in this browser`;
    await tf.ready();
    if (tf.getBackend() !== name) return `${name} did not initialise (TF.js switched to ${tf.getBackend()})`;
    if (name === 'wasm') installWasmFastPaths();
    return null;
  } catch (err) {
    return `${name} failed to initialise: ${err instanceof Error ? err.message : String(err)}`;
  }
}

async function timeProbe(budgetMs: number): Promise<number> {
  const x = tf.randomNormal([128, 256], 0, 1, 'float32', 1) as tf.Tensor2D;
  const w = tf.randomNormal([256, 128], 0, 0.05, 'float32', 2) as tf.Tensor2D;
  const stepOnce = async () => {
    const out = tf.tidy(() => {
      const h = tf.relu(tf.matMul(x, w));
      return tf.sum(tf.matMul(h, w, false, true));
    });
    await out.data();
    out.dispose();
  };
  try {
    // Warm-up compiles shaders/pipelines; a backend whose warm-up alone exceeds the budget is too slow here.
    const t0 = performance.now();
    await stepOnce();
    if (performance.now() - t0 > budgetMs) return Infinity;
    const reps = 5;
    const t1 = performance.now();
    for (let i = 0; i < reps; i++) await stepOnce();
    return (performance.now() - t1) / reps;
  } finally {
    x.dispose();
    w.dispose();
  }
}

/** Probe every backend in BACKEND_ORDER (except those in `skip`), leaving the fastest active. */
export async function probeBackends(budgetMs = 3000, skip: BackendName[] = []): Promise<ProbeResult> {
  const timings: Partial<Record<BackendName, number>> = {};
  const notices: string[] = [];
  for (const name of BACKEND_ORDER) {
    if (skip.includes(name)) continue;
    const err = await trySetBackend(name);
    if (err) {
      notices.push(err);
      continue;
    }
    try {
      timings[name] = await timeProbe(budgetMs);
    } catch (e) {
      notices.push(`${name} failed its probe: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  const ranked = (Object.entries(timings) as [BackendName, number][]).sort((a, b) => a[1] - b[1]);
  const best = ranked.length ? ranked[0][0] : 'cpu';
  await trySetBackend(best);
  return { backend: best, timings, notices };
}

/**
 * Activate the preferred backend, falling back along BACKEND_ORDER from it. Returns the backend in use and
 * a notice for every backend that failed, so the UI can say why it is not running where the user asked.
 */
export async function activateBackend(preferred: BackendName): Promise<{ backend: BackendName; notices: string[] }> {
  const notices: string[] = [];
  const start = BACKEND_ORDER.indexOf(preferred);
  const order = [...BACKEND_ORDER.slice(start), ...BACKEND_ORDER.slice(0, start)];
  for (const name of order) {
    const err = await trySetBackend(name);
    if (!err) return { backend: name, notices };
    notices.push(err);
  }
  throw new Error(`no TF.js backend could be initialised: ${notices.join('; ')}`);
}
