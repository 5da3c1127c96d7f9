import { describe, expect, it } from 'vitest';
import type { Experiment } from '../engine/experiment';
import {
  DATASET_SETTINGS,
  INIT_SETTINGS,
  NETWORK_SETTINGS,
  PRETRAIN_SETTINGS,
  PROTOCOL_SETTINGS,
  SWEEP_AXIS_SETTINGS,
  SWEEP_SETTINGS,
  TARGET_SETTINGS,
  TRAINING_SETTINGS,
  VIEW_SETTINGS,
  type Setting,
} from '../engine/settings';
import { defaultExperiment } from '../methods/defaultExperiment';
import { validateExperiment } from './validate';

/**
 * Each experiment setting is declared once (engine/settings.ts); the validator's rule and default and the default
 * experiment come from that declaration. For every declared setting: a link without it gets the declared default
 * (or keeps it absent, for an optional one), a value just outside its bounds or choices is refused naming the
 * field, and its bounds themselves are accepted.
 */
const SECTIONS: [string[], Record<string, Setting>][] = [
  [['dataset'], DATASET_SETTINGS],
  [['network'], NETWORK_SETTINGS],
  [['network', 'init'], INIT_SETTINGS],
  [['training'], TRAINING_SETTINGS],
  [['view'], VIEW_SETTINGS],
  [['pretrain'], PRETRAIN_SETTINGS],
  [['protocol'], PROTOCOL_SETTINGS],
  [['protocol', 'target'], TARGET_SETTINGS],
  [['protocol', 'sweep'], SWEEP_SETTINGS],
  [['protocol', 'sweep', 'axes', '0'], SWEEP_AXIS_SETTINGS],
];

/** The default experiment; for the pretrain settings, a fine-tuning one (pretraining needs an image set); for the protocol's, one with a target and a sweep. */
function base(path: string[]): Experiment {
  const e = defaultExperiment();
  // The moons coordinates are an option of the two-moons set only (a rule across fields, semantic.ts).
  if (path[0] === 'dataset') return { ...e, dataset: { ...e.dataset, kind: 'moons' } };
  if (path[0] === 'protocol')
    return {
      ...e,
      protocol: {
        seeds: 2,
        target: { metric: 'trainLoss', value: 0.5 },
        sweep: { runs: [0], axes: [{ key: 'lr', min: 1e-3, max: 1 }], mode: 'grid', points: 3, trialCost: 5, seed: 1 },
      },
    };
  if (path[0] !== 'pretrain') return e;
  return { ...e, dataset: { ...e.dataset, kind: 'mnist', classes: [5, 6, 7, 8, 9], trainSize: 1000, testSize: 500 }, pretrain: { classes: [0, 1, 2, 3, 4], iterations: 10, lr: 0.01, seed: 2 } };
}

/** A field's path as the validator's messages name it: `protocol.sweep.axes[0].min`. */
function fieldPath(path: string[]): string {
  return path.map((k, i) => (/^\d+$/.test(k) ? `[${k}]` : i ? `.${k}` : k)).join('');
}

function sectionOf(e: Experiment, path: string[]): Record<string, unknown> {
  return path.reduce((o, k) => (o as Record<string, unknown>)[k], e as unknown) as Record<string, unknown>;
}

function withValue(path: string[], key: string, v: unknown): unknown {
  const e = structuredClone(base(path));
  const s = sectionOf(e, path);
  if (v === undefined) delete s[key];
  else s[key] = v;
  return e;
}

/** Values the declaration refuses, and the extremes it allows. */
function outside(s: Setting): unknown[] {
  if (s.kind === 'boolean') return ['yes'];
  if (s.kind === 'choice') return ['not-a-choice'];
  if (s.options) return [Math.max(...s.options.map((o) => o.value)) + 1];
  return [s.min - (s.kind === 'int' ? 1 : 1e-3 * Math.max(1, Math.abs(s.min))), s.max + (s.kind === 'int' ? 1 : 1e-3 * Math.max(1, Math.abs(s.max))), ...(s.kind === 'int' ? [s.min + 0.5] : [])];
}
function inside(s: Setting): unknown[] {
  if (s.kind === 'boolean') return [true, false];
  if (s.kind === 'choice' || s.options) return s.options!.map((o) => o.value);
  return [s.min, s.max];
}

describe('experiment settings are declared once', () => {
  for (const [path, settings] of SECTIONS)
    for (const [key, s] of Object.entries(settings)) {
      const at = fieldPath([...path, key]);
      it(`${at}: default, bounds and refusal from its declaration`, () => {
        const missing = validateExperiment(withValue(path, key, undefined));
        expect(missing.ok, at).toBe(true);
        if (missing.ok === true) {
          const got = sectionOf(missing.value, path)[key];
          if (s.optional) expect(got, at).toBeUndefined();
          else expect(got, at).toEqual(s.default);
        }
        for (const v of outside(s)) {
          const res = validateExperiment(withValue(path, key, v));
          expect(res.ok, `${at} = ${v}`).toBe(false);
          if (res.ok === false) expect(res.errors.join('; '), `${at} = ${v}`).toContain(at);
        }
        for (const v of inside(s)) {
          const res = validateExperiment(withValue(path, key, v));
          // Rules across fields (semantic.ts: e.g. cross-entropy needs a softmax or sigmoid link) may refuse a pairing;
          // the setting's own rule never refuses a value its declaration allows.
          if (res.ok === false) expect(res.errors.filter((m) => m.startsWith(`${at} `)), `${at} = ${v}`).toEqual([]);
        }
      });
    }

  it('the default experiment holds every declared default', () => {
    const e = defaultExperiment();
    // Pretraining and the protocol are absent from the default experiment (no pretraining; one seed, no sweep).
    for (const [path, settings] of SECTIONS.filter(([p]) => p[0] !== 'pretrain' && p[0] !== 'protocol'))
      for (const [key, s] of Object.entries(settings)) if (!s.optional) expect(sectionOf(e, path)[key], [...path, key].join('.')).toEqual(s.default);
  });
});
