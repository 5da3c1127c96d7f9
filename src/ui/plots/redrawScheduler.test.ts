import { describe, expect, it } from 'vitest';
import { RedrawScheduler, type RedrawOptions } from './redrawScheduler';

/** A fake page: frames every 16 ms, a draw advances the clock by its cost. */
function fakePage(options: RedrawOptions = { minIntervalMs: 333, offscreenIntervalMs: 2000, share: 0.25, maxGapMs: 10_000 }) {
  let t = 0;
  let frameCallbacks: (() => void)[] = [];
  const scheduler = new RedrawScheduler({ now: () => t, nextFrame: (cb) => frameCallbacks.push(cb) }, options);
  const drawn: { id: string; at: number }[] = [];
  const drawer = (id: string, cost: number) => () => {
    drawn.push({ id, at: t });
    t += cost;
  };
  /** Runs frames until `until` ms; returns how many frames ran a draw. */
  const runUntil = (until: number) => {
    while (t < until) {
      const cbs = frameCallbacks;
      frameCallbacks = [];
      const before = drawn.length;
      for (const cb of cbs) cb();
      expect(drawn.length - before, 'at most one redraw per frame').toBeLessThanOrEqual(1);
      t += 16;
    }
  };
  return { scheduler, drawn, drawer, runUntil, time: () => t };
}

describe('RedrawScheduler', () => {
  it('draws a newly requested chart in the next frame, with the newest closure only', () => {
    const p = fakePage();
    p.scheduler.request('loss', p.drawer('old', 5));
    p.scheduler.request('loss', p.drawer('loss', 5));
    p.runUntil(20);
    expect(p.drawn.map((d) => d.id)).toEqual(['loss']);
    expect(p.scheduler.pending('loss')).toBe(false);
  });

  it('keeps all redraws within the share of the main thread however often charts ask', () => {
    const p = fakePage();
    const ids = ['loss', 'accuracy', 'gradnorm', 'panel'];
    // Every chart asks for a redraw in every frame for 10 s; each redraw costs 100 ms.
    for (let frame = 0; frame < 625; frame++) {
      for (const id of ids) p.scheduler.request(id, p.drawer(id, 100));
      p.runUntil(p.time() + 16);
    }
    const busy = p.drawn.length * 100;
    expect(busy / p.time()).toBeLessThanOrEqual(0.26);
    expect(busy / p.time()).toBeGreaterThan(0.2); // and it does use its share: the curves stay live
    // Every chart was served, none starved.
    for (const id of ids) expect(p.drawn.filter((d) => d.id === id).length).toBeGreaterThanOrEqual(4);
  });

  it('redraws a chart at most every minIntervalMs when redraws are cheap', () => {
    const p = fakePage();
    for (let frame = 0; frame < 125; frame++) {
      p.scheduler.request('loss', p.drawer('loss', 1));
      p.runUntil(p.time() + 16);
    }
    const at = p.drawn.map((d) => d.at);
    for (let i = 1; i < at.length; i++) expect(at[i] - at[i - 1]).toBeGreaterThanOrEqual(333);
    expect(at.length).toBeGreaterThanOrEqual(5); // 2 s at 3 Hz
  });

  it('redraws a chart off screen rarely, and at once when it comes into view', () => {
    const p = fakePage();
    p.scheduler.request('panel', p.drawer('panel', 1));
    p.runUntil(20);
    p.scheduler.setVisible('panel', false);
    for (let frame = 0; frame < 250; frame++) {
      p.scheduler.request('panel', p.drawer('panel', 1));
      p.runUntil(p.time() + 16);
    }
    expect(p.drawn.length).toBeLessThanOrEqual(1 + 2); // first draw + one per 2 s over 4 s
    p.scheduler.request('panel', p.drawer('panel', 1));
    p.scheduler.setVisible('panel', true);
    const before = p.drawn.length;
    p.runUntil(p.time() + 400);
    expect(p.drawn.length).toBe(before + 1);
  });

  it('serves the chart that waited longest first, and of two that waited as long the one drawn least recently', () => {
    const p = fakePage({ minIntervalMs: 0, offscreenIntervalMs: 0, share: 0.5, maxGapMs: 10_000 });
    p.scheduler.request('a', p.drawer('a', 50));
    p.runUntil(20); // a drawn; the next draw may come 50 ms later
    p.scheduler.request('b', p.drawer('b', 50));
    p.scheduler.request('a', p.drawer('a', 50));
    p.runUntil(400);
    expect(p.drawn.map((d) => d.id)).toEqual(['a', 'b', 'a']);
  });

  it('serves charts on screen before a chart off screen that has waited less than an off-screen interval', () => {
    const p = fakePage({ minIntervalMs: 0, offscreenIntervalMs: 1000, share: 0.5, maxGapMs: 10_000 });
    p.scheduler.request('below', p.drawer('below', 1));
    p.scheduler.setVisible('below', false);
    p.scheduler.request('loss', p.drawer('loss', 10));
    p.runUntil(20); // one frame: the chart on screen
    expect(p.drawn.map((d) => d.id)).toEqual(['loss']);
    p.runUntil(60);
    expect(p.drawn.map((d) => d.id)).toEqual(['loss', 'below']);
  });

  it('does not starve a chart off screen while charts on screen keep asking', () => {
    const p = fakePage({ minIntervalMs: 333, offscreenIntervalMs: 3000, share: 0.15, maxGapMs: 10_000 });
    p.scheduler.request('below', p.drawer('below', 50));
    p.scheduler.setVisible('below', false);
    for (let frame = 0; frame < 625; frame++) {
      p.scheduler.request('loss', p.drawer('loss', 50));
      p.scheduler.request('accuracy', p.drawer('accuracy', 50));
      p.scheduler.request('below', p.drawer('below', 50));
      p.runUntil(p.time() + 16);
    }
    // 10 s: the chart off screen is drawn about every 3 s, the two on screen share the rest.
    expect(p.drawn.filter((d) => d.id === 'below').length).toBeGreaterThanOrEqual(2);
    expect(p.drawn.filter((d) => d.id === 'loss').length).toBeGreaterThan(p.drawn.filter((d) => d.id === 'below').length);
  });

  it('never pauses longer than maxGapMs after a slow redraw', () => {
    const p = fakePage({ minIntervalMs: 333, offscreenIntervalMs: 3000, share: 0.15, maxGapMs: 1000 });
    p.scheduler.request('loss', p.drawer('loss', 900)); // the share alone would wait 5.1 s
    p.runUntil(20);
    p.scheduler.request('accuracy', p.drawer('accuracy', 10));
    p.runUntil(2000);
    const accuracy = p.drawn.find((d) => d.id === 'accuracy');
    expect(accuracy).toBeDefined();
    expect(accuracy!.at - 900).toBeLessThanOrEqual(1000 + 16);
  });

  it('a chart whose redraw throws does not stop the others', () => {
    const p = fakePage();
    const errors: unknown[] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => void errors.push(args[0]);
    try {
      p.scheduler.request('broken', () => { throw new Error('bad figure'); });
      p.scheduler.request('loss', p.drawer('loss', 1));
      p.runUntil(200);
    } finally {
      console.error = original;
    }
    expect(p.drawn.map((d) => d.id)).toEqual(['loss']);
    expect(String(errors[0])).toContain('broken');
  });

  it('flush runs every pending redraw at once (for exports), and forget drops a chart', () => {
    const p = fakePage();
    p.scheduler.request('a', p.drawer('a', 1));
    p.scheduler.request('b', p.drawer('b', 1));
    p.scheduler.request('c', p.drawer('c', 1));
    p.scheduler.forget('c');
    p.scheduler.flush();
    expect(p.drawn.map((d) => d.id).sort()).toEqual(['a', 'b']);
  });

  it('after a quiet spell, charts that change together draw in consecutive frames (burst), then pay it back', () => {
    const options = { minIntervalMs: 333, offscreenIntervalMs: 3000, share: 0.15, maxGapMs: 1000 };
    const gapAfterQuiet = (burstMs: number | undefined) => {
      const p = fakePage({ ...options, burstMs });
      p.runUntil(5000); // nothing to draw for 5 s
      p.scheduler.request('accuracy', p.drawer('accuracy', 250));
      p.scheduler.request('loss', p.drawer('loss', 110));
      p.runUntil(8000);
      const [a, l] = ['accuracy', 'loss'].map((id) => p.drawn.find((d) => d.id === id)!.at);
      return Math.abs(l - a);
    };
    // Without saved time the second chart waits the whole maxGapMs after the first (what Run → first point showed).
    expect(gapAfterQuiet(undefined)).toBeGreaterThanOrEqual(250 + 1000);
    expect(gapAfterQuiet(500)).toBeLessThan(250 + 2 * 16 + 1);
  });

  it('with a burst allowance the share still holds over a long busy spell', () => {
    const p = fakePage({ minIntervalMs: 333, offscreenIntervalMs: 2000, share: 0.25, maxGapMs: 10_000, burstMs: 500 });
    const ids = ['loss', 'accuracy', 'gradnorm', 'panel'];
    for (let frame = 0; frame < 625; frame++) {
      for (const id of ids) p.scheduler.request(id, p.drawer(id, 100));
      p.runUntil(p.time() + 16);
    }
    const busy = p.drawn.length * 100;
    // At most the share of the time plus the one saved burst (500 ms of 10+ s) plus the redraw that overdraws.
    expect(busy).toBeLessThanOrEqual(0.25 * p.time() + 500 + 100);
    expect(busy / p.time()).toBeGreaterThan(0.2);
  });

  it('a chart that shows nothing yet draws its first points without waiting for minIntervalMs', () => {
    const p = fakePage({ minIntervalMs: 333, offscreenIntervalMs: 3000, share: 0.5, maxGapMs: 1000, burstMs: 500 });
    p.scheduler.request('loss', p.drawer('cleared', 10), { empty: true }); // Run pressed: the empty chart is laid out
    p.runUntil(50);
    p.scheduler.request('loss', p.drawer('first points', 10), { empty: true });
    p.runUntil(100);
    p.scheduler.request('loss', p.drawer('more points', 10)); // it has points now: the interval applies again
    p.runUntil(1000);
    const at = Object.fromEntries(p.drawn.map((d) => [d.id, d.at]));
    expect(at['first points'] - at.cleared).toBeLessThan(100);
    expect(at['more points'] - at['first points']).toBeGreaterThanOrEqual(333);
  });

  it('refuses a negative burst', () => {
    expect(() => new RedrawScheduler({ now: () => 0, nextFrame: () => undefined }, { minIntervalMs: 1, offscreenIntervalMs: 1, share: 0.5, maxGapMs: 1, burstMs: -1 })).toThrow(/burst/);
  });

  it('refuses a share outside (0, 1]', () => {
    expect(() => new RedrawScheduler({ now: () => 0, nextFrame: () => undefined }, { minIntervalMs: 1, offscreenIntervalMs: 1, share: 0, maxGapMs: 1 })).toThrow(/share/);
  });

  it('draws settled data (no run training) of a chart off screen at once, not an off-screen interval later', () => {
    const p = fakePage({ minIntervalMs: 333, offscreenIntervalMs: 3000, share: 0.5, maxGapMs: 1000 });
    p.scheduler.request('below', p.drawer('live', 10));
    p.scheduler.setVisible('below', false);
    p.runUntil(20); // a new chart off screen: first drawn at once (nothing drawn yet)
    p.scheduler.request('below', p.drawer('live', 10)); // still training: waits for the off-screen interval
    p.runUntil(500);
    expect(p.drawn.map((d) => d.id)).toEqual(['live']);
    p.scheduler.request('below', p.drawer('final', 10), { settled: true }); // the run ended: its last points
    p.runUntil(540);
    expect(p.drawn.map((d) => d.id)).toEqual(['live', 'final']);
  });

  it('draws settled data without waiting for minIntervalMs, and a chart showing nothing yet likewise', () => {
    const p = fakePage();
    p.scheduler.request('loss', p.drawer('live', 5));
    p.runUntil(20);
    p.scheduler.request('loss', p.drawer('final', 5), { settled: true });
    p.runUntil(60);
    expect(p.drawn.map((d) => d.id)).toEqual(['live', 'final']);
    p.scheduler.request('loss', p.drawer('first points', 5), { empty: true });
    p.runUntil(100);
    expect(p.drawn.map((d) => d.id)).toEqual(['live', 'final', 'first points']);
  });

  it('gives a chart on screen every other redraw at least, however many charts off screen are overdue', () => {
    const p = fakePage({ minIntervalMs: 180, offscreenIntervalMs: 3000, share: 0.3, maxGapMs: 1000 });
    const panels = ['p1', 'p2', 'p3', 'p4', 'p5', 'p6'];
    for (const id of panels) {
      p.scheduler.request(id, p.drawer(id, 300));
      p.scheduler.setVisible(id, false);
    }
    p.runUntil(20);
    // 20 s of every chart asking in every frame, each redraw 300 ms: more work than the share allows.
    for (let frame = 0; frame < 1250; frame++) {
      p.scheduler.request('loss', p.drawer('loss', 300));
      for (const id of panels) p.scheduler.request(id, p.drawer(id, 300));
      p.runUntil(p.time() + 16);
    }
    const order = p.drawn.map((d) => d.id).slice(panels.length);
    for (let i = 1; i < order.length; i++) expect(order[i] === 'loss' || order[i - 1] === 'loss', `redraw ${i}: ${order[i - 1]} then ${order[i]}`).toBe(true);
    // and the charts off screen are still drawn
    for (const id of panels) expect(order.filter((d) => d === id).length).toBeGreaterThanOrEqual(1);
  });

  it('with no off-screen interval (Infinity), a chart off screen waits until it comes into view or its data settle', () => {
    const p = fakePage({ minIntervalMs: 100, offscreenIntervalMs: Infinity, share: 1, maxGapMs: 10_000 });
    p.scheduler.setVisible('panel', false);
    p.scheduler.request('panel', p.drawer('panel', 5));
    p.scheduler.request('loss', p.drawer('loss', 5));
    p.runUntil(60_000);
    expect(p.drawn.map((d) => d.id)).toEqual(['loss']);
    expect(p.scheduler.pending('panel')).toBe(true);
    p.scheduler.setVisible('panel', true);
    p.runUntil(60_100);
    expect(p.drawn.map((d) => d.id)).toEqual(['loss', 'panel']);
    // Off screen again, with settled data: drawn at once.
    p.scheduler.setVisible('panel', false);
    p.scheduler.request('panel', p.drawer('panel', 5), { settled: true });
    p.runUntil(60_200);
    expect(p.drawn.map((d) => d.id)).toEqual(['loss', 'panel', 'panel']);
  });
});
