import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { join } from 'node:path';
import { installWasmFastPaths } from '../engine/wasmFastPaths';

/** Node tests run on the pure-JS CPU backend: deterministic and available everywhere. */
export async function useCpu(): Promise<void> {
  const ok = await tf.setBackend('cpu');
  if (!ok || tf.getBackend() !== 'cpu') throw new Error('CPU backend unavailable');
  await tf.ready();
}

/**
 * Node benchmarks and heavier tests can use TF.js's WASM backend (about 30× faster than CPU for matmuls here).
 * Single-threaded on purpose: the same build the app uses (WASM_HAS_MULTITHREAD_SUPPORT false).
 */
export async function useWasm(): Promise<void> {
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  setWasmPaths(join(process.cwd(), 'node_modules', '@tensorflow', 'tfjs-backend-wasm', 'dist') + '/');
  const ok = await tf.setBackend('wasm');
  if (!ok || tf.getBackend() !== 'wasm') throw new Error('WASM backend unavailable');
  await tf.ready();
  installWasmFastPaths();
}
