/**
 * Two-phase Adam → CG (algorithms.md §2) on the "Two-phase on MNIST" preset, headless in Node (WASM backend).
 * Run: npx tsx bench/twophase.ts   (`npm run prepare-assets` first). Prints figures; it is not a timed test.
 * Options (env): TWOPHASE_BUDGETS=200,500,1000  TWOPHASE_PRESET=twophase-mnist|twophase-mnist-glorot
 *                TWOPHASE_SEEDS=1[,2,3]  TWOPHASE_BATCH=0 (Adam batch size; 0 = full batch as in the preset)
 *
 * Budget = full-batch gradient evaluations (the runs' `cost`): one per full-batch Adam step, one per CG line-search
 * trial — the notes' NumPy accounting. At each budget the full training loss and train/test accuracy are measured
 * (outside the budget) at the first step whose cost reaches it; a run that stopped earlier (CG's float32 rule)
 * keeps its final value.
 */
import { defaultHyper, findSpec } from '../src/methods/registry';
import { getAlgorithm } from '../src/methods/algorithms';
import type { Experiment } from '../src/engine/experiment';
import { evaluate } from '../src/engine/metrics';
import { buildProblem, disposeProblem } from '../src/engine/problem';
import { useWasm } from '../src/engine/testing/cpu';
import { nodeLoader } from '../src/engine/testing/nodeLoader';
import type { Hyper, Problem } from '../src/engine/types';
import { TWO_PHASE_PRESETS } from '../src/methods/twoPhase/presets';

const budgets = (process.env.TWOPHASE_BUDGETS ?? '200,500,1000').split(',').map(Number);
const presetId = process.env.TWOPHASE_PRESET ?? 'twophase-mnist';
const seeds = (process.env.TWOPHASE_SEEDS ?? '1').split(',').map(Number);
const batchOverride = process.env.TWOPHASE_BATCH;

interface AtBudget {
  cost: number;
  loss: number;
  trainAcc: number;
  testAcc: number;
}
interface RunOut {
  label: string;
  at: (AtBudget | undefined)[];
  ms: number;
  finished?: string;
  finishedCost?: number;
  swap?: { epoch: number; loss: number; gradNorm: number; cost: number };
  norms: number[];
}

function runOne(problem: Problem, label: string, algorithm: string, hyper: Hyper): RunOut {
  const alg = getAlgorithm(algorithm);
  const h = { ...defaultHyper(findSpec(algorithm)!), ...hyper };
  let s = alg.init(problem, h, 1);
  const out: RunOut = { label, at: budgets.map(() => undefined), ms: 0, norms: [] };
  const maxBudget = Math.max(...budgets);
  const measure = (cost: number): AtBudget => {
    const tr = evaluate(s.params, problem.net, problem.data.xTrain, problem.data.yTrain, true);
    const te = evaluate(s.params, problem.net, problem.data.xTest, problem.data.yTest, true);
    return { cost, loss: tr.loss, trainAcc: tr.accuracy, testAcc: te.accuracy };
  };
  for (let i = 0; i < 1e6; i++) {
    const t0 = performance.now();
    const r = alg.step(s);
    out.ms += performance.now() - t0;
    s = r.state;
    const x = r.metrics.extra;
    if (x.epochGradNorm !== undefined && x.phase === 0) out.norms.push(x.epochGradNorm);
    else if (algorithm === 'adam' && problem.batchSize === 0) out.norms.push(r.metrics.gradNorm);
    if (x.swap === 1) out.swap = { epoch: x.swapEpoch, loss: x.swapLoss, gradNorm: x.swapGradNorm, cost: r.metrics.cost };
    budgets.forEach((b, j) => {
      if (!out.at[j] && r.metrics.cost >= b) out.at[j] = measure(r.metrics.cost);
    });
    if (r.finished) {
      out.finished = r.finished;
      out.finishedCost = r.metrics.cost;
      const m = measure(r.metrics.cost);
      budgets.forEach((_, j) => (out.at[j] ??= m));
      break;
    }
    if (r.metrics.cost >= maxBudget) break;
  }
  alg.dispose(s);
  return out;
}

const e3 = (v: number) => (Number.isFinite(v) ? v.toExponential(2) : String(v));
const f3 = (v: number) => v.toFixed(3);

async function main() {
  await useWasm();
  const preset = TWO_PHASE_PRESETS.find((p) => p.id === presetId)!;
  console.log(`# ${preset.title} — ${preset.experiment.title}`);
  for (const seed of seeds) {
    const e: Experiment = structuredClone(preset.experiment);
    e.training.seed = seed;
    if (batchOverride !== undefined) e.training.batchSize = Number(batchOverride);
    const problem = await buildProblem(e, nodeLoader);
    console.log(`\n## seed ${seed}: N = ${problem.data.xTrain.shape[0]}, sizes ${problem.net.sizes.join('-')}, ${e.network.activation}, initScale ${e.network.initScale}, Adam batch ${e.training.batchSize || 'full'}`);
    const outs = e.runs.map((r) => runOne(problem, r.label ?? r.algorithm, r.algorithm, r.hyper));
    const header = ['method', ...budgets.map((b) => `loss@${b}`), ...budgets.map((b) => `trainAcc@${b}`), `testAcc@${budgets[budgets.length - 1]}`, 'swap epoch (loss, ‖g‖)', 'stopped', 'wall s'];
    console.log('| ' + header.join(' | ') + ' |');
    console.log('|' + header.map(() => '---').join('|') + '|');
    for (const o of outs) {
      const last = o.at[o.at.length - 1];
      console.log(
        '| ' +
          [
            o.label,
            ...o.at.map((a) => (a ? e3(a.loss) : '—')),
            ...o.at.map((a) => (a ? f3(a.trainAcc) : '—')),
            last ? f3(last.testAcc) : '—',
            o.swap ? `${o.swap.epoch} (${f3(o.swap.loss)}, ${e3(o.swap.gradNorm)})` : '—',
            o.finished ? `at cost ${o.finishedCost!.toFixed(0)}` : '—',
            (o.ms / 1000).toFixed(1),
          ].join(' | ') +
          ' |',
      );
    }
    const tp = outs.find((o) => o.swap) ?? outs.find((o) => o.norms.length);
    for (const o of outs) {
      if (!o.norms.length) continue;
      const peak = o.norms.indexOf(Math.max(...o.norms));
      console.log(`${o.label}: epoch gradient norm ${e3(o.norms[0])} → peak ${e3(o.norms[peak])} at epoch ${peak + 1} → ${e3(o.norms[o.norms.length - 1])} at epoch ${o.norms.length}`);
    }
    void tp;
    disposeProblem(problem);
  }
  console.log(`
Notes' NumPy reference (algorithms.md §2; 2,000 MNIST 14×14, 196-64-64-10 tanh, CE, init ×0.01, 3 seeds, budget in
full-gradient evaluations): norm 0.030 → 0.419 at epoch 9 → 0.004; detector fired at epochs 16–22 with loss ≈ 1.0;
at 500 evaluations Adam→CG 6e-7..4e-6, Adam (1e-3) 2e-3, tuned Adam (1e-2) 5e-5; at 1,000 Adam→CG 3–5e-8 (float32
stop rule fires); at 200 tuned Adam ahead; CG alone matched Adam→CG; test accuracy 0.86–0.89 for every method.
From Glorot init the norm falls from epoch 1 (no peak).`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
