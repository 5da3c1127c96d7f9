import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildProblem, disposeProblem } from '../../engine/problem';
import { useCpu } from '../../testing/cpu';
import { column, expectClose, forwardPlain, maxAbsDiff, moons, relu, rows } from '../../testing/liftedFixtures';
import { nodeLoader } from '../../testing/nodeLoader';
import { defaultHyper } from '../../engine/hyper';
import type { Problem } from '../../engine/types';
import { MDLAM_SPEC } from './mdlam.hyper';
import { mdlamAlgorithm, type MdlamState } from './mdlam';
import { mdlamLiftedView } from './liftedView';

beforeAll(useCpu);

describe('mDLAM lifted view (Algorithm.liftedView)', () => {
  let problem: Problem;
  beforeAll(async () => {
    problem = await buildProblem(moons([4, 3]), nodeLoader);
  });
  afterAll(() => disposeProblem(problem));

  it('mDLAM: a_l, ReLU(z_l) and the forward pass match a direct computation, with no tensors left behind', () => {
    let s: MdlamState = mdlamAlgorithm.init(problem, defaultHyper(MDLAM_SPEC), 1);
    for (let i = 0; i < 3; i++) s = mdlamAlgorithm.step(s).state;
    const x = rows(problem.data.xTrain);
    for (const [layer, unit] of [[1, 0], [1, 3], [2, 2]]) {
      const before = tf.memory().numTensors;
      const v = mdlamAlgorithm.liftedView!(s, layer, unit)!;
      expect(tf.memory().numTensors).toBe(before);
      expect(v).toMatchObject({ layer, unit, inputDim: 2 });
      expect(Array.from(v.x)).toEqual(x.flat().map(Math.fround));
      expectClose(v.lifted, column(rows(s.a[layer - 1]), unit));
      expectClose(v.reluOfLifted, column(rows(s.z[layer - 1]), unit).map(relu));
      expectClose(v.forward, column(forwardPlain(s.params, x, layer), unit));
      // after a few sweeps the lifted variables are not the forward pass (otherwise the view would show nothing)
      expect(maxAbsDiff(v.lifted, v.forward)).toBeGreaterThan(1e-4);
    }
    expect(() => mdlamLiftedView(s, 3, 0)).toThrow(/hidden layer 3/);
    expect(() => mdlamLiftedView(s, 2, 3)).toThrow(/unit 3/);
    mdlamAlgorithm.dispose(s);
  });

});
