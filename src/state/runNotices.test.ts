import { describe, expect, it } from 'vitest';
import { probePending, splitNotices } from './runNotices';

const run = (status: 'idle' | 'running' | 'finished', notices: string[]) => ({ status, notices });

describe('backend notices are said once', () => {
  it('a notice every started run carries is shared, not repeated per card', () => {
    const na = 'webgpu is not available in this browser';
    const { shared, own } = splitNotices([run('finished', [na]), run('finished', [na]), run('running', [na, 'webgl backend was lost at iteration 15'])]);
    expect(shared).toEqual([na]);
    expect(own).toEqual([[], [], ['webgl backend was lost at iteration 15']]);
  });
  it('idle runs do not hold a notice back; nothing started, nothing shared; a lone run keeps its notice', () => {
    expect(splitNotices([run('finished', ['x']), run('running', ['x']), run('idle', [])]).shared).toEqual(['x']);
    expect(splitNotices([run('idle', [])]).shared).toEqual([]);
    expect(splitNotices([run('finished', ['x']), run('idle', [])])).toEqual({ shared: [], own: [['x'], []] });
  });
  it('a notice only one run carries stays on its card', () => {
    const { shared, own } = splitNotices([run('finished', ['a']), run('finished', [])]);
    expect(shared).toEqual([]);
    expect(own).toEqual([['a'], []]);
  });
});

describe('"probe still running" lasts as long as it is true', () => {
  const early = { backend: 'wasm' as const, backendSource: 'before probe' as const };
  it('a live run started before the probe says so while the probe has not answered', () => {
    expect(probePending({ ...early, status: 'running' }, { status: 'waiting' })).toBe(true);
    expect(probePending({ ...early, status: 'paused' }, { status: 'running' })).toBe(true);
  });
  it('a finished run, or an answered probe, no longer says it', () => {
    expect(probePending({ ...early, status: 'finished' }, { status: 'waiting' })).toBe(false);
    expect(probePending({ ...early, status: 'running' }, { status: 'done' })).toBe(false);
    expect(probePending({ backend: 'wasm', backendSource: 'probe', status: 'running' }, { status: 'running' })).toBe(false);
  });
});
