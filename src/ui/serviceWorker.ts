import { registerSW } from 'virtual:pwa-register';

/**
 * The offline service worker (vite.config.ts): registered once the page has loaded. When a new build has been
 * installed beside the running one, `onUpdate` hears of it and the page offers a reload (UpdateNotice.tsx); the
 * new version takes over only when the user accepts, so an open lecture never switches code mid-run.
 */
type Listener = (state: OfflineState) => void;

export interface OfflineState {
  /** Every file the app needs is cached: it opens and trains with the network off. */
  offlineReady: boolean;
  /** A newer build is installed and waits for the page to reload. */
  updateReady: boolean;
}

let state: OfflineState = { offlineReady: false, updateReady: false };
const listeners = new Set<Listener>();
let update: ((reload?: boolean) => Promise<void>) | null = null;

function set(next: Partial<OfflineState>): void {
  state = { ...state, ...next };
  for (const l of listeners) l(state);
}

export function offlineState(): OfflineState {
  return state;
}

export function onOfflineState(l: Listener): () => void {
  listeners.add(l);
  return () => listeners.delete(l);
}

/** Reload into the waiting version. */
export function applyUpdate(): void {
  void update?.(true);
}

export function startServiceWorker(): void {
  if (!('serviceWorker' in navigator)) return;
  update = registerSW({
    immediate: false,
    onOfflineReady: () => set({ offlineReady: true }),
    onNeedRefresh: () => set({ updateReady: true }),
    // Look for a new build once an hour while a page stays open (a lecture left running), and whenever the page
    // becomes visible again (a student coming back to the tab).
    onRegisteredSW(_url, registration) {
      if (!registration) return;
      setInterval(() => void registration.update(), 60 * 60 * 1000);
      document.addEventListener('visibilitychange', () => {
        if (document.visibilityState === 'visible') void registration.update();
      });
    },
  });
}
