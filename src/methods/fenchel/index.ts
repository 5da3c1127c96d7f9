import type { MethodEntry } from '../method';
import { FENCHEL_SPEC } from './fenchel.hyper';
import { FENCHEL_PRESETS } from './presets';

export const fenchel: MethodEntry = { specs: [FENCHEL_SPEC], presets: FENCHEL_PRESETS };
