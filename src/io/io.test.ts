import { describe, expect, it } from 'vitest';
import { parseCsvDataset, splitCustom } from '../engine/data/csv';
import { defaultExperiment } from '../methods/defaultExperiment';
import { makeRng } from '../engine/random';
import { validateExperiment } from '../url/validate';
import type { MetricPoint } from '../engine/types';
import { experimentFileJson, parseExperimentFile } from './experimentJson';
import { csvCell, metricsCsv } from './metricsCsv';
import { parseNumberInput } from './numberInput';

const point = (i: number, extra: Record<string, number> = {}): MetricPoint => ({ iteration: i, time: i / 10, cost: i / 4, epoch: i / 4, loss: 1 / i, gradNorm: 2, extra });

describe('metrics CSV export', () => {
  it('has one row per recorded point and the union of extra columns', () => {
    const e = defaultExperiment();
    const csv = metricsCsv(e, [{ points: [point(1), point(2, { phase: 1 })] }, { points: [point(1, { swap: 1 })] }]);
    const lines = csv.trim().split('\n');
    expect(lines.length).toBe(1 + 3);
    expect(lines[0].split(',')).toContain('extra.phase');
    expect(lines[0].split(',')).toContain('extra.swap');
    expect(lines[2]).toMatch(/^1,SGD \(momentum\),2,/);
    expect(lines[3].startsWith('2,Adam,1,')).toBe(true);
  });

  it('escapes text cells a spreadsheet would run as a formula, and keeps negative numbers as numbers', () => {
    const e = defaultExperiment();
    e.runs[0].label = '=HYPERLINK("http://evil","x")';
    e.runs[1].label = '@SUM(A1)';
    const csv = metricsCsv(e, [{ points: [{ ...point(1), loss: -0.5 }] }, { points: [point(1)] }]);
    const lines = csv.trim().split('\n');
    expect(lines[1].startsWith(`1,"'=HYPERLINK(""http://evil"",""x"")",1,`)).toBe(true);
    expect(lines[1]).toContain(',-0.5,');
    expect(lines[2].startsWith("2,'@SUM(A1),1,")).toBe(true);
    for (const t of ['+1', '-x', '\tx', '\rx']) expect(csvCell(t).replace(/^"/, '').startsWith("'")).toBe(true);
    expect(csvCell(-3)).toBe('-3');
  });
});

describe('experiment JSON import', () => {
  it('round-trips the experiment', () => {
    const e = defaultExperiment();
    const back = parseExperimentFile(experimentFileJson(e, [{ sizes: [2, 1], flat: [1, 2, 3] }, null]));
    expect(back.ok).toBe(true);
    if (back.ok) expect(back.value).toEqual(e);
  });

  it('names the line and column of a JSON syntax error', () => {
    const text = '{\n  "experiment": {\n    "title": "x",,\n  }\n}';
    const res = parseExperimentFile(text);
    expect(res.ok).toBe(false);
    if (!res.ok) expect(res.errors[0]).toMatch(/line 3/);
  });

  it('names the field and its line when a value is wrong', () => {
    const e = defaultExperiment() as unknown as { training: Record<string, unknown> };
    e.training.maxIterations = 'many';
    const text = experimentFileJson(e as never);
    const res = parseExperimentFile(text);
    expect(res.ok).toBe(false);
    const line = text.split('\n').findIndex((l) => l.includes('"maxIterations"')) + 1;
    if (!res.ok) expect(res.errors[0]).toBe(`training.maxIterations must be a number, got "many" (line ${line}, column 7)`);
  });

  it('points at the field of the right run, not the first key of that name', () => {
    const e = defaultExperiment();
    (e.runs[1].hyper as Record<string, unknown>).lr = -1;
    const text = experimentFileJson(e);
    const res = parseExperimentFile(text);
    const lines = text.split('\n');
    const lrLines = lines.map((l, i) => (l.includes('"lr"') ? i + 1 : 0)).filter(Boolean);
    expect(lrLines.length).toBe(2);
    expect(res.ok).toBe(false);
    if (!res.ok) expect(res.errors[0]).toMatch(new RegExp(`^runs\\[1\\]\\.hyper\\.lr = -1 is outside .*\\(line ${lrLines[1]}, column \\d+\\)$`));
  });

  it('a stray letter on line 5 and a Python NaN on line 8 are reported where they are', () => {
    const lines = experimentFileJson(defaultExperiment()).split('\n');
    const stray = [...lines];
    stray[4] = stray[4].replace('"title"', 'x"title"');
    const a = parseExperimentFile(stray.join('\n'));
    expect(a.ok).toBe(false);
    if (!a.ok) expect(a.errors[0]).toMatch(/^the file is not valid JSON: line 5, column 5: unexpected "x"/);
    const nan = [...lines];
    expect(nan[7]).toBe('      "seed": 1,');
    nan[7] = nan[7].replace('1', 'NaN');
    const b = parseExperimentFile(nan.join('\n'));
    expect(b.ok).toBe(false);
    if (!b.ok) expect(b.errors[0]).toMatch(/line 8, column 15: NaN is not allowed in JSON \(Python/);
    const cut = parseExperimentFile(lines.slice(0, 10).join('\n'));
    if (!cut.ok) expect(cut.errors[0]).toMatch(/the file ends early \(line 10/);
  });

  it('only an experiment file of a known kind is imported', () => {
    const empty = parseExperimentFile('{}');
    expect(empty.ok).toBe(false);
    if (!empty.ok) expect(empty.errors[0]).toMatch(/not an experiment file of the playground: it has no "kind"/);
    const other = parseExperimentFile(JSON.stringify({ format: 'optimizer-playground/weights', kind: 'weights' }));
    if (!other.ok) expect(other.errors[0]).toMatch(/kind "weights"; only experiment files/);
    expect(other.ok).toBe(false);
    const bare = parseExperimentFile(JSON.stringify(defaultExperiment()));
    expect(bare.ok).toBe(false);
    const noVersion = JSON.parse(experimentFileJson(defaultExperiment()));
    delete noVersion.experiment.version;
    const nv = parseExperimentFile(JSON.stringify(noVersion));
    expect(nv.ok).toBe(false);
    if (!nv.ok) expect(nv.errors[0]).toMatch(/version is missing/);
    const extra = parseExperimentFile(JSON.stringify({ ...JSON.parse(experimentFileJson(defaultExperiment())), comment: 'hi' }));
    expect(extra.ok).toBe(false);
    if (!extra.ok) expect(extra.errors[0]).toMatch(/comment is not a field of an experiment file/);
  });

  it('a misspelt key is an error with its line; a key given twice is refused', () => {
    const text = experimentFileJson(defaultExperiment()).replace('"network"', '"netwrok"');
    const res = parseExperimentFile(text);
    expect(res.ok).toBe(false);
    const line = text.split('\n').findIndex((l) => l.includes('"netwrok"')) + 1;
    if (!res.ok) expect(res.errors.join(' | ')).toContain(`netwrok is not a field this version knows (misspelt, or from another program) (line ${line}, column 5)`);
    const twice = experimentFileJson(defaultExperiment()).replace('"maxIterations": 3000,', '"maxIterations": 3000, "maxIterations": 50,');
    const t = parseExperimentFile(twice);
    expect(t.ok).toBe(false);
    if (!t.ok) expect(t.errors[0]).toMatch(/"maxIterations" appears twice/);
  });

  it('says that the weights in a file are not loaded', () => {
    const res = parseExperimentFile(experimentFileJson(defaultExperiment(), [{ sizes: [2, 1], flat: [1, 2, 3] }, null]));
    expect(res.ok).toBe(true);
    if (res.ok) expect(res.warnings.join(' ')).toMatch(/weights in the file are not loaded/);
  });
});

describe('CSV dataset import', () => {
  const good = ['x1,x2,label', ...Array.from({ length: 12 }, (_, i) => `${i / 10},${-i / 7},${i % 3}`)].join('\n');

  it('parses a header, features and labels', () => {
    const res = parseCsvDataset(good);
    expect(res.ok).toBe(true);
    if (res.ok) {
      expect(res.skippedHeader).toBe(true);
      expect(res.data.features).toBe(2);
      expect(res.data.classes).toBe(3);
      expect(res.data.rows[1]).toEqual([0.1, -1 / 7, 1]);
      const split = splitCustom(res.data, 1, 100, 100);
      expect(split.test.length).toBe(4);
      expect(split.train.length + split.test.length).toBe(12);
    }
  });

  it('names the line and field of a bad row', () => {
    const bad = good.replace('0.5,-0.7142857142857143,2', '0.5,oops,2');
    const res = parseCsvDataset(bad);
    expect(res.ok).toBe(false);
    if (!res.ok) expect(res.errors[0]).toBe('line 7, field 2: “oops” is not a decimal number');
    const short = good.replace('0.3,-0.42857142857142855,0', '0.3,0');
    const r2 = parseCsvDataset(short);
    expect(r2.ok).toBe(false);
    if (!r2.ok) expect(r2.errors[0]).toBe('line 5: 2 fields, expected 3');
    const label = parseCsvDataset(good.replace(/,2$/m, ',2.5'));
    expect(label.ok).toBe(false);
    if (!label.ok) expect(label.errors[0]).toMatch(/\(label\)/);
  });

  it('a first row with a number in it is data: a bad field there is reported, not dropped as a header', () => {
    const rows = Array.from({ length: 20 }, (_, i) => `${i / 10},${-i / 7},${i % 2}`);
    const res = parseCsvDataset(['1,abc,0', ...rows].join('\n'));
    expect(res.ok).toBe(false);
    if (!res.ok) expect(res.errors[0]).toBe('line 1, field 2: “abc” is not a decimal number');
    const ok = parseCsvDataset(['0.5,1,1', ...rows].join('\n'));
    expect(ok.ok).toBe(true);
    if (ok.ok) {
      expect(ok.skippedHeader).toBe(false);
      expect(ok.data.rows.length).toBe(21);
    }
  });

  it('only decimal numbers: 0x10 is refused, 1e309 is out of range', () => {
    const rows = Array.from({ length: 20 }, (_, i) => `${i / 10},${-i / 7},${i % 2}`);
    const hex = parseCsvDataset(['x1,x2,label', ...rows, '0x10,1,0'].join('\n'));
    expect(hex.ok).toBe(false);
    if (!hex.ok) expect(hex.errors[0]).toBe('line 22, field 1: “0x10” is not a decimal number');
    const big = parseCsvDataset(['x1,x2,label', '1e309,1,0', ...rows].join('\n'));
    expect(big.ok).toBe(false);
    if (!big.ok) expect(big.errors[0]).toBe('line 2, field 1: 1e309 is out of range (beyond ±1.8e308)');
  });

  it('an imported dataset travels in a valid experiment', () => {
    const res = parseCsvDataset(good);
    if (!res.ok) throw new Error('fixture');
    const e = defaultExperiment();
    e.dataset.kind = 'custom';
    e.dataset.custom = res.data;
    expect(validateExperiment(JSON.parse(JSON.stringify(e))).ok).toBe(true);
    (e.dataset.custom.rows[3] as number[])[2] = 7;
    const bad = validateExperiment(JSON.parse(JSON.stringify(e)));
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.errors[0]).toMatch(/dataset\.custom\.rows\[3\]/);
    // A link that carries the same data as a CSV the importer refuses is refused too (all labels 0).
    e.dataset.custom = { features: 2, classes: 2, rows: res.data.rows.map((r) => [r[0], r[1], 0]) };
    const zero = validateExperiment(JSON.parse(JSON.stringify(e)));
    expect(zero.ok).toBe(false);
  });
});

describe('input parsers never throw (seeded fuzz, 1,000+ cases each)', () => {
  const rng = makeRng(11);
  const alphabet = '0123456789.,-+eE \n\t;x#"{}[]:abc\u00e9\uFEFF';
  const randomText = (n: number) => Array.from({ length: n }, () => alphabet[Math.floor(rng() * alphabet.length)]).join('');

  it('CSV datasets', () => {
    const good = Array.from({ length: 15 }, (_, i) => `${i},${i * 2},${i % 2}`).join('\n');
    for (let i = 0; i < 1200; i++) {
      const text = i % 2 ? randomText(Math.floor(rng() * 200)) : good.slice(0, Math.floor(rng() * good.length)) + randomText(3) + good.slice(Math.floor(rng() * good.length));
      const res = parseCsvDataset(text);
      if (res.ok) {
        expect(res.data.rows.every((r) => r.length === res.data.features + 1 && r.every(Number.isFinite))).toBe(true);
      } else expect(res.errors.length).toBeGreaterThan(0);
    }
  });

  it('experiment JSON files', () => {
    const base = experimentFileJson(defaultExperiment());
    let valid = 0;
    for (let i = 0; i < 1200; i++) {
      const chars = base.split('');
      const pos = Math.floor(rng() * chars.length);
      chars.splice(pos, Math.floor(rng() * 3), randomText(Math.floor(rng() * 3)));
      const res = parseExperimentFile(chars.join(''));
      if (res.ok) valid++;
      else expect(res.errors.length).toBeGreaterThan(0);
    }
    expect(valid).toBeGreaterThan(0);
  });

  it('hyperparameter fields', () => {
    const samples = ['0.1', '1e-3', '-2', '0', '', ' ', 'abc', '1e400', '0x10', '.5', '5.', 'NaN', 'Infinity', '1,5', '3 4'];
    for (let i = 0; i < 1500; i++) {
      const text = i < samples.length ? samples[i] : randomText(Math.floor(rng() * 8));
      const res = parseNumberInput(text, { min: 1e-6, max: 100, integer: i % 5 === 0 });
      if (res.ok) {
        expect(Number.isFinite(res.value)).toBe(true);
        expect(res.value).toBeGreaterThanOrEqual(1e-6);
        expect(res.value).toBeLessThanOrEqual(100);
      } else expect(res.error.length).toBeGreaterThan(0);
    }
    expect(parseNumberInput('0x10', { min: 0, max: 100 }).ok).toBe(false);
    // Bounds read as written in the schema: 1e-6, not 0.000001.
    expect(parseNumberInput('-1', { min: 1e-6, max: 100 })).toEqual({ ok: false, error: 'must be between 1e-6 and 100' });
    expect(parseNumberInput('', { min: 0, max: 100 }).ok).toBe(false);
    expect(parseNumberInput('2.5', { min: 0, max: 100, integer: true }).ok).toBe(false);
  });
});
