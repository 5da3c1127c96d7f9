import { useEffect, type ReactNode } from 'react';
import { isPlanar } from '../engine/experiment';
import { runLabels } from '../methods/runLabels';
import { useStore } from '../state/store';
import { BoundaryCanvas } from './BoundaryCanvas';
import { SHORT_VERDICT, stopVerdict } from '../state/verdict';
import { runColor } from './plots/colors';
import { AccuracyPlot, LossPlot } from './plots/LossPlot';
import { useMethodPanelList } from './plots/MethodPanels';
import { useTrainingPoints } from './RunCards';
import { isImageDataset } from '../engine/imageClasses';
import { STAGE_PARTS, StageImageViews, type StagePart } from './imageViews/ImageViewsPanel';

/**
 * Presentation mode's stage (design.md, layout): what a projector shows is the comparison. One line of run chips
 * (colour, label, status, live figure), then two plot slots filling the rest of the screen, no sidebar and no
 * scrolling at 1280×720 or 1920×1080: the loss, and beside it the accuracy, the decision boundaries on 2-D data, the
 * image views on MNIST and Fashion-MNIST, or one of the methods' diagnostics (D cycles through them; E enlarges one slot to the whole stage).
 */

export interface StageChoice {
  id: string;
  label: string;
  element: ReactNode;
}

/** What the second slot can show, in cycling order; the first is the default. */
export function useSecondSlotChoices(): StageChoice[] {
  const classification = useStore((s) => s.experiment.dataset.kind !== 'glm');
  const twoD = useStore((s) => isPlanar(s.experiment.dataset));
  const images = useStore((s) => isImageDataset(s.experiment.dataset));
  const panels = useMethodPanelList();
  const out: StageChoice[] = [];
  if (classification) out.push({ id: 'accuracy', label: 'test accuracy', element: <AccuracyPlot /> });
  if (twoD) out.push({ id: 'boundaries', label: 'decision boundaries', element: <StageBoundaries /> });
  panels.forEach((p, k) => out.push({ id: p.id, label: `method diagnostic ${k + 1}`, element: p.element }));
  // After the methods' diagnostics, so that a method preset's D presses reach the same plots as before.
  if (images)
    for (const part of Object.keys(STAGE_PARTS) as StagePart[])
      out.push({ id: STAGE_PARTS[part].id, label: STAGE_PARTS[part].title, element: <StageImageViews key={part} part={part} /> });
  return out;
}

/** The index of the chosen second-slot plot among the choices (the first when the choice is not offered). */
export function secondSlotIndex(choices: { id: string }[], chosen: string | null): number {
  const k = choices.findIndex((c) => c.id === chosen);
  return k < 0 ? 0 : k;
}

/** The second slot's choices on the stage now, for the D key (shortcuts.ts); empty when no stage is shown. */
export const stageChoiceIds: { current: string[] } = { current: [] };

export function Stage() {
  const choices = useSecondSlotChoices();
  stageChoiceIds.current = choices.map((c) => c.id);
  useEffect(() => () => { stageChoiceIds.current = []; }, []);
  const chosen = useStore((s) => s.stageSecond);
  const enlarged = useStore((s) => s.stageEnlarged);
  const cycle = useStore((s) => s.cycleStageSecond);
  const second = choices.length ? choices[secondSlotIndex(choices, chosen)] : null;
  const slots = enlarged === 'loss' || !second ? ['loss'] : enlarged === 'second' ? ['second'] : ['loss', 'second'];
  return (
    <main className="stage" data-testid="stage">
      <RunChips />
      <div className={`stage-plots stage-${slots.length}`} data-testid="stage-plots">
        {slots.includes('loss') && <div className="stage-slot" data-testid="stage-slot-loss"><LossPlot /></div>}
        {slots.includes('second') && second && (
          <div className="stage-slot" data-testid="stage-slot-second" data-showing={second.id}>
            {choices.length > 1 && (
              <button className="stage-next" onClick={() => cycle(choices.map((c) => c.id))} data-testid="stage-next"
                title="Show the next plot in this slot (key D)">
                {secondSlotIndex(choices, chosen) + 1}/{choices.length} ▸ <kbd>D</kbd>
              </button>
            )}
            {second.element}
          </div>
        )}
      </div>
    </main>
  );
}

const fmt = (v: number | undefined, digits: number) => (v === undefined || !Number.isFinite(v) ? '—' : Math.abs(v) < 1e-3 && v !== 0 ? v.toExponential(1) : v.toFixed(digits));

/**
 * One chip per run, all on one line: the run's name on top, its verdict and live figures below. Each chip takes at
 * most its share of the row (an inline max-width), so chips never run into each other; a name too long for its share
 * ends in an ellipsis and the chip's tooltip says it whole, the verdict is a word (its tooltip the whole verdict),
 * and the figures are never cut (issue 31: "acc 0", "stall…" and three "Adam …" at 1280×720, overlapping at 1920×1080).
 */
function RunChips() {
  const experiment = useStore((s) => s.experiment);
  const labels = runLabels(experiment.runs);
  const runs = useStore((s) => s.runs);
  const hidden = useStore((s) => s.hiddenRuns);
  const toggle = useStore((s) => s.toggleRunVisible);
  const count = experiment.runs.length;
  const share = `calc((100% - ${count - 1} * var(--chip-gap)) / ${count})`;
  return (
    <div className="run-chips" data-testid="run-chips">
      {runs.map((r, i) => {
        const cfg = experiment.runs[i];
        if (!cfg) return null;
        const last = r.points[r.points.length - 1];
        const verdict = r.status === 'finished' ? stopVerdict(r.message, r.points) : null;
        let acc: number | undefined;
        for (let k = r.points.length - 1; k >= 0; k--) if (r.points[k].testAccuracy !== undefined) { acc = r.points[k].testAccuracy; break; }
        return (
          <button key={i} className={`run-chip${hidden[i] ? ' hidden-run' : ''}`} style={{ borderColor: runColor(i), maxWidth: share }} onClick={() => toggle(i)}
            aria-pressed={!hidden[i]} title={`${i + 1}. ${labels[i]}${verdict ? ` — ${verdict}` : ''}: show or hide (key ${i + 1})`} data-testid={`run-chip-${i}`}>
            <span className="chip-line chip-name">
              <span className="swatch" style={{ background: runColor(i) }} />
              <span className="chip-label" data-testid={`run-chip-label-${i}`}>{i + 1}. {labels[i]}</span>
            </span>
            <span className="chip-line chip-figures" data-testid={`run-chip-figures-${i}`}>
              {/* "running" (what the moving curves say) and "finished" beside its verdict are for screen readers only. */}
              <span className={`chip-status${r.status === 'running' || verdict ? ' sr-only' : ''}`} data-testid={`run-chip-status-${i}`}>{r.status}</span>
              {verdict && <span className="verdict" data-testid={`run-chip-verdict-${i}`} title={verdict}>{SHORT_VERDICT[verdict]}</span>}
              <span className="chip-figure">loss {fmt(last?.loss, 3)}</span>
              {acc !== undefined && <span className="chip-figure">acc {fmt(acc, 3)}</span>}
            </span>
          </button>
        );
      })}
    </div>
  );
}

/** Every run's decision regions side by side, as large as the slot allows. */
function StageBoundaries() {
  const experiment = useStore((s) => s.experiment);
  const labels = runLabels(experiment.runs);
  const runs = useStore((s) => s.runs);
  const points = useTrainingPoints();
  return (
    <div className="plot-wrap stage-boundaries" data-testid="stage-boundaries">
      <div className="plot-head"><div className="plot-heading"><span className="plot-title">Decision boundaries</span><span className="plot-subtitle">the training points over each run’s predicted class</span></div></div>
      <div className="boundary-grid">
        {runs.map((r, i) => experiment.runs[i] && (
          <figure key={i} style={{ borderColor: runColor(i) }}>
            <BoundaryCanvas grid={r.boundary} points={points} size={360} />
            <figcaption><span className="swatch" style={{ background: runColor(i) }} /> {i + 1}. {labels[i]}</figcaption>
          </figure>
        ))}
      </div>
    </div>
  );
}
