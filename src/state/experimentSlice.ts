import { MAX_RUNS, type Experiment } from '../engine/experiment';
import { defaultExperiment } from '../methods/defaultExperiment';
import { defaultRun } from '../methods/registry';
import { followTitle } from '../methods/runLabels';
import { findPreset, lectureStepsFor, PRESETS } from '../presets';
import { presetFor } from '../url/presetFor';
import { validateExperiment } from '../url/validate';
import type { ExperimentSlice, SliceCreator } from './storeShape';

const PRESET_TITLES = PRESETS.map((p) => p.experiment.title);

/** Whether two experiments share their lecture (the same preset's steps); then the current step is kept. */
function sameLecture(a: Experiment, b: Experiment): boolean {
  const sa = lectureStepsFor(a);
  return sa.length > 0 && sa === lectureStepsFor(b);
}

/** The experiment slice (src/state/storeShape.ts ExperimentSlice): every edit validated, then applied whole. */
export const createExperimentSlice =
  (initial: Experiment = defaultExperiment()): SliceCreator<ExperimentSlice> =>
  (set, get) => {
    // Names and titles change what is shown, not what is computed: validated like any edit, the runs keep going.
    const applyWithoutRestart = (draft: Experiment) => {
      const checked = validateExperiment(draft);
      if (!checked.ok) {
        get().notify('error', `Not applied: ${checked.errors.join('; ')}`);
        return;
      }
      set({ experiment: checked.value });
    };

    return {
      experiment: initial,
      presetOrigin: presetFor(initial)?.id ?? null,

      setExperiment(e) {
        // A different experiment (another preset, a link, an edit) starts its lecture from the first step.
        const keepLecture = sameLecture(get().experiment, e);
        set({ experiment: e, presetOrigin: presetFor(e)?.id ?? null });
        if (!keepLecture) get().setLectureStep(0);
        get().reset();
      },
      updateExperiment(edit) {
        const before = get().experiment;
        const draft = structuredClone(before);
        edit(draft);
        // The title follows the experiment (its methods, its data) until the user writes their own.
        draft.title = followTitle(before, draft, PRESET_TITLES);
        const checked = validateExperiment(draft);
        if (!checked.ok) {
          get().notify('error', `Not applied: ${checked.errors.join('; ')}`);
          return;
        }
        // An edit keeps the memory of the preset it started from (the story then says "edited from preset X").
        const origin = get().presetOrigin;
        get().setExperiment(checked.value);
        if (!get().presetOrigin && origin) set({ presetOrigin: origin });
      },
      loadPreset(id) {
        const p = findPreset(id);
        if (!p) {
          get().notify('error', `There is no preset "${id}".`);
          return;
        }
        get().setExperiment(structuredClone(p.experiment));
      },
      addRun(algorithm) {
        if (get().experiment.runs.length >= MAX_RUNS) {
          get().notify('error', `At most ${MAX_RUNS} runs can be compared at once.`);
          return;
        }
        get().updateExperiment((d) => d.runs.push(defaultRun(algorithm)));
      },
      removeRun(index) {
        if (get().experiment.runs.length <= 1) return;
        const slice = get().experiment.landscape?.slice;
        get().updateExperiment((d) => {
          d.runs.splice(index, 1);
          // The landscape slice names its reference run by index: keep it on the same run, or say where it moved.
          if (d.landscape && slice && slice.reference > index) d.landscape.slice.reference = slice.reference - 1;
          else if (d.landscape && slice && slice.reference === index) d.landscape.slice.reference = 0;
          // A sweep names runs by index: follow the removal (and drop the sweep if none of its runs is left).
          const sweep = d.protocol?.sweep;
          if (d.protocol && sweep) {
            sweep.runs = sweep.runs.filter((r) => r !== index).map((r) => (r > index ? r - 1 : r));
            if (sweep.runs.length === 0) delete d.protocol.sweep;
          }
        });
        if (slice?.reference === index && index !== 0 && get().experiment.landscape?.slice.reference === 0)
          get().notify('info', `The landscape slice went through run ${index + 1}, which was removed; it now goes through run 1.`);
      },
      updateRun(index, run) {
        get().updateExperiment((d) => (d.runs[index] = run));
      },
      renameRun(index, label) {
        const draft = structuredClone(get().experiment);
        if (!draft.runs[index]) return;
        const name = label.trim();
        if (name) draft.runs[index].label = name;
        else delete draft.runs[index].label;
        applyWithoutRestart(draft);
      },
      setTitle(title) {
        const before = get().experiment;
        const draft = { ...structuredClone(before), title };
        draft.title = followTitle(before, draft, PRESET_TITLES);
        applyWithoutRestart(draft);
      },
      setView(patch) {
        set((s) => ({ experiment: { ...s.experiment, view: { ...s.experiment.view, ...patch } } }));
      },
    };
  };
