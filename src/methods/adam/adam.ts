import { makeFirstOrder, type UpdateRule } from '../../engine/firstOrder';
import { hyperReader } from '../../engine/hyper';
import type { Hyper } from '../../engine/types';
import { ADAM_SPEC } from './adam.hyper';

/** Adam's options (adam.hyper.ts). */
export function parseAdam(hyper: Hyper): UpdateRule {
  const h = hyperReader(ADAM_SPEC, hyper);
  return { kind: 'adam', lr: h.number('lr'), beta1: h.number('beta1'), beta2: h.number('beta2'), eps: h.number('eps') };
}

/** Adam on the mini-batch gradient (the update rule is engine/optimizers.ts). */
export const adamAlgorithm = makeFirstOrder('adam', parseAdam);
