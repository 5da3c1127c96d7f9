import type { Experiment } from '../engine/experiment';

/**
 * What the lifted methods' block updates are derived for (algorithms.md §3–§4): ReLU hidden layers and a softmax
 * cross-entropy output on a classification dataset, training every layer. A lifted method's folder passes this as
 * its `checkRun` with its own name; what else the experiment asks for is refused before the run starts, instead of
 * failing inside the worker.
 */
export function liftedRequirements(name: string, e: Experiment, i: number): string[] {
  const out: string[] = [];
  const n = e.network;
  if (n.activation !== 'relu' || n.outputLink !== 'softmax' || n.loss !== 'ce')
    out.push(`runs[${i}]: ${name} needs ReLU hidden units and a softmax cross-entropy output (this network: ${n.activation}, ${n.outputLink}, ${n.loss})`);
  if (e.dataset.kind === 'glm') out.push(`runs[${i}]: ${name} trains classifiers; the planted GLM has one real-valued output`);
  if (e.pretrain) out.push(`runs[${i}]: ${name} trains every layer; it cannot be used with pretrain (frozen layers)`);
  return out;
}
