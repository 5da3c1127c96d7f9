import { describe, expect, it } from 'vitest';
import { INITIAL_LOOP, nextLoop, wantsStep, type LoopEvent, type LoopState } from './loopState';

const run = (events: LoopEvent[], from: LoopState = INITIAL_LOOP) => events.reduce((s, e) => nextLoop(s, e).state, from);

describe('worker loop state machine', () => {
  it('a paused start waits; Run starts the loop and reports running; Pause stops stepping without a report of its own', () => {
    const ready = nextLoop(INITIAL_LOOP, { type: 'ready', autoRun: false });
    expect(ready).toEqual({ state: INITIAL_LOOP, report: 'paused', startLoop: false });
    const resumed = nextLoop(ready.state, { type: 'resume' });
    expect(resumed.report).toBe('running');
    expect(resumed.startLoop).toBe(true);
    expect(wantsStep(resumed.state)).toBe(true);
    const paused = nextLoop(resumed.state, { type: 'pause' });
    expect(paused.report).toBeUndefined();
    expect(wantsStep(paused.state)).toBe(false);
  });

  it('autoRun starts at once; steps requested while loading start the loop even when paused', () => {
    expect(nextLoop(INITIAL_LOOP, { type: 'ready', autoRun: true })).toMatchObject({ report: 'running', startLoop: true });
    const early = run([{ type: 'step', count: 3 }]);
    expect(early.stepsRequested).toBe(3);
    expect(nextLoop(early, { type: 'ready', autoRun: false })).toMatchObject({ report: 'paused', startLoop: true });
  });

  it('Step n owes exactly n steps (at least one, whole numbers), counted down by the loop', () => {
    let s = run([{ type: 'ready', autoRun: false }, { type: 'step', count: 2.7 }]);
    expect(s.stepsRequested).toBe(2);
    s = run([{ type: 'stepped' }], s);
    expect(wantsStep(s)).toBe(true);
    s = run([{ type: 'stepped' }, { type: 'stepped' }], s);
    expect(s.stepsRequested).toBe(0);
    expect(wantsStep(s)).toBe(false);
    expect(run([{ type: 'step', count: 0 }]).stepsRequested).toBe(1);
  });

  it('a pause event halts a free run and drops owed steps, but Run can go on', () => {
    const s = run([{ type: 'ready', autoRun: true }, { type: 'step', count: 4 }, { type: 'halt' }]);
    expect(s).toEqual({ running: false, stepsRequested: 0, stopped: false });
    expect(nextLoop(s, { type: 'resume' }).startLoop).toBe(true);
  });

  it('stop and terminal ends are final: later Run or Step messages change nothing', () => {
    for (const end of [{ type: 'stop' }, { type: 'ended' }] as LoopEvent[]) {
      const s = run([{ type: 'ready', autoRun: true }, { type: 'step', count: 5 }, end]);
      expect(s).toEqual({ running: false, stepsRequested: 0, stopped: true });
      expect(nextLoop(s, { type: 'resume' })).toEqual({ state: s, startLoop: false });
      expect(nextLoop(s, { type: 'step', count: 1 })).toEqual({ state: s, startLoop: false });
    }
    expect(nextLoop(INITIAL_LOOP, { type: 'stop' }).report).toBe('stopped');
  });
});
