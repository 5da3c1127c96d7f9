import { findPreset } from '../presets';
import { presetFor } from '../url/presetFor';
import { renderFigures } from '../presets/figures';
import { useStore } from '../state/store';

/**
 * The preset's story where the experiment is worked on (issue 31: it lived only in the Gallery): what to look at,
 * with its measured figures, and its lecture steps — on the working page (open at the head of the settings,
 * collapsible), on a phone opened from
 * the link (folded to its title line there, so that Run and the curves stay on the first screen), and folded in
 * presentation mode (the current step is the lecture caption there). Shown while
 * the experiment is the preset (url/presetFor.ts); once it is edited away, the figures no longer describe it,
 * so the panel says only "edited from preset X" and offers the preset again.
 */
export function PresetStory({ stage = false, folded = stage }: { stage?: boolean; folded?: boolean }) {
  const experiment = useStore((s) => s.experiment);
  const origin = useStore((s) => s.presetOrigin);
  const loadPreset = useStore((s) => s.loadPreset);
  const preset = presetFor(experiment);
  if (!preset) {
    const from = origin ? findPreset(origin) : undefined;
    if (!from) return null;
    return (
      <section className={`preset-story edited${stage ? ' on-stage' : ''}`} data-testid="preset-story" data-state="edited">
        <p data-testid="preset-story-edited">
          Edited from preset <strong>“{from.title}”</strong>: its text and measured figures describe the preset, not this experiment.{' '}
          <button className="link" data-testid="preset-story-reload" onClick={() => loadPreset(from.id)}>Load the preset again</button>
        </p>
      </section>
    );
  }
  const steps = preset.steps ?? [];
  return (
    <section className={`preset-story${stage ? ' on-stage' : ''}`} data-testid="preset-story" data-state="preset">
      {/* key: a newly loaded preset opens (on the desk) or folds (on the stage and phones) again. */}
      <details key={preset.id} open={!folded} data-testid="preset-story-details">
        <summary>
          <span className="preset-story-kind">Preset</span> <strong data-testid="preset-story-title">{preset.title}</strong>
          <span className="preset-story-hint"> — what to look at</span>
        </summary>
        <p className="preset-story-text" data-testid="preset-story-text">{renderFigures(preset.lookFor, preset.experiment)}</p>
        {steps.length > 0 && !stage && (
          // Folded under the text: the steps are for the lecture (presentation mode shows one at a time).
          <details className="preset-story-steps" data-testid="preset-story-steps-details">
            <summary><span className="preset-story-kind">Lecture steps</span> ({steps.length}) <span className="muted">— presentation mode shows one at a time, ← →</span></summary>
            <ol data-testid="preset-story-steps">
              {steps.map((st, k) => <li key={k}>{st.text}</li>)}
            </ol>
          </details>
        )}
      </details>
    </section>
  );
}
