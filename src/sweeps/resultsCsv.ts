import type { Experiment } from '../engine/experiment';
import { runLabel } from '../methods/registry';
import type { JobSummary } from './stats';
import { jobKey, seedCount, settingHyper, settingText, sweepSettings } from './jobs';

/**
 * The protocol's results as CSV, one row per job of the current experiment that has finished: the seed replicates
 * of every run, then the sweep's trials (setting, replicate), with how each ended and its final figures.
 */
const HEADER = ['kind', 'run', 'method', 'setting', 'replicate', 'training_seed', 'status', 'iterations', 'cost', 'seconds', 'final_train_loss', 'final_test_accuracy', 'message'];

function cell(v: unknown): string {
  if (v === undefined || v === null) return '';
  const s = String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function protocolResultsCsv(e: Experiment, results: Record<string, JobSummary>): string {
  const lines = [HEADER.join(',')];
  const row = (kind: string, i: number, setting: string, k: number, r: JobSummary | undefined) => {
    if (!r) return;
    const last = r.points[r.points.length - 1];
    lines.push(
      [kind, i + 1, runLabel(e.runs[i]), setting, k, e.training.seed + k, r.status, last?.iteration, last?.cost, last?.time, last?.trainLoss, last?.testAccuracy, r.message].map(cell).join(','),
    );
  };
  for (let k = 0; k < seedCount(e); k++) e.runs.forEach((run, i) => row('seed', i, '', k, results[jobKey(e, i, run.hyper, k)]));
  const sweep = e.protocol?.sweep;
  if (sweep)
    for (const setting of sweepSettings(sweep))
      for (const i of sweep.runs)
        for (let k = 0; k < seedCount(e); k++) row('sweep', i, settingText(setting), k, results[jobKey(e, i, settingHyper(e.runs[i], setting), k, sweep.trialCost)]);
  return lines.join('\n') + '\n';
}
