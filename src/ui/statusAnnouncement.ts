import type { RunStatus } from '../workers/protocol';

/**
 * What a screen reader hears when runs change status: one sentence per change worth saying (a comparison started,
 * paused, or a run ended), never one per metric update. Pure, so it is tested without a page.
 */
export interface RunView {
  label: string;
  status: RunStatus | 'idle';
  message?: string;
}

const ENDED: Partial<Record<RunView['status'], string>> = { finished: 'finished', diverged: 'diverged', error: 'stopped with an error', stopped: 'stopped' };

export function statusAnnouncement(before: RunView[], after: RunView[]): string | null {
  const was = (i: number) => before[i]?.status ?? 'idle';
  const live = (s: RunView['status']) => s === 'running' || s === 'starting';
  const parts: string[] = [];
  if (!before.some((r) => live(r.status)) && after.some((r) => live(r.status))) parts.push('Training started.');
  if (before.some((r) => live(r.status)) && after.length > 0 && after.every((r) => r.status === 'paused' || ENDED[r.status] !== undefined) && after.some((r) => r.status === 'paused'))
    parts.push('Paused.');
  after.forEach((r, i) => {
    const ended = ENDED[r.status];
    if (ended && was(i) !== r.status) parts.push(`Run ${i + 1}, ${r.label}: ${ended}${r.message ? ` (${r.message})` : ''}.`);
  });
  return parts.length ? parts.join(' ') : null;
}
