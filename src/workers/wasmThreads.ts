/// <reference lib="webworker" />
import * as tf from '@tensorflow/tfjs';
import { getThreadsCount, setThreadsCount } from '@tensorflow/tfjs-backend-wasm';

/**
 * WASM thread count of this worker, fixed before the WASM backend first initialises (once per worker). One thread
 * uses the single-threaded SIMD build (no pthread workers at all); more need a cross-origin-isolated page
 * (SharedArrayBuffer) and use TF.js's threaded SIMD build, whose pthreads load their scripts from the app
 * (scripts/tfjsWasmThreads.ts). Returns the count actually requested.
 */
export function configureWasmThreads(requested: number): number {
  const threaded = requested > 1 && self.crossOriginIsolated === true;
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', threaded);
  if (!threaded) return 1;
  setThreadsCount(requested);
  // TF.js caps XNNPACK's pool at navigator.hardwareConcurrency / 2 (it assumes two hyper-threads per core), which
  // is 1 on a 2-core machine. The page already chose `requested` from the real count (backendChoice.ts
  // wasmThreadsFor), so this worker reports twice that for the cap to allow it. Only this worker's view changes.
  Object.defineProperty(self.navigator, 'hardwareConcurrency', { value: 2 * requested, configurable: true });
  return requested;
}

/** Threads XNNPACK actually runs with on the active WASM backend (1 when another backend is active). */
export function wasmThreadsInUse(): number {
  if (tf.getBackend() !== 'wasm') return 1;
  try {
    return getThreadsCount();
  } catch {
    return 1;
  }
}
