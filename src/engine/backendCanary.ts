import * as tf from '@tensorflow/tfjs';
import { defaultInit } from './init';
import { lossAndGrad } from './model';
import type { NetworkSpec } from './types';

/**
 * The backend self-check ("canary", issue 32): one forward and backward pass of a tiny fixed network, computed on
 * the active TF.js backend with the engine's own model code (model.ts lossAndGrad: fused matMul + bias, tanh, softmax
 * cross-entropy and the hand-written back-propagation) and read back the way runs read (dataSync), compared with the
 * same pass computed here in float64 on plain JS numbers.
 *
 * Why: a GPU backend can initialise and then compute wrong numbers without any error. Measured on the software WebGPU
 * adapter of headless Chromium (issue 32): the device computes right and asynchronous reads are right, but TF.js's
 * synchronous read (dataSync, which the engine uses everywhere) returns zeros and destroys the device, after which
 * every buffer allocation fails — runs showed loss 0 and accuracy 0 and "converged", or failed at createBuffer. Hence
 * the canary reads synchronously, like the runs. A backend that fails it is not used; the worker moves on to the next
 * one and says why.
 *
 * Tolerance: every value must agree with the float64 result within CANARY_TOLERANCE (1e-4) relative to the largest
 * magnitude of its quantity (the loss; each layer's ∂L/∂W and ∂L/∂b). Float32 arithmetic on a pass this small is
 * off by ~1e-6 at most, so 1e-4 leaves a 100× margin for GPU transcendental functions, and a zero, a NaN or a
 * garbage value is off by ~1.
 */
export const CANARY_TOLERANCE = 1e-4;

/** The canary's network: 3 inputs, 5 tanh units, 3 softmax classes, 4 samples. */
const SIZES = [3, 5, 3] as const;
const SAMPLES = 4;
const LABELS = [0, 2, 1, 2];

/**
 * The canary's fixed inputs and weights: smooth, distinct, of mixed sign and O(1), so that every product matters
 * and no unit saturates. Rounded to float32 here so that the float64 reference sees exactly what the device sees.
 */
function fixedValues(count: number, phase: number, scale: number): number[] {
  return Array.from({ length: count }, (_, i) => Math.fround(scale * Math.sin(phase + 1.7 * i + 0.3 * i * i)));
}

interface CanaryInputs {
  x: number[]; // SAMPLES × 3, row-major
  y: number[]; // SAMPLES × 3 one-hot
  w1: number[]; // 3 × 5
  b1: number[];
  w2: number[]; // 5 × 3
  b2: number[];
}

function canaryInputs(): CanaryInputs {
  const [d, h, k] = SIZES;
  const y = new Array(SAMPLES * k).fill(0);
  LABELS.forEach((c, i) => (y[i * k + c] = 1));
  return {
    x: fixedValues(SAMPLES * d, 0.5, 1.5),
    y,
    w1: fixedValues(d * h, 1.1, 0.8),
    b1: fixedValues(h, 2.3, 0.2),
    w2: fixedValues(h * k, 0.7, 0.9),
    b2: fixedValues(k, 3.1, 0.1),
  };
}

/** What the canary compares: the mean loss and the gradient of every parameter block. */
export interface CanaryValues {
  loss: number;
  gradW1: ArrayLike<number>;
  gradB1: ArrayLike<number>;
  gradW2: ArrayLike<number>;
  gradB2: ArrayLike<number>;
}

const QUANTITIES: { key: keyof CanaryValues; label: string }[] = [
  { key: 'loss', label: 'loss' },
  { key: 'gradW1', label: '∂L/∂W₁' },
  { key: 'gradB1', label: '∂L/∂b₁' },
  { key: 'gradW2', label: '∂L/∂W₂' },
  { key: 'gradB2', label: '∂L/∂b₂' },
];

/** The canary pass in float64 on the CPU: forward, mean softmax cross-entropy, and back-propagation by hand. */
export function canaryReference(): CanaryValues {
  const { x, y, w1, b1, w2, b2 } = canaryInputs();
  const [d, h, k] = SIZES;
  const n = SAMPLES;
  const hidden = new Array(n * h).fill(0);
  const dz = new Array(n * k).fill(0);
  let loss = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < h; j++) {
      let s = b1[j];
      for (let p = 0; p < d; p++) s += x[i * d + p] * w1[p * h + j];
      hidden[i * h + j] = Math.tanh(s);
    }
    const z = new Array(k).fill(0);
    for (let c = 0; c < k; c++) {
      let s = b2[c];
      for (let j = 0; j < h; j++) s += hidden[i * h + j] * w2[j * k + c];
      z[c] = s;
    }
    const zMax = Math.max(...z);
    const sumExp = z.reduce((acc, v) => acc + Math.exp(v - zMax), 0);
    const logSumExp = zMax + Math.log(sumExp);
    for (let c = 0; c < k; c++) {
      loss -= (y[i * k + c] * (z[c] - logSumExp)) / n;
      dz[i * k + c] = (Math.exp(z[c] - logSumExp) - y[i * k + c]) / n;
    }
  }
  const gradW2 = new Array(h * k).fill(0);
  const gradB2 = new Array(k).fill(0);
  const gradW1 = new Array(d * h).fill(0);
  const gradB1 = new Array(h).fill(0);
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < k; c++) {
      gradB2[c] += dz[i * k + c];
      for (let j = 0; j < h; j++) gradW2[j * k + c] += hidden[i * h + j] * dz[i * k + c];
    }
    for (let j = 0; j < h; j++) {
      let g = 0;
      for (let c = 0; c < k; c++) g += dz[i * k + c] * w2[j * k + c];
      const da = g * (1 - hidden[i * h + j] ** 2);
      gradB1[j] += da;
      for (let p = 0; p < d; p++) gradW1[p * h + j] += x[i * d + p] * da;
    }
  }
  return { loss, gradW1, gradB1, gradW2, gradB2 };
}

/** The canary pass on the active TF.js backend, through model.ts, read synchronously as the runs read. */
export function canaryOnActiveBackend(): CanaryValues {
  const { x, y, w1, b1, w2, b2 } = canaryInputs();
  const [d, h, k] = SIZES;
  const net: NetworkSpec = { sizes: [...SIZES], activation: 'tanh', outputLink: 'softmax', loss: 'ce', init: defaultInit() };
  const outputs = tf.tidy(() => {
    const params = [
      { W: tf.tensor2d(w1, [d, h]), b: tf.tensor1d(b1) },
      { W: tf.tensor2d(w2, [h, k]), b: tf.tensor1d(b2) },
    ];
    const { loss, grads } = lossAndGrad(params, net, tf.tensor2d(x, [SAMPLES, d]), tf.tensor2d(y, [SAMPLES, k]));
    return [loss, grads[0].W, grads[0].b, grads[1].W, grads[1].b];
  });
  try {
    const [loss, gradW1, gradB1, gradW2, gradB2] = outputs.map((t) => t.dataSync());
    return { loss: loss[0], gradW1, gradB1, gradW2, gradB2 };
  } finally {
    tf.dispose(outputs);
  }
}

export type CanaryVerdict = { ok: true; maxRelativeError: number } | { ok: false; reason: string };

const fmt = (v: number) => (Number.isFinite(v) && v !== 0 ? Number(v.toPrecision(5)).toString() : String(v));

/**
 * Compare `actual` with `expected` within CANARY_TOLERANCE (see the file comment). The reason of a failure names the
 * first value off: "loss 0 where 1.0443 was expected", "∂L/∂W₁[4] NaN where -0.012346 was expected".
 */
export function compareCanary(expected: CanaryValues, actual: CanaryValues, tolerance = CANARY_TOLERANCE): CanaryVerdict {
  let maxRelativeError = 0;
  for (const { key, label } of QUANTITIES) {
    const want = key === 'loss' ? [expected.loss] : Array.from(expected[key] as ArrayLike<number>);
    const got = key === 'loss' ? [actual.loss] : Array.from(actual[key] as ArrayLike<number>);
    if (got.length !== want.length) return { ok: false, reason: `${label} has ${got.length} values where ${want.length} were expected` };
    const scale = Math.max(...want.map(Math.abs));
    for (let i = 0; i < want.length; i++) {
      const rel = Math.abs(got[i] - want[i]) / scale;
      const name = key === 'loss' ? label : `${label}[${i}]`;
      // !(rel <= tol) also refuses NaN.
      if (!(rel <= tolerance)) return { ok: false, reason: `${name} ${fmt(got[i])} where ${fmt(want[i])} was expected` };
      maxRelativeError = Math.max(maxRelativeError, rel);
    }
  }
  return { ok: true, maxRelativeError };
}

/**
 * Run the canary: `compute` (by default the pass on the active backend; a test passes a broken one) against the
 * float64 reference. An exception in `compute` is a failure with its message, not an exception here.
 */
export function runCanary(compute: () => CanaryValues = canaryOnActiveBackend): CanaryVerdict {
  let actual: CanaryValues;
  try {
    actual = compute();
  } catch (err) {
    return { ok: false, reason: `the check pass threw: ${err instanceof Error ? err.message : String(err)}` };
  }
  return compareCanary(canaryReference(), actual);
}

/** The notice for a backend that failed: "webgpu failed its self-check: loss 0 where 1.0443 was expected". */
export function selfCheckFailure(backend: string, reason: string): string {
  return `${backend} failed its self-check: ${reason}`;
}
