import { useEffect, useRef, useState } from 'react';
import { runLabels } from '../methods/runLabels';
import { useStore } from '../state/store';
import { statusAnnouncement, type RunView } from './statusAnnouncement';

/**
 * A polite live region (visually hidden) that tells screen-reader users when training starts, pauses or a run ends
 * (statusAnnouncement.ts): the curves and cards change many times a second, the announcements only on such events.
 */
export function StatusAnnouncer() {
  const experiment = useStore((s) => s.experiment);
  const statuses = useStore((s) => s.runs.map((r) => `${r.status}|${r.message ?? ''}`).join('\n'));
  const previous = useRef<RunView[]>([]);
  const [text, setText] = useState('');
  useEffect(() => {
    const labels = runLabels(experiment.runs);
    const now: RunView[] = statuses.split('\n').filter(Boolean).map((line, i) => {
      const [status, message] = line.split('|');
      return { label: labels[i] ?? `run ${i + 1}`, status: status as RunView['status'], message: message || undefined };
    });
    const said = statusAnnouncement(previous.current, now);
    previous.current = now;
    if (said) setText(said);
  }, [statuses, experiment.runs]);
  return (
    <div className="sr-only" role="status" aria-live="polite" data-testid="status-announcer">
      {text}
    </div>
  );
}
