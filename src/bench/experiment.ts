import { defaultHyper, findSpec } from '../methods/registry';
import type { BackendName } from '../engine/backend';
import type { Experiment } from '../engine/experiment';
import { defaultExperiment } from '../methods/defaultExperiment';
import { legacyInit } from '../engine/init';
import { LENET5, type LayerSpec } from '../engine/layers';
import { PYTORCH_INIT } from '../presets/cnn';

/** The speed bench's problems, shared by the bench page (main.ts) and the Node profiles of the heavy methods. */
export type BenchProblem = 'small' | 'mnist' | 'lenet';

/** The two standard problems: MLP 2-8-8-2 (softmax, the engine's 2-D sets have two classes) and 784-128-128-10. */
export function benchExperiment(problem: BenchProblem, algorithm: string, backend: BackendName | 'auto', evalEvery = 1_000_000): Experiment {
  const e = defaultExperiment();
  e.title = `bench ${problem} ${algorithm}`;
  if (problem === 'lenet') {
    // LeNet-5 as the lenet5-mnist preset trains it (issue 28 item 6): the preset's layer list and init, batch 64, SGD
    // lr 0.01 with momentum 0.9; bench/lenet.mjs times the same step in PyTorch and ConvNetJS.
    e.dataset = { kind: 'mnist', seed: 1, noise: 0, trainSize: 2000, testSize: 500, resolution: 28, classes: [] };
    e.network = { hidden: [], activation: 'relu', outputLink: 'softmax', loss: 'ce', init: PYTORCH_INIT, layers: structuredClone(LENET5) as LayerSpec[] };
    e.training = { batchSize: 64, maxIterations: 1_000_000, evalEvery, seed: 1, backend };
    const spec = findSpec(algorithm);
    if (!spec) throw new Error(`unknown algorithm ${algorithm}`);
    e.runs = [{ algorithm, hyper: { ...defaultHyper(spec), ...(algorithm === 'sgd' ? { lr: 0.01, momentum: 0.9 } : {}) } }];
    return e;
  }
  if (problem === 'mnist') {
    e.dataset = { kind: 'mnist', seed: 1, noise: 0, trainSize: 12000, testSize: 2000, resolution: 28, classes: [] };
    e.network = { hidden: [128, 128], activation: 'relu', outputLink: 'softmax', loss: 'ce', init: legacyInit(1) };
  } else {
    e.dataset = { kind: 'moons', seed: 1, noise: 0.1, trainSize: 1000, testSize: 200, resolution: 28, classes: [] };
    e.network = { hidden: [8, 8], activation: 'tanh', outputLink: 'softmax', loss: 'ce', init: legacyInit(1) };
  }
  e.training = { batchSize: 256, maxIterations: 1_000_000, evalEvery, seed: 1, backend };
  const spec = findSpec(algorithm);
  if (!spec) throw new Error(`unknown algorithm ${algorithm}`);
  const hyper = defaultHyper(spec);
  if (algorithm === 'sgd') hyper.lr = 0.05;
  if (algorithm === 'adam') hyper.lr = 1e-3;
  e.runs = [{ algorithm, hyper }];
  return e;
}
