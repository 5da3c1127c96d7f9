import type { MethodEntry } from '../method';
import { SGD_SPEC } from './sgd.hyper';

export const sgd: MethodEntry = { specs: [SGD_SPEC] };
