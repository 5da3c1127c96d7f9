import { describe, expect, it } from 'vitest';
import { JobScheduler } from './scheduler';
import { poolSize, POOL_CAP, thin } from './pool';

function clock() {
  let t = 0;
  return { now: () => t, advance: (ms: number) => void (t += ms) };
}

describe('JobScheduler', () => {
  it('hands out at most `concurrency` jobs and the next ones as jobs finish, in order', () => {
    const c = clock();
    const s = new JobScheduler<string>(2, c.now);
    s.add(['a', 'b', 'c', 'd', 'e']);
    const first = s.take();
    expect(first.map((l) => l.job)).toEqual(['a', 'b']);
    expect(s.take()).toEqual([]);
    s.finish(first[0].id, true);
    expect(s.take().map((l) => l.job)).toEqual(['c']);
    expect(s.progress()).toMatchObject({ total: 5, done: 1, running: 2, queued: 2 });
  });

  it('estimates the time left from the mean job duration shared over the slots', () => {
    const c = clock();
    const s = new JobScheduler<number>(2, c.now);
    s.add([1, 2, 3, 4, 5, 6]);
    expect(s.progress().etaMs).toBeNull();
    const [a, b] = s.take();
    c.advance(1000);
    s.finish(a.id, true);
    s.finish(b.id, true);
    s.take();
    // 4 jobs of 1 s left on 2 slots, none started yet: 2 s.
    expect(s.progress().etaMs).toBeCloseTo(2000);
    c.advance(500);
    // Each running job is half done: 4 × 1000 − 2 × 500 = 3000 ms of work on 2 slots.
    expect(s.progress().etaMs).toBeCloseTo(1500);
  });

  it('hands out nothing while paused and does not count paused time', () => {
    const c = clock();
    const s = new JobScheduler<number>(1, c.now);
    s.add([1, 2]);
    const [a] = s.take();
    c.advance(100);
    s.pause();
    c.advance(10_000);
    s.finish(a.id, true);
    expect(s.take()).toEqual([]);
    expect(s.progress().paused).toBe(true);
    s.resume();
    expect(s.take()).toHaveLength(1);
    // The finished job took 100 ms of active time, not 10.1 s; so is the elapsed time.
    expect(s.progress().etaMs).toBeCloseTo(100);
    expect(s.progress().elapsedMs).toBeCloseTo(100);
  });

  it('cancel drops the queue, returns the running ids, and ignores their late results', () => {
    const c = clock();
    const s = new JobScheduler<number>(2, c.now);
    s.add([1, 2, 3, 4]);
    const running = s.take();
    expect(s.cancel().sort()).toEqual(running.map((l) => l.id).sort());
    expect(s.idle).toBe(true);
    expect(s.finish(running[0].id, true)).toBe(false);
    expect(s.progress()).toMatchObject({ cancelled: true, queued: 0, running: 0, done: 0, total: 0 });
    // A new batch starts afresh.
    s.add([5]);
    expect(s.progress()).toMatchObject({ cancelled: false, total: 1 });
  });

  it('counts failures apart from successes and refuses a concurrency below 1', () => {
    const s = new JobScheduler<number>(1, () => 0);
    s.add([1, 2]);
    const [a] = s.take();
    s.finish(a.id, false);
    expect(s.progress()).toMatchObject({ done: 0, failed: 1, queued: 1 });
    expect(() => new JobScheduler<number>(0, () => 0)).toThrow(/concurrency/);
  });
});

describe('pool helpers', () => {
  it('sizes the pool by the core count, capped, with 2 when the count is unknown', () => {
    expect(poolSize(4)).toBe(4);
    expect(poolSize(64)).toBe(POOL_CAP);
    expect(poolSize(undefined)).toBe(2);
    expect(poolSize(0)).toBe(2);
    expect(poolSize(1)).toBe(1);
  });

  it('thins a long series evenly and keeps its first and last points', () => {
    const pts = Array.from({ length: 1000 }, (_, i) => ({ iteration: i, cost: i, time: i, epoch: i, trainLoss: i }));
    const t = thin(pts, 100);
    expect(t).toHaveLength(100);
    expect(t[0].iteration).toBe(0);
    expect(t[99].iteration).toBe(999);
    expect(thin(pts.slice(0, 50), 100)).toHaveLength(50);
  });
});
