import { lectureStepsFor } from '../presets';
import { onProbeState, probeState } from './backendChoice';
import type { SliceCreator, UiSlice } from './storeShape';

/** How long an information notice stays (long enough to read two lines at a projector's distance). */
export const INFO_NOTICE_MS = 12_000;

/** The view-state slice (src/state/storeShape.ts UiSlice). It owns the notice ids and mirrors the backend probe. */
export const createUiSlice: SliceCreator<UiSlice> = (set, get) => {
  let nextNoticeId = 1;
  onProbeState((probe) => set({ probe }));
  return {
    notices: [],
    presentation: false,
    accuracyZoom: false,
    stageSecond: null,
    stageEnlarged: null,
    helpOpen: false,
    probe: probeState(),
    about: null,
    plotInfo: null,
    lectureStep: 0,

    setPresentation(on) {
      set({ presentation: on });
    },
    setAccuracyZoom(on) {
      set({ accuracyZoom: on });
    },
    cycleStageSecond(ids) {
      if (!ids.length) return;
      const k = ids.indexOf(get().stageSecond ?? ids[0]);
      set({ stageSecond: ids[(Math.max(0, k) + 1) % ids.length] });
    },
    cycleStageEnlarged() {
      const order = [null, 'loss', 'second'] as const;
      set((s) => ({ stageEnlarged: order[(order.indexOf(s.stageEnlarged) + 1) % order.length] }));
    },
    setHelp(open) {
      set({ helpOpen: open });
    },
    setAbout(about) {
      set({ about });
    },
    setPlotInfo(id) {
      set({ plotInfo: id });
    },
    setLectureStep(index) {
      const steps = lectureStepsFor(get().experiment);
      const lectureStep = Math.max(0, Math.min(steps.length - 1, index));
      // The plot the step talks about goes on the stage (both slots shown, the second one showing it).
      const show = steps[lectureStep]?.show;
      set(show ? { lectureStep, stageSecond: show, stageEnlarged: null } : { lectureStep });
    },
    notify(kind, text) {
      const id = nextNoticeId++;
      set((s) => ({ notices: [...s.notices.slice(-4), { id, kind, text }] }));
      // Information clears itself; an error stays until dismissed.
      if (kind === 'info') setTimeout(() => get().dismissNotice(id), INFO_NOTICE_MS);
    },
    dismissNotice(id) {
      set((s) => ({ notices: s.notices.filter((n) => n.id !== id) }));
    },
  };
};
