/**
 * The figures the baseline presets quote: the 2-D teaching presets and the MNIST preset (SGD vs Adam, each preset's
 * own runs, seed and budget), and the landscape-lab presets' trajectories (plain float64, instant). Node + WASM.
 * Run: npx tsx bench/baselines.ts   (`npm run prepare-assets` first). Writes bench/results/baselines.json.
 */
import { defaultHyper, findSpec } from '../src/methods/registry';
import { getAlgorithm } from '../src/methods/algorithms';
import type { Experiment } from '../src/engine/experiment';
import { labFunction } from '../src/engine/landscape/functions';
import { runLabTrajectory } from '../src/methods/registry';
import { evaluate } from '../src/engine/metrics';
import { buildProblem, disposeProblem } from '../src/engine/problem';
import { useWasm } from '../src/testing/cpu';
import { nodeLoader } from '../src/testing/nodeLoader';
import type { FigureTree } from '../src/presets/figures';
import { BASELINE_PRESETS } from '../src/presets/index';
import { LANDSCAPE_PRESETS } from '../src/presets/landscape';
import { writeResults } from './results';

/** Test accuracy of every run of `e` at the given iterations (the runs share the problem, as in the app). */
async function accuracies(e: Experiment, checkpoints: number[]): Promise<Record<string, Record<string, number>>> {
  const problem = await buildProblem(e, nodeLoader);
  const out: Record<string, Record<string, number>> = {};
  for (const run of e.runs) {
    const alg = getAlgorithm(run.algorithm);
    let s = alg.init(problem, { ...defaultHyper(findSpec(run.algorithm)!), ...run.hyper }, e.training.seed);
    const accs: Record<string, number> = {};
    const last = Math.max(...checkpoints);
    for (let k = 1; k <= last; k++) {
      s = alg.step(s).state;
      if (checkpoints.includes(k)) accs[`acc${k}`] = evaluate(s.params, problem.net, problem.data.xTest, problem.data.yTest, true).accuracy;
    }
    alg.dispose(s);
    out[run.algorithm] = accs;
  }
  disposeProblem(problem);
  return out;
}

await useWasm();
const figures: FigureTree = {};
console.log('| preset | run | ' + 'test accuracy at checkpoints |');
console.log('|---|---|---|');
for (const p of BASELINE_PRESETS) {
  const e = p.experiment;
  const checkpoints = e.dataset.kind === 'mnist' ? [100, 300, e.training.maxIterations] : [500, e.training.maxIterations];
  const accs = await accuracies(e, checkpoints);
  const fig: FigureTree = { checkpoints };
  for (const [alg, a] of Object.entries(accs)) {
    fig[alg] = { ...a, accEnd: a[`acc${e.training.maxIterations}`] };
    console.log(`| ${p.id} | ${alg} | ${Object.entries(a).map(([k, v]) => `${k} ${v.toFixed(3)}`).join(', ')} |`);
  }
  figures[p.id] = fig;
}

// Landscape lab: each run's trajectory as the lab draws it.
console.log('\n| lab preset | run | iterations | evaluations | final loss | final point | stopped |');
console.log('|---|---|---|---|---|---|---|');
for (const p of LANDSCAPE_PRESETS) {
  const l = p.experiment.landscape;
  // The MNIST slice preset trains networks (its figures are printed in the lab itself); the others are 2-D problems.
  if (!l || p.experiment.dataset.kind === 'mnist') continue;
  const fn = labFunction(l.problem, { condition: l.condition });
  const fig: FigureTree = {};
  l.runs.forEach((run, i) => {
    const t = runLabTrajectory(fn, l.start, run, l.iterations, i);
    const end = t.path[t.path.length - 1];
    fig[`run${i}`] = {
      steps: t.path.length - 1,
      evaluations: t.evaluations,
      lossEnd: t.loss[t.loss.length - 1],
      endX: end[0],
      endY: end[1],
      // Adam → CG: line searches after the swap
      ...(t.swapIndex >= 0 ? { stepsAfterSwap: t.path.length - 1 - t.swapIndex } : {}),
    };
    console.log(`| ${p.id} | ${run.method} | ${t.path.length - 1} | ${t.evaluations} | ${t.loss[t.loss.length - 1].toExponential(2)} | (${end[0].toFixed(2)}, ${end[1].toFixed(2)}) | ${t.stopped ?? '—'} |`);
  });
  figures[p.id] = fig;
}

writeResults('baselines', {
  command: 'npx tsx bench/baselines.ts',
  protocol: 'each baseline preset’s runs as in its link (2-D sets: test accuracy at 500 iterations and at the end; MNIST: at 100, 300 and the end), and each landscape-lab preset’s trajectories',
  seeds: [1],
  figures,
});
