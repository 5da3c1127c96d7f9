import type { MethodEntry } from '../method';
import { LBFGS_LAB } from './lab';
import { LBFGS_SPEC } from './lbfgs.hyper';
import { LBFGS_PANELS } from './panels';
import { LBFGS_PRESETS } from './presets';

export const lbfgs: MethodEntry = {
  specs: [LBFGS_SPEC],
  presets: LBFGS_PRESETS,
  gallerySection: { id: 'lbfgs', title: 'L-BFGS (limited-memory quasi-Newton)' },
  panels: LBFGS_PANELS,
  lab: [LBFGS_LAB],
};
