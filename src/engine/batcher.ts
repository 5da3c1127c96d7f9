import * as tf from '@tensorflow/tfjs';
import { deriveSeed, makeRng, permutation, type Rng } from './random';

/**
 * Mini-batches by epoch-wise seeded permutation, so two runs with the same seed see the same batches in the
 * same order (fair comparison). Full batch returns the whole training set without copying.
 */
export class Batcher {
  private readonly rng: Rng;
  private perm: Int32Array;
  private pos = 0;
  readonly full: boolean;
  readonly size: number;
  epoch = 0;

  constructor(
    private readonly x: tf.Tensor2D,
    private readonly y: tf.Tensor2D,
    batchSize: number,
    seed: number,
  ) {
    const n = x.shape[0];
    this.full = batchSize <= 0 || batchSize >= n;
    this.size = this.full ? n : batchSize;
    this.rng = makeRng(deriveSeed(seed, 'batches'));
    this.perm = this.full ? new Int32Array(0) : permutation(this.rng, n);
  }

  /** Fraction of an epoch one batch represents (its cost in full-batch-gradient equivalents). */
  get fraction(): number {
    return this.size / this.x.shape[0];
  }

  /** Next batch. When `owned` is true the caller must dispose the returned tensors. */
  next(): { x: tf.Tensor2D; y: tf.Tensor2D; owned: boolean } {
    if (this.full) {
      this.epoch++;
      return { x: this.x, y: this.y, owned: false };
    }
    const n = this.x.shape[0];
    if (this.pos + this.size > n) {
      this.perm = permutation(this.rng, n);
      this.pos = 0;
      this.epoch++;
    }
    const rows = this.perm.subarray(this.pos, this.pos + this.size);
    this.pos += this.size;
    if (hostRowsBackend() && this.x.dtype === 'float32' && this.y.dtype === 'float32')
      return { x: copyRows(this.x, rows), y: copyRows(this.y, rows), owned: true };
    const idx = tf.tensor1d(rows, 'int32');
    const bx = tf.gather(this.x, idx) as tf.Tensor2D;
    const by = tf.gather(this.y, idx) as tf.Tensor2D;
    idx.dispose();
    return { x: bx, y: by, owned: true };
  }
}

/**
 * On the CPU and WASM backends the data live in host memory, and TF.js's gather is slow there (WASM: 15–20 ms for
 * 256 rows of 784, against ~0.6 ms to copy the rows and upload them). There we copy the batch's rows on the host,
 * in the same order gather would produce. GPU backends keep gather (the data stay on the device).
 */
function hostRowsBackend(): boolean {
  const b = tf.getBackend();
  return b === 'wasm' || b === 'cpu';
}

/** A view of a float32 tensor's values without a copy where the backend allows it (CPU: its array; WASM: its heap). */
function hostValues(t: tf.Tensor): Float32Array {
  const backend = tf.backend() as unknown as { typedArrayFromHeap?: (t: tf.TensorInfo) => Float32Array };
  // The WASM heap may grow (and detach old views) between calls, so the view is taken afresh every batch.
  if (tf.getBackend() === 'wasm' && typeof backend.typedArrayFromHeap === 'function') return backend.typedArrayFromHeap(t);
  return t.dataSync() as Float32Array;
}

function copyRows(src: tf.Tensor2D, rows: Int32Array): tf.Tensor2D {
  const d = src.shape[1];
  const values = hostValues(src);
  const out = new Float32Array(rows.length * d);
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i] * d;
    out.set(values.subarray(r, r + d), i * d);
  }
  return tf.tensor2d(out, [rows.length, d]);
}
