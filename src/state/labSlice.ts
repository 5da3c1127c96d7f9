import { defaultLandscape, type LandscapeConfig } from '../engine/landscape/config';
import { validateExperiment } from '../url/validate';
import type { LabSlice, SliceCreator } from './storeShape';

/**
 * The landscape lab's slice (src/state/storeShape.ts LabSlice). Its edits change `experiment.landscape` only: they
 * never reset the training runs (a network slice needs the finished runs), so they bypass updateExperiment's reset
 * but not its validation (except the sliders' fast path, whose values are in range by construction).
 */
export const createLabSlice: SliceCreator<LabSlice> = (set, get) => {
  const current = (): LandscapeConfig => get().experiment.landscape ?? defaultLandscape();
  return {
    setLandscape(landscape) {
      set((s) => ({ experiment: { ...s.experiment, landscape } }));
    },
    updateLandscape(edit) {
      const draft = structuredClone(current());
      edit(draft);
      const checked = validateExperiment({ ...get().experiment, landscape: draft });
      if (!checked.ok) {
        get().notify('error', `Not applied: ${checked.errors.join('; ')}`);
        return;
      }
      get().setLandscape(checked.value.landscape!);
    },
    setLandscapeLive(patch) {
      get().setLandscape({ ...current(), ...patch });
    },
    setLabOpen(open) {
      get().setLandscapeLive({ open });
    },
  };
};
