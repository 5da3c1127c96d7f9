import { describe, expect, it } from 'vitest';
import { parseCsvDataset, splitCustom } from '../engine/data/csv';
import { defaultExperiment } from '../engine/experiment';
import { makeRng } from '../engine/random';
import { validateExperiment } from '../url/validate';
import type { MetricPoint } from '../engine/types';
import { experimentFileJson, parseExperimentFile } from './experimentJson';
import { metricsCsv } from './metricsCsv';
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
    if (!res.ok) expect(res.errors[0]).toBe(`training.maxIterations must be a number, got "many" (line ${line})`);
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
    if (!res.ok) expect(res.errors[0]).toBe('line 7, field 2: “oops” is not a number');
    const short = good.replace('0.3,-0.42857142857142855,0', '0.3,0');
    const r2 = parseCsvDataset(short);
    expect(r2.ok).toBe(false);
    if (!r2.ok) expect(r2.errors[0]).toBe('line 5: 2 fields, expected 3');
    const label = parseCsvDataset(good.replace(/,2$/m, ',2.5'));
    expect(label.ok).toBe(false);
    if (!label.ok) expect(label.errors[0]).toMatch(/\(label\)/);
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
    expect(parseNumberInput('', { min: 0, max: 100 }).ok).toBe(false);
    expect(parseNumberInput('2.5', { min: 0, max: 100, integer: true }).ok).toBe(false);
  });
});
