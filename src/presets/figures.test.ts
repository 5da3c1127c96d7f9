import { describe, expect, it } from 'vitest';
import { PRESETS } from './index';
import { RESULTS, TEMPLATE, formatFigure, renderFigures, resolveTemplate } from './figures';

/**
 * No quoted figure can drift: a preset text holds no digit outside a template, and every template resolves to a
 * figure in a results file written by a benchmark (bench/results/*.json) or to a field of the preset's experiment.
 */
describe('preset texts quote only measured figures', () => {
  for (const p of PRESETS)
    it(`${p.id}: no literal number, every template resolves`, () => {
      const outside = p.lookFor.replace(TEMPLATE, '');
      expect(outside.match(/.{0,30}\d.{0,30}/g) ?? [], 'digits outside {{…}} — quote a results-file figure or an experiment field instead').toEqual([]);
      expect(outside).not.toMatch(/\{\{|\}\}/);
      for (const m of p.lookFor.matchAll(TEMPLATE)) {
        const r = resolveTemplate(m[1], m[2], p.experiment);
        expect(r.ok ? 'ok' : r.error, m[0]).toBe('ok');
      }
      expect(renderFigures(p.lookFor, p.experiment)).not.toMatch(/\[missing|undefined|NaN/);
    });

  it('every results file names its command, seeds, commit, date and machine', () => {
    // Files written through bench/results.ts (they hold `figures`); other benchmarks keep their own formats there.
    const figureFiles = Object.entries(RESULTS).filter(([, f]) => typeof f.figures === 'object');
    expect(figureFiles.length).toBeGreaterThan(0);
    for (const [name, f] of figureFiles) {
      expect(f.benchmark, name).toBe(name);
      expect(f.command).toMatch(/bench\//);
      expect(f.seeds.length).toBeGreaterThan(0);
      expect(f.commit).toMatch(/^[0-9a-f]{40}/);
      expect(Number.isNaN(Date.parse(f.date))).toBe(false);
      expect(f.machine.length).toBeGreaterThan(5);
    }
  });

  it('formats figures readably and refuses an unknown format', () => {
    expect(formatFigure(0.01583)).toBe('0.0158');
    expect(formatFigure(0.001583)).toBe('1.58e-3');
    expect(formatFigure(0.884)).toBe('0.884');
    expect(formatFigure(0.9)).toBe('0.900');
    expect(formatFigure(913)).toBe('913');
    expect(formatFigure(2000)).toBe('2,000');
    expect(formatFigure(0.087, 'pct')).toBe('8.7 %');
    expect(formatFigure(3.04e-6, 'sig2')).toBe('3e-6');
    expect(formatFigure(1.6e-6, 'sig2')).toBe('1.6e-6');
    expect(() => formatFigure(1, 'bogus')).toThrow(/bogus/);
  });
});
