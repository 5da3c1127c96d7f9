import { buildDataSplit, disposeDataSplit, type BinaryLoader } from './data/build';
import { networkLayout, type Experiment } from './experiment';
import { initParams } from './model';
import { disposeParams } from './params';
import { fineTuneInitialParams } from './pretrain';
import type { NetworkSpec, Problem } from './types';

/**
 * Experiment → Problem: the data split, the network spec and the shared initial weights. Every run of a
 * comparison builds the same Problem from the same Experiment (same split, same seed, same init), which is
 * what makes the comparison fair. Used by the worker, the benchmarks and the tests alike.
 */
export function networkSpec(e: Experiment): NetworkSpec {
  const layout = networkLayout(e);
  const net: NetworkSpec = {
    sizes: layout.sizes,
    activation: e.network.activation,
    outputLink: e.network.outputLink,
    loss: e.network.loss,
    init: e.network.init,
  };
  // An MLP given by hidden widths keeps the spec it always had; a layer list carries its stages.
  if (e.network.layers) net.stages = layout.stages;
  if (e.network.weightDecay) net.weightDecay = e.network.weightDecay;
  return net;
}

export async function buildProblem(e: Experiment, load: BinaryLoader): Promise<Problem> {
  const data = await buildDataSplit(e.dataset, load);
  const net = networkSpec(e);
  if (e.pretrain) {
    // Last-layer fine-tuning (algorithms.md §1 scope 2): pretrained, frozen bottom; a fresh head trains.
    const initialParams = await fineTuneInitialParams(e, net, load);
    return { net, data, initialParams, batchSize: e.training.batchSize, frozenBelow: net.sizes.length - 2 };
  }
  return { net, data, initialParams: initParams(net, e.training.seed), batchSize: e.training.batchSize, frozenBelow: 0 };
}

export function disposeProblem(p: Problem): void {
  disposeDataSplit(p.data);
  disposeParams(p.initialParams);
}
