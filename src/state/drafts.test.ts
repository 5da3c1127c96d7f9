import { afterEach, describe, expect, it } from 'vitest';
import { draftLines, useDrafts } from './drafts';
import { testStore } from '../testing/storeFixture';

describe('unapplied drafts', () => {
  afterEach(() => useDrafts.setState({ drafts: {} }));

  it('a field reports its refused text and clears it; the lines name where and why', () => {
    const d = useDrafts.getState();
    d.report('a', { where: 'run 1 · learning rate', error: 'must be between 1e-6 and 100' });
    d.report('b', { where: 'network · hidden widths', error: 'use whole numbers separated by commas' });
    expect(draftLines(useDrafts.getState().drafts)).toEqual(['run 1 · learning rate: must be between 1e-6 and 100', 'network · hidden widths: use whole numbers separated by commas']);
    d.clear('a');
    d.clear('a');
    expect(draftLines(useDrafts.getState().drafts)).toEqual(['network · hidden widths: use whole numbers separated by commas']);
  });

  it('Run and Step start nothing while a draft is held, and say which field (issue 31: -1 ran the old 0.03)', async () => {
    const { store, made } = testStore();
    useDrafts.getState().report('lr', { where: 'run 1 · learning rate', error: 'must be between 1e-6 and 100' });
    await store.getState().run();
    await store.getState().step(1);
    expect(made).toHaveLength(0);
    expect(store.getState().runs.every((r) => r.status === 'idle')).toBe(true);
    expect(store.getState().notices.at(-1)?.text).toContain('run 1 · learning rate: must be between 1e-6 and 100');
    useDrafts.getState().clear('lr');
    await store.getState().run();
    expect(made).toHaveLength(store.getState().experiment.runs.length);
  });
});
