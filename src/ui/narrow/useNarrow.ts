import { useSyncExternalStore } from 'react';

/**
 * Narrow screens: phones in either orientation and tablets in portrait. A landscape phone is wide (≈ 850 px) but
 * only ≈ 360 px tall, so height counts too: below 520 px of height there is no room for the desktop's sidebar and
 * header rows above the curves. The same query is in narrow.css; keep the two in step.
 */
export const NARROW_QUERY = '(max-width: 900px), (max-height: 520px)';

function subscribe(onChange: () => void): () => void {
  const mq = window.matchMedia(NARROW_QUERY);
  mq.addEventListener('change', onChange);
  return () => mq.removeEventListener('change', onChange);
}

export function useNarrow(): boolean {
  return useSyncExternalStore(subscribe, () => window.matchMedia(NARROW_QUERY).matches, () => false);
}

/** True on devices whose only pointer is coarse (phones, tablets without a mouse): touch is all there is. */
export function hasOnlyCoarsePointer(): boolean {
  return typeof window !== 'undefined' && window.matchMedia('(pointer: coarse)').matches && !window.matchMedia('(any-pointer: fine)').matches;
}
