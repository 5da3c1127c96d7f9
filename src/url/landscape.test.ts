import { describe, expect, it } from 'vitest';
import { defaultLandscape } from '../engine/landscape/config';
import { defaultExperiment } from '../methods/defaultExperiment';
import { LANDSCAPE_PRESETS } from '../presets/landscape';
import { decodeHash, encodeExperiment } from './codec';
import { validateExperiment } from './validate';

describe('Experiment.landscape', () => {
  it('old links without the field still validate and stay without it', () => {
    const r = validateExperiment(JSON.parse(JSON.stringify(defaultExperiment())));
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.value.landscape).toBeUndefined();
  });

  it('a partial landscape takes the defaults for what is missing', () => {
    const e = { ...defaultExperiment(), landscape: { problem: 'beale', runs: [{ method: 'adam', lr: 0.2 }] } };
    const r = validateExperiment(e);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const d = defaultLandscape();
    expect(r.value.landscape!.problem).toBe('beale');
    expect(r.value.landscape!.start).toEqual(d.start);
    expect(r.value.landscape!.show).toEqual(d.show);
    expect(r.value.landscape!.runs).toEqual([{ method: 'adam', lr: 0.2, momentum: 0.9, beta1: 0.9, beta2: 0.999, swapAt: 50, c2: 0.1, noise: 0 }]);
    expect(r.warnings.join(' | ')).toMatch(/landscape\.start was not given/);
    expect(r.warnings.join(' | ')).toMatch(/landscape\.runs\[0\]\.momentum was not given/);
  });

  it('names wrong fields', () => {
    const e = { ...defaultExperiment(), landscape: { problem: 'sphere', start: [1], slice: { resolution: 20 }, runs: [{ method: 'cg', lr: -1 }] } };
    const r = validateExperiment(e);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const msg = r.errors.join(' | ');
    expect(msg).toMatch(/landscape\.problem/);
    expect(msg).toMatch(/landscape\.start/);
    expect(msg).toMatch(/landscape\.runs\[0\]\.lr/);
    const even = validateExperiment({ ...defaultExperiment(), landscape: { slice: { resolution: 20 } } });
    expect(even.ok).toBe(false);
    if (!even.ok) expect(even.errors.join(' ')).toMatch(/landscape\.slice\.resolution must be odd/);
  });

  it('lab presets round-trip through the URL and open the lab', () => {
    expect(LANDSCAPE_PRESETS.length).toBeGreaterThanOrEqual(3);
    for (const p of LANDSCAPE_PRESETS) {
      const back = decodeHash('#' + encodeExperiment(p.experiment));
      expect(back.ok, p.id).toBe(true);
      if (back.ok === true) {
        expect(back.value).toEqual(p.experiment);
        expect(back.value.landscape?.open).toBe(true);
      }
    }
  });
});
