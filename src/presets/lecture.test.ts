import { describe, expect, it } from 'vitest';
import { defaultExperiment } from '../methods/defaultExperiment';
import { pauseEventChoices } from '../methods/events';
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
});
