import type { MethodEntry } from '../method';
import { hiddenLayers } from '../../engine/experiment';
import { VI_LAB } from './lab';
import { VI_SPEC } from './monotoneVi.hyper';
import { VI_PANELS, viStatus } from './panels';
import { MONOTONE_VI_PRESETS } from './presets';

export const monotoneVi: MethodEntry = {
  specs: [VI_SPEC],
  presets: MONOTONE_VI_PRESETS,
  gallerySection: { id: 'monotone-vi', title: 'Monotone-VI training' },
  panels: VI_PANELS,
  status: viStatus,
  lab: [VI_LAB],
  // The single-layer field is the GLM's (algorithms.md §1 scope 1): defined only without hidden layers.
  checkRun: (e, i) =>
    e.runs[i].hyper.scope === 'single' && hiddenLayers(e.network).length > 0
      ? [`runs[${i}].hyper.scope "single" needs a network without hidden layers; use "last" or "full"`]
      : [],
};
