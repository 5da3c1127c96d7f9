/**
 * Kernel profile of one step of a method on the speed bench's MNIST problem (src/bench/experiment.ts: 784-128-128-10,
 * 12,000 images), Node + WASM (the browser's binary, one thread): `npx tsx bench/profileMethods.ts mdlam [steps]`.
 * Prints ms per step, then kernel time by kernel and by matmul shape (tf.profile) — where a sweep spends its time.
 * Prints figures; it is not a test.
 */
import * as tf from '@tensorflow/tfjs';
import { defaultHyper, findSpec } from '../src/methods/registry';
import { getAlgorithm } from '../src/methods/algorithms';
import { buildProblem } from '../src/engine/problem';
import { useWasm } from '../src/testing/cpu';
import { nodeLoader } from '../src/testing/nodeLoader';
import { benchExperiment } from '../src/bench/experiment';

const algo = process.argv[2] ?? 'mdlam';
const steps = Number(process.argv[3] ?? 3);
await useWasm();
const e = benchExperiment('mnist', algo, 'wasm');
const p = await buildProblem(e, nodeLoader);
const a = getAlgorithm(algo);
let s = a.init(p, { ...defaultHyper(findSpec(algo)!), ...e.runs[0].hyper }, 1);
s = a.step(s).state; // warm-up
const t0 = performance.now();
for (let i = 0; i < steps; i++) s = a.step(s).state;
console.log(`${algo}: ${((performance.now() - t0) / steps).toFixed(1)} ms/step (plain)`);
const prof = await tf.profile(() => { s = a.step(s).state; });
const by: Record<string, { n: number; ms: number; shapes: Set<string> }> = {};
for (const k of prof.kernels) {
  const key = k.name;
  by[key] ??= { n: 0, ms: 0, shapes: new Set() };
  by[key].n++;
  by[key].ms += (k as unknown as { kernelTimeMs: number }).kernelTimeMs;
  if (by[key].shapes.size < 6) by[key].shapes.add(JSON.stringify(k.inputShapes));
}
const rows = Object.entries(by).sort((x, y) => y[1].ms - x[1].ms);
let total = 0;
for (const [, v] of rows) total += v.ms;
console.log(`kernels ${prof.kernels.length}, kernel ms ${total.toFixed(1)}`);
for (const [k, v] of rows.slice(0, 15)) console.log(k.padEnd(22), String(v.n).padStart(5), v.ms.toFixed(1).padStart(8), [...v.shapes].join(' '));
const byShape: Record<string, { n: number; ms: number }> = {};
for (const k of prof.kernels) {
  if (!/MatMul/.test(k.name) || k.name.endsWith('__op')) continue;
  const key = k.name + ' ' + JSON.stringify(k.inputShapes.slice(0, 2));
  byShape[key] ??= { n: 0, ms: 0 };
  byShape[key].n++;
  byShape[key].ms += (k as unknown as { kernelTimeMs: number }).kernelTimeMs;
}
for (const [k, v] of Object.entries(byShape).sort((x, y) => y[1].ms - x[1].ms)) console.log(k.padEnd(60), v.n, v.ms.toFixed(1));
