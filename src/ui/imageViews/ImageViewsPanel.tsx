import { useState, type ReactNode } from 'react';
import { isImageDataset } from '../../engine/imageClasses';
import { runLabels } from '../../methods/runLabels';
import { useStore } from '../../state/store';
import { runColor } from '../plots/colors';
import { ConfusionMatrix } from './ConfusionMatrix';
import { FeatureMaps } from './FeatureMaps';
import { FilterGrid } from './FilterGrid';
import { MisclassifiedGrid } from './MisclassifiedGrid';
import { useImageViews, type ShownViews } from './useImageViews';
import './imageViews.css';

/**
 * What a lecture shows of a network trained on images (MNIST, Fashion-MNIST), live: the confusion matrix, the test
 * images it gets wrong, the first layer's weights as pictures and one test image's way through every layer. Under
 * the curves on the page; on the stage (presentation mode) as four choices of the second slot, each sized to a slot.
 */
export type StagePart = 'confusion' | 'mistakes' | 'filters' | 'features';
/** The stage's choices, one view each (two views do not fit one slot at 1280×720), in the order D reaches them. */
export const STAGE_PARTS: Record<StagePart, { id: string; title: string }> = {
  confusion: { id: 'image-confusion', title: 'Confusion matrix on the test images' },
  mistakes: { id: 'image-mistakes', title: 'Test images classified wrong' },
  filters: { id: 'image-filters', title: 'First-layer weights as images' },
  features: { id: 'image-features', title: 'One test image through the layers' },
};

/**
 * The run and the test image last chosen, kept across remounts: the stage mounts one part at a time (D cycles), and
 * the page mounts the whole panel again when presentation mode ends.
 */
const lastChoice = { run: 0, image: 0 };

function useChoice() {
  const experiment = useStore((s) => s.experiment);
  const [choice, setChoice] = useState(lastChoice);
  const update = (next: { run: number; image: number }) => {
    Object.assign(lastChoice, next);
    setChoice({ ...next });
  };
  const run = Math.min(choice.run, experiment.runs.length - 1);
  const image = Math.max(0, Math.min(choice.image, experiment.dataset.testSize - 1));
  return { experiment, run, image, setRun: (r: number) => update({ run: r, image }), setImage: (i: number) => update({ run, image: i }) };
}

function RunChooser({ run, onChange }: { run: number; onChange: (r: number) => void }) {
  const runs = useStore((s) => s.experiment.runs);
  const labels = runLabels(runs);
  if (runs.length < 2) return null;
  return (
    <label className="image-run-chooser">
      <span className="swatch" style={{ background: runColor(run) }} /> run{' '}
      <select value={run} onChange={(e) => onChange(Number(e.target.value))} data-testid="image-views-run">
        {labels.map((l, i) => (
          <option key={i} value={i}>{i + 1}. {l}</option>
        ))}
      </select>
    </label>
  );
}

/** Why there is nothing to draw yet, in the place of the pictures. */
function waiting(shown: ShownViews | null, status: string): string {
  if (shown?.error) return shown.error;
  if (shown && !shown.views) return 'This run has no finite weights to draw.';
  return status === 'idle' ? 'Press Run or Step: the pictures appear with the first iteration and follow the training.' : 'Waiting for the run…';
}

function Card({ title, subtitle, testId, children }: { title: string; subtitle?: string; testId: string; children: ReactNode }) {
  return (
    <section className="image-view-card" data-testid={testId}>
      <h3>{title}</h3>
      {subtitle && <p className="image-view-subtitle">{subtitle}</p>}
      {children}
    </section>
  );
}

/** The page's panel under the curves (null on datasets that are not images). */
export function ImageViewsPanel() {
  const { experiment, run, image, setRun, setImage } = useChoice();
  const images = isImageDataset(experiment.dataset);
  const { shown, status } = useImageViews(images ? run : -1, image);
  if (!images) return null;
  const views = shown?.views ?? null;
  return (
    <section className="panel image-views" data-testid="image-views" aria-labelledby="image-views-title" data-iteration={views?.iteration ?? ''}>
      <div className="image-views-head">
        <h2 id="image-views-title">What the network sees</h2>
        <RunChooser run={run} onChange={setRun} />
        {views && <span className="image-views-iteration">iteration {views.iteration}</span>}
      </div>
      {!views ? (
        <p className="image-view-note" data-testid="image-views-waiting">{waiting(shown, status)}</p>
      ) : (
        <div className="image-view-cards">
          <Card title="Confusion matrix" testId="image-views-confusion">
            <ConfusionMatrix confusion={views.confusion} classNames={views.classNames} testCount={views.testCount} />
          </Card>
          <Card title="Test images classified wrong" testId="image-views-mistakes">
            <MisclassifiedGrid views={views} chosen={image} onChoose={setImage} />
          </Card>
          <Card title={views.filters.kind === 'conv' ? 'First-layer filters' : 'First-layer weights as images'} testId="image-views-filters">
            <FilterGrid filters={views.filters} />
          </Card>
          <Card title="One test image through the layers" testId="image-views-features">
            <FeatureMaps views={views} chosen={image} onChoose={setImage} />
          </Card>
        </div>
      )}
    </section>
  );
}

/** One of the views filling a stage slot, its pictures and type sized to the slot (imageViews.css). */
export function StageImageViews({ part }: { part: StagePart }) {
  const { run, image, setRun, setImage } = useChoice();
  const { shown, status } = useImageViews(run, image);
  const views = shown?.views ?? null;
  return (
    <div className="plot-wrap stage-image-views" data-testid={`stage-${STAGE_PARTS[part].id}`}>
      <div className="plot-head">
        <div className="plot-heading">
          <span className="plot-title">{STAGE_PARTS[part].title}</span>
          <RunChooser run={run} onChange={setRun} />
          {views && <span className="plot-subtitle">iteration {views.iteration}</span>}
        </div>
      </div>
      <div className={`stage-image-part stage-${part}`}>
        {!views ? (
          <p className="image-view-note">{waiting(shown, status)}</p>
        ) : part === 'confusion' ? (
          <ConfusionMatrix confusion={views.confusion} classNames={views.classNames} testCount={views.testCount} />
        ) : part === 'mistakes' ? (
          <MisclassifiedGrid views={views} chosen={image} onChoose={setImage} />
        ) : part === 'filters' ? (
          <FilterGrid filters={views.filters} />
        ) : (
          <FeatureMaps views={views} chosen={image} onChoose={setImage} />
        )}
      </div>
    </div>
  );
}
