import type { MethodEntry } from '../method';
import { CG_LAB } from './lab';
import { CG_SPEC } from './cg.hyper';
import { CG_INTERNALS_PANEL } from './panels';

export const cg: MethodEntry = {
  specs: [CG_SPEC],
  panels: [CG_INTERNALS_PANEL],
  lab: [CG_LAB],
};
