import { describe, expect, it } from 'vitest';
import type { RunConfig } from '../engine/experiment';
import { defaultHyper, findSpec, runDescription } from '../methods/registry';
import { PRESETS } from './index';

/**
 * A run's description (the text under its settings) follows its settings (issue 31: every run of "VI vs SGD: planted
 * GLM", the gradient baseline too, read "follows the monotone vector field … instead of the loss gradient"). Each
 * claim: when the settings say so, the description must say `says` and must not say `never`.
 */
interface Claim {
  algorithm: string;
  when: (h: Record<string, number | string | boolean>) => boolean;
  says: RegExp;
  never?: RegExp;
  what: string;
  /** Settings that make the claim apply, for a claim no preset run reaches (so that it is tested all the same). */
  example?: Record<string, number | string | boolean>;
}

const CLAIMS: Claim[] = [
  { algorithm: 'vi', what: 'a gradient baseline follows the loss gradient', when: (h) => h.direction === 'gradient', says: /follows the ordinary loss gradient/, never: /Follows the monotone vector field/ },
  { algorithm: 'vi', what: 'a VI run follows the field', when: (h) => h.direction === 'field', says: /Follows the monotone vector field/, never: /Baseline/ },
  { algorithm: 'vi', what: 'the full network is a heuristic', when: (h) => h.direction === 'field' && h.scope === 'full', says: /heuristic/ },
  { algorithm: 'vi', what: 'a single layer or the last layer is guaranteed', when: (h) => h.direction === 'field' && h.scope !== 'full', says: /guarantee holds/, never: /it is a heuristic/ },
  { algorithm: 'vi', what: 'a warm start is said', when: (h) => h.direction === 'field' && Number(h.warmStart) > 0, says: /Warm start/, example: { warmStart: 200 } },
  { algorithm: 'vi', what: 'no warm start is not claimed', when: (h) => !(Number(h.warmStart) > 0), says: /./, never: /Warm start/ },
  { algorithm: 'sgd', what: 'momentum 0 is plain SGD', when: (h) => h.momentum === 0, says: /Plain stochastic gradient descent/, never: /heavy-ball/, example: { momentum: 0 } },
  { algorithm: 'sgd', what: 'momentum is heavy-ball', when: (h) => h.momentum !== 0, says: /heavy-ball momentum/ },
  ...(['cg', 'twophase'] as const).flatMap((algorithm): Claim[] => [
    { algorithm, what: 'Fletcher–Reeves is named', when: (h) => h.cgVariant === 'fr' && h.swapMode !== 'never', says: /Fletcher–Reeves/, never: /Polak/, example: { cgVariant: 'fr' } },
    { algorithm, what: 'PR+ is named', when: (h) => h.cgVariant === 'pr+' && h.swapMode !== 'never', says: /Polak–Ribière\+/, never: /Fletcher/ },
    { algorithm, what: 'a mini-batch CG is not full batch', when: (h) => Number(h.cgBatch) > 0 && h.swapMode !== 'never', says: /mini-batch loss/, never: /full-batch loss/, example: { cgBatch: 64 } },
    { algorithm, what: 'a full-batch CG says so', when: (h) => !(Number(h.cgBatch) > 0) && h.swapMode !== 'never', says: /full-batch loss/ },
  ]),
  { algorithm: 'twophase', what: 'no swap means Adam only', when: (h) => h.swapMode === 'never', says: /Adam only/, never: /then nonlinear conjugate gradient/, example: { swapMode: 'never' } },
  { algorithm: 'twophase', what: 'a fixed swap epoch is named', when: (h) => h.swapMode === 'at-epoch', says: /Adam for the first \d+ epochs/, never: /once the smoothed/, example: { swapMode: 'at-epoch', swapEpoch: 30 } },
  { algorithm: 'twophase', what: 'the automatic swap is the detector', when: (h) => h.swapMode === 'auto', says: /once the smoothed epoch gradient norm falls/ },
  ...(['mdlam', 'mdlam-coupled'] as const).flatMap((algorithm): Claim[] => [
    { algorithm, what: 'a fixed tube is fixed', when: (h) => h.epsDecay === 1, says: /fixed width ε/, never: /shrinks/, example: { epsDecay: 1 } },
    { algorithm, what: 'a shrinking tube shrinks', when: (h) => h.epsDecay !== 1, says: /shrinks every sweep/, never: /fixed width/, example: { epsDecay: 0.5 } },
  ]),
  { algorithm: 'mdlam', what: 'no acceleration, no extrapolation claimed', when: (h) => h.accelerate === false, says: /without extrapolation/, never: /Nesterov/ },
  { algorithm: 'mdlam', what: 'acceleration is the safeguarded extrapolation', when: (h) => h.accelerate === true, says: /Nesterov extrapolation that is discarded/ },
  { algorithm: 'mdlam-coupled', what: 'an exact W solve is said', when: (h) => h.exactW === true, says: /W is solved exactly/ },
  { algorithm: 'mdlam-coupled', what: 'a gradient W step is said', when: (h) => h.exactW === false, says: /backtracked gradient step/, never: /solved exactly/, example: { exactW: false } },
];

const settingsOf = (run: RunConfig) => ({ ...defaultHyper(findSpec(run.algorithm)!), ...run.hyper });

describe('run descriptions follow the run’s settings', () => {
  const runs = PRESETS.flatMap((p) => p.experiment.runs.map((run, i) => ({ where: `${p.id} run ${i + 1}`, run })));

  it('every run of every preset has a description, and every claim that applies holds', () => {
    expect(runs.length).toBeGreaterThan(20);
    for (const { where, run } of runs) {
      const text = runDescription(run);
      expect(text.length, where).toBeGreaterThan(40);
      const h = settingsOf(run);
      for (const c of CLAIMS.filter((c) => c.algorithm === run.algorithm && c.when(h))) {
        expect(text, `${where}: ${c.what}`).toMatch(c.says);
        if (c.never) expect(text, `${where}: ${c.what}`).not.toMatch(c.never);
      }
    }
  });

  it('the planted-GLM preset’s gradient baseline no longer reads as a VI run', () => {
    const glm = PRESETS.find((p) => p.id === 'vi-glm')!;
    const texts = glm.experiment.runs.map(runDescription);
    const baseline = glm.experiment.runs.findIndex((r) => r.hyper.direction === 'gradient');
    expect(baseline).toBeGreaterThanOrEqual(0);
    expect(texts[baseline]).not.toMatch(/monotone vector field F = /);
    expect(new Set(texts).size).toBeGreaterThan(1);
  });

  it('each claim is exercised by some preset run or by the catalogue defaults', () => {
    // A claim no run reaches would pass vacuously: check it on its example settings.
    for (const c of CLAIMS) {
      const spec = findSpec(c.algorithm)!;
      const reached = runs.some(({ run }) => run.algorithm === c.algorithm && c.when(settingsOf(run))) || c.when(defaultHyper(spec));
      if (reached) continue;
      expect(c.example, `${c.algorithm}: ${c.what} — no preset run reaches it; give the claim an example`).toBeDefined();
      const h = { ...defaultHyper(spec), ...c.example };
      expect(c.when(h), `${c.algorithm}: ${c.what}`).toBe(true);
      const text = runDescription({ algorithm: c.algorithm, hyper: h });
      expect(text, `${c.algorithm}: ${c.what}`).toMatch(c.says);
      if (c.never) expect(text, `${c.algorithm}: ${c.what}`).not.toMatch(c.never);
    }
  });
});
