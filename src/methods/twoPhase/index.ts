import type { MethodEntry } from '../method';
import { TWO_PHASE_LAB } from './lab';
import { TWO_PHASE_PANELS, twoPhaseStatus } from './panels';
import { TWO_PHASE_PRESETS } from './presets';
import { TWO_PHASE_SPEC } from './twoPhase.hyper';

export const twoPhase: MethodEntry = {
  specs: [TWO_PHASE_SPEC],
  presets: TWO_PHASE_PRESETS,
  gallerySection: { id: 'two-phase', title: 'Two-phase Adam → conjugate gradient' },
  panels: TWO_PHASE_PANELS,
  status: twoPhaseStatus,
  lab: [TWO_PHASE_LAB],
};
