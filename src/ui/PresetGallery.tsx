import { GALLERY_SECTIONS, PRESETS } from '../presets';
import type { Preset } from '../methods/preset';
import { labMethod, runLabel } from '../methods/registry';
import { encodeExperiment } from '../url/codec';
import { useStore } from '../state/store';

/** What the preset compares: the lab's methods for a landscape preset, else the training runs. */
function presetRuns(p: Preset): string {
  const lab = p.experiment.landscape;
  if (lab?.open) return `landscape lab: ${lab.runs.map((r) => labMethod(r.method)?.label ?? r.method).join(' · ')}`;
  return p.experiment.runs.map(runLabel).join(' · ');
}

/** Every preset with its "what to look at" text; each is also a plain link. */
export function PresetGallery({ onClose }: { onClose: () => void }) {
  const loadPreset = useStore((s) => s.loadPreset);
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
                  <p>{p.lookFor}</p>
                  <div className="preset-actions">
                    <button className="primary" onClick={() => { loadPreset(p.id); onClose(); }}>Open</button>
                    <a href={`#${encodeExperiment(p.experiment)}`} onClick={(e) => { e.preventDefault(); loadPreset(p.id); onClose(); }}>link</a>
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
