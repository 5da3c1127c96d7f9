import { lectureStepsFor } from '../presets';
import { useStore } from '../state/store';

/**
 * Presentation mode's caption: the current lecture step of the preset (← → move between steps) and, when the runs
 * were paused by the experiment's pause-on-event, what they paused at.
 */
export function LectureCaption() {
  const presentation = useStore((s) => s.presentation);
  const experiment = useStore((s) => s.experiment);
  const stepIndex = useStore((s) => s.lectureStep);
  const pausedAt = useStore((s) => s.pausedAt);
  const steps = lectureStepsFor(experiment);
  if (!pausedAt && (!presentation || steps.length === 0)) return null;
  const step = presentation ? steps[stepIndex] : undefined;
  return (
    <div className="lecture-caption" role="status" data-testid="lecture-caption">
      {pausedAt && (
        <div className="paused-at" data-testid="paused-at">
          ❚❚ All runs paused: run {pausedAt.runIndex + 1} reached {pausedAt.label} at iteration {pausedAt.iteration}.
        </div>
      )}
      {step && (
        <div className="lecture-step" data-testid="lecture-step" data-step={stepIndex}>
          <span className="lecture-step-count">{stepIndex + 1}/{steps.length}</span> {step.text}
          <span className="lecture-keys">← →</span>
        </div>
      )}
    </div>
  );
}
