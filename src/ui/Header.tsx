import { useState } from 'react';
import { PRESETS } from '../presets';
import { PresetGallery } from './PresetGallery';
import { useStore } from '../state/store';
import { currentUrl } from './urlSync';
import { download, slug } from './download';
import { experimentFileJson } from '../io/experimentJson';
import { LINK_SHARE_LIMIT } from '../url/linkLimits';
import { deviceBudget, estimateMemory, type MemoryEstimate } from './narrow/deviceBudget';
import { BudgetDialog } from './narrow/BudgetDialog';
import { splitNotices } from '../state/runNotices';
import { draftLines, useDrafts } from '../state/drafts';

/** The header. On narrow screens its actions (and the share bar) fold into a menu behind one button. */
export function Header({ menuOpen = false, onToggleMenu }: { menuOpen?: boolean; onToggleMenu?: () => void }) {
  const [galleryOpen, setGalleryOpen] = useState(false);
  const title = useStore((s) => s.experiment.title);
  const lab = useStore((s) => s.experiment.landscape?.open ?? false);
  const presentation = useStore((s) => s.presentation);
  const setPresentation = useStore((s) => s.setPresentation);
  const setHelp = useStore((s) => s.setHelp);
  const loadPreset = useStore((s) => s.loadPreset);
  const notify = useStore((s) => s.notify);
  const setLabOpen = useStore((s) => s.setLabOpen);
  const [longLink, setLongLink] = useState<string | null>(null);
  const copy = async (url: string) => {
    try {
      await navigator.clipboard.writeText(url);
      notify('info', 'Link copied: it holds the whole experiment.');
    } catch {
      notify('info', `Copy this link: ${url}`);
    }
  };
  const copyLink = async () => {
    const url = currentUrl(useStore.getState().experiment);
    // Longer than chat tools, e-mail and QR codes carry (linkLimits.ts): say so, and offer the file instead.
    if (url.length > LINK_SHARE_LIMIT) setLongLink(url);
    else await copy(url);
  };
  return (
    <header className="app-header">
      <h1>Optimizer Playground</h1>
      <TitleField title={title} />
      <button className="menu-button" onClick={onToggleMenu} aria-expanded={menuOpen} aria-controls="header-actions" data-testid="menu-button">
        {menuOpen ? '✕ Close' : '☰ Menu'}
      </button>
      <div className="header-actions" id="header-actions">
        <select aria-label="presets" data-testid="preset-select" value="" onChange={(e) => e.target.value && loadPreset(e.target.value)}>
          <option value="">Presets…</option>
          {PRESETS.map((p) => (
            <option key={p.id} value={p.id}>{p.title}</option>
          ))}
        </select>
        <button onClick={() => setGalleryOpen(true)} data-testid="gallery-button">Gallery</button>
        <button onClick={copyLink} data-testid="copy-link">Copy link</button>
        <button onClick={() => setLabOpen(!lab)} data-testid="lab-toggle" aria-pressed={lab}>{lab ? 'Training view' : 'Landscape lab'}</button>
        <button onClick={() => setPresentation(!presentation)} data-testid="presentation-toggle" aria-pressed={presentation}>
          {presentation ? 'Exit presentation' : 'Present'}
        </button>
        <button onClick={() => setHelp(true)} aria-label="help" data-testid="help-button">?</button>
      </div>
      {galleryOpen && <PresetGallery onClose={() => setGalleryOpen(false)} />}
      {longLink && (
        <div className="overlay" role="dialog" aria-label="The link is long" onClick={() => setLongLink(null)} data-testid="long-link-dialog">
          <div className="overlay-box" onClick={(e) => e.stopPropagation()}>
            <h2>This link is {longLink.length.toLocaleString('en')} characters long</h2>
            <p>
              Links longer than {LINK_SHARE_LIMIT.toLocaleString('en')} characters are often cut by chat tools and e-mail, and do not fit a QR
              code; this one is long because it carries the imported dataset. Share the experiment file instead: opening it with
              Import → JSON gives exactly this experiment.
            </p>
            <div className="dialog-actions">
              <button className="primary" data-testid="long-link-file" onClick={() => {
                const e = useStore.getState().experiment;
                download(`${slug(e.title)}.json`, experimentFileJson(e), 'application/json');
                setLongLink(null);
              }}>Download the experiment file</button>
              <button data-testid="long-link-copy" onClick={() => { void copy(longLink); setLongLink(null); }}>Copy the long link anyway</button>
              <button onClick={() => setLongLink(null)}>Cancel</button>
            </div>
          </div>
        </div>
      )}
    </header>
  );
}

/**
 * Run, Step, Reset and what is running. `editing` is defined on narrow screens only, where the settings are hidden
 * until "Edit settings" is pressed. Before a run starts on a small device, an experiment over the device's memory
 * budget asks first (see deviceBudget.ts for the budget and how it was chosen).
 */
export function ControlBar({ editing, onToggleEditing }: { editing?: boolean; onToggleEditing?: () => void } = {}) {
  const runs = useStore((s) => s.runs);
  const experiment = useStore((s) => s.experiment);
  const [overBudget, setOverBudget] = useState<MemoryEstimate | null>(null);
  // Fields whose text is not applied: Run would train with the previous values, so it waits until each is fixed or
  // restored (Escape in the field), and the notice names them.
  const unapplied = draftLines(useDrafts((d) => d.drafts));
  const s = useStore.getState();
  const running = runs.some((r) => r.status === 'running' || r.status === 'starting');
  const maxIt = Math.max(0, ...runs.map((r) => r.points[r.points.length - 1]?.iteration ?? 0));
  const backends = Array.from(new Set(runs.map((r) => r.backend).filter(Boolean)));
  // What every run was told about its backend (e.g. "webgpu is not available in this browser"), said once here.
  const sharedNotices = splitNotices(runs).shared;
  return (
    <section className="control-bar" aria-label="Run controls">
      {running ? (
        <button className="primary" onClick={() => s.pause()} data-testid="pause">❚❚ Pause</button>
      ) : (
        <button className="primary" data-testid="run" disabled={unapplied.length > 0}
          title={unapplied.length ? 'Fix or restore (Escape) the settings that are not applied first' : undefined} onClick={() => {
          const estimate = estimateMemory(experiment);
          // Only a fresh start asks: resuming a paused comparison has already been accepted.
          const fresh = runs.every((r) => r.points.length === 0);
          if (fresh && estimate.bytes > deviceBudget().bytes) setOverBudget(estimate);
          else void useStore.getState().runComparison();
        }}>▶ Run</button>
      )}
      <button onClick={() => void s.step(1)} data-testid="step" disabled={unapplied.length > 0 && !running}>Step</button>
      {unapplied.length > 0 && (
        <span className="unapplied-notice" role="alert" data-testid="unapplied-notice">
          Not applied, Run would use the previous value — {unapplied.map((line, k) => <span key={k} className="unapplied-field" data-testid="unapplied-field">{line}</span>)}
          <span className="muted"> (Esc in the field restores it)</span>
        </span>
      )}
      <button onClick={() => s.reset()} data-testid="reset">Reset</button>
      <span className="iteration" data-testid="iteration">iteration {maxIt}</span>
      <span className="backend" data-testid="backend-in-use">backend: {backends.length ? backends.join(', ') : '—'}</span>
      {sharedNotices.length > 0 && <span className="backend-notices" data-testid="backend-notices" title="Said once for every run">{sharedNotices.join(' · ')}</span>}
      {editing !== undefined && (
        <button className="edit-toggle" onClick={onToggleEditing} aria-expanded={editing} data-testid="edit-settings">
          {editing ? 'Hide settings' : '✎ Settings'}
        </button>
      )}
      {overBudget && (
        <BudgetDialog estimate={overBudget} onCancel={() => setOverBudget(null)} onRun={() => { setOverBudget(null); void useStore.getState().runComparison(); }} />
      )}
    </section>
  );
}

/**
 * The experiment's title: it follows the experiment (its methods and data) until the user writes their own here;
 * clearing it lets it follow again. Click to edit; Enter or leaving the field applies it.
 */
function TitleField({ title }: { title: string }) {
  const setTitle = useStore((s) => s.setTitle);
  const [editing, setEditing] = useState<string | null>(null);
  if (editing === null)
    return (
      <button className="experiment-title" data-testid="experiment-title" title="Click to rename the experiment (kept in the link and the export file names)" onClick={() => setEditing(title)}>
        {title}
      </button>
    );
  const commit = () => { if (editing !== title) setTitle(editing); setEditing(null); };
  return (
    <input className="experiment-title-input" aria-label="experiment title" data-testid="experiment-title-input" autoFocus value={editing} maxLength={120}
      onChange={(e) => setEditing(e.target.value)} onBlur={commit}
      onKeyDown={(e) => { if (e.key === 'Enter') commit(); else if (e.key === 'Escape') setEditing(null); }} />
  );
}
