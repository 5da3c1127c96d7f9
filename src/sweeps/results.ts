import type { Experiment, TargetMetric } from '../engine/experiment';
import { jobKey, seedCount, settingHyper, sweepSettings, type Setting } from './jobs';
import { spread, type JobSummary, type Spread } from './stats';

/**
 * What the protocol's results say, as pure functions of the experiment and the job results by key (the store's
 * sweeps slice keeps the results, src/state/sweepsSlice.ts; the protocol's plots and tables read them through these).
 */

/** Replicates of run `i` that have finished (in replicate order; missing ones left out). */
export function seedResults(e: Experiment, results: Record<string, JobSummary>, i: number): JobSummary[] {
  const run = e.runs[i];
  if (!run) return [];
  const out: JobSummary[] = [];
  for (let k = 0; k < seedCount(e); k++) {
    const r = results[jobKey(e, i, run.hyper, k)];
    if (r) out.push(r);
  }
  return out;
}

/** The metric the sweep ranks by and the sensitivity plot shows: the target's metric, else the final training loss. */
export function sweepMetric(e: Experiment): TargetMetric {
  return e.protocol?.target?.metric ?? 'trainLoss';
}

/** A job's final value of `metric`; a diverged job counts as the worst value (+∞ loss, accuracy 0), a failed one NaN. */
export function finalValue(r: JobSummary, metric: TargetMetric): number {
  if (r.status === 'diverged') return metric === 'trainLoss' ? Infinity : 0;
  const last = r.points[r.points.length - 1];
  if (r.status === 'error' || !last) return NaN;
  return metric === 'trainLoss' ? last.trainLoss : (last.testAccuracy ?? NaN);
}

export interface SettingResult {
  setting: Setting;
  /** Spread of the final metric over the finished seeds of this setting. */
  spread: Spread;
}

/** Per setting of the sweep, the spread over seeds of run `runIndex`'s final metric (settings with no result left out). */
export function sweepResults(e: Experiment, results: Record<string, JobSummary>, runIndex: number): SettingResult[] {
  const sweep = e.protocol?.sweep;
  const run = e.runs[runIndex];
  if (!sweep || !run || !sweep.runs.includes(runIndex)) return [];
  const metric = sweepMetric(e);
  const out: SettingResult[] = [];
  for (const setting of sweepSettings(sweep)) {
    const hyper = settingHyper(run, setting);
    const vals: number[] = [];
    for (let k = 0; k < seedCount(e); k++) {
      const r = results[jobKey(e, runIndex, hyper, k, sweep.trialCost)];
      if (r) vals.push(finalValue(r, metric));
    }
    if (vals.length) out.push({ setting, spread: spread(vals) });
  }
  return out;
}

/** The setting with the best median final metric, once every trial × seed of the run's sweep has finished. */
export function bestSetting(e: Experiment, results: Record<string, JobSummary>, runIndex: number): SettingResult | null {
  const sweep = e.protocol?.sweep;
  if (!sweep) return null;
  const rows = sweepResults(e, results, runIndex);
  if (rows.length < sweepSettings(sweep).length || rows.some((r) => r.spread.n < seedCount(e))) return null;
  const lower = sweepMetric(e) === 'trainLoss';
  let best: SettingResult | null = null;
  for (const r of rows) {
    const m = r.spread.median;
    if (Number.isNaN(m)) continue;
    if (!best || (lower ? m < best.spread.median : m > best.spread.median)) best = r;
  }
  return best;
}
