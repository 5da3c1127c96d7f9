import { makeFirstOrder } from '../../engine/firstOrder';
import { hyperReader } from '../../engine/hyper';
import type { Hyper } from '../../engine/types';
import { chain, heavyBall, type UpdateChain } from '../../engine/updateChain';
import { SGD_SPEC } from './sgd.hyper';

/** SGD's options (sgd.hyper.ts). */
export interface SgdOptions {
  lr: number;
  momentum: number;
}

export function parseSgd(hyper: Hyper): SgdOptions {
  const h = hyperReader(SGD_SPEC, hyper);
  return { lr: h.number('lr'), momentum: h.number('momentum') };
}

/** SGD's update: heavy-ball momentum at a constant step. */
export function sgdChain(o: SgdOptions): UpdateChain {
  return chain(heavyBall(o.momentum), o.lr);
}

/** SGD with heavy-ball momentum on the mini-batch gradient (the update is engine/updateChain.ts heavyBall). */
export const sgdAlgorithm = makeFirstOrder('sgd', parseSgd, sgdChain);
