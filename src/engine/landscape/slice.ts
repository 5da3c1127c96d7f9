import * as tf from '@tensorflow/tfjs';
import { activate, isConvolutional, lossFromLogits, lossOnly, weightShapes } from '../model';
import { disposeParams, unflattenParams } from '../params';
import { deriveSeed, gaussian, makeRng } from '../random';
import type { NetworkSpec } from '../types';
import type { Snapshot } from './snapshots';

/**
 * Loss-landscape slices of a real network (Li, Xu, Taylor, Studer, Goldstein — "Visualizing the Loss Landscape of
 * Neural Nets", NeurIPS 2018): L(θ_c + a·d1 + b·d2) on a grid of (a, b), with d1, d2 random Gaussian directions
 * that are *filter-normalised*: for every neuron (a column of W_l, row-major d_in × d_out) or convolution filter (a
 * column of its [kernel²·c_in, filters] matrix) the direction's column is rescaled to the norm of the weights' column. Biases get direction 0 (Li et al.'s code default,
 * "ignore biasbn"; chosen here as well). The directions depend only on the seed and the centre weights, so every
 * run of a comparison projected against the same centre and seed lies on the same plane.
 */

export interface SliceDirections {
  d1: Float32Array;
  d2: Float32Array;
}

/** Layer layout of a flattened parameter vector (W_1, b_1, W_2, b_2, …; see params.ts flattenParams). */
function layout(net: NetworkSpec) {
  const out: { wOff: number; bOff: number; din: number; dout: number }[] = [];
  let o = 0;
  for (const [din, dout] of weightShapes(net)) {
    out.push({ wOff: o, bOff: o + din * dout, din, dout });
    o += din * dout + dout;
  }
  if (o === 0) throw new Error('empty network');
  return { layers: out, total: o };
}

export function filterNormalisedDirection(center: ArrayLike<number>, net: NetworkSpec, seed: number, which: 1 | 2): Float32Array {
  const { layers, total } = layout(net);
  if (center.length !== total) throw new Error(`centre has ${center.length} entries, network needs ${total}`);
  const rng = makeRng(deriveSeed(seed, `slice-direction-${which}`));
  const d = new Float32Array(total);
  for (const { wOff, din, dout } of layers) {
    for (let i = 0; i < din * dout; i++) d[wOff + i] = gaussian(rng);
    for (let j = 0; j < dout; j++) {
      let dn = 0, wn = 0;
      for (let i = 0; i < din; i++) {
        const k = wOff + i * dout + j;
        dn += d[k] * d[k];
        wn += center[k] * center[k];
      }
      const s = dn > 0 ? Math.sqrt(wn / dn) : 0;
      for (let i = 0; i < din; i++) d[wOff + i * dout + j] *= s;
    }
    // biases: direction 0 (already)
  }
  return d;
}

export function sliceDirections(center: ArrayLike<number>, net: NetworkSpec, seed: number): SliceDirections {
  return { d1: filterNormalisedDirection(center, net, seed, 1), d2: filterNormalisedDirection(center, net, seed, 2) };
}

/**
 * Coordinates of θ on the plane: the least-squares (a, b) with θ − θ_c ≈ a·d1 + b·d2 (d1, d2 are not orthogonal
 * in general, so the 2×2 Gram system is solved), and how far θ lies off the plane, ‖residual‖/‖θ − θ_c‖.
 */
export function projectOntoPlane(theta: ArrayLike<number>, center: ArrayLike<number>, dirs: SliceDirections): { a: number; b: number; offPlane: number } {
  const { d1, d2 } = dirs;
  let g11 = 0, g12 = 0, g22 = 0, r1 = 0, r2 = 0, dd = 0;
  for (let i = 0; i < d1.length; i++) {
    const delta = theta[i] - center[i];
    g11 += d1[i] * d1[i];
    g12 += d1[i] * d2[i];
    g22 += d2[i] * d2[i];
    r1 += d1[i] * delta;
    r2 += d2[i] * delta;
    dd += delta * delta;
  }
  const det = g11 * g22 - g12 * g12;
  if (!(det > 0)) return { a: 0, b: 0, offPlane: dd > 0 ? 1 : 0 };
  const a = (g22 * r1 - g12 * r2) / det;
  const b = (g11 * r2 - g12 * r1) / det;
  // ‖δ − P δ‖² = ‖δ‖² − (a r1 + b r2) for the orthogonal projection P.
  const res2 = Math.max(0, dd - (a * r1 + b * r2));
  return { a, b, offPlane: dd > 0 ? Math.sqrt(res2 / dd) : 0 };
}

export interface SliceGrid {
  /** Grid coordinates along d1 (a) and d2 (b); `values[r * n + c]` is the loss at (alphas[c], alphas[r]). */
  alphas: number[];
  values: Float32Array;
  /** Loss at the centre (a, b) = (0, 0): the grid's middle value. */
  centerLoss: number;
}

export function sliceAxis(resolution: number, span: number): number[] {
  return Array.from({ length: resolution }, (_, i) => (resolution === 1 ? 0 : -span + (2 * span * i) / (resolution - 1)));
}

/**
 * The loss of the network at θ_c + a d1 + b d2 for every grid point, on (x, y) — all tensor work in tf.tidy.
 * The first layer's pre-activation is linear in (a, b): X(W_c + a D1 + b D2) + b_c = P0 + a P1 + b P2, so its
 * three products are formed once and each grid point costs only the layers above it.
 */
export function computeSlice(net: NetworkSpec, x: tf.Tensor2D, y: tf.Tensor2D, center: ArrayLike<number>, dirs: SliceDirections, alphas: number[]): SliceGrid {
  if (isConvolutional(net) || (net.weightDecay ?? 0) > 0) return computeSliceByPoints(net, x, y, center, dirs, alphas);
  const { layers } = layout(net);
  const n = alphas.length;
  const values = new Float32Array(n * n);
  const c32 = Float32Array.from(center);
  const part = (v: Float32Array, off: number, len: number) => v.subarray(off, off + len);
  const keep = tf.tidy(() => {
    const Wc = layers.map((L) => tf.tensor2d(part(c32, L.wOff, L.din * L.dout), [L.din, L.dout]));
    const bc = layers.map((L) => tf.tensor1d(part(c32, L.bOff, L.dout)));
    const D1 = layers.map((L) => tf.tensor2d(part(dirs.d1, L.wOff, L.din * L.dout), [L.din, L.dout]));
    const D2 = layers.map((L) => tf.tensor2d(part(dirs.d2, L.wOff, L.din * L.dout), [L.din, L.dout]));
    const P0 = tf.add(tf.matMul(x, Wc[0]), bc[0]);
    const P1 = tf.matMul(x, D1[0]);
    const P2 = tf.matMul(x, D2[0]);
    return { Wc, bc, D1, D2, P0, P1, P2 };
  });
  try {
    const L = layers.length;
    for (let r = 0; r < n; r++) {
      const b = alphas[r];
      const row = tf.tidy(() => {
        const losses: tf.Scalar[] = [];
        for (let c = 0; c < n; c++) {
          const a = alphas[c];
          let z = tf.add(tf.add(keep.P0, tf.mul(keep.P1, a)), tf.mul(keep.P2, b)) as tf.Tensor2D;
          for (let l = 1; l < L; l++) {
            const h = activate(z, net.activation);
            const W = tf.add(tf.add(keep.Wc[l], tf.mul(keep.D1[l], a)), tf.mul(keep.D2[l], b)) as tf.Tensor2D;
            z = tf.add(tf.matMul(h, W), keep.bc[l]);
          }
          losses.push(lossFromLogits(z, y, net));
        }
        return tf.stack(losses);
      });
      values.set(row.dataSync() as Float32Array, r * n);
      row.dispose();
    }
  } finally {
    tf.dispose([...keep.Wc, ...keep.bc, ...keep.D1, ...keep.D2, keep.P0, keep.P1, keep.P2]);
  }
  const mid = (n - 1) / 2;
  const centerLoss = Number.isInteger(mid) ? values[mid * n + mid] : NaN;
  return { alphas, values, centerLoss };
}

/**
 * The same grid, one objective evaluation (model.ts lossOnly: data loss + weight decay) per point — for a
 * convolutional network, whose first layer is not one product with the data, and for an objective with weight decay.
 */
function computeSliceByPoints(net: NetworkSpec, x: tf.Tensor2D, y: tf.Tensor2D, center: ArrayLike<number>, dirs: SliceDirections, alphas: number[]): SliceGrid {
  const n = alphas.length;
  const values = new Float32Array(n * n);
  const theta = new Float32Array(center.length);
  for (let r = 0; r < n; r++)
    for (let c = 0; c < n; c++) {
      for (let i = 0; i < theta.length; i++) theta[i] = center[i] + alphas[c] * dirs.d1[i] + alphas[r] * dirs.d2[i];
      const params = unflattenParams(theta, net);
      const loss = lossOnly(params, net, x, y);
      values[r * n + c] = loss.dataSync()[0];
      loss.dispose();
      disposeParams(params);
    }
  const mid = (n - 1) / 2;
  return { alphas, values, centerLoss: Number.isInteger(mid) ? values[mid * n + mid] : NaN };
}

/** Loss at one flattened parameter vector (same arithmetic as computeSlice at a = b = 0 for θ = θ_c). */
export function lossAtFlat(net: NetworkSpec, x: tf.Tensor2D, y: tf.Tensor2D, flat: ArrayLike<number>): number {
  const zeros = new Float32Array(flat.length);
  return computeSlice(net, x, y, flat, { d1: zeros, d2: zeros }, [0]).values[0];
}

export interface SliceRequest {
  /** Centre weights; absent = the run's own current weights. */
  center?: Float32Array;
  seed: number;
  resolution: number;
  span: number;
  /** First `samples` training rows (0 = all). */
  samples: number;
  /** Compute the loss grid (the reference run) or only project the trajectory (the other runs). */
  grid: boolean;
}

export interface ProjectedSnapshot {
  iteration: number;
  a: number;
  b: number;
  /** Loss at the snapshot itself (on the slice's samples), not at its projection. */
  loss: number;
  offPlane: number;
}

export interface SliceResult {
  center: Float32Array;
  grid?: SliceGrid;
  trajectory: ProjectedSnapshot[];
  samples: number;
  ms: number;
}

/**
 * What the worker runs for a 'slice' message: directions from the centre and seed, the grid (if asked) and the
 * run's snapshots (plus its current weights as the last point) projected onto the plane.
 */
export function sliceForRun(
  net: NetworkSpec,
  xTrain: tf.Tensor2D,
  yTrain: tf.Tensor2D,
  current: Float32Array,
  currentIteration: number,
  snapshots: Snapshot[],
  req: SliceRequest,
): SliceResult {
  const t0 = performance.now();
  const nAll = xTrain.shape[0];
  const samples = req.samples > 0 && req.samples < nAll ? req.samples : nAll;
  const [x, y] = samples === nAll ? [xTrain, yTrain] : [xTrain.slice([0, 0], [samples, -1]), yTrain.slice([0, 0], [samples, -1])];
  try {
    const center = req.center ?? current;
    const dirs = sliceDirections(center, net, req.seed);
    const grid = req.grid ? computeSlice(net, x, y, center, dirs, sliceAxis(req.resolution, req.span)) : undefined;
    const points = [...snapshots.filter((s) => s.iteration < currentIteration), { iteration: currentIteration, flat: current }];
    const trajectory = points.map((s) => ({ iteration: s.iteration, ...projectOntoPlane(s.flat, center, dirs), loss: lossAtFlat(net, x, y, s.flat) }));
    return { center: Float32Array.from(center), grid, trajectory, samples, ms: performance.now() - t0 };
  } finally {
    if (samples !== nAll) tf.dispose([x, y]);
  }
}
