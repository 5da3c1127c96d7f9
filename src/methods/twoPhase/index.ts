import type { MethodEntry } from '../method';
import { TWO_PHASE_PRESETS } from './presets';
import { TWO_PHASE_SPEC } from './twoPhase.hyper';

export const twoPhase: MethodEntry = { specs: [TWO_PHASE_SPEC], presets: TWO_PHASE_PRESETS };
