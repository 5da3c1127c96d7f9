/**
 * Performance profile over the 2-D teaching presets (the problems) for SGD (momentum), Adam and two-phase Adam → CG
 * at their settings in each preset (Adam → CG with the Adam learning rate of the Adam run): the cost, in the cost
 * axis's unit, at which the median of 3 seeds first reaches test accuracy 0.9 within the preset's iterations, and from
 * those costs the share of problems each method solves within τ × the best method's cost (Dolan & Moré, computed by
 * src/sweeps/stats.ts performanceProfile). Seeds vary initial weights and batch order (training seed 1, 2, 3); the
 * data split stays. Writes bench/results/profile.json, which the app draws (src/ui/sweeps/ProfilePlot.tsx).
 * Usage: npx tsx bench/profile.ts        (Node, WASM backend; a few minutes)
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import type { Experiment, RunConfig, TargetConfig } from '../src/engine/experiment';
import { defaultHyper, runLabel } from '../src/methods/registry';
import { TWO_PHASE_SPEC } from '../src/methods/twoPhase/twoPhase.hyper';
import { startTrainingRun } from '../src/methods/algorithms';
import { useWasm } from '../src/testing/cpu';
import { nodeLoader } from '../src/testing/nodeLoader';
import { BASELINE_PRESETS } from '../src/presets';
import { performanceProfile, reachTarget, spread, type EvalPoint } from '../src/sweeps/stats';

const TARGET: TargetConfig = { metric: 'testAccuracy', value: 0.9 };
const SEEDS = [1, 2, 3];
const TAUS = [1, 1.5, 2, 3, 4, 6, 8, 12, 16];

await useWasm();
const problems = BASELINE_PRESETS.filter((p) => p.section === 'teaching');

function methods(e: Experiment): RunConfig[] {
  const adam = e.runs.find((r) => r.algorithm === 'adam')!;
  return [
    e.runs.find((r) => r.algorithm === 'sgd')!,
    adam,
    { algorithm: 'twophase', hyper: { ...defaultHyper(TWO_PHASE_SPEC), lr: adam.hyper.lr }, label: 'Adam → CG' },
  ];
}

/** Cost at the first evaluation meeting the target (Infinity if never within maxIterations). */
async function costToTarget(e: Experiment, run: RunConfig, seed: number): Promise<{ cost: number; seconds: number }> {
  const exp: Experiment = { ...e, training: { ...e.training, seed }, runs: [run] };
  const tr = await startTrainingRun(exp, 0, nodeLoader);
  try {
    for (;;) {
      const out = tr.step();
      const p = out.point;
      if (p.trainLoss !== undefined) {
        const hit = reachTarget([{ ...p, trainLoss: p.trainLoss } as EvalPoint], TARGET);
        if (hit) return { cost: hit.cost, seconds: hit.time };
      }
      if (out.stop) return { cost: Infinity, seconds: Infinity };
    }
  } finally {
    tr.dispose();
  }
}

const rows: { id: string; title: string; costs: number[]; reached: number[] }[] = [];
let labels: string[] = [];
for (const p of problems) {
  const ms = methods(p.experiment);
  labels = ms.map(runLabel);
  const costs: number[] = [];
  const reached: number[] = [];
  for (const m of ms) {
    const per = [];
    for (const s of SEEDS) per.push(await costToTarget(p.experiment, m, s));
    costs.push(spread(per.map((x) => x.cost)).median);
    reached.push(per.filter((x) => Number.isFinite(x.cost)).length);
  }
  rows.push({ id: p.id, title: p.title, costs, reached });
  console.log(`${p.id.padEnd(12)} ${costs.map((c, i) => `${labels[i]}: ${Number.isFinite(c) ? c.toFixed(2) : 'not reached'} (${reached[i]}/${SEEDS.length})`).join('   ')}`);
}
const profile = performanceProfile(rows.map((r) => r.costs), TAUS);
console.log(`\nperformance profile (share of ${rows.length} problems within τ × best cost), τ = ${TAUS.join(', ')}`);
labels.forEach((l, m) => console.log(`${l.padEnd(16)} ${profile[m].map((v) => v.toFixed(2)).join('  ')}`));
mkdirSync('bench/results', { recursive: true });
writeFileSync(
  'bench/results/profile.json',
  JSON.stringify(
    {
      generatedBy: 'bench/profile.ts',
      date: new Date().toISOString(),
      backend: 'wasm (Node)',
      target: TARGET,
      seeds: SEEDS,
      methods: labels,
      taus: TAUS,
      // Median cost over the seeds; null = the median seed never reached the target.
      problems: rows.map((r) => ({ ...r, costs: r.costs.map((c) => (Number.isFinite(c) ? Number(c.toPrecision(4)) : null)) })),
    },
    null,
    2,
  ) + '\n',
);
