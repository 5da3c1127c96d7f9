import type { Experiment } from '../engine/experiment';
import type { MetricPoint } from '../engine/types';
import { defaultExperiment } from '../methods/defaultExperiment';
import { createPlaygroundStore } from '../state/store';
import { fakeWorkers } from './fakeWorkers';

/**
 * A store of its own for a unit test, with fake workers. The backend is named ('wasm') so that no test starts the
 * real backend probe (which needs a Web Worker).
 */
export function testStore(experiment: Experiment = defaultExperiment()) {
  const e = structuredClone(experiment);
  e.training.backend = 'wasm';
  const workers = fakeWorkers();
  const store = createPlaygroundStore({ newWorker: workers.factory, experiment: e });
  return { store, made: workers.made };
}

export function point(iteration: number, extra: Record<string, number> = {}): MetricPoint {
  return { iteration, time: iteration, cost: iteration, epoch: 0, loss: 1 / iteration, gradNorm: 1, extra };
}
