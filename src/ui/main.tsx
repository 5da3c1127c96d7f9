import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { useStore } from '../state/store';
import { useSweeps } from '../state/sweeps';
import { autoBackend } from '../state/backendChoice';
import { loadFromUrl, startUrlSync } from './urlSync';
import './styles.css';
import './narrow/narrow.css';

// Tests and curious users can read the live state from the console: window.__playground.store.getState().
(window as unknown as { __playground: unknown }).__playground = { store: useStore, sweeps: useSweeps };
loadFromUrl();
startUrlSync();
// Probe the backends while the user reads the page, so that pressing Run starts at once (the answer is
// remembered; later visits skip the probe).
if (useStore.getState().experiment.training.backend === 'auto') void autoBackend();
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
