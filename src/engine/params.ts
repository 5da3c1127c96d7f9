import * as tf from '@tensorflow/tfjs';
import { weightShapes } from './model';
import type { NetworkSpec, Params } from './types';

/** Helpers over lists of layers. None of them dispose their inputs; callers decide ownership. */

export function cloneParams(p: Params): Params {
  return p.map((l) => ({ W: l.W.clone(), b: l.b.clone() }));
}

export function disposeParams(p: Params): void {
  for (const l of p) {
    l.W.dispose();
    l.b.dispose();
  }
}

/** All tensors of a parameter list in a fixed order (W_1, b_1, W_2, b_2, ...). */
export function paramTensors(p: Params): tf.Tensor[] {
  const out: tf.Tensor[] = [];
  for (const l of p) out.push(l.W, l.b);
  return out;
}

export function fromTensors(ts: tf.Tensor[]): Params {
  const out: Params = [];
  for (let i = 0; i < ts.length; i += 2) out.push({ W: ts[i] as tf.Tensor2D, b: ts[i + 1] as tf.Tensor1D });
  return out;
}

/** Sum of squares over all tensors as a scalar tensor. */
export function sumSquares(ts: tf.Tensor[]): tf.Scalar {
  return tf.tidy(() => tf.addN(ts.map((t) => tf.sum(tf.square(t)))) as tf.Scalar);
}

/** Inner product ⟨a, b⟩ over matching tensor lists, as a scalar tensor. */
export function dot(a: tf.Tensor[], b: tf.Tensor[]): tf.Scalar {
  return tf.tidy(() => tf.addN(a.map((t, i) => tf.sum(tf.mul(t, b[i])))) as tf.Scalar);
}

/** Flatten to one Float32Array (W_1, b_1, ...); one synchronous read, for tests, export, CG and diagnostics. */
export function flattenParams(p: Params): Float32Array {
  const packed = tf.tidy(() => tf.concat(paramTensors(p).map((t) => tf.reshape(t, [-1]))));
  const out = packed.dataSync() as Float32Array;
  packed.dispose();
  return out;
}

/** New float32 parameter tensors of `net` from a flat vector (order as flattenParams); the caller owns them. */
export function unflattenParams(flat: ArrayLike<number>, net: NetworkSpec): Params {
  const out: Params = [];
  let o = 0;
  for (const [din, dout] of weightShapes(net)) {
    const w = new Float32Array(din * dout);
    for (let i = 0; i < w.length; i++) w[i] = flat[o + i];
    o += w.length;
    const b = new Float32Array(dout);
    for (let i = 0; i < dout; i++) b[i] = flat[o + i];
    o += dout;
    out.push({ W: tf.tensor2d(w, [din, dout]), b: tf.tensor1d(b) });
  }
  if (o !== flat.length) throw new Error(`parameter vector has ${flat.length} entries, network needs ${o}`);
  return out;
}

export function paramCount(net: NetworkSpec): number {
  let n = 0;
  for (const [din, dout] of weightShapes(net)) n += din * dout + dout;
  return n;
}

/** True when every parameter is finite; one small synchronous read. */
export function allFinite(p: Params): boolean {
  const s = tf.tidy(() => tf.addN(paramTensors(p).map((t) => tf.sum(t))));
  const v = s.dataSync()[0];
  s.dispose();
  return Number.isFinite(v);
}
