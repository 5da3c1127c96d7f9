import { describe, expect, it } from 'vitest';
import { labFunction } from '../../engine/landscape/functions';
import { defaultLandscape } from '../../engine/landscape/config';
import { defaultLabRun, LAB_METHODS, runLabTrajectory } from '../registry';
import { minimizeLbfgs } from './lbfgs';

describe('L-BFGS in the landscape lab', () => {
  it('is offered by the lab through its folder, with the quasi-Newton c2 = 0.9 by default', () => {
    expect(LAB_METHODS.map((m) => m.id)).toContain('lbfgs');
    expect(defaultLabRun('lbfgs')).toMatchObject({ method: 'lbfgs', c2: 0.9 });
  });

  it('reaches the Rosenbrock minimum from the lab start, drawing the same iterates and trials as the core', () => {
    const cfg = defaultLandscape();
    const fn = labFunction('rosenbrock');
    const t = runLabTrajectory(fn, cfg.start, defaultLabRun('lbfgs'), 300, 1);
    const end = t.path[t.path.length - 1];
    expect(Math.hypot(end[0] - 1, end[1] - 1)).toBeLessThan(1e-5);
    expect(t.stopped).toMatch(/converged/);
    const core = minimizeLbfgs(([x, y]) => ({ f: fn.f(x, y), g: fn.grad(x, y) }), cfg.start, { maxIterations: 300, gtol: 1e-12, c2: 0.9 });
    expect(t.path.length).toBe(core.path.length);
    expect(t.trials.length).toBe(core.trialPoints.length);
    expect(t.evaluations).toBe(core.evaluations);
    for (let k = 1; k < t.loss.length; k++) expect(t.loss[k]).toBeLessThanOrEqual(t.loss[k - 1]);
  });
});
