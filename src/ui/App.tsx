import { lazy, Suspense } from 'react';
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
import { ProtocolSection } from './sweeps/ProtocolSection';

// The method pages (Markdown, KaTeX and its fonts) load only when an "about" or (i) is opened.
const AboutOverlay = lazy(() => import('./docs/AboutOverlay'));

export function App() {
  const docsOpen = useStore((s) => s.about !== null || s.plotInfo !== null);
  const presentation = useStore((s) => s.presentation);
  const classification = useStore((s) => s.experiment.dataset.kind !== 'glm');
  const lab = useStore((s) => s.experiment.landscape?.open ?? false);
  useShortcuts();
  return (
    <div className={`app${presentation ? ' presentation' : ''}`} data-testid="app">
      <Header />
      <Notices />
      <ControlBar />
      <ShareBar />
      <LectureCaption />
      {lab ? <LandscapeLab /> : <div className="layout">
        {!presentation && (
          <aside className="sidebar">
            <DatasetPanel />
            <NetworkPanel />
            <TrainingPanel />
            <RunsPanel />
          </aside>
        )}
        <main className="main">
          <RunCards />
          <div className="plots">
            <LossPlot />
            {classification && <AccuracyPlot />}
          </div>
          <MethodPanels />
          <ProtocolSection />
        </main>
      </div>}
      <HelpOverlay />
      {docsOpen && (
        <Suspense fallback={<div className="overlay" data-testid="about-loading"><div className="overlay-box">Loading the page…</div></div>}>
          <AboutOverlay />
        </Suspense>
      )}
    </div>
  );
}
