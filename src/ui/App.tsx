import { useStore } from '../state/store';
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

export function App() {
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
    </div>
  );
}
