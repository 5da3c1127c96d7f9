import type { MethodEntry } from '../method';
import { liftedRequirements } from '../liftedRequirements';
import { MDLAM_COUPLED_SPEC, MDLAM_SPEC } from './mdlam.hyper';
import { MDLAM_LIFTED_VIEW, MDLAM_PANELS } from './panels';
import { MDLAM_PRESETS } from './presets';

export const mdlam: MethodEntry = {
  specs: [MDLAM_SPEC, MDLAM_COUPLED_SPEC],
  presets: MDLAM_PRESETS,
  gallerySection: { id: 'mdlam', title: 'mDLAM (gradient-free alternating minimisation)' },
  panels: MDLAM_PANELS,
  liftedView: MDLAM_LIFTED_VIEW,
  checkRun: (e, i) =>
    liftedRequirements('mDLAM (algorithms.md §3)', e, i, 'mDLAM is defined by its paper for fully connected layers only; this network has convolution layers. Train it with SGD, Adam, CG, L-BFGS, Adam → CG or monotone VI, or use a dense network for mDLAM'),
};
