import { afterAll, describe, expect, it } from 'vitest';
import { parseCsvDataset } from '../engine/data/csv';
import type { Experiment } from '../engine/experiment';
import { defaultExperiment } from '../methods/defaultExperiment';
import { makeRng } from '../engine/random';
import { experimentFileJson, parseExperimentFile } from '../io/experimentJson';
import { PRESETS } from '../presets';
import { canonical } from './presetLinks';
import { decodeHash, encodeExperiment } from './codec';
import { validateExperiment } from './validate';

/**
 * Seeded fuzzing of the three parsers that read what users bring (links, experiment JSON, CSV datasets). Each
 * checks what was accepted, not only that nothing threw:
 *  - an accepted experiment equals its canonical form (re-validating and re-encoding it changes nothing), and
 *  - every value present in the input is in the result unchanged — a present-but-wrong key is never replaced by
 *    a default; absent fields are filled only with a warning naming them;
 *  - an accepted CSV is exactly what an independent reading of the text gives (header rule, decimal numbers).
 * The figures (inputs, uncaught errors, accepted-invalid) are printed for the closing note.
 */
const figures: Record<string, { inputs: number; accepted: number; uncaught: number; acceptedInvalid: number }> = {};
afterAll(() => {
  for (const [k, f] of Object.entries(figures))
    console.log(`fuzz ${k}: ${f.inputs} inputs, ${f.accepted} accepted, ${f.uncaught} uncaught errors, ${f.acceptedInvalid} accepted-invalid`);
});

const rng = makeRng(2026);
const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)];
const STRANGE: unknown[] = [null, true, false, 0, -1, 1e-300, 1e300, 0.5, 3.5, 2 ** 31, -0, '', 'x', '0', 'relu', [], [1], [1, 2, 3], {}, { a: 1 }, 12000, 13000, 9, 10, 28, 14];

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type PathKey = string | number;

function leaves(v: Json, path: PathKey[] = [], out: { path: PathKey[]; value: Json }[] = []) {
  if (v !== null && typeof v === 'object') {
    const entries = Array.isArray(v) ? v.map((x, i) => [i, x] as const) : Object.entries(v);
    if (entries.length === 0) out.push({ path, value: v });
    for (const [k, x] of entries) leaves(x as Json, [...path, k], out);
  } else out.push({ path, value: v });
  return out;
}
function at(v: unknown, path: PathKey[]): unknown {
  let x = v;
  for (const k of path) x = x !== null && typeof x === 'object' ? (x as Record<PathKey, unknown>)[k] : undefined;
  return x;
}
function setAt(root: Json, path: PathKey[], value: Json | undefined): void {
  const parent = at(root, path.slice(0, -1)) as Record<PathKey, Json>;
  const k = path[path.length - 1];
  if (value === undefined) {
    if (Array.isArray(parent)) parent.splice(k as number, 1);
    else delete parent[k];
  } else parent[k] = value;
}

/** A structural mutation of a valid experiment: change a value, drop a key, add or misspell one. */
function mutate(base: Experiment): Json {
  const e = JSON.parse(JSON.stringify(base)) as Json;
  const edits = 1 + Math.floor(rng() * 3);
  for (let n = 0; n < edits; n++) {
    const all = leaves(e);
    const { path, value } = pick(all);
    const op = rng();
    if (op < 0.45) setAt(e, path, structuredClone(pick(STRANGE)) as Json);
    else if (op < 0.6 && typeof value === 'number') setAt(e, path, value * pick([-1, 0.5, 2, 10, 1e6]) + pick([0, 1, 0.5]));
    else if (op < 0.7) setAt(e, path, undefined);
    else if (op < 0.85 && path.length > 0) {
      const parentPath = path.slice(0, -1);
      const parent = at(e, parentPath);
      if (parent && typeof parent === 'object' && !Array.isArray(parent)) {
        const k = String(path[path.length - 1]);
        const typo = k.length > 2 ? k.slice(0, 1) + k.slice(2, 3) + k.slice(1, 2) + k.slice(3) : k + 'x';
        setAt(e, [...parentPath, typo], value);
        if (rng() < 0.7) setAt(e, path, undefined);
      }
    } else if (path.length > 1) setAt(e, [...path.slice(0, -1), pick(['extra', 'seed2', 'lr', 'label', 'hidden'])], structuredClone(pick(STRANGE)) as Json);
  }
  return e;
}

const dotted = (p: PathKey[]) => p.map((k) => (typeof k === 'number' ? `[${k}]` : k)).join('.').replace(/\.\[/g, '[');

/** Why an accepted experiment is not what the input said, or '' when it is. */
function acceptedInvalid(raw: unknown, value: Experiment, warnings: string[]): string {
  // Canonical: re-validating the result gives it back unchanged and without warnings; so does the link.
  const again = validateExperiment(JSON.parse(JSON.stringify(value)));
  if (!again.ok) return `result does not re-validate: ${again.errors[0]}`;
  if (JSON.stringify(again.value) !== JSON.stringify(value)) return 'result is not canonical';
  if (again.warnings.length) return `canonical form has warnings: ${again.warnings[0]}`;
  const link = decodeHash('#' + encodeExperiment(value));
  if (link.ok !== true || JSON.stringify(link.value) !== JSON.stringify(value)) return 'result does not survive its own link';
  // Every value given is kept: no present key silently replaced.
  for (const { path, value: given } of leaves(raw as Json)) {
    if (path[0] === 'version') continue;
    const got = at(value, path);
    // A link from a newer format version may lose keys this version does not know — each named in a warning.
    const dropped = path.some((_, n) => warnings.some((w) => w.startsWith(`${dotted(path.slice(0, n + 1))} was dropped: this link was made by a newer version`)));
    if (got === undefined && dropped) continue;
    // The one documented normalisation: a run's name is kept without surrounding spaces (codec.test.ts).
    if (path[0] === 'runs' && path[2] === 'label' && typeof given === 'string' && got === given.trim()) continue;
    if (JSON.stringify(got) !== JSON.stringify(given)) return `${path.join('.')} was ${JSON.stringify(given)}, became ${JSON.stringify(got)}`;
  }
  // Every filled-in default is named in a warning.
  for (const { path } of leaves(JSON.parse(JSON.stringify(value)) as Json)) {
    if (at(raw, path) !== undefined) continue;
    let p = path;
    while (p.length > 1 && at(raw, p.slice(0, -1)) === undefined) p = p.slice(0, -1);
    const name = dotted(p);
    if (!warnings.some((w) => w.startsWith(name))) return `${name} was filled in without a warning`;
  }
  return '';
}

const bases = [defaultExperiment(), ...PRESETS.map((p) => p.experiment)];

describe('fuzz: links', () => {
  it('3,000 mutated links: nothing throws, and whatever is accepted is exactly what the link said', () => {
    const f = (figures.links = { inputs: 0, accepted: 0, uncaught: 0, acceptedInvalid: 0 });
    const problems: string[] = [];
    for (let i = 0; i < 3000; i++) {
      const base = pick(bases);
      let hash: string;
      let raw: unknown;
      if (i % 3 === 0) {
        // Damage the compressed text itself.
        const chars = encodeExperiment(base).split('');
        for (let k = 0, n = 1 + Math.floor(rng() * 3); k < n; k++) {
          const pos = 4 + Math.floor(rng() * (chars.length - 4));
          const op = rng();
          if (op < 0.4) chars[pos] = pick('ABCxyz019-_=%.!'.split(''));
          else if (op < 0.7) chars.splice(pos, 1);
          else chars.length = pos;
        }
        hash = '#' + chars.join('');
        raw = undefined;
      } else {
        raw = mutate(base);
        hash = '#' + encodeExperiment(raw as Experiment);
      }
      f.inputs++;
      let res: ReturnType<typeof decodeHash>;
      try {
        res = decodeHash(hash);
      } catch (err) {
        f.uncaught++;
        problems.push(`threw: ${String(err)}`);
        continue;
      }
      if (res.ok === false) {
        expect(res.errors.length).toBeGreaterThan(0);
        continue;
      }
      if (res.ok !== true) continue;
      f.accepted++;
      // A damaged link that still opens must open the experiment itself (compared key order aside: a preset link's
      // decoded experiment has the validator's key order, the preset its author's).
      const same = (a: unknown, b: unknown) => JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
      const why = raw === undefined ? (same(res.value, base) ? '' : 'damaged link decoded to something else') : acceptedInvalid(raw, res.value, res.warnings);
      if (why) {
        f.acceptedInvalid++;
        problems.push(why);
      }
    }
    expect(problems.slice(0, 5)).toEqual([]);
    expect(f.accepted).toBeGreaterThan(100);
  });
});

describe('fuzz: experiment JSON files', () => {
  it('3,000 mutated files (text edits and structural edits): nothing throws, nothing accepted is changed', () => {
    const f = (figures.json = { inputs: 0, accepted: 0, uncaught: 0, acceptedInvalid: 0 });
    const problems: string[] = [];
    const alphabet = '0123456789.,-+eE \n\t:"{}[]aNnul';
    for (let i = 0; i < 3000; i++) {
      const base = pick(bases);
      let text: string;
      let raw: unknown;
      if (i % 2 === 0) {
        const chars = experimentFileJson(base).split('');
        const pos = Math.floor(rng() * chars.length);
        chars.splice(pos, Math.floor(rng() * 3), ...Array.from({ length: Math.floor(rng() * 3) }, () => pick(alphabet.split(''))));
        text = chars.join('');
        try {
          raw = (JSON.parse(text) as { experiment?: unknown }).experiment;
        } catch {
          raw = undefined;
        }
      } else {
        raw = mutate(base);
        text = JSON.stringify({ kind: 'optimizer-playground-experiment', experiment: raw }, null, 2);
      }
      f.inputs++;
      let res: ReturnType<typeof parseExperimentFile>;
      try {
        res = parseExperimentFile(text);
      } catch (err) {
        f.uncaught++;
        problems.push(`threw: ${String(err)}`);
        continue;
      }
      if (!res.ok) {
        expect(res.errors.length).toBeGreaterThan(0);
        continue;
      }
      f.accepted++;
      const why = raw === undefined ? 'accepted a file that is not JSON' : acceptedInvalid(raw, res.value, res.warnings);
      if (why) {
        f.acceptedInvalid++;
        problems.push(why);
      }
    }
    expect(problems.slice(0, 5)).toEqual([]);
    expect(f.accepted).toBeGreaterThan(100);
  });
});

/** An independent reading of a CSV dataset: what parseCsvDataset must return when it accepts. */
function oracleCsv(text: string): number[][] | 'invalid' {
  const decimal = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/).map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'));
  const rows: number[][] = [];
  lines.forEach((l, i) => {
    const fields = l.split(/[,;\t]/).map((x) => x.trim());
    if (i === 0 && fields.every((x) => !decimal.test(x) || !Number.isFinite(Number(x)))) return; // header
    rows.push(fields.map((x) => (decimal.test(x) ? Number(x) : NaN)));
  });
  if (rows.length < 10 || rows.length > 3000) return 'invalid';
  const w = rows[0].length;
  for (const r of rows) {
    if (r.length !== w || w < 2 || w > 65 || !r.every(Number.isFinite)) return 'invalid';
    const label = r[w - 1];
    if (!Number.isInteger(label) || label < 0 || label > 9) return 'invalid';
    if (r.slice(0, -1).some((x) => Math.abs(x) > 1e6)) return 'invalid';
  }
  if (Math.max(...rows.map((r) => r[w - 1])) < 1) return 'invalid';
  return rows;
}

describe('fuzz: CSV datasets', () => {
  it('3,000 mutated CSV files: nothing throws, and an accepted file is exactly its independent reading', () => {
    const f = (figures.csv = { inputs: 0, accepted: 0, uncaught: 0, acceptedInvalid: 0 });
    const problems: string[] = [];
    const alphabet = '0123456789.,-+eE x#\n\t;abc';
    const tokens = ['0x10', '1e309', 'NaN', 'Infinity', '', ' ', '1,2', 'x1', '1e3', '.5', '5.', '-0', '+3', '1_0', '٣'];
    for (let i = 0; i < 3000; i++) {
      const n = 10 + Math.floor(rng() * 15);
      const lines = Array.from({ length: n }, (_, k) => `${(k / 7).toFixed(3)},${(-k / 3).toPrecision(4)},${k % 3}`);
      if (rng() < 0.5) lines.unshift(pick(['x1,x2,label', 'a,b,c', '1,abc,0', 'x,1,y', '0x10,1,0']));
      const m = rng();
      if (m < 0.4) {
        const li = Math.floor(rng() * lines.length);
        const fields = lines[li].split(',');
        fields[Math.floor(rng() * fields.length)] = pick(tokens);
        lines[li] = fields.join(',');
      } else if (m < 0.7) {
        const text = lines.join('\n');
        const pos = Math.floor(rng() * text.length);
        lines.splice(0, lines.length, text.slice(0, pos) + pick(alphabet.split('')) + text.slice(pos + Math.floor(rng() * 2)));
      }
      const text = lines.join(rng() < 0.2 ? '\r\n' : '\n');
      f.inputs++;
      let res: ReturnType<typeof parseCsvDataset>;
      try {
        res = parseCsvDataset(text);
      } catch (err) {
        f.uncaught++;
        problems.push(`threw: ${String(err)}`);
        continue;
      }
      const expected = oracleCsv(text);
      if (!res.ok) {
        expect(res.errors.length).toBeGreaterThan(0);
        continue;
      }
      f.accepted++;
      if (expected === 'invalid' || JSON.stringify(expected) !== JSON.stringify(res.data.rows)) {
        f.acceptedInvalid++;
        problems.push(`accepted ${JSON.stringify(text.slice(0, 80))}`);
      }
    }
    expect(problems.slice(0, 5)).toEqual([]);
    expect(f.accepted).toBeGreaterThan(300);
  });
});
