import { expect } from 'vitest';
import type { Experiment } from '../engine/experiment';
import { findPreset } from '../presets/index';
import { decodeHash, encodeExperiment } from '../url/codec';

/**
 * A reference-protocol preset (algorithms.md §5) as a user gets it: decoded back from its own link, which must give
 * the same experiment, with a text that says what differs from the method's other preset and what that changes.
 * Each method folder's referencePreset.test.ts checks its preset's data, init, biases, scaling, bounds and budget.
 */
export function referencePresetFromLink(id: string): Experiment {
  const p = findPreset(id);
  expect(p, id).toBeDefined();
  const back = decodeHash('#' + encodeExperiment(p!.experiment));
  expect(back.ok === true && back.value).toEqual(p!.experiment);
  expect(p!.lookFor).toMatch(/What differs from/);
  expect(p!.lookFor).toMatch(/What it changes/);
  return p!.experiment;
}
