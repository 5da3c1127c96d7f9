import { describe, expect, it } from 'vitest';
import { CATALOG } from './registry';
import { defaultExperiment } from './defaultExperiment';
import { lossPlotMarkersOf, pauseEventChoices, pauseEventOf, pauseEventsFor } from './events';
import { validateExperiment } from '../url/validate';
import { decodeHash, encodeExperiment } from '../url/codec';

describe('pause on an event', () => {
  it('knows the methods’ events and divergence', () => {
    expect(pauseEventChoices().map((e) => e.id)).toEqual(['eps-change', 'extrapolation-rejected', 'warm-switch', 'swap', 'divergence']);
    for (const spec of CATALOG) for (const ev of spec.events ?? []) expect(ev.flag?.key, `${spec.id}.${ev.id}`).toMatch(/^\w+$/);
  });

  it('offers only the events the experiment’s runs can reach', () => {
    const e = defaultExperiment();
    expect(pauseEventsFor(e).map((ev) => ev.id)).toEqual(['divergence']);
    e.runs.push({ algorithm: 'twophase', hyper: {} });
    expect(pauseEventsFor(e).map((ev) => ev.id)).toEqual(['swap', 'divergence']);
  });

  it('fires on the step whose metrics carry the event, for the methods that have it', () => {
    const swap = { extra: { swap: 1, phase: 1 } };
    expect(pauseEventOf(['swap'], 'twophase', swap)?.label).toBe('swap → CG');
    expect(pauseEventOf(['swap'], 'twophase', { extra: { phase: 0 } })).toBeUndefined();
    expect(pauseEventOf([], 'twophase', swap)).toBeUndefined();
    expect(pauseEventOf(undefined, 'twophase', swap)).toBeUndefined();
    expect(pauseEventOf(['eps-change'], 'twophase', swap)).toBeUndefined();
    // a flag of another method's event does not count
    expect(pauseEventOf(['swap'], 'adam', swap)).toBeUndefined();
    expect(pauseEventOf(['eps-change', 'extrapolation-rejected'], 'mdlam', { extra: { extrapRejected: 1 } })?.id).toBe('extrapolation-rejected');
    expect(pauseEventOf(['divergence'], 'sgd', { extra: {} }, { status: 'diverged', message: 'diverged at iteration 3' })?.id).toBe('divergence');
    expect(pauseEventOf(['divergence'], 'sgd', { extra: {} }, { status: 'finished', message: '' })).toBeUndefined();
  });

  it('derives the loss plot’s markers from the same declaration as the pause events', () => {
    // The phase switches are marked; mDLAM's frequent ε changes and rejections are pause events only.
    expect(lossPlotMarkersOf('twophase').map((ev) => [ev.id, ev.flag?.key, ev.label])).toEqual([['swap', 'swap', 'swap → CG']]);
    expect(lossPlotMarkersOf('vi').map((ev) => [ev.id, ev.flag?.key, ev.label])).toEqual([['warm-switch', 'warmSwitch', 'VI → gradient']]);
    expect(lossPlotMarkersOf('mdlam')).toEqual([]);
    expect(lossPlotMarkersOf('adam')).toEqual([]);
    expect(lossPlotMarkersOf('no-such-method')).toEqual([]);
    // Every marker is a pause event the experiment may name (one list, not two).
    const ids = pauseEventChoices().map((ev) => ev.id);
    for (const spec of CATALOG) for (const ev of lossPlotMarkersOf(spec.id)) expect(ids, `${spec.id}.${ev.id}`).toContain(ev.id);
  });

  it('is part of the experiment: validated, and carried by the link', () => {
    const e = { ...defaultExperiment(), pauseOn: ['swap', 'divergence'] };
    const back = decodeHash('#' + encodeExperiment(e));
    expect(back.ok).toBe(true);
    if (back.ok === true) expect(back.value.pauseOn).toEqual(['swap', 'divergence']);
    const bad = validateExperiment({ ...defaultExperiment(), pauseOn: ['swap', 'teatime'] });
    expect(bad.ok).toBe(false);
    if (bad.ok === false) expect(bad.errors.join()).toMatch(/pauseOn\[1\] must be one of .*"teatime"/);
    const twice = validateExperiment({ ...defaultExperiment(), pauseOn: ['swap', 'swap'] });
    expect(twice.ok === false && twice.errors.join()).toMatch(/listed twice/);
    expect(validateExperiment({ ...defaultExperiment(), pauseOn: 'swap' }).ok).toBe(false);
    const none = validateExperiment(defaultExperiment());
    expect(none.ok === true && none.value.pauseOn).toBeUndefined();
  });
});
