/**
 * Fenchel lifted networks (algorithms.md §4): Fenchel BCD vs SGD vs Adam on the same network, and two moons beside
 * the notes' NumPy reference. Run: npx tsx bench/fenchel.ts  (WASM backend; `npm run prepare-assets` first).
 * Prints figures; it is not a timed test. Options: FENCHEL_BENCH=moons|mnist|all (default all).
 */
import * as tf from '@tensorflow/tfjs';
import { defaultHyper, findSpec } from '../src/methods/registry';
import type { FenchelState } from '../src/methods/fenchel/fenchel';
import { getAlgorithm } from '../src/methods/algorithms';
import type { Experiment } from '../src/engine/experiment';
import { evaluate } from '../src/engine/metrics';
import { buildProblem, disposeProblem } from '../src/engine/problem';
import { useWasm } from '../src/engine/testing/cpu';
import { nodeLoader } from '../src/engine/testing/nodeLoader';
import type { Hyper, Problem } from '../src/engine/types';
import { FENCHEL_PRESETS } from '../src/methods/fenchel/presets';

interface RunOut {
  name: string;
  iters: number;
  trainLoss: number;
  trainAcc: number;
  testAcc: number;
  ms: number;
  first: Record<string, number>;
  last: Record<string, number>;
  firstTestAcc: number;
  blockRoseCount: number;
  liftedRoseCount: number;
  boundViolations: number;
}

function run(problem: Problem, name: string, algorithm: string, hyper: Hyper, iters: number): RunOut {
  const alg = getAlgorithm(algorithm);
  const full = { ...defaultHyper(findSpec(algorithm)!), ...hyper };
  let s = alg.init(problem, full, 1);
  let first: Record<string, number> = {};
  let last: Record<string, number> = {};
  let firstTestAcc = NaN;
  let blockRoseCount = 0;
  let liftedRoseCount = 0;
  let boundViolations = 0;
  let ms = 0;
  for (let i = 0; i < iters; i++) {
    const t0 = performance.now();
    const r = alg.step(s);
    ms += performance.now() - t0;
    s = r.state;
    last = r.metrics.extra;
    if (process.env.FENCHEL_PROGRESS && i % 10 === 9) process.stderr.write(`  ${name} ${i + 1}/${iters} ${(ms / 1000).toFixed(1)} s\n`);
    if (last.blockRose) blockRoseCount++;
    if (last.liftedRose) liftedRoseCount++;
    if (last.liftedAtBlockOptimum !== undefined && !(last.liftedAtBlockOptimum <= last.forwardLossAtSameWeights)) boundViolations++;
    if (i === 0) {
      first = r.metrics.extra;
      firstTestAcc = evaluate(s.params, problem.net, problem.data.xTest, problem.data.yTest, true).accuracy;
    }
  }
  const tr = evaluate(s.params, problem.net, problem.data.xTrain, problem.data.yTrain, true);
  const te = evaluate(s.params, problem.net, problem.data.xTest, problem.data.yTest, true);
  alg.dispose(s as FenchelState);
  return { name, iters, trainLoss: tr.loss, trainAcc: tr.accuracy, testAcc: te.accuracy, ms, first, last, firstTestAcc, blockRoseCount, liftedRoseCount, boundViolations };
}

const f = (v: number | undefined, d = 4) => (v === undefined || !Number.isFinite(v) ? '—' : Math.abs(v) < 1e-2 && v !== 0 ? v.toExponential(2) : v.toFixed(d));
const pad = (s: string, n: number) => s.padEnd(n);

function table(rows: RunOut[]): void {
  console.log(`${pad('method', 40)} ${pad('iters', 6)} ${pad('train loss', 11)} ${pad('train acc', 10)} ${pad('test acc', 9)} ${pad('wall s', 8)}`);
  for (const r of rows) {
    console.log(`${pad(r.name, 40)} ${pad(String(r.iters), 6)} ${pad(f(r.trainLoss), 11)} ${pad(f(r.trainAcc, 3), 10)} ${pad(f(r.testAcc, 3), 9)} ${pad((r.ms / 1000).toFixed(1), 8)}`);
  }
}

function liftedLines(rows: RunOut[]): void {
  for (const r of rows) {
    if (r.last.liftedObjective === undefined) continue;
    const keys = Object.keys(r.last).filter((k) => /^layer\d+\.B$/.test(k));
    console.log(
      `  ${r.name}: lifted (J − ridge) ${f(r.first.liftedData)} → ${f(r.last.liftedData)} (with ridge ${f(r.last.liftedObjective)}); ` +
        `forward loss ${f(r.first.forwardLoss)} → ${f(r.last.forwardLoss)}; test acc ${f(r.firstTestAcc, 3)} → ${f(r.testAcc, 3)}; ` +
        `mean B per layer ${keys.map((k) => f(r.last[k])).join(', ')}; mismatch ${keys.map((k) => f(r.last[k.replace('.B', '.mismatch')])).join(', ')}; ` +
        `blockRose ${r.blockRoseCount}/${r.iters}, liftedRose ${r.liftedRoseCount}, lifted>forward at block optimum ${r.boundViolations}`,
    );
  }
}

async function moons(): Promise<void> {
  const preset = FENCHEL_PRESETS.find((p) => p.id === 'fenchel-moons')!;
  const e: Experiment = structuredClone(preset.experiment);
  const problem = await buildProblem(e, nodeLoader);
  console.log(`\n== two moons, ${problem.net.sizes.join('-')} ReLU, N = ${e.dataset.trainSize} train / ${e.dataset.testSize} test, noise ${e.dataset.noise}, full batch, 100 sweeps/steps`);
  const rows = [
    run(problem, 'Fenchel BCD (λ=1, c=1, PG 20)', 'fenchel', {}, 100),
    run(problem, 'Fenchel BCD (λ=1, c=1, FISTA 20)', 'fenchel', { solver: 'fista' }, 100),
    run(problem, 'Fenchel BCD (λ=1, c=5, PG 20)', 'fenchel', { c: 5 }, 100),
    run(problem, 'Fenchel BCD (λ schedule 1.05, PG 20)', 'fenchel', { lambdaSchedule: true }, 100),
    run(problem, 'Adam (lr 0.01, full batch)', 'adam', { lr: 0.01 }, 100),
    run(problem, 'SGD momentum 0.9 (lr 0.1, full batch)', 'sgd', { lr: 0.1, momentum: 0.9 }, 100),
  ];
  // The playground's moons sit in about [−1, 1]² (0.4× the scale of scikit-learn's make_moons, which the NumPy
  // reference presumably used); the lifted BCD is sensitive to it, so print the same run on inputs × 2.5 too.
  const scaled: Problem = { ...problem, data: { ...problem.data, xTrain: tf.mul(problem.data.xTrain, 2.5) as tf.Tensor2D, xTest: tf.mul(problem.data.xTest, 2.5) as tf.Tensor2D } };
  rows.push(run(scaled, 'Fenchel BCD (PG 20), inputs × 2.5', 'fenchel', {}, 100));
  rows.push(run(scaled, 'Fenchel BCD (FISTA 20), inputs × 2.5', 'fenchel', { solver: 'fista' }, 100));
  rows.push(run(scaled, 'Adam (lr 0.01), inputs × 2.5', 'adam', { lr: 0.01 }, 100));
  tf.dispose([scaled.data.xTrain, scaled.data.xTest]);
  table(rows);
  liftedLines(rows);
  console.log('  NumPy reference (notes §4, 2-16-16-2, λ=1, c=1, PG 20 steps, 100 sweeps): lifted 0.18 → 0.0033, forward 0.26 → 0.041,');
  console.log('  mean B 1.6e-3 / 2.5e-4, test acc 0.88 → 0.987, lifted never rose; c = 5: 0.918; Adam 100 full-batch steps: 0.998.');
  disposeProblem(problem);
}

async function images(): Promise<void> {
  const preset = FENCHEL_PRESETS.find((p) => p.id === 'fenchel-mnist')!;
  const e: Experiment = structuredClone(preset.experiment);
  const problem = await buildProblem(e, nodeLoader);
  const iters = e.training.maxIterations;
  console.log(`\n== ${e.dataset.kind} subset, ${problem.net.sizes.join('-')} ReLU, N = ${e.dataset.trainSize} train / ${e.dataset.testSize} test, full batch`);
  const rows = [
    run(problem, 'Fenchel BCD (FISTA 20)', 'fenchel', { solver: 'fista' }, iters),
    run(problem, 'Fenchel BCD (PG 20)', 'fenchel', {}, iters),
    run(problem, 'SGD momentum 0.9 (lr 0.1)', 'sgd', { lr: 0.1, momentum: 0.9 }, iters),
    run(problem, 'Adam (lr 1e-3)', 'adam', { lr: 0.001 }, iters),
    run(problem, 'SGD momentum 0.9 (lr 0.1), 10× steps', 'sgd', { lr: 0.1, momentum: 0.9 }, 10 * iters),
    run(problem, 'Adam (lr 1e-3), 10× steps', 'adam', { lr: 0.001 }, 10 * iters),
  ];
  table(rows);
  liftedLines(rows);
  disposeProblem(problem);
}

await useWasm();
const which = process.env.FENCHEL_BENCH ?? 'all';
if (which === 'all' || which === 'moons') await moons();
if (which === 'all' || which === 'mnist') await images();
console.log(`\n(tensors still allocated: ${tf.memory().numTensors})`);
