import { describe, expect, it } from 'vitest';
import { defaultExperiment } from './defaultExperiment';
import { defaultRun } from './registry';
import { autoTitle, followTitle, formatHyper, runLabels } from './runLabels';

const sgd = (lr: number, momentum = 0.9) => ({ ...defaultRun('sgd'), hyper: { lr, momentum } });

describe('run labels', () => {
  it('runs of different methods keep the method name', () => {
    expect(runLabels([defaultRun('sgd'), defaultRun('adam')])).toEqual(['SGD (momentum)', 'Adam']);
  });
  it('runs of the same method say the settings in which they differ', () => {
    expect(runLabels([sgd(0.3), defaultRun('adam'), sgd(0.03)])).toEqual(['SGD (momentum) γ 0.3', 'Adam', 'SGD (momentum) γ 0.03']);
    expect(runLabels([sgd(0.1, 0.9), sgd(0.1, 0)])).toEqual(['SGD (momentum) μ 0.9', 'SGD (momentum) μ 0']);
    expect(runLabels([sgd(0.3, 0.9), sgd(0.001, 0)])).toEqual(['SGD (momentum) γ 0.3 μ 0.9', 'SGD (momentum) γ 1e-3 μ 0']);
  });
  it('a named run keeps its name, and identical copies are numbered', () => {
    expect(runLabels([{ ...sgd(0.3), label: 'fast' }, sgd(0.03)])).toEqual(['fast', 'SGD (momentum)']);
    expect(runLabels([sgd(0.1), sgd(0.1)])).toEqual(['SGD (momentum) #1', 'SGD (momentum) #2']);
  });
  it('formats values compactly', () => {
    const h = { key: 'lr', label: 'learning rate', kind: 'number', default: 0.1, min: 0, max: 10, help: '' } as const;
    expect(formatHyper(h, 0.001)).toBe('1e-3');
    expect(formatHyper(h, 2.5e-4)).toBe('2.5e-4');
    expect(formatHyper(h, 0.30000000000000004)).toBe('0.3');
    expect(formatHyper(h, 0)).toBe('0');
  });
});

describe('experiment title', () => {
  it('is made of the methods and the data', () => {
    expect(autoTitle(defaultExperiment())).toBe('SGD vs Adam on two spirals');
  });
  it('follows a change of data while it is the automatic or a preset title', () => {
    const before = defaultExperiment();
    const after = structuredClone(before);
    after.dataset.kind = 'moons';
    expect(followTitle(before, after, [])).toBe('SGD vs Adam on two moons');
    const preset = { ...structuredClone(before), title: 'A preset' };
    const presetAfter = { ...structuredClone(after), title: 'A preset' };
    expect(followTitle(preset, presetAfter, ['A preset'])).toBe('SGD vs Adam on two moons');
  });
  it('stays when what it describes did not change (a learning rate)', () => {
    const before = { ...defaultExperiment(), title: 'A preset' };
    const after = structuredClone(before);
    after.runs[0].hyper.lr = 0.5;
    expect(followTitle(before, after, ['A preset'])).toBe('A preset');
  });
  it('a title the user typed stays theirs; clearing it lets it follow again', () => {
    const before = defaultExperiment();
    const typed = { ...structuredClone(before), title: 'My lecture' };
    expect(followTitle(before, typed, [])).toBe('My lecture');
    const moved = structuredClone(typed);
    moved.dataset.kind = 'moons';
    expect(followTitle(typed, moved, [])).toBe('My lecture');
    const cleared = { ...structuredClone(moved), title: '  ' };
    expect(followTitle(moved, cleared, [])).toBe('SGD vs Adam on two moons');
  });
});
