import { describe, expect, it } from 'vitest';
import katex from 'katex';
import { METHODS } from './registry';

// Every diagnostic panel a method declares reads as words, typeset math and a plain line (issue 15): no notation
// typed into the title, and every formula is TeX that KaTeX accepts.
const panels = METHODS.flatMap((m) => (m.panels ?? []).map((p) => ({ method: m.specs[0]?.id ?? '?', ...p })));

describe('method panel headings', () => {
  it('there are panels to check', () => {
    expect(panels.length).toBeGreaterThan(10);
  });
  for (const p of panels) {
    it(`${p.method} / ${p.id}: plain title, formula typesets`, () => {
      expect(p.title, 'notation belongs in the formula').not.toMatch(/[_^‖√⟨⟩∇]|\\/);
      if (p.formula) expect(() => katex.renderToString(p.formula!, { throwOnError: true })).not.toThrow();
      expect(p.subtitle ?? '', 'no raw TeX in the plain line').not.toMatch(/\\[a-z]+|_\{/);
    });
  }
});
