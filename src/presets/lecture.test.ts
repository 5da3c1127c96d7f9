import { describe, expect, it } from 'vitest';
import { defaultExperiment } from '../methods/defaultExperiment';
import { pauseEventChoices } from '../methods/events';
import { isPlanar } from '../engine/experiment';
import { methodOf } from '../methods/registry';
import { decodeHash, encodeExperiment } from '../url/codec';
import { lectureStepsFor, PRESETS } from './index';

describe('lecture steps of presets', () => {
  const withSteps = PRESETS.filter((p) => p.steps?.length);

  it('at least three presets carry steps, one of them pausing on an event', () => {
    expect(withSteps.length).toBeGreaterThanOrEqual(3);
    expect(withSteps.some((p) => p.steps!.some((s) => s.at))).toBe(true);
  });

  it('steps are short captions; an `at` step names an event the preset pauses on', () => {
    const ids = pauseEventChoices().map((e) => e.id);
    for (const p of withSteps)
      for (const s of p.steps!) {
        expect(s.text.length, p.id).toBeGreaterThan(20);
        expect(s.text.length, p.id).toBeLessThan(300);
        // no measured figure typed into a caption (figures come from results files)
        expect(s.text, p.id).not.toMatch(/\d/);
        if (s.at) {
          expect(ids, p.id).toContain(s.at);
          expect(p.experiment.pauseOn, p.id).toContain(s.at);
        }
      }
  });

  it('a preset opened from its link finds its steps; view and pause choices do not matter; another set-up has none', () => {
    for (const p of withSteps) {
      const back = decodeHash('#' + encodeExperiment(p.experiment));
      expect(back.ok, p.id).toBe(true);
      if (back.ok !== true) continue;
      expect(lectureStepsFor(back.value), p.id).toBe(p.steps);
      expect(lectureStepsFor({ ...back.value, view: { ...back.value.view, logY: !back.value.view.logY }, pauseOn: undefined }), p.id).toBe(p.steps);
      expect(lectureStepsFor({ ...back.value, training: { ...back.value.training, backend: 'wasm' } }), p.id).toBe(p.steps);
      expect(lectureStepsFor({ ...back.value, training: { ...back.value.training, seed: back.value.training.seed + 1 } }), p.id).toEqual([]);
    }
    expect(lectureStepsFor(defaultExperiment())).toEqual([]);
  });

  /** The plots a caption may name, by the words it names them with, and the stage's id of each. */
  const PLOT_NAMES: [RegExp, string][] = [
    [/gradient-norm-vs-loss|slope-½ line/i, 'gradnorm-vs-loss'],
    [/lifted objective/i, 'mdlam-objective'],
    [/activation gap/i, 'res-activation'],
    [/distance to the planted parameter/i, 'vi-theta'],
    [/monotonicity check/i, 'vi-monotonicity'],
    [/test accuracy/i, 'accuracy'],
  ];

  it('a step that names a plot puts that plot on the stage, and every plot a step shows is one the stage offers', () => {
    for (const p of withSteps) {
      const e = p.experiment;
      const offered = [
        ...(e.dataset.kind !== 'glm' ? ['accuracy'] : []),
        ...(isPlanar(e.dataset) ? ['boundaries'] : []),
        ...e.runs.flatMap((r) => (methodOf(r.algorithm)?.panels ?? []).map((panel) => panel.id)),
      ];
      p.steps!.forEach((s, k) => {
        const named = PLOT_NAMES.map(([words, id]) => ({ id, at: s.text.search(words) })).filter((n) => n.at >= 0).sort((a, b) => a.at - b.at)[0];
        if (named) expect(s.show, `${p.id} step ${k + 1} names ${named.id}`).toBe(named.id);
        if (s.show) expect(offered, `${p.id} step ${k + 1}`).toContain(s.show);
      });
    }
  });
});
