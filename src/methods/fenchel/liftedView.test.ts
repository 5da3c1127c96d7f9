import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultHyper } from '../../engine/hyper';
import { buildProblem, disposeProblem } from '../../engine/problem';
import { startTrainingRun } from '../algorithms';
import { useCpu } from '../../testing/cpu';
import { column, denseRelu, expectClose, forwardPlain, maxAbsDiff, moons, rows } from '../../testing/liftedFixtures';
import { nodeLoader } from '../../testing/nodeLoader';
import type { Problem } from '../../engine/types';
import { ADAM_SPEC } from '../adam/adam.hyper';
import { fenchelAlgorithm, type FenchelState } from './fenchel';
import { FENCHEL_SPEC } from './fenchel.hyper';

beforeAll(useCpu);

describe('Fenchel lifted view (Algorithm.liftedView)', () => {
  let problem: Problem;
  beforeAll(async () => {
    problem = await buildProblem(moons([4, 3]), nodeLoader);
  });
  afterAll(() => disposeProblem(problem));

  it('Fenchel: A_l, ReLU(A_{l−1}W_l + b_l) and the forward pass match a direct computation, with no tensors left behind', () => {
    let s: FenchelState = fenchelAlgorithm.init(problem, { ...defaultHyper(FENCHEL_SPEC), innerSteps: 3 }, 1);
    for (let i = 0; i < 3; i++) s = fenchelAlgorithm.step(s).state;
    const x = rows(problem.data.xTrain);
    for (const [layer, unit] of [[1, 2], [2, 0], [2, 2]]) {
      const before = tf.memory().numTensors;
      const v = fenchelAlgorithm.liftedView!(s, layer, unit)!;
      expect(tf.memory().numTensors).toBe(before);
      expect(v).toMatchObject({ layer, unit, inputDim: 2 });
      const below = layer === 1 ? x : rows(s.acts[layer - 2]);
      const { W, b } = s.params[layer - 1];
      expectClose(v.lifted, column(rows(s.acts[layer - 1]), unit));
      expectClose(v.reluOfLifted, column(denseRelu(below, rows(W), Array.from(b.dataSync())), unit));
      expectClose(v.forward, column(forwardPlain(s.params, x, layer), unit));
      expect(maxAbsDiff(v.lifted, v.forward)).toBeGreaterThan(1e-4);
    }
    fenchelAlgorithm.dispose(s);
  });


  it('TrainingRun.liftedView: the method view for lifted runs, null in mini-batch mode and for gradient methods', async () => {
    const e = moons([4, 3]);
    e.runs = [{ algorithm: 'fenchel', hyper: { ...defaultHyper(FENCHEL_SPEC), innerSteps: 2 } }, { algorithm: 'adam', hyper: defaultHyper(ADAM_SPEC) }];
    const lifted = await startTrainingRun(e, 0, nodeLoader);
    const adam = await startTrainingRun(e, 1, nodeLoader);
    lifted.step();
    adam.step();
    const before = tf.memory().numTensors;
    const v = lifted.liftedView(2, 1);
    expect(v?.lifted.length).toBe(40);
    expect(adam.liftedView(1, 0)).toBeNull();
    expect(tf.memory().numTensors).toBe(before);
    lifted.dispose();
    adam.dispose();
    const mb = moons([4, 3], 10);
    mb.runs = [{ algorithm: 'fenchel', hyper: { ...defaultHyper(FENCHEL_SPEC), innerSteps: 2 } }];
    const mini = await startTrainingRun(mb, 0, nodeLoader);
    mini.step();
    expect(mini.liftedView(1, 0)).toBeNull();
    mini.dispose();
  });
});
