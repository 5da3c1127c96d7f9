/**
 * Colour maps of the image views (pure, so that they are tested): ink on paper for the images, blue–white–red for
 * signed weights (blue and red stay apart for the common colour-vision deficiencies), white → dark blue for
 * activations, and a text colour that keeps WCAG's 4.5:1 on any cell of the confusion matrix.
 */
export type Rgb = [number, number, number];

const WHITE: Rgb = [255, 255, 255];
const NEGATIVE: Rgb = [33, 102, 172]; // ColorBrewer RdBu's ends
const POSITIVE: Rgb = [178, 24, 43];
const ACTIVE: Rgb = [8, 48, 107];
const CORRECT: Rgb = [0, 114, 178]; // the page's accent (Okabe–Ito blue)
const WRONG: Rgb = [213, 94, 0]; // Okabe–Ito vermilion

const clamp01 = (t: number) => (t < 0 ? 0 : t > 1 ? 1 : Number.isFinite(t) ? t : 0);
const mix = (a: Rgb, b: Rgb, t: number): Rgb => [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t];

/** A pixel of a stored image (0 blank, 1 full ink) as dark ink on white: what reads best on a projector. */
export function inkColor(v: number): Rgb {
  const g = 255 * (1 - clamp01(v));
  return [g, g, g];
}

/** A signed value on a symmetric scale [−scale, scale]: blue below zero, white at zero, red above. */
export function divergingColor(v: number, scale: number): Rgb {
  const t = scale > 0 ? v / scale : 0;
  return t < 0 ? mix(WHITE, NEGATIVE, clamp01(-t)) : mix(WHITE, POSITIVE, clamp01(t));
}

/** A value in [0, 1] from white (0) to dark blue (1). */
export function sequentialColor(t: number): Rgb {
  return mix(WHITE, ACTIVE, clamp01(t));
}

/** A confusion-matrix cell shaded by its share of the row: blue on the diagonal (right), vermilion off it (wrong). */
export function confusionCellColor(share: number, diagonal: boolean): Rgb {
  return mix(WHITE, diagonal ? CORRECT : WRONG, clamp01(share));
}

function luminance([r, g, b]: Rgb): number {
  const lin = (c: number) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

/** WCAG contrast ratio of two colours. */
export function contrastRatio(a: Rgb, b: Rgb): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

/** Black or white text, whichever contrasts more with the background (one of them always reaches 4.5:1). */
export function textOn(bg: Rgb): '#000' | '#fff' {
  return contrastRatio(bg, [0, 0, 0]) >= contrastRatio(bg, [255, 255, 255]) ? '#000' : '#fff';
}

export const css = ([r, g, b]: Rgb) => `rgb(${Math.round(r)}, ${Math.round(g)}, ${Math.round(b)})`;

/** The largest |value| of values[from, to) (a picture's own symmetric scale), at least a tiny positive number. */
export function maxAbs(values: Float32Array, from = 0, to = values.length): number {
  let m = 0;
  for (let i = from; i < to; i++) m = Math.max(m, Math.abs(values[i]));
  return m > 0 ? m : 1e-12;
}
