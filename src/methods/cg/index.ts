import type { MethodEntry } from '../method';
import { CG_SPEC } from './cg.hyper';

export const cg: MethodEntry = { specs: [CG_SPEC] };
