import { describe, expect, it } from 'vitest';
import { confusionCellColor, contrastRatio, divergingColor, inkColor, sequentialColor, textOn } from './pixelColors';

describe('image view colours', () => {
  it('draws ink dark on white, and signed weights blue below zero, white at zero, red above', () => {
    expect(inkColor(0)).toEqual([255, 255, 255]);
    expect(inkColor(1)).toEqual([0, 0, 0]);
    expect(divergingColor(0, 2)).toEqual([255, 255, 255]);
    expect(divergingColor(-2, 2)).toEqual([33, 102, 172]);
    expect(divergingColor(5, 2)).toEqual([178, 24, 43]); // clamped to the scale
    expect(sequentialColor(NaN)).toEqual([255, 255, 255]);
  });

  it('keeps text on every confusion cell at WCAG AA contrast (4.5:1)', () => {
    for (const diagonal of [true, false])
      for (let s = 0; s <= 1.0001; s += 0.01) {
        const bg = confusionCellColor(s, diagonal);
        const fg = textOn(bg) === '#000' ? ([0, 0, 0] as [number, number, number]) : ([255, 255, 255] as [number, number, number]);
        expect(contrastRatio(bg, fg)).toBeGreaterThanOrEqual(4.5);
      }
  });
});
