import { GALLERY_SECTIONS, PRESETS } from '../presets';
import type { Preset } from '../methods/preset';
import { findSpec, labMethod, runLabel } from '../methods/registry';
import type { RunConfig } from '../engine/experiment';
import { encodeExperiment } from '../url/codec';
import { renderFigures } from '../presets/figures';
import { useStore } from '../state/store';

/** What the preset compares: the lab's methods for a landscape preset, else the training runs. */
function presetRuns(p: Preset): string {
  const lab = p.experiment.landscape;
  if (lab?.open) return `landscape lab: ${lab.runs.map((r) => labMethod(r.method)?.label ?? r.method).join(' · ')}`;
  return p.experiment.runs.map(runLabel).join(' · ');
}

/** One run per method of a preset (its first run of that method: the page shows that run's preset values). */
function presetMethods(p: Preset): RunConfig[] {
  const seen = new Set<string>();
  return p.experiment.runs.filter((r) => !seen.has(r.algorithm) && seen.add(r.algorithm) && findSpec(r.algorithm));
}

/** Every preset with its "what to look at" text; each is also a plain link. */
export function PresetGallery({ onClose }: { onClose: () => void }) {
  const loadPreset = useStore((s) => s.loadPreset);
  const setAbout = useStore((s) => s.setAbout);
  const sections = GALLERY_SECTIONS.filter((sec) => PRESETS.some((p) => p.section === sec.id));
  return (
    <div className="overlay" role="dialog" aria-label="presets gallery" data-testid="preset-gallery" onClick={onClose}>
      <div className="overlay-box gallery" onClick={(e) => e.stopPropagation()}>
        <div className="gallery-head">
          <h2>Presets</h2>
          <button onClick={onClose}>close</button>
        </div>
        {sections.map((sec) => (
          <section key={sec.id}>
            <h3>{sec.title}</h3>
            <div className="gallery-grid">
              {PRESETS.filter((p) => p.section === sec.id).map((p) => (
                <article key={p.id} className="preset-card" data-testid={`preset-${p.id}`}>
                  <h4>{p.title}</h4>
                  <p className="preset-runs">{presetRuns(p)}</p>
                  <p>{renderFigures(p.lookFor, p.experiment)}</p>
                  {p.steps?.length ? <p className="preset-runs">lecture: {p.steps.length} steps (presentation mode, ← →)</p> : null}
                  <div className="preset-about">
                    {presetMethods(p).map((run) => (
                      <button key={run.algorithm} className="link" data-testid={`preset-about-${p.id}-${run.algorithm}`}
                        onClick={() => setAbout({ algorithm: run.algorithm, hyper: run.hyper, source: 'defaults' })}>
                        about {findSpec(run.algorithm)?.label ?? run.algorithm}
                      </button>
                    ))}
                  </div>
                  <div className="preset-actions">
                    <button className="primary" onClick={() => { loadPreset(p.id); onClose(); }}>Open</button>
                    <a href={`${window.location.origin}${window.location.pathname}#${encodeExperiment(p.experiment)}`} onClick={(e) => { e.preventDefault(); loadPreset(p.id); onClose(); }}>link</a>
                  </div>
                </article>
              ))}
            </div>
          </section>
        ))}
      </div>
    </div>
  );
}
