import { describe, expect, it } from 'vitest';
import { denseStages } from './layers';
import { drawInitialWeights, legacyInit, type InitConfig } from './init';
import { useCpu } from '../testing/cpu';
import { beforeAll } from 'vitest';

beforeAll(useCpu);

function moments(a: Float32Array): { mean: number; std: number; maxAbs: number } {
  let s = 0, s2 = 0, m = 0;
  for (const v of a) { s += v; s2 += v * v; m = Math.max(m, Math.abs(v)); }
  const mean = s / a.length;
  return { mean, std: Math.sqrt(s2 / a.length - mean * mean), maxAbs: m };
}

const init = (p: Partial<InitConfig>): InitConfig => ({ ...legacyInit(1), ...p });

describe('drawInitialWeights: the laws of the schemes (algorithms.md §5)', () => {
  // A 400 → 300 → 10 network: 120,000 draws in the first layer pin the std to well under 1 %.
  const sizes = [400, 300, 10];
  const cases: [string, InitConfig, (fanIn: number, fanOut: number) => number][] = [
    ['glorot-uniform × 0.5', init({ scheme: 'glorot-uniform', gain: 0.5 }), (i, o) => 0.5 * Math.sqrt(6 / (i + o)) / Math.sqrt(3)],
    ['glorot-normal', init({ scheme: 'glorot-normal' }), (i, o) => Math.sqrt(2 / (i + o))],
    ['he-normal', init({ scheme: 'he-normal' }), (i) => Math.sqrt(2 / i)],
    ['normal σ 0.01', init({ scheme: 'normal', sigma: 0.01 }), () => 0.01],
    ['pytorch-uniform', init({ scheme: 'pytorch-uniform' }), (i) => 1 / Math.sqrt(i) / Math.sqrt(3)],
  ];
  for (const [name, cfg, std] of cases)
    it(`${name}: mean 0 and the scheme's standard deviation in every layer`, () => {
      const layers = drawInitialWeights(denseStages(sizes, 'relu'), cfg, 7);
      layers.forEach((layer, l) => {
        const m = moments(layer.W);
        const expected = std(sizes[l], sizes[l + 1]);
        const tol = l === 0 ? 0.01 : 0.04; // relative; the 300 × 10 layer has 3,000 draws
        expect(Math.abs(m.std / expected - 1)).toBeLessThan(tol);
        expect(Math.abs(m.mean)).toBeLessThan(4 * expected / Math.sqrt(layer.W.length));
        expect(layer.b.every((v) => v === 0)).toBe(true);
      });
    });

  it('uniform schemes stay inside their limit; PyTorch biases come from U(±1/√fan_in)', () => {
    const layers = drawInitialWeights(denseStages(sizes, 'relu'), init({ scheme: 'pytorch-uniform', bias: 'scheme' }), 3);
    expect(moments(layers[0].W).maxAbs).toBeLessThanOrEqual(1 / Math.sqrt(400));
    const b = moments(layers[0].b);
    expect(b.maxAbs).toBeLessThanOrEqual(1 / Math.sqrt(400));
    expect(Math.abs(b.std * Math.sqrt(3) * Math.sqrt(400) - 1)).toBeLessThan(0.2); // 300 draws
  });

  it('constant biases are exactly the value; the same seed gives the same draw, another seed another', () => {
    const a = drawInitialWeights(denseStages([2, 16, 2], 'relu'), init({ scheme: 'he-normal', bias: 'constant', biasValue: 0.1 }), 1);
    expect(a.every((l) => l.b.every((v) => v === Math.fround(0.1)))).toBe(true);
    expect(drawInitialWeights(denseStages([2, 16, 2], 'relu'), init({ scheme: 'he-normal' }), 1)[0].W).toEqual(a[0].W);
    expect(drawInitialWeights(denseStages([2, 16, 2], 'relu'), init({ scheme: 'he-normal' }), 2)[0].W).not.toEqual(a[0].W);
  });
});
