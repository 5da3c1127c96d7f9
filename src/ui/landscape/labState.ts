import { defaultLandscape, type LandscapeConfig } from '../../engine/landscape/config';
import { useStore } from '../../state/store';
import { validateExperiment } from '../../url/validate';

/**
 * Landscape-lab edits change `experiment.landscape` only (the store's setLandscape action): they never reset the
 * training runs (a network slice needs the finished runs), so they bypass updateExperiment's reset but not its
 * validation.
 */
export function currentLandscape(): LandscapeConfig {
  return useStore.getState().experiment.landscape ?? defaultLandscape();
}

/** Validated edit (form fields): refused with a notice if it would make the experiment invalid. */
export function updateLandscape(edit: (draft: LandscapeConfig) => void): void {
  const s = useStore.getState();
  const draft = structuredClone(currentLandscape());
  edit(draft);
  const checked = validateExperiment({ ...s.experiment, landscape: draft });
  if (!checked.ok) {
    s.notify('error', `Not applied: ${checked.errors.join('; ')}`);
    return;
  }
  s.setLandscape(checked.value.landscape!);
}

/** Fast path for sliders and dragging (values already in range by construction): no validation round trip. */
export function setLandscapeLive(patch: Partial<LandscapeConfig>): void {
  useStore.getState().setLandscape({ ...currentLandscape(), ...patch });
}

export function setLabOpen(open: boolean): void {
  setLandscapeLive({ open });
}

/** Time of the latest user input that should lead to a redraw (for the "redraw N ms" figure). */
export const inputClock = { at: 0 };
export function markInput(): void {
  inputClock.at = performance.now();
}
