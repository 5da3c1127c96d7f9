/**
 * A quick look at how methods learn on LeNet-5 (MNIST, 2,000 images, batch 64), Node + WASM: loss, test accuracy and
 * ms/step every 50 steps. Used to choose the CNN presets' settings; it writes nothing.
 * Run: npx tsx bench/cnnProbe.ts "sgd:lr=0.01,vi:rule=adam:lr=0.001" 300   (method[:key=value…] list, steps)
 */
import { defaultHyper, findSpec } from '../src/methods/registry';
import { getAlgorithm } from '../src/methods/algorithms';
import type { Experiment } from '../src/engine/experiment';
import { evaluate } from '../src/engine/metrics';
import { buildProblem, disposeProblem } from '../src/engine/problem';
import { useWasm } from '../src/testing/cpu';
import { nodeLoader } from '../src/testing/nodeLoader';
import { defaultExperiment } from '../src/methods/defaultExperiment';
import { legacyInit } from '../src/engine/init';
import * as tf from '@tensorflow/tfjs';

await useWasm();
const e: Experiment = {
  ...defaultExperiment(),
  dataset: { kind: 'mnist', seed: 1, noise: 0, trainSize: 2000, testSize: 500, resolution: 28, classes: [] },
  network: { hidden: [], activation: 'relu', outputLink: 'softmax', loss: 'ce', init: legacyInit(1), layers: [
    { type: 'conv2d', filters: 6, kernel: 5 }, { type: 'maxpool', size: 2 }, { type: 'conv2d', filters: 16, kernel: 5 }, { type: 'maxpool', size: 2 }, { type: 'flatten' }, { type: 'dense', units: 120 }, { type: 'dense', units: 84 }] },
  training: { batchSize: 64, maxIterations: 300, evalEvery: 50, seed: 1, backend: 'auto' },
  runs: [],
};
const algs = (process.argv[2] ?? 'sgd,adam').split(',');
const steps = Number(process.argv[3] ?? 200);
const problem = await buildProblem(e, nodeLoader);
for (const spec of algs) {
  const [id, ...kv] = spec.split(':');
  const hyper = { ...defaultHyper(findSpec(id)!) } as Record<string, number | string | boolean>;
  for (const p of kv) { const [k, v] = p.split('='); hyper[k] = isNaN(Number(v)) ? v : Number(v); }
  const alg = getAlgorithm(id);
  let s = alg.init(problem, hyper, 1);
  const t0 = performance.now();
  let last = 0;
  for (let k = 1; k <= steps; k++) {
    const r = alg.step(s);
    s = r.state;
    last = r.metrics.loss;
    if (k % 50 === 0 || k === steps) {
      const ev = evaluate(s.params, problem.net, problem.data.xTest, problem.data.yTest, true);
      console.log(`${spec} step ${k} loss ${last.toFixed(4)} test acc ${ev.accuracy.toFixed(3)} ${((performance.now() - t0) / k).toFixed(1)} ms/step`);
    }
    if (r.finished) { console.log('finished', r.finished); break; }
  }
  alg.dispose(s);
}
console.log('tensors', tf.memory().numTensors);
disposeProblem(problem);
