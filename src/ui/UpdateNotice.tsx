import { useEffect, useState } from 'react';
import { applyUpdate, offlineState, onOfflineState } from './serviceWorker';

/**
 * Says when a new version of the playground is ready (the service worker installed a newer build) and reloads
 * into it on request; never switches by itself. Announced politely to screen readers.
 */
export function UpdateNotice() {
  const [state, setState] = useState(offlineState);
  useEffect(() => onOfflineState(setState), []);
  if (!state.updateReady) return null;
  return (
    <div className="update-notice" role="status" aria-live="polite" data-testid="update-notice">
      <span>A new version of the playground is ready.</span>
      <button type="button" data-testid="update-reload" onClick={applyUpdate}>
        Reload
      </button>
    </div>
  );
}
