import * as tf from '@tensorflow/tfjs';

/**
 * Speed fixes for TF.js's WASM backend (measured in bench/README.md).
 *
 * The WASM BatchMatMul/_FusedMatMul kernels send every product with transposeA or transposeB to a slow generic
 * loop instead of XNNPACK: on this machine X^T·Δ (784×256 · 256×128) took 48 ms against 3.5 ms for an explicit
 * transpose (0.75 ms) plus the plain product. Back-propagation is made of exactly such products (dW = X^T Δ,
 * dX = Δ W^T), and so are the other methods' blocks. We re-register both kernels for 'wasm' with a wrapper that
 * transposes the flagged operand with the backend's own Transpose kernel and calls the original kernel with the
 * flags off. Results are identical up to float summation order; every caller of tf.matMul benefits.
 */

let installed = false;

type KernelArgs = { inputs: Record<string, tf.TensorInfo | undefined>; backend: tf.KernelBackend; attrs?: Record<string, unknown> };
type KernelFn = (args: KernelArgs) => tf.TensorInfo | tf.TensorInfo[];

function swapLast(shape: number[]): number[] {
  const perm = shape.map((_, i) => i);
  const r = shape.length;
  perm[r - 1] = r - 2;
  perm[r - 2] = r - 1;
  return perm;
}

function wrapTransposes(kernelName: string): void {
  const cfg = tf.getKernel(kernelName, 'wasm');
  const transpose = tf.getKernel('Transpose', 'wasm');
  if (!cfg || !transpose) return;
  const original = cfg.kernelFunc as unknown as KernelFn;
  const tfn = transpose.kernelFunc as unknown as KernelFn;
  const wrapped: KernelFn = (args) => {
    const attrs = args.attrs ?? {};
    const ta = attrs.transposeA === true;
    const tb = attrs.transposeB === true;
    if (!ta && !tb) return original(args);
    const backend = args.backend as tf.KernelBackend & { disposeData(id: object): boolean };
    const temps: tf.TensorInfo[] = [];
    const inputs = { ...args.inputs };
    const flip = (key: 'a' | 'b') => {
      const x = inputs[key]!;
      const t = tfn({ inputs: { x }, backend, attrs: { perm: swapLast(x.shape) } }) as tf.TensorInfo;
      temps.push(t);
      inputs[key] = t;
    };
    if (ta) flip('a');
    if (tb) flip('b');
    try {
      return original({ inputs, backend, attrs: { ...attrs, transposeA: false, transposeB: false } });
    } finally {
      for (const t of temps) backend.disposeData(t.dataId);
    }
  };
  tf.unregisterKernel(kernelName, 'wasm');
  tf.registerKernel({ ...cfg, kernelFunc: wrapped as unknown as tf.KernelFunc });
}

/** Idempotent; call once the WASM backend package is loaded (before or after tf.setBackend('wasm')). */
export function installWasmFastPaths(): void {
  if (installed) return;
  if (!tf.getKernel('BatchMatMul', 'wasm')) return; // the WASM backend is not loaded in this bundle
  wrapTransposes('BatchMatMul');
  wrapTransposes('_FusedMatMul');
  installed = true;
}
