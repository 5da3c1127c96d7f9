import type { MethodEntry } from '../method';
import { MDLAM_SPEC } from './mdlam.hyper';
import { MDLAM_PRESETS } from './presets';

export const mdlam: MethodEntry = { specs: [MDLAM_SPEC], presets: MDLAM_PRESETS };
