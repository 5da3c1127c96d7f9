import type { MethodEntry } from '../method';
import { VI_SPEC } from './monotoneVi.hyper';
import { MONOTONE_VI_PRESETS } from './presets';

export const monotoneVi: MethodEntry = { specs: [VI_SPEC], presets: MONOTONE_VI_PRESETS };
