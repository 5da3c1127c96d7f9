import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { useStore } from '../state/store';
import { scheduleProbe } from '../state/backendChoice';
import { loadFromUrl, startUrlSync } from './urlSync';
import { redraws } from './plots/redrawScheduler';
import { installTestGate } from './testGate';
import { startServiceWorker } from './serviceWorker';
import { UpdateNotice } from './UpdateNotice';
import { EmbedView } from './EmbedView';
import { EMBED_PARAM, isEmbedHash } from './embed';
import './styles.css';
import './narrow/narrow.css';

// Tests and curious users can read the live state from the console: window.__playground.store.getState();
// benchmarks read what each chart redraw cost from window.__playground.redraws.costs.
(window as unknown as { __playground: unknown }).__playground = { store: useStore, redraws };
// Test build only (compiled out of the production build): the gate e2e tests hold runs with (testGate.ts).
if (import.meta.env.VITE_TEST_HOOKS === 'on') installTestGate();
// `&embed=1`: the chrome-less view for an iframe (embed.ts); read before the URL sync rewrites the address.
const embedded = isEmbedHash(window.location.hash);
loadFromUrl();
startUrlSync({ keepInHash: embedded ? EMBED_PARAM : undefined });
// Probe the backends in the background shortly after the page opens (the answer is remembered; later visits skip
// the probe). Runs started before it answers do not wait: they train on the first-visit backend.
if (useStore.getState().experiment.training.backend === 'auto') scheduleProbe();
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    {embedded ? <EmbedView /> : <App />}
    <UpdateNotice />
  </StrictMode>,
);
// Spare run workers load TF.js while the visitor reads the page, after the first paint (not competing with it).
requestAnimationFrame(() => setTimeout(() => useStore.getState().prewarmWorkers(), 0));
// The offline service worker (vite.config.ts) registers after the page has loaded, so its precaching (about 30 MB)
// never competes with the first visit's first paint.
window.addEventListener('load', () => startServiceWorker());
