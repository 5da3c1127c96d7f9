import { useEffect } from 'react';
import { lectureStepsFor } from '../presets';
import { useStore } from '../state/store';
import { stageChoiceIds } from './Stage';

/** Keyboard shortcuts for the lecture hall; listed in the help overlay (HelpOverlay.tsx reads SHORTCUTS). */
export const SHORTCUTS: { keys: string; what: string }[] = [
  { keys: 'Space', what: 'run / pause all runs' },
  { keys: 'S or →', what: 'one step of every run' },
  { keys: '← / →', what: 'presentation mode with a lecture: previous / next lecture step' },
  { keys: 'R', what: 'reset all runs' },
  { keys: '1 – 6', what: 'show / hide run 1 – 6 in the plots' },
  { keys: 'P', what: 'presentation mode on / off' },
  { keys: 'D', what: 'presentation mode: next plot in the second slot (accuracy, boundaries, the methods’ diagnostics)' },
  { keys: 'E', what: 'presentation mode: enlarge the loss plot, then the second plot, then show both' },
  { keys: '?', what: 'this help' },
  { keys: 'Esc', what: 'close a method page or help, leave presentation mode' },
];

export function isRunning(): boolean {
  return useStore.getState().runs.some((r) => r.status === 'running' || r.status === 'starting');
}

export function useShortcuts(): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const t = e.target as HTMLElement | null;
      if (t && (t.tagName === 'INPUT' || t.tagName === 'SELECT' || t.tagName === 'TEXTAREA' || t.isContentEditable)) return;
      if (e.ctrlKey || e.metaKey || e.altKey) return;
      const s = useStore.getState();
      // A preset's lecture in presentation mode: the arrows move between its steps instead of stepping the runs.
      const lecture = s.presentation && lectureStepsFor(s.experiment).length > 0;
      if (lecture && (e.key === 'ArrowRight' || e.key === 'ArrowLeft')) {
        e.preventDefault();
        s.setLectureStep(s.lectureStep + (e.key === 'ArrowRight' ? 1 : -1));
        return;
      }
      // The landscape lab has no Run, Step or Reset (its trajectories compute themselves): their keys do nothing there.
      const trainingKey = e.key === ' ' || e.key === 's' || e.key === 'S' || e.key === 'ArrowRight' || e.key === 'r' || e.key === 'R';
      if (trainingKey && s.experiment.landscape?.open) return;
      if (e.key === ' ') {
        e.preventDefault();
        if (isRunning()) s.pause();
        else void useStore.getState().runComparison();
      } else if (e.key === 's' || e.key === 'S' || e.key === 'ArrowRight') void s.step(1);
      else if (e.key === 'r' || e.key === 'R') s.reset();
      else if (e.key === 'p' || e.key === 'P') s.setPresentation(!s.presentation);
      else if ((e.key === 'd' || e.key === 'D') && s.presentation) s.cycleStageSecond(stageChoiceIds.current);
      else if ((e.key === 'e' || e.key === 'E') && s.presentation) s.cycleStageEnlarged();
      else if (e.key === '?') s.setHelp(!s.helpOpen);
      else if (e.key === 'Escape' && (s.about || s.plotInfo)) {
        // Close a method page or plot explanation first; presentation mode stays on.
        s.setAbout(null);
        s.setPlotInfo(null);
      } else if (e.key === 'Escape') {
        s.setHelp(false);
        s.setPresentation(false);
      } else if (/^[1-6]$/.test(e.key)) {
        const i = Number(e.key) - 1;
        if (i < s.runs.length) s.toggleRunVisible(i);
      } else return;
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
