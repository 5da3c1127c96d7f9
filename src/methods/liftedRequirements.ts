import { networkLayout, type Experiment } from '../engine/experiment';
import { hasConvolution, LayerListError } from '../engine/layers';

/**
 * What the lifted methods' block updates are derived for (algorithms.md §3–§4): ReLU hidden layers and a softmax
 * cross-entropy output on a classification dataset, training every layer. A lifted method's folder passes this as
 * its `checkRun` with its own name; what else the experiment asks for is refused before the run starts, instead of
 * failing inside the worker.
 */
export function liftedRequirements(name: string, e: Experiment, i: number, onConvolution: string): string[] {
  const out: string[] = [];
  const n = e.network;
  let stages;
  try {
    stages = networkLayout(e).stages;
  } catch (err) {
    if (err instanceof LayerListError) return out; // the layer list itself is refused, with its own message
    throw err;
  }
  const hidden = stages.slice(0, -1);
  if (hasConvolution(stages)) out.push(`runs[${i}]: ${onConvolution}`);
  const acts = [...new Set(hidden.map((s) => s.activation))];
  if (hidden.some((s) => s.activation !== 'relu') || n.outputLink !== 'softmax' || n.loss !== 'ce')
    out.push(`runs[${i}]: ${name} needs ReLU hidden units and a softmax cross-entropy output (this network: ${acts.join('/') || n.activation}, ${n.outputLink}, ${n.loss})`);
  if (n.weightDecay) out.push(`runs[${i}]: ${name} minimises the data loss only; its block updates have no weight-decay term (network.weightDecay = ${n.weightDecay})`);
  if (e.dataset.kind === 'glm') out.push(`runs[${i}]: ${name} trains classifiers; the planted GLM has one real-valued output`);
  if (e.pretrain) out.push(`runs[${i}]: ${name} trains every layer; it cannot be used with pretrain (frozen layers)`);
  return out;
}
