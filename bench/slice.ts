/**
 * Loss-landscape slice of the MNIST MLP (the "Lab: loss-landscape slice" preset, 784-128-128-10, 2,000 training
 * images), timed per TF.js backend available in Node (wasm and cpu; WebGPU/WebGL only exist in the browser — the
 * e2e prints the in-browser time of its small slice). Run: npx tsx bench/slice.ts   (`npm run prepare-assets` first).
 * Options (env): SLICE_RES=41  SLICE_SAMPLES=2000,500  SLICE_BACKENDS=wasm,cpu  SLICE_TRAIN=100 (Adam iterations
 * before slicing, on wasm)  SLICE_CPU_MAX_POINTS=200 (cpu: above this many grid points, time a centred sub-grid and
 * extrapolate per point — printed as "extrapolated").
 *
 * What is timed: sliceForRun as the worker calls it — directions, the grid (first-layer products formed once, see
 * slice.ts), and the projection of the run's snapshots. It prints figures; it is not a timed test.
 */
import * as tf from '@tensorflow/tfjs';
import { flattenParams } from '../src/engine/params';
import { buildProblem, disposeProblem } from '../src/engine/problem';
import { startTrainingRun } from '../src/methods/algorithms';
import { sliceAxis, sliceDirections, sliceForRun } from '../src/engine/landscape/slice';
import { evaluate } from '../src/engine/metrics';
import { disposeParams, unflattenParams } from '../src/engine/params';
import { useCpu, useWasm } from '../src/testing/cpu';
import { nodeLoader } from '../src/testing/nodeLoader';
import { LANDSCAPE_PRESETS } from '../src/presets/landscape';

const res = Number(process.env.SLICE_RES ?? 41);
const samplesList = (process.env.SLICE_SAMPLES ?? '2000,500').split(',').map(Number);
const backends = (process.env.SLICE_BACKENDS ?? 'wasm,cpu').split(',');
const trainIters = Number(process.env.SLICE_TRAIN ?? 100);
const cpuMaxPoints = Number(process.env.SLICE_CPU_MAX_POINTS ?? 200);

async function main() {
  const preset = LANDSCAPE_PRESETS.find((p) => p.id === 'lab-mnist-slice')!;
  const e = structuredClone(preset.experiment);
  e.training.maxIterations = trainIters;
  await useWasm();
  const run = await startTrainingRun(e, 1, nodeLoader);
  for (let i = 0; i < trainIters; i++) if (run.step().stop) break;
  const center = flattenParams(run.params);
  const snaps = run.snapshots.snaps.map((s) => ({ iteration: s.iteration, flat: s.flat }));
  const iteration = run.iteration;
  run.dispose();
  console.log(`MNIST MLP ${e.network.hidden.length ? [784, ...e.network.hidden, 10].join('-') : ''}, ${center.length} parameters; Adam ${iteration} iterations (wasm); ${snaps.length} snapshots projected`);
  console.log(`grid ${res}×${res} = ${res * res} loss evaluations; span ±${e.landscape!.slice.span}`);
  console.log('backend | samples | grid      | time (s) | ms / point | centre loss');
  for (const b of backends) {
    if (b === 'wasm') await useWasm();
    else if (b === 'cpu') await useCpu();
    else if (!(await tf.setBackend(b))) {
      console.log(`${b}: not available in Node`);
      continue;
    }
    const problem = await buildProblem(e, nodeLoader);
    for (const samples of samplesList) {
      let r = res;
      let note = '';
      if (b === 'cpu' && res * res > cpuMaxPoints) {
        r = Math.max(3, 2 * Math.floor(Math.sqrt(cpuMaxPoints) / 2) - 1);
        note = ` (timed ${r}×${r}; ${res}×${res} extrapolated)`;
      }
      // Same spacing as the full grid: a centred sub-grid.
      const span = (e.landscape!.slice.span * (r - 1)) / (res - 1);
      const t0 = performance.now();
      const out = sliceForRun(problem.net, problem.data.xTrain, problem.data.yTrain, center, iteration, snaps, { seed: 1, resolution: r, span, samples, grid: true });
      const ms = performance.now() - t0;
      const perPoint = ms / (r * r);
      const total = note ? (perPoint * res * res) / 1000 : ms / 1000;
      console.log(`${b.padEnd(7)} | ${String(out.samples).padStart(7)} | ${`${res}×${res}`.padEnd(9)} | ${total.toFixed(1).padStart(8)} | ${perPoint.toFixed(2).padStart(10)} | ${out.grid!.centerLoss.toFixed(5)}${note}`);
    }
    if (b === 'wasm') {
      // Reference point: the naive slice (every grid point a full forward pass through unflattened weights).
      const r = 7;
      const dirs = sliceDirections(center, problem.net, 1);
      const axis = sliceAxis(r, (e.landscape!.slice.span * (r - 1)) / (res - 1));
      const t0 = performance.now();
      for (const bb of axis)
        for (const aa of axis) {
          const p = unflattenParams(center.map((c, i) => c + aa * dirs.d1[i] + bb * dirs.d2[i]), problem.net);
          evaluate(p, problem.net, problem.data.xTrain, problem.data.yTrain, true);
          disposeParams(p);
        }
      const per = (performance.now() - t0) / (r * r);
      console.log(`wasm naive (full forward per point, timed ${r}×${r}) | ${problem.data.xTrain.shape[0]} samples | ${per.toFixed(2)} ms / point → ${((per * res * res) / 1000).toFixed(1)} s for ${res}×${res} (extrapolated)`);
    }
    disposeProblem(problem);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
