import { deriveSeed, makeRng, permutation } from '../random';

/**
 * A user's own dataset, imported from CSV: each row is the features then an integer class label, e.g.
 * `x1,x2,label`. Parsing never throws; it names the line and the field of the first problems found.
 * The parsed data travels inside the Experiment (so the URL reproduces it), hence the size limits.
 */
export interface CustomData {
  features: number;
  classes: number;
  /** Each row: features..., label. */
  rows: number[][];
}

export const CUSTOM_LIMITS = { maxRows: 3000, maxFeatures: 64, maxClasses: 10, minRows: 10, maxAbs: 1e6 };

export type CsvResult = { ok: true; data: CustomData; skippedHeader: boolean } | { ok: false; errors: string[] };

/** Plain decimal or scientific notation only: Number() would also take "0x10", "0b1", "Infinity" and "" (as 0). */
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** A field as a number, or why it is not one. */
function parseField(f: string): { ok: true; value: number } | { ok: false; why: string } {
  if (!DECIMAL.test(f)) return { ok: false, why: `“${f}” is not a decimal number` };
  const v = Number(f);
  if (!Number.isFinite(v)) return { ok: false, why: `${f} is out of range (beyond ±1.8e308)` };
  return { ok: true, value: v };
}

export function parseCsvDataset(text: string): CsvResult {
  const errors: string[] = [];
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/);
  const rows: number[][] = [];
  let width = -1;
  let skippedHeader = false;
  let first = true;
  for (let li = 0; li < lines.length && errors.length < 5; li++) {
    const line = lines[li].trim();
    if (line === '' || line.startsWith('#')) continue;
    const fields = line.split(/[,;\t]/).map((f) => f.trim());
    const lineNo = li + 1;
    // The first row is a header only when none of its fields is a number ("x1,x2,label"); a first row with a
    // number in it is data, and a bad field there is reported like on any other line, never dropped as a header.
    if (first) {
      first = false;
      if (fields.every((f) => !parseField(f).ok)) {
        skippedHeader = true;
        width = fields.length;
        continue;
      }
    }
    if (width === -1) width = fields.length;
    if (fields.length !== width) {
      errors.push(`line ${lineNo}: ${fields.length} fields, expected ${width}`);
      continue;
    }
    if (width < 2) {
      errors.push(`line ${lineNo}: need at least one feature and a label`);
      continue;
    }
    const row: number[] = [];
    for (let fi = 0; fi < fields.length; fi++) {
      const isLabel = fi === fields.length - 1;
      const parsed = parseField(fields[fi]);
      if (!parsed.ok) {
        errors.push(`line ${lineNo}, field ${fi + 1}${isLabel ? ' (label)' : ''}: ${fields[fi] === '' ? 'empty' : parsed.why}`);
        break;
      }
      const v = parsed.value;
      if (isLabel && (!Number.isInteger(v) || v < 0 || v >= CUSTOM_LIMITS.maxClasses)) {
        errors.push(`line ${lineNo}, field ${fi + 1} (label): “${fields[fi]}” is not a class index 0–${CUSTOM_LIMITS.maxClasses - 1}`);
        break;
      }
      if (!isLabel && Math.abs(v) > CUSTOM_LIMITS.maxAbs) {
        errors.push(`line ${lineNo}, field ${fi + 1}: ${v} is too large (|x| ≤ ${CUSTOM_LIMITS.maxAbs})`);
        break;
      }
      row.push(v);
    }
    if (row.length === fields.length) rows.push(row);
    if (rows.length > CUSTOM_LIMITS.maxRows) {
      errors.push(`more than ${CUSTOM_LIMITS.maxRows} rows (line ${lineNo}); use a smaller sample`);
      break;
    }
  }
  if (errors.length) return { ok: false, errors };
  if (rows.length < CUSTOM_LIMITS.minRows) return { ok: false, errors: [`only ${rows.length} data rows; at least ${CUSTOM_LIMITS.minRows} are needed`] };
  const features = width - 1;
  if (features > CUSTOM_LIMITS.maxFeatures) return { ok: false, errors: [`${features} features; at most ${CUSTOM_LIMITS.maxFeatures}`] };
  const classes = Math.max(...rows.map((r) => r[features])) + 1;
  if (classes < 2) return { ok: false, errors: ['every label is 0: a classification dataset needs at least two classes'] };
  return { ok: true, data: { features, classes, rows }, skippedHeader };
}

/** How many of a file's rows the split uses: a third at most goes to test, the train size caps the rest. */
export function customSplitSizes(rows: number, trainSize: number, testSize: number): { train: number; test: number } {
  const test = Math.max(1, Math.min(testSize, Math.floor(rows / 3)));
  return { train: Math.min(trainSize, rows - test), test };
}

/** Seeded train/test split of custom rows (sizes from customSplitSizes). Same on the main thread and in workers. */
export function splitCustom(data: CustomData, seed: number, trainSize: number, testSize: number): { train: number[][]; test: number[][] } {
  const perm = permutation(makeRng(deriveSeed(seed, 'custom-split')), data.rows.length);
  const sizes = customSplitSizes(data.rows.length, trainSize, testSize);
  const test: number[][] = [];
  const train: number[][] = [];
  perm.forEach((idx, k) => (k < sizes.test ? test : train).push(data.rows[idx]));
  return { train: train.slice(0, sizes.train), test };
}
