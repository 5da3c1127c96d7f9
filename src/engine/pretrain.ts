import * as tf from '@tensorflow/tfjs';
import { Batcher } from './batcher';
import { buildDataSplit, disposeDataSplit, type BinaryLoader } from './data/build';
import { networkLayout, type Experiment } from './experiment';
import { defaultInit } from './init';
import { initParams, lossAndGrad } from './model';
import { adamInit, adamUpdate } from './optimizers';
import { disposeParams, flattenParams, unflattenParams } from './params';
import type { NetworkSpec, Params } from './types';

/**
 * Pretraining for last-layer fine-tuning (algorithms.md §1 scope 2): Adam on cross-entropy over the pretraining
 * classes, deterministic given the experiment (same data, seed, batch order), so every worker recomputes the
 * same weights on the same backend. Results are cached as plain arrays (no tensors kept alive) by a key made of
 * everything that determines them — the backend included: weights computed on a backend that was then refused (a
 * device reading zeros) must not outlive the fallback to another backend (issue 32).
 */

const cache = new Map<string, Float32Array>();

function pretrainKey(e: Experiment): string {
  const { dataset, network, pretrain } = e;
  return JSON.stringify([tf.getBackend(), dataset.kind, dataset.seed, dataset.trainSize, dataset.resolution, network.hidden, network.layers ?? null, network.activation, e.training.batchSize, pretrain]);
}

/** Network spec of the pretraining task: same hidden layers, one output per pretraining class, softmax + CE, unit init. */
export function pretrainNetwork(e: Experiment): NetworkSpec {
  if (!e.pretrain) throw new Error('experiment has no pretrain section');
  const layout = networkLayout({ ...e, dataset: { ...e.dataset, classes: e.pretrain.classes } });
  const net: NetworkSpec = {
    sizes: layout.sizes,
    activation: e.network.activation,
    outputLink: 'softmax',
    loss: 'ce',
    // §5 (the last-layer reference protocol): the pretraining network starts from Glorot.
    init: defaultInit(),
  };
  if (e.network.layers) net.stages = layout.stages;
  return net;
}

/** Runs (or recalls) the pretraining and returns the whole pretrained network (bottom layers and old head). */
export async function pretrainedParams(e: Experiment, load: BinaryLoader): Promise<{ net: NetworkSpec; params: Params }> {
  const pt = e.pretrain;
  if (!pt) throw new Error('experiment has no pretrain section');
  const key = pretrainKey(e);
  const data = await buildDataSplit({ ...e.dataset, classes: pt.classes }, load);
  const net = pretrainNetwork(e);
  const hit = cache.get(key);
  if (hit) {
    disposeDataSplit(data);
    return { net, params: unflattenParams(hit, net) };
  }
  let params = initParams(net, pt.seed);
  let adam = adamInit(params);
  const batcher = new Batcher(data.xTrain, data.yTrain, e.training.batchSize > 0 ? e.training.batchSize : 64, pt.seed);
  for (let k = 0; k < pt.iterations; k++) {
    const b = batcher.next();
    const { loss, grads } = lossAndGrad(params, net, b.x, b.y);
    const out = adamUpdate(params, grads, adam, { lr: pt.lr, beta1: 0.9, beta2: 0.999, eps: 1e-8 });
    loss.dispose();
    disposeParams(grads);
    disposeParams(params);
    disposeParams(adam.m);
    disposeParams(adam.v);
    params = out.params;
    adam = out.state;
    if (b.owned) tf.dispose([b.x, b.y]);
  }
  disposeParams(adam.m);
  disposeParams(adam.v);
  disposeDataSplit(data);
  cache.set(key, flattenParams(params));
  return { net, params };
}

/**
 * Initial weights for fine-tuning: the pretrained bottom layers with a fresh output head from the experiment's
 * own seeded initialisation (so network.init sets how saturated the new head starts).
 */
export async function fineTuneInitialParams(e: Experiment, net: NetworkSpec, load: BinaryLoader): Promise<Params> {
  const pre = await pretrainedParams(e, load);
  const fresh = initParams(net, e.training.seed);
  const L = net.sizes.length - 1;
  const out: Params = [];
  for (let l = 0; l < L - 1; l++) out.push(pre.params[l]);
  out.push(fresh[L - 1]);
  disposeParams([pre.params[L - 1]]);
  disposeParams(fresh.slice(0, L - 1));
  return out;
}

/** For tests: forget cached pretrained weights. */
export function clearPretrainCache(): void {
  cache.clear();
}
