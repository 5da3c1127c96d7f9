import { makeFirstOrder, type UpdateRule } from '../../engine/firstOrder';
import { hyperReader } from '../../engine/hyper';
import type { Hyper } from '../../engine/types';
import { SGD_SPEC } from './sgd.hyper';

/** SGD's options: heavy-ball momentum at a constant step (sgd.hyper.ts). */
export function parseSgd(hyper: Hyper): UpdateRule {
  const h = hyperReader(SGD_SPEC, hyper);
  return { kind: 'momentum', lr: h.number('lr'), momentum: h.number('momentum') };
}

/** SGD with heavy-ball momentum on the mini-batch gradient (the update rule is engine/optimizers.ts). */
export const sgdAlgorithm = makeFirstOrder('sgd', parseSgd);
