import { useStore } from '../state/store';
import { ControlBar } from './Header';
import { fullPageLink } from './embed';
import { Stage } from './Stage';
import { useShortcuts } from './shortcuts';
import { currentUrl } from './urlSync';

/**
 * The experiment inside an iframe (a slide, a course page): the run controls, the run chips and the stage's two plots
 * (the loss beside the accuracy, the boundaries or a method's diagnostic), sized to the frame with no scrollbars, and
 * a link that opens the whole playground on the same experiment. Opened by `&embed=1` in the link (embed.ts).
 */
export function EmbedView() {
  const experiment = useStore((s) => s.experiment);
  useShortcuts();
  return (
    <div className="app embed" data-testid="embed">
      <div className="embed-bar">
        <ControlBar />
        <span className="embed-title" title={experiment.title}>{experiment.title}</span>
        <a className="embed-open" href={fullPageLink(currentUrl(experiment))} target="_blank" rel="noopener" data-testid="embed-open">
          Open in the playground ↗
        </a>
      </div>
      <Stage />
    </div>
  );
}
