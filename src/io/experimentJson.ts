import type { Experiment } from '../engine/experiment';
import { validateExperiment, type Validated } from '../url/validate';

/**
 * The experiment as a JSON file: the same object as the URL carries, plus — on request — each run's trained
 * weights (flattened, with the layer sizes). Import validates it like a link and names the line and field of
 * any problem; a file with errors changes nothing.
 */
export interface ExperimentFile {
  kind: 'optimizer-playground-experiment';
  experiment: Experiment;
  weights?: ({ sizes: number[]; flat: number[] } | null)[];
}

export function experimentFileJson(e: Experiment, weights?: ExperimentFile['weights']): string {
  const file: ExperimentFile = { kind: 'optimizer-playground-experiment', experiment: e, ...(weights ? { weights } : {}) };
  return JSON.stringify(file, null, 2);
}

/** Line and column of a character offset. */
function lineCol(text: string, pos: number): { line: number; column: number } {
  const before = text.slice(0, pos);
  const line = before.split('\n').length;
  return { line, column: pos - before.lastIndexOf('\n') };
}

/** Where a JSON.parse error happened, from the engine's message ("at position N" or "line L column C"). */
function jsonErrorLocation(text: string, err: Error): string {
  const lc = /line (\d+) column (\d+)/.exec(err.message);
  if (lc) return `line ${lc[1]}, column ${lc[2]}`;
  const pos = /position (\d+)/.exec(err.message);
  if (pos) {
    const { line, column } = lineCol(text, Number(pos[1]));
    return `line ${line}, column ${column}`;
  }
  return 'end of file';
}

/** For a validation error naming a field path, find the line where that field's key first appears. */
function lineOfField(text: string, message: string): string {
  const path = /^([A-Za-z]+(?:\[\d+\])?(?:\.[A-Za-z0-9]+(?:\[\d+\])?)*)/.exec(message)?.[1];
  if (!path) return '';
  const last = path.split('.').pop()!.replace(/\[\d+\]$/, '');
  const idx = text.indexOf(`"${last}"`);
  return idx >= 0 ? ` (line ${lineCol(text, idx).line})` : '';
}

export function parseExperimentFile(text: string): Validated<Experiment> {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    const e = err as Error;
    return { ok: false, errors: [`the file is not valid JSON: ${e.message.replace(/\s*\(line \d+ column \d+\)/, '')} at ${jsonErrorLocation(text, e)}`] };
  }
  // Accept both the wrapped file and a bare Experiment object.
  const obj = raw as Partial<ExperimentFile> | null;
  const experiment = obj && typeof obj === 'object' && obj.kind === 'optimizer-playground-experiment' ? obj.experiment : raw;
  const res = validateExperiment(experiment);
  if (res.ok) return res;
  return { ok: false, errors: res.errors.map((m) => `${m}${lineOfField(text, m)}`) };
}
