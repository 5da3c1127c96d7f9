import { makeFirstOrder } from '../../engine/firstOrder';
import { hyperReader } from '../../engine/hyper';
import type { Hyper } from '../../engine/types';
import { adam, chain, type UpdateChain } from '../../engine/updateChain';
import { ADAM_SPEC } from './adam.hyper';

/** Adam's options (adam.hyper.ts). */
export interface AdamOptions {
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
}

export function parseAdam(hyper: Hyper): AdamOptions {
  const h = hyperReader(ADAM_SPEC, hyper);
  return { lr: h.number('lr'), beta1: h.number('beta1'), beta2: h.number('beta2'), eps: h.number('eps') };
}

/** Adam's update at a constant step. */
export function adamChain(o: AdamOptions): UpdateChain {
  return chain(adam({ beta1: o.beta1, beta2: o.beta2, eps: o.eps }), o.lr);
}

/** Adam on the mini-batch gradient (the update is engine/updateChain.ts adam). */
export const adamAlgorithm = makeFirstOrder('adam', parseAdam, adamChain);
