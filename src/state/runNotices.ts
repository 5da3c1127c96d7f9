import type { ProbeState } from './backendChoice';
import type { RunView } from './runReducer';

/**
 * Which backend notices to say once and which on a run's card. A notice every started run carries (e.g. "webgpu is
 * not available in this browser", from the same backend choice) is about the page, not a run, when two or more runs
 * carry it: repeated on every
 * card it reads as if each run had its own problem (issue 31), so the control bar says it once. A notice only some
 * runs carry (a backend lost mid-run) stays on those runs' cards.
 */
export function splitNotices(runs: readonly Pick<RunView, 'notices' | 'status'>[]): { shared: string[]; own: string[][] } {
  const started = runs.filter((r) => r.status !== 'idle');
  // One run's notice is that run's, even if it is the only run: it stays on its card (where the robustness checks and
  // the reader look for why a run fell back).
  const shared = started.length >= 2 ? started[0].notices.filter((n, k, all) => all.indexOf(n) === k && started.every((r) => r.notices.includes(n))) : [];
  return { shared, own: runs.map((r) => r.notices.filter((n) => !shared.includes(n))) };
}

/**
 * Whether a run's card says "auto · probe still running": only while it is true — the run started before the probe
 * answered, is still live, and the probe has not answered yet. A finished run, or an answered probe, makes it over
 * (issue 31: finished cards still said it).
 */
export function probePending(run: Pick<RunView, 'backend' | 'backendSource' | 'status'>, probe: Pick<ProbeState, 'status'>): boolean {
  const live = run.status === 'starting' || run.status === 'running' || run.status === 'paused';
  return !!run.backend && run.backendSource === 'before probe' && live && probe.status !== 'done';
}
