import { beforeAll, describe, expect, it } from 'vitest';
import { defaultExperiment } from '../methods/defaultExperiment';
import { legacyInit } from '../engine/init';
import { initParams } from '../engine/model';
import { networkSpec } from '../engine/problem';
import { deriveSeed, makeRng } from '../engine/random';
import { useCpu } from '../testing/cpu';
import { decodeHash } from './codec';

/** Links made before init schemes (network.initScale) are read as the exact same draw (validate.ts' migration). */
beforeAll(useCpu);

describe('old links keep their initial weights', () => {
  /** The draw every link received before init schemes existed (model.ts at commit 60dfea5), written out again. */
  function oldDraw(sizes: number[], initScale: number, seed: number): Float32Array[] {
    const rng = makeRng(deriveSeed(seed, 'init'));
    const out: Float32Array[] = [];
    for (let l = 1; l < sizes.length; l++) {
      const limit = Math.sqrt(6 / (sizes[l - 1] + sizes[l])) * initScale;
      const w = new Float32Array(sizes[l - 1] * sizes[l]);
      for (let i = 0; i < w.length; i++) w[i] = (2 * rng() - 1) * limit;
      out.push(w);
    }
    return out;
  }

  it('a link with network.initScale decodes to glorot-uniform × initScale and to the same weights, biases zero', () => {
    const old = defaultExperiment() as unknown as { network: Record<string, unknown>; training: { seed: number } };
    delete old.network.init;
    old.network.initScale = 0.01;
    old.training.seed = 5;
    const hash = '#e=' + Buffer.from(JSON.stringify(old)).toString('base64url');
    const decoded = decodeHash(hash);
    expect(decoded.ok).toBe(true);
    if (decoded.ok !== true) return;
    expect(decoded.value.network.init).toEqual(legacyInit(0.01));
    const net = networkSpec(decoded.value);
    const params = initParams(net, decoded.value.training.seed);
    const expected = oldDraw(net.sizes, 0.01, 5);
    params.forEach((p, l) => {
      expect(p.W.dataSync()).toEqual(expected[l]);
      expect(Array.from(p.b.dataSync()).every((v) => v === 0)).toBe(true);
    });
    params.forEach((p) => { p.W.dispose(); p.b.dispose(); });
  });

  it('a link with both init and initScale is refused with a message naming both', () => {
    const e = defaultExperiment() as unknown as { network: Record<string, unknown> };
    e.network.initScale = 1;
    const decoded = decodeHash('#e=' + Buffer.from(JSON.stringify(e)).toString('base64url'));
    expect(decoded.ok).toBe(false);
    expect(decoded.ok === false && decoded.errors.join(' ')).toMatch(/init.*initScale/);
  });
});
