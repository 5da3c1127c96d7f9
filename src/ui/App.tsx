import { lazy, Suspense, useState } from 'react';
import { useStore } from '../state/store';
import { LectureCaption } from './LectureCaption';
import { Header, ControlBar } from './Header';
import { HelpOverlay } from './HelpOverlay';
import { Notices } from './Notices';
import { DatasetPanel, NetworkPanel, TrainingPanel } from './panels/ExperimentPanels';
import { RunsPanel } from './panels/RunsPanel';
import { AccuracyPlot, LossPlot } from './plots/LossPlot';
import { RunCards } from './RunCards';
import { ShareBar } from './ShareBar';
import { useShortcuts } from './shortcuts';
import { MethodPanels } from './plots/MethodPanels';
import { LandscapeLab } from './landscape/LandscapeLab';
import { useNarrow } from './narrow/useNarrow';
import { SettingsSection } from './narrow/SettingsSection';
import { ProtocolSection } from './sweeps/ProtocolSection';
import { SeedBands } from './sweeps/SeedBands';
import { Stage } from './Stage';
import { StatusAnnouncer } from './StatusAnnouncer';
import { PresetStory } from './PresetStory';
import { ImageViewsPanel } from './imageViews/ImageViewsPanel';

// The method pages (Markdown, KaTeX and its fonts) load only when an "about" or (i) is opened.
const AboutOverlay = lazy(() => import('./docs/AboutOverlay'));

export function App() {
  const docsOpen = useStore((s) => s.about !== null || s.plotInfo !== null);
  const presentation = useStore((s) => s.presentation);
  const classification = useStore((s) => s.experiment.dataset.kind !== 'glm');
  const lab = useStore((s) => s.experiment.landscape?.open ?? false);
  // Narrow screens (a student's phone opening a shared link) start as a viewer: the curves and run cards, with the
  // settings one tap away ("Edit settings") in sections that open on demand, and the header's actions in a menu.
  const narrow = useNarrow();
  const [editing, setEditing] = useState(false);
  const [menuOpen, setMenuOpen] = useState(false);
  useShortcuts();
  const showSettings = !presentation && (!narrow || editing);
  return (
    <div className={`app${presentation ? ' presentation' : ''}${narrow ? ' narrow' : ''}${menuOpen ? ' menu-open' : ''}`} data-testid="app">
      <Header menuOpen={menuOpen} onToggleMenu={() => setMenuOpen(!menuOpen)} />
      {/* Run, Step, Reset and the iteration count are the training view's: the lab computes its trajectories itself. */}
      {!lab && <ControlBar editing={narrow ? editing : undefined} onToggleEditing={() => setEditing(!editing)} />}
      {/* In the page's flow under the controls, never over a plot. */}
      <Notices />
      <ShareBar lab={lab} />
      <LectureCaption />
      {presentation && !lab && <PresetStory stage />}
      {lab ? <LandscapeLab /> : presentation ? <Stage /> : <div className="layout">
        {showSettings && (
          <aside className="sidebar" data-testid="settings">
            {/* On a desk the story heads the settings it describes, leaving the cards and curves where Run puts them. */}
            {!narrow && <PresetStory />}
            <SettingsSection title="Dataset" folded={narrow}><DatasetPanel /></SettingsSection>
            <SettingsSection title="Network" folded={narrow}><NetworkPanel /></SettingsSection>
            <SettingsSection title="Training & view" folded={narrow}><TrainingPanel /></SettingsSection>
            <SettingsSection title="Runs" folded={narrow}><RunsPanel /></SettingsSection>
          </aside>
        )}
        <main className="main">
          {narrow && <PresetStory folded />}
          <RunCards />
          <div className="plots">
            <LossPlot />
            {classification && <AccuracyPlot />}
          </div>
          <SeedBands />
          <ImageViewsPanel />
          <MethodPanels />
          <ProtocolSection />
        </main>
      </div>}
      <HelpOverlay />
      <StatusAnnouncer />
      {docsOpen && (
        <Suspense fallback={<div className="overlay" data-testid="about-loading"><div className="overlay-box">Loading the page…</div></div>}>
          <AboutOverlay />
        </Suspense>
      )}
    </div>
  );
}
