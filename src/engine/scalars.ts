import * as tf from '@tensorflow/tfjs';

/** Read several scalar tensors with a single device→host transfer, then dispose them. */
export function readAndDispose(scalars: tf.Tensor[]): number[] {
  if (scalars.length === 0) return [];
  const backend = tf.getBackend();
  if (backend === 'cpu' || backend === 'wasm') {
    // Host backends: a read is a memory access, and stacking costs more than it saves (a Pack kernel per step).
    const values = scalars.map((s) => s.dataSync()[0]);
    for (const s of scalars) s.dispose();
    return values;
  }
  const packed = tf.tidy(() => tf.stack(scalars.map((s) => tf.reshape(s, []))));
  const values = Array.from(packed.dataSync());
  packed.dispose();
  for (const s of scalars) s.dispose();
  return values;
}
