import * as tf from '@tensorflow/tfjs';

/** Node tests run on the pure-JS CPU backend: deterministic and available everywhere. */
export async function useCpu(): Promise<void> {
  const ok = await tf.setBackend('cpu');
  if (!ok || tf.getBackend() !== 'cpu') throw new Error('CPU backend unavailable');
  await tf.ready();
}
