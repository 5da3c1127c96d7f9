/**
 * The run worker's step loop as a small pure state machine: whether it should keep stepping, and what each
 * control message or loop event changes. trainer.worker.ts holds one LoopState and performs the effects
 * (posting the status, starting the loop); the rules are here, unit-tested without a worker.
 */
export interface LoopState {
  /** Free-running (Run pressed), as opposed to paused. */
  running: boolean;
  /** Single steps still owed to 'step' messages (they run even while paused). */
  stepsRequested: number;
  /** A terminal status was reached or 'stop' arrived: no step is ever taken again. */
  stopped: boolean;
}

export type LoopEvent =
  /** The network is ready; autoRun starts free-running. */
  | { type: 'ready'; autoRun: boolean }
  | { type: 'pause' }
  | { type: 'resume' }
  | { type: 'step'; count: number }
  | { type: 'stop' }
  /** The loop took one step. */
  | { type: 'stepped' }
  /** The run reached an event it pauses at (experiment.pauseOn): stop stepping, owed steps dropped. */
  | { type: 'halt' }
  /** finished / diverged / error: terminal. */
  | { type: 'ended' };

export interface LoopTransition {
  state: LoopState;
  /** Status to report now, if the event changes what the UI should show. */
  report?: 'running' | 'paused' | 'stopped';
  /** Whether the loop should be (re)started. */
  startLoop: boolean;
}

export const INITIAL_LOOP: LoopState = { running: false, stepsRequested: 0, stopped: false };

/** The loop keeps stepping while this holds. */
export function wantsStep(s: LoopState): boolean {
  return !s.stopped && (s.running || s.stepsRequested > 0);
}

export function nextLoop(s: LoopState, e: LoopEvent): LoopTransition {
  switch (e.type) {
    case 'ready': {
      const state = { ...s, running: e.autoRun };
      // Steps may have been requested while the backend and data were loading.
      return { state, report: e.autoRun ? 'running' : 'paused', startLoop: wantsStep(state) };
    }
    case 'pause':
      // The loop notices on its next check, flushes and reports 'paused' itself.
      return { state: { ...s, running: false }, startLoop: false };
    case 'resume':
      if (s.stopped) return { state: s, startLoop: false };
      return { state: { ...s, running: true }, report: 'running', startLoop: true };
    case 'step':
      if (s.stopped) return { state: s, startLoop: false };
      return { state: { ...s, stepsRequested: s.stepsRequested + Math.max(1, Math.floor(e.count)) }, startLoop: true };
    case 'stop':
      return { state: { running: false, stepsRequested: 0, stopped: true }, report: 'stopped', startLoop: false };
    case 'stepped':
      return { state: { ...s, stepsRequested: Math.max(0, s.stepsRequested - 1) }, startLoop: false };
    case 'halt':
      return { state: { ...s, running: false, stepsRequested: 0 }, startLoop: false };
    case 'ended':
      return { state: { running: false, stepsRequested: 0, stopped: true }, startLoop: false };
  }
}
