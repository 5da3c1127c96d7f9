import type { Experiment, RunConfig, SweepConfig } from '../engine/experiment';
import type { Hyper } from '../engine/types';
import { logGrid, randomLog } from './stats';

/**
 * The comparison protocol as pool jobs. A job is "run r of this experiment, with training seed training.seed + k
 * (replicate k) and possibly other hyperparameters, for budget B". Each job has a key that names exactly what it
 * computes, so results are cached by key: a result stays valid while the things it depends on are unchanged, and a
 * change of, say, the dataset makes every key new (old results are then simply not found).
 */
export interface Job {
  key: string;
  experiment: Experiment;
  runIndex: number;
  /** Budget in cost units (sweep trials); absent = the experiment's maxIterations only. */
  maxCost?: number;
}

/** One setting of a sweep: swept key → value. */
export type Setting = Record<string, number>;

/** The experiment as a job sees it: what the training depends on, without the view, the protocol or the lab. */
function jobExperiment(e: Experiment, runIndex: number, hyper: Hyper, replicate: number): Experiment {
  const { view: _view, protocol: _protocol, landscape: _landscape, ...rest } = e;
  const run: RunConfig = { algorithm: e.runs[runIndex].algorithm, hyper };
  return {
    ...structuredClone(rest),
    view: { xAxis: 'iteration', logY: false, smoothing: 0 },
    training: { ...e.training, seed: e.training.seed + replicate },
    dataset: e.protocol?.varySplit ? { ...structuredClone(e.dataset), seed: e.dataset.seed + replicate } : structuredClone(e.dataset),
    runs: e.runs.map((r, i) => (i === runIndex ? run : { algorithm: r.algorithm, hyper: r.hyper })),
  };
}

/** The part of every job key shared by the whole experiment, computed once per experiment object (a CSV dataset can be large). */
const commonKeys = new WeakMap<Experiment, string>();
function commonKey(e: Experiment): string {
  let k = commonKeys.get(e);
  if (k === undefined) {
    const { backend: _b, seed: _s, ...training } = e.training;
    k = JSON.stringify([e.dataset, e.network, training, e.pretrain ?? null]);
    commonKeys.set(e, k);
  }
  return k;
}

/** Key of a job: everything its result depends on (the backend choice and display settings excluded). */
export function jobKey(e: Experiment, runIndex: number, hyper: Hyper, replicate: number, maxCost?: number): string {
  const dataSeed = e.protocol?.varySplit ? e.dataset.seed + replicate : e.dataset.seed;
  return `${commonKey(e)}|${JSON.stringify([e.runs[runIndex].algorithm, sortedHyper(hyper), e.training.seed + replicate, dataSeed, maxCost ?? null])}`;
}

function sortedHyper(h: Hyper): [string, unknown][] {
  return Object.keys(h)
    .sort()
    .map((k) => [k, h[k]]);
}

export function seedCount(e: Experiment): number {
  return e.protocol?.seeds ?? 1;
}

/** Replicates 0..N−1 of every run (replicate 0 is the comparison's own seed). */
export function seedJobs(e: Experiment): Job[] {
  const jobs: Job[] = [];
  for (let k = 0; k < seedCount(e); k++)
    e.runs.forEach((r, i) => jobs.push({ key: jobKey(e, i, r.hyper, k), experiment: jobExperiment(e, i, r.hyper, k), runIndex: i }));
  return jobs;
}

/** The settings a sweep tries for every swept run: a log grid (all combinations) or a seeded log-uniform search. */
export function sweepSettings(sweep: SweepConfig): Setting[] {
  if (sweep.mode === 'grid') {
    const values = sweep.axes.map((a) => logGrid(a.min, a.max, sweep.points));
    let settings: Setting[] = [{}];
    sweep.axes.forEach((a, k) => {
      settings = settings.flatMap((s) => values[k].map((v) => ({ ...s, [a.key]: v })));
    });
    return settings;
  }
  const draws = sweep.axes.map((a, k) => randomLog(a.min, a.max, sweep.points, sweep.seed + 7919 * k));
  return Array.from({ length: sweep.points }, (_, i) => Object.fromEntries(sweep.axes.map((a, k) => [a.key, draws[k][i]])));
}

export function settingHyper(run: RunConfig, setting: Setting): Hyper {
  return { ...run.hyper, ...setting };
}

/** Every trial × seed of the sweep, for each swept run, each with the trial budget. */
export function sweepJobs(e: Experiment): Job[] {
  const sweep = e.protocol?.sweep;
  if (!sweep) return [];
  const settings = sweepSettings(sweep);
  const jobs: Job[] = [];
  // Seeds outermost: a paused or cancelled sweep has a whole first pass over the settings rather than a few complete ones.
  for (let k = 0; k < seedCount(e); k++)
    for (const setting of settings)
      for (const r of sweep.runs) {
        const hyper = settingHyper(e.runs[r], setting);
        jobs.push({ key: jobKey(e, r, hyper, k, sweep.trialCost), experiment: jobExperiment(e, r, hyper, k), runIndex: r, maxCost: sweep.trialCost });
      }
  return jobs;
}

/** Total cost a sweep spends on one method: trials × seeds × trial budget. */
export function sweepCostPerMethod(e: Experiment): number {
  const sweep = e.protocol?.sweep;
  if (!sweep) return 0;
  return sweepSettings(sweep).length * seedCount(e) * sweep.trialCost;
}

/** "lr = 0.003, momentum = 0.9" */
export function settingText(s: Setting): string {
  return Object.entries(s)
    .map(([k, v]) => `${k} = ${Number(v.toPrecision(3))}`)
    .join(', ');
}
