import type { MethodEntry } from '../method';
import { ADAM_LAB } from './lab';
import { ADAM_SPEC } from './adam.hyper';

export const adam: MethodEntry = {
  specs: [ADAM_SPEC],
  lab: [ADAM_LAB],
};
