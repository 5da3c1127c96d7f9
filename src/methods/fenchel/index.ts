import type { MethodEntry } from '../method';
import { liftedRequirements } from '../liftedRequirements';
import { FENCHEL_SPEC } from './fenchel.hyper';
import { FENCHEL_LIFTED_VIEW, FENCHEL_PANELS } from './panels';
import { FENCHEL_PRESETS } from './presets';

export const fenchel: MethodEntry = {
  specs: [FENCHEL_SPEC],
  presets: FENCHEL_PRESETS,
  gallerySection: { id: 'fenchel', title: 'Fenchel lifted networks' },
  panels: FENCHEL_PANELS,
  liftedView: FENCHEL_LIFTED_VIEW,
  checkRun: (e, i) =>
    liftedRequirements('Fenchel lifted BCD (algorithms.md §4)', e, i, 'the playground\'s Fenchel lifted BCD lifts dense layers only; lifting convolution layers (as the paper does) is not built yet'),
};
