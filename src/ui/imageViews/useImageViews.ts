import { useCallback, useEffect, useRef, useState } from 'react';
import type { ImageViews } from '../../engine/imageViews';
import { useStore } from '../../state/store';

/**
 * The image views of run `runIdx` with test image `image`'s feature maps, fetched from the run's worker about once a
 * second while it trains (as often as the decision boundaries refresh), and once more whenever the run, the image
 * or the iteration changes while it is paused or finished.
 */
const REFRESH_MS = 1000;

export interface ShownViews {
  key: string;
  views: ImageViews | null;
  error?: string;
}

export function useImageViews(runIdx: number, image: number): { shown: ShownViews | null; status: string } {
  const key = `${runIdx}/${image}`;
  const status = useStore((s) => s.runs[runIdx]?.status ?? 'idle');
  const lastIteration = useStore((s) => {
    const pts = s.runs[runIdx]?.points;
    return pts && pts.length ? pts[pts.length - 1].iteration : 0;
  });
  const [shown, setShown] = useState<ShownViews | null>(null);
  const inFlight = useRef(false);
  const latest = useRef({ key, status, lastIteration, shown });
  latest.current = { key, status, lastIteration, shown };

  const fetchViews = useCallback(async () => {
    const cur = latest.current;
    if (inFlight.current || runIdx < 0) return;
    // 'starting': the worker may have no network yet; 'error'/'stopped': it has none any more.
    if (cur.status !== 'running' && cur.status !== 'paused' && cur.status !== 'finished' && cur.status !== 'diverged') return;
    const stale = !cur.shown || cur.shown.key !== cur.key || cur.shown.views?.iteration !== cur.lastIteration;
    if (cur.status !== 'running' && !stale) return;
    inFlight.current = true;
    try {
      const reply = await useStore.getState().requestImageViews(runIdx, image);
      if (reply && latest.current.key === key) setShown({ key, views: reply.views, error: reply.error });
    } finally {
      inFlight.current = false;
    }
  }, [runIdx, image, key]);

  useEffect(() => {
    void fetchViews();
    const t = setInterval(() => void fetchViews(), REFRESH_MS);
    return () => clearInterval(t);
  }, [fetchViews]);
  // A paused run stepped on (Step): fetch the new state now rather than at the next tick.
  useEffect(() => {
    if (status !== 'running') void fetchViews();
  }, [status, lastIteration, fetchViews]);
  // A fresh comparison (reset, new experiment) drops the old pictures.
  useEffect(() => {
    if (status === 'idle') setShown(null);
  }, [status]);
  return { shown, status };
}
