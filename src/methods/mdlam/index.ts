import type { MethodEntry } from '../method';
import { liftedRequirements } from '../liftedRequirements';
import { MDLAM_COUPLED_SPEC, MDLAM_SPEC } from './mdlam.hyper';
import { MDLAM_PRESETS } from './presets';

export const mdlam: MethodEntry = {
  specs: [MDLAM_SPEC, MDLAM_COUPLED_SPEC],
  presets: MDLAM_PRESETS,
  checkRun: (e, i) => liftedRequirements('mDLAM (algorithms.md §3)', e, i),
};
