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
    const idx = tf.tensor1d(this.perm.subarray(this.pos, this.pos + this.size), 'int32');
    this.pos += this.size;
    const bx = tf.gather(this.x, idx) as tf.Tensor2D;
    const by = tf.gather(this.y, idx) as tf.Tensor2D;
    idx.dispose();
    return { x: bx, y: by, owned: true };
  }
}
