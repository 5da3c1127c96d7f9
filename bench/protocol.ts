/**
 * The comparison-protocol presets (src/presets/protocol.ts: seeds with bands, a learning-rate sweep with equal
 * budgets), run headless in Node on WASM: the very jobs the app's worker pool runs (src/sweeps/jobs.ts), each one a
 * TrainingRun with the job's cost budget, kept as the pool keeps them (src/workers/pool.ts thin), and summarised by the
 * app's own selectors (src/sweeps/results.ts, src/sweeps/stats.ts) — so the figures the presets' texts quote are what a
 * user sees after pressing the buttons. Writes bench/results/protocol.json.
 * Run: npx tsx bench/protocol.ts   (a few minutes on two cores). Not a timed test: wall times are not quoted.
 */
import { startTrainingRun } from '../src/methods/algorithms';
import { useWasm } from '../src/testing/cpu';
import { nodeLoader } from '../src/testing/nodeLoader';
import type { Experiment } from '../src/engine/experiment';
import { runLabel } from '../src/methods/registry';
import { findPreset } from '../src/presets';
import type { FigureTree } from '../src/presets/figures';
import { bestSetting, finalValue, seedResults, sweepMetric, sweepResults } from '../src/sweeps/results';
import { seedJobs, sweepJobs, type Job } from '../src/sweeps/jobs';
import { spread, timeToTarget, type EvalPoint, type JobSummary } from '../src/sweeps/stats';
import { thin } from '../src/workers/pool';
import { summarise, writeResults } from './results';

async function runJob(job: Job): Promise<JobSummary> {
  const t0 = performance.now();
  const run = await startTrainingRun(job.experiment, job.runIndex, nodeLoader, { maxCost: job.maxCost });
  const points: EvalPoint[] = [];
  let status: JobSummary['status'] = 'finished';
  let message = '';
  try {
    for (;;) {
      const { point: p, stop } = run.step();
      if (p.trainLoss !== undefined)
        points.push({ iteration: p.iteration, cost: p.cost, time: p.time, epoch: p.epoch, trainLoss: p.trainLoss, testLoss: p.testLoss, testAccuracy: p.testAccuracy });
      if (stop) {
        status = stop.status;
        message = stop.message;
        break;
      }
    }
  } finally {
    run.dispose();
  }
  return { status, message, points: thin(points), wallMs: performance.now() - t0 };
}

async function runAll(jobs: Job[], results: Record<string, JobSummary>): Promise<void> {
  let done = 0;
  for (const job of jobs) {
    if (!results[job.key]) results[job.key] = await runJob(job);
    if (++done % 10 === 0 || done === jobs.length) process.stdout.write(`  ${done}/${jobs.length} jobs\r`);
  }
  process.stdout.write('\n');
}

const f3 = (v: number) => (Number.isFinite(v) ? v.toPrecision(3) : String(v));
const keyOf = (e: Experiment, i: number) => e.runs[i].algorithm;

/** Seeds and bands: final test accuracy over the seeds (median, IQR) and time to the target per run. */
async function seedsAndBands(): Promise<FigureTree> {
  const e = findPreset('seeds-bands')!.experiment;
  const results: Record<string, JobSummary> = {};
  console.log(`\n## ${e.title}: ${e.runs.length} runs × ${e.protocol!.seeds} seeds`);
  await runAll(seedJobs(e), results);
  const out: FigureTree = { seeds: e.protocol!.seeds!, target: e.protocol!.target!.value };
  console.log('| run | final test acc median [IQR] | seeds reaching target | median cost to target |');
  console.log('|---|---|---|---|');
  e.runs.forEach((r, i) => {
    const reps = seedResults(e, results, i);
    const acc = reps.map((s) => finalValue(s, 'testAccuracy'));
    const s = spread(acc);
    const t = timeToTarget(reps.map((x) => x.points), e.protocol!.target!);
    out[keyOf(e, i)] = { finalTestAcc: summarise(acc), q1: s.q1, q3: s.q3, reached: t.reached, costToTarget: Number.isFinite(t.cost) ? t.cost : -1 };
    console.log(`| ${runLabel(r)} | ${f3(s.median)} [${f3(s.q1)}–${f3(s.q3)}] | ${t.reached}/${t.n} | ${f3(t.cost)} |`);
  });
  return out;
}

/** Tuning changes the ranking: each method at the preset's setting and at its best swept setting (same budget). */
async function tuningRanking(): Promise<FigureTree> {
  const e = findPreset('tuning-ranking')!.experiment;
  const sweep = e.protocol!.sweep!;
  const metric = sweepMetric(e);
  const results: Record<string, JobSummary> = {};
  const jobs = sweepJobs(e);
  // The runs at the preset's own settings, with the trials' budget, so both rankings spend the same cost per run.
  const atPreset = seedJobs(e).map((j) => ({ ...j, maxCost: sweep.trialCost }));
  console.log(`\n## ${e.title}: ${jobs.length} sweep jobs + ${atPreset.length} at the preset's settings, ${sweep.trialCost} cost units each, ranked by final ${metric}`);
  await runAll([...jobs, ...atPreset], results);
  const out: FigureTree = { points: sweep.points, seeds: e.protocol!.seeds!, trialCost: sweep.trialCost };
  console.log('| run | at preset setting (median final train loss) | best lr | at best lr |');
  console.log('|---|---|---|---|');
  const rankPreset: [string, number][] = [];
  const rankBest: [string, number][] = [];
  for (const i of sweep.runs) {
    const presetVals = atPreset.filter((j) => j.runIndex === i).map((j) => finalValue(results[j.key], metric));
    const presetMedian = spread(presetVals).median;
    const best = bestSetting(e, results, i);
    const rows = sweepResults(e, results, i);
    const key = keyOf(e, i);
    out[key] = {
      presetLr: e.runs[i].hyper.lr as number,
      atPreset: presetMedian,
      bestLr: best ? best.setting.lr : -1,
      atBest: best ? best.spread.median : -1,
      perLr: Object.fromEntries(rows.map((r) => [String(r.setting.lr), r.spread.median])),
    };
    rankPreset.push([key, presetMedian]);
    if (best) rankBest.push([key, best.spread.median]);
    console.log(`| ${runLabel(e.runs[i])} | ${f3(presetMedian)} (lr ${e.runs[i].hyper.lr}) | ${best ? f3(best.setting.lr) : '—'} | ${best ? f3(best.spread.median) : '—'} |`);
  }
  const order = (xs: [string, number][]) => [...xs].sort((a, b) => a[1] - b[1]).map(([k]) => k);
  out.rankingAtPreset = order(rankPreset).join(' < ');
  out.rankingAtBest = order(rankBest).join(' < ');
  out.rankingChanged = out.rankingAtPreset === out.rankingAtBest ? 0 : 1;
  console.log(`ranking (lower loss first) at the preset's settings: ${out.rankingAtPreset}; at each method's best: ${out.rankingAtBest}`);
  return out;
}

await useWasm();
const figures: FigureTree = {};
const parts = (process.env.PROTOCOL_PARTS ?? 'seeds,tuning').split(',');
const save = () =>
  writeResults('protocol', {
    command: 'npx tsx bench/protocol.ts',
    protocol: 'the seeds-bands and tuning-ranking presets as the app runs them: every job of the comparison (seeds, sweep trials with their cost budget) on WASM in Node, summarised by the app’s selectors',
    seeds: [1, 2, 3, 4, 5],
    figures,
  });
if (parts.includes('seeds')) {
  figures.seeds = await seedsAndBands();
  save();
}
if (parts.includes('tuning')) {
  figures.tuning = await tuningRanking();
  save();
}
