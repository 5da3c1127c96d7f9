/**
 * How far the MNIST step can go on WASM: the step's three large matrix products (784-128-128-10, batch 256: the
 * forward X·W₁, the weight gradient X^T·Δ₁, and the first hidden layer's Δ·W^T is small) timed alone in TF.js-WASM
 * (the browser's binary, one thread, Node) and in NumPy float32 (OpenBLAS, 1 thread and default threads), in the same
 * run. If one product alone runs at r % of native, no change to the rest of the step brings the whole step above
 * about r % — the ceiling behind issue 19's "50 % of native" goal.
 * Usage: npx tsx bench/matmulCeiling.ts          (prints a table; not a test)
 */
import { execFileSync } from 'node:child_process';
import * as tf from '@tensorflow/tfjs';
import { useWasm } from '../src/testing/cpu';

const PRODUCTS: { name: string; a: [number, number]; b: [number, number]; transposeA: boolean }[] = [
  { name: 'forward X·W1 (256×784 · 784×128)', a: [256, 784], b: [784, 128], transposeA: false },
  { name: 'gradient X^T·D1 (784×256 · 256×128)', a: [256, 784], b: [256, 128], transposeA: true },
  { name: 'hidden H·W2 (256×128 · 128×128)', a: [256, 128], b: [128, 128], transposeA: false },
];
const REPS = 200;

await useWasm();
const wasmMs = PRODUCTS.map((p) => {
  const a = tf.randomNormal(p.a, 0, 1, 'float32', 1) as tf.Tensor2D;
  const b = tf.randomNormal(p.b, 0, 1, 'float32', 2) as tf.Tensor2D;
  const once = () => tf.tidy(() => tf.matMul(a, b, p.transposeA, false)).dataSync();
  for (let i = 0; i < 20; i++) once();
  const t0 = performance.now();
  for (let i = 0; i < REPS; i++) once();
  const ms = (performance.now() - t0) / REPS;
  a.dispose();
  b.dispose();
  return ms;
});

const python = `
import os, sys, time, json
import numpy as np
out = []
for (a, b, ta) in json.loads(sys.argv[1]):
    rng = np.random.default_rng(1)
    A = rng.standard_normal(a).astype(np.float32); B = rng.standard_normal(b).astype(np.float32)
    f = (lambda: A.T @ B) if ta else (lambda: A @ B)
    for _ in range(20): f()
    best = 1e9
    for _ in range(5):
        t0 = time.perf_counter()
        for _ in range(${REPS}): f()
        best = min(best, (time.perf_counter() - t0) / ${REPS} * 1000)
    out.append(best)
print(json.dumps(out))
`;
const args = JSON.stringify(PRODUCTS.map((p) => [p.a, p.b, p.transposeA]));
const numpy = (threads: string | undefined) =>
  JSON.parse(execFileSync('python3', ['-c', python, args], { env: { ...process.env, ...(threads ? { OPENBLAS_NUM_THREADS: threads, OMP_NUM_THREADS: threads } : {}) } }).toString()) as number[];
const np1 = numpy('1');
const npDefault = numpy(undefined);

console.log('| product | TF.js WASM 1 thread ms | NumPy 1 thread ms | WASM speed vs NumPy 1 thread | NumPy default threads ms | vs default |');
console.log('|---|---|---|---|---|---|');
PRODUCTS.forEach((p, i) =>
  console.log(
    `| ${p.name} | ${wasmMs[i].toFixed(3)} | ${np1[i].toFixed(3)} | ${((100 * np1[i]) / wasmMs[i]).toFixed(0)}% | ${npDefault[i].toFixed(3)} | ${((100 * npDefault[i]) / wasmMs[i]).toFixed(0)}% |`,
  ),
);
const sum = (xs: number[]) => xs.reduce((s, x) => s + x, 0);
console.log(`all three: WASM ${sum(wasmMs).toFixed(2)} ms, NumPy 1 thread ${sum(np1).toFixed(2)} ms (${((100 * sum(np1)) / sum(wasmMs)).toFixed(0)}% of native)`);
