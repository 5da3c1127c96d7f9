import * as tf from '@tensorflow/tfjs';
import { adamArrays, momentumArrays } from './updateRules';

/**
 * Fused update kernels for the host backends (CPU and WASM), registered into TF.js under our own kernel names.
 *
 * Why: on WASM every broadcasting elementwise op (m·β1 with a JS number) and every Sqrt runs a scalar slow path
 * (≈0.6 ms and ≈1.4 ms per 100k elements here, against ≈0.05 ms for a same-shape Multiply), and every op costs a
 * dispatch. Adam as ops is ~10 such kernels per tensor; here it is one loop over the heap per tensor, writing all
 * three outputs. GPU backends keep the op formulation (optimizers.ts), which is also the reference the tests
 * compare these kernels with.
 *
 * Reading and writing: CPU tensors are plain typed arrays (backend.data); WASM tensors live in the WASM heap and
 * are viewed with typedArrayFromHeap. Outputs are allocated first and views taken afterwards, because an
 * allocation may grow (and detach) the heap.
 */

export const ADAM_KERNEL = 'PlaygroundAdamUpdate';
export const MOMENTUM_KERNEL = 'PlaygroundMomentumUpdate';
export const MAXPOOL_GRAD_KERNEL = 'PlaygroundMaxPoolGrad';

interface HostBackend {
  view(t: tf.TensorInfo): Float32Array;
  alloc(shape: number[]): tf.TensorInfo;
}

function hostBackend(backendName: string, backend: unknown): HostBackend {
  if (backendName === 'wasm') {
    const b = backend as { makeOutput(shape: number[], dtype: string): tf.TensorInfo; typedArrayFromHeap(t: tf.TensorInfo): Float32Array };
    return { view: (t) => b.typedArrayFromHeap(t), alloc: (shape) => b.makeOutput(shape, 'float32') };
  }
  const b = backend as { data: { get(id: object): { values: Float32Array } }; makeTensorInfo(shape: number[], dtype: string, values?: Float32Array): tf.TensorInfo };
  return {
    view: (t) => b.data.get(t.dataId).values,
    alloc: (shape) => b.makeTensorInfo(shape, 'float32', new Float32Array(shape.reduce((a, c) => a * c, 1))),
  };
}

function registerFor(backendName: 'cpu' | 'wasm'): void {
  if (!tf.getKernel(ADAM_KERNEL, backendName)) {
    tf.registerKernel({
      kernelName: ADAM_KERNEL,
      backendName,
      kernelFunc: ({ inputs, backend, attrs }) => {
        const { p, g, m, v } = inputs as unknown as Record<'p' | 'g' | 'm' | 'v', tf.TensorInfo>;
        const { beta1, beta2, eps, stepSize } = attrs as unknown as { beta1: number; beta2: number; eps: number; stepSize: number };
        const hb = hostBackend(backendName, backend);
        const outP = hb.alloc(p.shape), outM = hb.alloc(p.shape), outV = hb.alloc(p.shape);
        const P = hb.view(p), G = hb.view(g), M = hb.view(m), V = hb.view(v);
        const P1 = hb.view(outP), M1 = hb.view(outM), V1 = hb.view(outV);
        adamArrays(P, G, M, V, P1, M1, V1, beta1, beta2, eps, stepSize);
        return [outP, outM, outV];
      },
    });
  }
  if (!tf.getKernel(MOMENTUM_KERNEL, backendName)) {
    tf.registerKernel({
      kernelName: MOMENTUM_KERNEL,
      backendName,
      kernelFunc: ({ inputs, backend, attrs }) => {
        const { p, g, vel } = inputs as unknown as Record<'p' | 'g' | 'vel', tf.TensorInfo>;
        const { lr, momentum } = attrs as unknown as { lr: number; momentum: number };
        const hb = hostBackend(backendName, backend);
        const outP = hb.alloc(p.shape), outV = hb.alloc(p.shape);
        const P = hb.view(p), G = hb.view(g), Vel = hb.view(vel);
        const P1 = hb.view(outP), V1 = hb.view(outV);
        momentumArrays(P, G, Vel, P1, V1, lr, momentum);
        return [outP, outV];
      },
    });
  }
}

/**
 * ∂/∂input of a valid max-pool (NHWC): each window's dy goes to the window's first maximum in row-major order — the
 * rule of TF.js's CPU kernel and of PyTorch. Why our own: WASM's MaxPoolGrad loses dy of every window whose maximum
 * is ≤ 0 (measured in tfjs-backend-wasm 4.x: an all-negative window, as tanh gives, sends nothing back; an all-zero
 * ReLU window neither), which makes the gradient of a tanh → max-pool layer wrong and the VI field (which does not
 * mask by σ′) of a ReLU → max-pool layer differ from the CPU backend's. It is also faster than WASM's (one pass).
 */
export function maxPoolGradArrays(X: Float32Array, DY: Float32Array, DX: Float32Array, n: number, h: number, w: number, c: number, oh: number, ow: number, size: number, stride: number): void {
  DX.fill(0);
  for (let b = 0; b < n; b++) {
    const xb = b * h * w * c;
    for (let oy = 0; oy < oh; oy++) {
      for (let ox = 0; ox < ow; ox++) {
        const dyo = ((b * oh + oy) * ow + ox) * c;
        const corner = xb + (oy * stride * w + ox * stride) * c;
        for (let ch = 0; ch < c; ch++) {
          let best = corner + ch;
          let max = X[best];
          for (let ky = 0; ky < size; ky++) {
            const row = corner + ky * w * c + ch;
            for (let kx = 0; kx < size; kx++) {
              const at = row + kx * c;
              if (X[at] > max) {
                max = X[at];
                best = at;
              }
            }
          }
          DX[best] += DY[dyo + ch];
        }
      }
    }
  }
}

function registerPoolFor(backendName: 'cpu' | 'wasm'): void {
  if (tf.getKernel(MAXPOOL_GRAD_KERNEL, backendName)) return;
  tf.registerKernel({
    kernelName: MAXPOOL_GRAD_KERNEL,
    backendName,
    kernelFunc: ({ inputs, backend, attrs }) => {
      const { dy, input } = inputs as unknown as Record<'dy' | 'input', tf.TensorInfo>;
      const { size, stride } = attrs as unknown as { size: number; stride: number };
      const hb = hostBackend(backendName, backend);
      const out = hb.alloc(input.shape);
      const [n, h, w, c] = input.shape;
      maxPoolGradArrays(hb.view(input), hb.view(dy), hb.view(out), n, h, w, c, dy.shape[1], dy.shape[2], size, stride);
      return out;
    },
  });
}

/**
 * The gradient of a valid max-pool on the host backends (null elsewhere: callers use TF.js's MaxPoolGrad), with
 * ties and non-positive windows handled as TF.js's CPU kernel and PyTorch do (maxPoolGradArrays).
 */
export function hostMaxPoolGrad(dy: tf.Tensor4D, input: tf.Tensor4D, size: number, stride: number): tf.Tensor4D | null {
  const name = tf.getBackend();
  if ((name !== 'cpu' && name !== 'wasm') || dy.dtype !== 'float32' || input.dtype !== 'float32') return null;
  registerPoolFor(name);
  return tf.engine().runKernel(MAXPOOL_GRAD_KERNEL, { dy, input }, { size, stride } as unknown as tf.NamedAttrMap) as tf.Tensor4D;
}

/** True when the active backend has the fused kernels (registering them on first use). */
export function hostKernelsActive(): boolean {
  const name = tf.getBackend();
  if (name !== 'cpu' && name !== 'wasm') return false;
  registerFor(name);
  return true;
}

const f32 = (ts: tf.Tensor[]) => ts.every((t) => t.dtype === 'float32');

/** True when parallel parameter lists are all float32 with matching sizes (what the fused kernels need). */
export function fusable(lists: { W: tf.Tensor; b: tf.Tensor }[][]): boolean {
  const first = lists[0];
  return lists.every(
    (l) => l.length === first.length && l.every((x, i) => f32([x.W, x.b]) && x.W.size === first[i].W.size && x.b.size === first[i].b.size),
  );
}

/** One fused Adam step for one tensor: [p′, m′, v′]. Callers check hostKernelsActive() and fusable(). */
export function fusedAdam(p: tf.Tensor, g: tf.Tensor, m: tf.Tensor, v: tf.Tensor, beta1: number, beta2: number, eps: number, stepSize: number): tf.Tensor[] {
  return tf.engine().runKernel(ADAM_KERNEL, { p, g, m, v }, { beta1, beta2, eps, stepSize } as unknown as tf.NamedAttrMap) as unknown as tf.Tensor[];
}

/** One fused heavy-ball step for one tensor: [p′, v′] with v′ = μ v + g, p′ = p − γ v′. */
export function fusedMomentum(p: tf.Tensor, g: tf.Tensor, vel: tf.Tensor, lr: number, momentum: number): tf.Tensor[] {
  return tf.engine().runKernel(MOMENTUM_KERNEL, { p, g, vel }, { lr, momentum } as unknown as tf.NamedAttrMap) as unknown as tf.Tensor[];
}

/**
 * Σ t² over float32 tensors, summed on the host in float64, when the backend keeps data in host memory (CPU,
 * WASM); null elsewhere (callers then use the tensor formulation). No kernel runs, nothing is allocated.
 */
export function hostSumSquares(ts: tf.Tensor[]): number | null {
  const name = tf.getBackend();
  if ((name !== 'cpu' && name !== 'wasm') || !f32(ts)) return null;
  const hb = hostBackend(name, tf.backend());
  let s = 0;
  for (const t of ts) {
    const a = hb.view(t);
    for (let i = 0; i < a.length; i++) s += a[i] * a[i];
  }
  return s;
}
