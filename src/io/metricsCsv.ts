import { type Experiment } from '../engine/experiment';
import { runLabel } from '../methods/registry';
import type { MetricPoint } from '../engine/types';

/**
 * All recorded points of all runs as one CSV (full data, never the decimated display series): one row per
 * recorded point, columns for the common metrics and the union of every run's method-specific `extra` keys.
 */
const BASE_COLUMNS = ['iteration', 'time', 'cost', 'epoch', 'loss', 'gradNorm', 'trainLoss', 'testLoss', 'trainAccuracy', 'testAccuracy', 'fullGradNorm'] as const;

/**
 * One CSV cell. Numbers are written as numbers (NaN/Infinity kept visible). A text cell that a spreadsheet would
 * run as a formula — one starting with =, +, -, @, a tab or a carriage return, e.g. a run label
 * "=HYPERLINK(…)" — gets a leading apostrophe, the OWASP "CSV injection" advice: shown as text, never evaluated.
 */
export function csvCell(v: unknown): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'number') return String(v);
  let s = String(v);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
const cell = csvCell;

export function metricsCsv(e: Experiment, runs: { points: MetricPoint[] }[]): string {
  const extraKeys = new Set<string>();
  for (const r of runs) for (const p of r.points) for (const k of Object.keys(p.extra)) extraKeys.add(k);
  const extras = Array.from(extraKeys).sort();
  const header = ['run', 'algorithm', ...BASE_COLUMNS, ...extras.map((k) => `extra.${k}`)];
  const lines = [header.map(cell).join(',')];
  runs.forEach((r, i) => {
    const cfg = e.runs[i];
    if (!cfg) return;
    const label = runLabel(cfg);
    for (const p of r.points) {
      const row = [cell(i + 1), cell(label), ...BASE_COLUMNS.map((c) => cell(p[c])), ...extras.map((k) => cell(p.extra[k]))];
      lines.push(row.join(','));
    }
  });
  return lines.join('\n') + '\n';
}
