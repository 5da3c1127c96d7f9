import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { useStore } from '../state/store';
import { loadFromUrl, startUrlSync } from './urlSync';
import './styles.css';

// Tests and curious users can read the live state from the console: window.__playground.store.getState().
(window as unknown as { __playground: unknown }).__playground = { store: useStore };
loadFromUrl();
startUrlSync();
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
