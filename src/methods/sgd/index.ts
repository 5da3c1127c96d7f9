import type { MethodEntry } from '../method';
import { SGD_LAB } from './lab';
import { SGD_SPEC } from './sgd.hyper';

export const sgd: MethodEntry = {
  specs: [SGD_SPEC],
  lab: [SGD_LAB],
};
