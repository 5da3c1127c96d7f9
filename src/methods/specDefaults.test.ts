import { describe, expect, it } from 'vitest';
import type { HyperSpec } from '../engine/hyper';
import { getAlgorithm } from './algorithms';
import { CATALOG, defaultHyper } from './registry';

/**
 * Each method's hyperparameters are declared once, in its spec, defaults included; the engine reads them through
 * that declaration (engine/hyper.ts hyperReader) in the method's `parse`. These tests hold the two together: a run
 * without hyperparameters gets exactly the spec's defaults, and every declared hyperparameter reaches the options
 * the engine runs with (none is declared and then ignored, none has a second default in the engine).
 */

/** A value of `p` other than its default and inside its bounds. */
function another(p: HyperSpec): number | string | boolean {
  if (p.kind === 'boolean') return !p.default;
  if (p.kind === 'choice') return p.options.find((o) => o.value !== p.default)!.value;
  const d = p.default;
  const candidates = [d * 1.5, d / 1.5, d + 1, d - 1, p.min, p.max].map((v) => (p.kind === 'int' ? Math.round(v) : v));
  const v = candidates.find((c) => Number.isFinite(c) && c >= p.min && c <= p.max && c !== d);
  if (v === undefined) throw new Error(`${p.key}: no other value within [${p.min}, ${p.max}]`);
  return v;
}

describe('every method reads its hyperparameters through its spec', () => {
  for (const spec of CATALOG) {
    const algorithm = getAlgorithm(spec.id);
    it(`${spec.id}: a run without hyperparameters runs with the spec's defaults`, () => {
      expect(algorithm.parse({})).toEqual(algorithm.parse(defaultHyper(spec)));
    });
    it(`${spec.id}: each of its ${spec.hyper.length} hyperparameters changes the options it runs with`, () => {
      const defaults = defaultHyper(spec);
      const base = algorithm.parse(defaults);
      for (const p of spec.hyper) expect(algorithm.parse({ ...defaults, [p.key]: another(p) }), p.key).not.toEqual(base);
    });
  }

  it('a misspelt or ill-typed hyperparameter is refused with its name, never replaced by a default', () => {
    const sgd = getAlgorithm('sgd');
    expect(() => sgd.parse({ lr: 'fast' })).toThrow(/sgd: hyperparameter "lr" must be a finite number, not "fast"/);
    expect(() => sgd.parse({ lr: Number.NaN })).toThrow(/"lr" must be a finite number/);
    expect(() => getAlgorithm('cg').parse({ cgVariant: 'hs' })).toThrow(/"cgVariant" must be one of "pr\+", "fr"/);
    expect(() => getAlgorithm('vi').parse({ hiddenDivBatch: 1 })).toThrow(/"hiddenDivBatch" must be true or false/);
  });
});
