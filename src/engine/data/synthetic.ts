import { gaussian, makeRng, type Rng } from '../random';

/** The classic 2-D teaching datasets (as in TensorFlow Playground, plus blobs and moons). Pure JS, seeded. */
export const SYNTHETIC_KINDS = ['circle', 'xor', 'blobs', 'spiral', 'moons'] as const;
export type SyntheticKind = (typeof SYNTHETIC_KINDS)[number];

export interface Points2D {
  x: Float32Array; // n × 2, row-major
  label: Int32Array; // class index 0..k-1
  numClasses: number;
}

function fill(n: number, numClasses: number, gen: (i: number, rng: Rng) => [number, number, number], rng: Rng): Points2D {
  const x = new Float32Array(2 * n);
  const label = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const [a, b, c] = gen(i, rng);
    x[2 * i] = a;
    x[2 * i + 1] = b;
    label[i] = c;
  }
  return { x, label, numClasses };
}

/** `noise` is the standard deviation of Gaussian jitter relative to the dataset's natural scale (0..0.5 is useful). */
export function generate2D(kind: SyntheticKind, n: number, noise: number, seed: number, moonsCoordinates: 'playground' | 'native' = 'playground'): Points2D {
  const rng = makeRng(seed);
  switch (kind) {
    case 'circle':
      return fill(n, 2, (i, r) => {
        const inner = i % 2 === 0;
        const radius = inner ? 0.5 * r() : 0.7 + 0.3 * r();
        const angle = 2 * Math.PI * r();
        return [radius * Math.cos(angle) + noise * gaussian(r), radius * Math.sin(angle) + noise * gaussian(r), inner ? 0 : 1];
      }, rng);
    case 'xor':
      // class alternates with i (balanced); class 0 in quadrants where x·y > 0, class 1 where x·y < 0
      return fill(n, 2, (i, r) => {
        const c = i % 2;
        const a = (0.05 + 0.95 * r()) * (r() < 0.5 ? -1 : 1);
        const b = (0.05 + 0.95 * r()) * (c === 0 ? Math.sign(a) : -Math.sign(a));
        return [a + noise * gaussian(r), b + noise * gaussian(r), c];
      }, rng);
    case 'blobs': {
      const centres: [number, number][] = [
        [-0.6, -0.5],
        [0.6, -0.4],
        [0, 0.65],
      ];
      return fill(n, 3, (i, r) => {
        const c = i % 3;
        const s = 0.15 + noise;
        return [centres[c][0] + s * gaussian(r), centres[c][1] + s * gaussian(r), c];
      }, rng);
    }
    case 'spiral':
      return fill(n, 2, (i, r) => {
        const c = i % 2;
        const t = r();
        const radius = 0.05 + 0.9 * t;
        const angle = 1.75 * t * 2 * Math.PI + c * Math.PI;
        return [radius * Math.cos(angle) + noise * gaussian(r), radius * Math.sin(angle) + noise * gaussian(r), c];
      }, rng);
    case 'moons':
      // Half the points per moon (alternating), angle uniform on [0, π] — as the notes' reference draws them (§5).
      // 'native' keeps the reference's own coordinates and noise units; 'playground' centres and scales by 0.8 first.
      if (moonsCoordinates === 'native')
        return fill(n, 2, (i, r) => {
          const c = i % 2;
          const t = Math.PI * r();
          const px = c === 0 ? Math.cos(t) : 1 - Math.cos(t);
          const py = c === 0 ? Math.sin(t) : 0.5 - Math.sin(t);
          return [px + noise * gaussian(r), py + noise * gaussian(r), c];
        }, rng);
      return fill(n, 2, (i, r) => {
        const c = i % 2;
        const t = Math.PI * r();
        const px = c === 0 ? Math.cos(t) : 1 - Math.cos(t);
        const py = c === 0 ? Math.sin(t) : 0.5 - Math.sin(t);
        // centre and scale into roughly [-1, 1]²
        return [(px - 0.5) * 0.8 + noise * gaussian(r), (py - 0.25) * 0.8 + noise * gaussian(r), c];
      }, rng);
  }
}
