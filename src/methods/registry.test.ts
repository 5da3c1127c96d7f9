import { describe, expect, it } from 'vitest';
import { implementedIds } from './algorithms';
import { CATALOG, defaultRun, findSpec, METHODS } from './registry';

describe('method registries', () => {
  it('every catalogue entry has an implementation and every implementation a catalogue entry', () => {
    expect([...implementedIds()].sort()).toEqual(CATALOG.map((s) => s.id).sort());
  });

  it('ids are unique across method folders', () => {
    const ids = METHODS.flatMap((m) => m.specs.map((s) => s.id));
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('defaultRun falls back to the first algorithm for an unknown id, with its defaults', () => {
    expect(defaultRun('no-such-method').algorithm).toBe(CATALOG[0].id);
    expect(defaultRun('adam').hyper.lr).toBe(findSpec('adam')!.hyper.find((h) => h.key === 'lr')!.default);
  });
});
